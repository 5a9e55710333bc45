"""Photos as the public gets them: a copy re-encoded without EXIF (phones write the GPS
position, the time and the device into it), turned upright first since the orientation tag
goes with the rest."""

import io

from django.http import Http404, HttpResponse
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import condition, require_GET
from PIL import Image, ImageOps, UnidentifiedImageError

from urbangrid.cases.models import PUBLIC_SOURCES, CasePhoto
from urbangrid.cases.services.base import MAX_PHOTO_BYTES
from urbangrid.core.errors import Invalid

from . import public

FORMATS = {"JPEG": "image/jpeg", "PNG": "image/png", "WEBP": "image/webp"}


def stripped(fileobj) -> tuple[bytes, str]:
    """(image bytes without metadata, content type); Invalid unless a JPEG, PNG or WebP."""
    try:
        with Image.open(fileobj) as img:
            fmt = img.format
            if fmt not in FORMATS:
                raise Invalid("bad_photo", _("Photos must be JPEG, PNG or WebP images."))
            upright = ImageOps.exif_transpose(img)
            out = io.BytesIO()
            if fmt == "JPEG":
                upright.convert("RGB").save(out, "JPEG", quality=90)
            else:
                upright.save(out, fmt)
    except (UnidentifiedImageError, OSError, ValueError) as exc:
        raise Invalid("bad_photo", _("Photos must be JPEG, PNG or WebP images.")) from exc
    return out.getvalue(), FORMATS[fmt]


def check_upload(f) -> None:
    if getattr(f, "size", 0) > MAX_PHOTO_BYTES:
        raise Invalid("photo_too_large", _("A photo may not exceed 10 MB."))


@require_GET
@condition(etag_func=lambda request, sha256: sha256)  # content-addressed: the digest never goes stale
def photo(request, sha256: str):
    """A public case's report or after-disposal photo, stripped of its metadata."""
    found = (
        CasePhoto.objects.filter(
            sha256=sha256, stage__in=public.PUBLIC_STAGES, case__source__in=PUBLIC_SOURCES
        )
        .order_by("id")
        .first()
    )
    if found is None:
        raise Http404
    with found.image.open("rb") as f:
        body, content_type = stripped(f)
    response = HttpResponse(body, content_type=content_type)
    response["Cache-Control"] = "public, max-age=86400"
    return response
