"""What a component photo must be: a JPEG, PNG or WebP image of reasonable size, recognised
by its first bytes rather than by its name or the content type a client claims."""

from django.utils.translation import gettext_lazy as _

from urbangrid.core.errors import Invalid

MAX_BYTES = 20 * 1024 * 1024
SIGNATURES = (
    (b"\xff\xd8\xff", "jpeg"),
    (b"\x89PNG\r\n\x1a\n", "png"),
)


def image_kind(head: bytes) -> str | None:
    for signature, kind in SIGNATURES:
        if head.startswith(signature):
            return kind
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "webp"
    return None


def check_photo(file) -> str:
    """The image kind of an uploaded file, or Invalid."""
    size = getattr(file, "size", None)
    if size is not None and size > MAX_BYTES:
        raise Invalid("photo_too_large", _("A photo may be at most 20 MB."))
    file.seek(0)
    head = file.read(16)
    file.seek(0)
    kind = image_kind(head)
    if kind is None:
        raise Invalid("bad_photo", _("The file is not a JPEG, PNG or WebP image."))
    return kind
