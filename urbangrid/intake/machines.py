"""Reports from machine sources (video analysis, sensors): an event with its evidence files
becomes a case from the video source. The event id is the idempotency key, so a source that
resends an event after a lost answer gets the same case and stores nothing twice.

Evidence files are stored content-addressed (the name is the SHA-256) and listed as Evidence
rows; images are also the case's report photos, so the desk sees them at once."""

from dataclasses import dataclass

from django.core.files.storage import default_storage
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from urbangrid.audit import services as audit
from urbangrid.cases import services as case_services
from urbangrid.cases.models import Case, Kind, Source
from urbangrid.catalog.models import CatalogType
from urbangrid.catalog.models import Kind as CatalogKind
from urbangrid.core import clock
from urbangrid.core.errors import Invalid

from .models import ApiClient, Evidence

MAX_FILES = 6
MAX_IMAGE_BYTES = 10 * 1024 * 1024
MAX_VIDEO_BYTES = 40 * 1024 * 1024
IMAGE_TYPES = {"jpeg": "image/jpeg", "png": "image/png", "webp": "image/webp"}
VIDEO_TYPES = {"mp4": "video/mp4", "webm": "video/webm"}


@dataclass
class Checked:
    file: object
    ext: str
    content_type: str
    sha256: str

    @property
    def is_image(self) -> bool:
        return self.ext in IMAGE_TYPES


def _sniff(head: bytes) -> str | None:
    """The file's real kind from its first bytes; the name and the declared type may lie."""
    if head.startswith(b"\xff\xd8\xff"):
        return "jpeg"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    if head.startswith(b"RIFF") and head[8:12] == b"WEBP":
        return "webp"
    if head[4:8] == b"ftyp":
        return "mp4"
    if head.startswith(b"\x1a\x45\xdf\xa3"):
        return "webm"
    return None


def check_files(files) -> list[Checked]:
    files = [f for f in files or () if f]
    if len(files) > MAX_FILES:
        raise Invalid("too_many_files", _("At most 6 evidence files may be sent with one event."))
    checked = []
    for f in files:
        name = getattr(f, "name", "")
        head = f.read(16)
        f.seek(0)
        ext = _sniff(head)
        if ext is None:
            raise Invalid(
                "bad_evidence",
                _("Evidence files must be JPEG, PNG or WebP images or MP4 or WebM video clips."),
                name=name,
            )
        limit = MAX_IMAGE_BYTES if ext in IMAGE_TYPES else MAX_VIDEO_BYTES
        if getattr(f, "size", 0) > limit:
            raise Invalid(
                "evidence_too_large",
                _("An image may be at most 10 MB and a video clip at most 40 MB."),
                name=name,
            )
        content_type = IMAGE_TYPES.get(ext) or VIDEO_TYPES[ext]
        checked.append(Checked(f, ext, content_type, audit.file_digest(f)))
    return checked


def kind_of(type_code: str) -> str:
    found = CatalogType.objects.filter(kind=CatalogKind.MATTER, code=type_code, active=True).first()
    if found is None:
        raise Invalid("unknown_type", _("Unknown or inactive matter type."), type=type_code)
    return Kind.COMPONENT if found.major_code <= "05" else Kind.MATTER


def _store(item: Checked) -> str:
    name = f"evidence/{item.sha256[:2]}/{item.sha256}.{item.ext}"
    return name if default_storage.exists(name) else default_storage.save(name, item.file)


@transaction.atomic
def report_event(
    client: ApiClient,
    *,
    event_id: str,
    device_id: str,
    type_code: str,
    lon: float,
    lat: float,
    crs: str = "wgs84",
    description: str = "",
    files=(),
) -> tuple[Case, bool]:
    """Make a case of a machine event; returns the case and whether it is new."""
    event_id, device_id = (event_id or "").strip(), (device_id or "").strip()
    if not event_id or len(event_id) > 64:
        raise Invalid("bad_event_id", _("The event id is missing or longer than 64 characters."))
    if not device_id or len(device_id) > 64:
        raise Invalid("bad_device_id", _("The device id is missing or longer than 64 characters."))
    account = client.account
    earlier = Case.objects.filter(reporter=account, source=Source.VIDEO, external_ref=event_id).first()
    if earlier is not None:
        return earlier, False
    checked = check_files(files)
    kind = kind_of(type_code)
    text = (description or "").strip() or str(_("Found by device %(device)s") % {"device": device_id})
    case = case_services.report_case(
        account,
        source=Source.VIDEO,
        kind=kind,
        type_code=type_code,
        description=text,
        lon=lon,
        lat=lat,
        crs=crs,
        photos=[c.file for c in checked if c.is_image],
        reporter_name=client.name,
        external_ref=event_id,
        on_behalf=True,
    )
    now = clock.now()
    stored = []
    for item in checked:
        item.file.seek(0)
        row = Evidence(
            case=case,
            device_id=device_id,
            content_type=item.content_type,
            size=getattr(item.file, "size", 0) or 0,
            sha256=item.sha256,
            received_at=now,
        )
        row.file.name = _store(item)
        row.save()
        stored.append({"sha256": item.sha256, "type": item.content_type, "file": row.file.name})
    audit.append(
        account,
        "intake.machine_event",
        "case",
        case.number,
        {"event": event_id, "device": device_id, "client": client.name, "evidence": stored},
    )
    return case, True
