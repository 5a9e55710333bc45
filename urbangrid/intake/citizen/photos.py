"""Public copies of case photos: re-encoded without EXIF (GPS position, phone model, time),
turned upright and at most 1600 px, kept beside the originals (which stay as evidence)."""

from io import BytesIO

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from PIL import Image, ImageOps

from urbangrid.cases.models import CasePhoto

MAX_SIDE = 1600


def public_copy(photo: CasePhoto) -> str:
    """The storage name of the photo's public copy, made on first request."""
    name = f"public/{photo.sha256[:2]}/{photo.sha256}.jpg"
    if default_storage.exists(name):
        return name
    with photo.image.open("rb") as f, Image.open(f) as original:
        image = ImageOps.exif_transpose(original)  # the EXIF orientation goes with the EXIF
        image.thumbnail((MAX_SIDE, MAX_SIDE))
        if image.mode not in ("RGB", "L"):
            image = image.convert("RGB")
        out = BytesIO()
        # Nothing of the original's metadata is passed on: no exif=, icc_profile= or comment=.
        image.save(out, "JPEG", quality=85, optimize=True)
    return default_storage.save(name, ContentFile(out.getvalue()))
