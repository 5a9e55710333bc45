"""Reports from the citizen app (市民通): checks at the edge, then a public report through
`cases.services.report_case` as the channel account, and a receipt for the citizen.

A report waits for 受理 and 核实 like every public report (state REPORTED, source PUBLIC).
Replies go to the phone number the citizen left, never to the channel account.

Settings (settings.URBANGRID): CITIZEN_REPORTS_PER_HOUR (5) per device and per phone number;
CITIZEN_MAX_PHOTOS (3); CITIZEN_MAX_PHOTO_MB (10)."""

import re
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.utils.translation import gettext_lazy as _
from PIL import Image, UnidentifiedImageError

from urbangrid.accounts.models import User
from urbangrid.cases import services as cases
from urbangrid.cases.models import Kind, Source
from urbangrid.catalog.models import CatalogType
from urbangrid.catalog.models import Kind as CatalogKind
from urbangrid.core import clock
from urbangrid.core.errors import Conflict, Invalid, ServiceError
from urbangrid.geo import crs as crs_module
from urbangrid.geo import geocoding

from .. import receipts
from ..models import Receipt
from .account import channel_account

PHONE = re.compile(r"^(1[3-9]\d{9}|0\d{9,11})$")  # a mobile, or a landline with its area code
SUBMISSION_ID = re.compile(r"^[A-Za-z0-9_-]{8,64}$")
DEVICE_ID = re.compile(r"^[A-Za-z0-9_-]{8,64}$")
IMAGE_FORMATS = {"JPEG", "PNG", "WEBP"}


class RateLimited(ServiceError):
    status = 429
    default_code = "rate_limited"
    default_message = _("Too many reports for now; please try again later.")


def setting(name: str, default):
    return settings.URBANGRID.get(name, default)


def clean_phone(text: str) -> str:
    """Digits only (people type spaces, dashes, +86); empty is allowed: the phone is optional."""
    digits = re.sub(r"[\s\-()]", "", text or "")
    if digits.startswith("+86"):
        digits = digits[3:]
    if digits and not PHONE.match(digits):
        raise Invalid("bad_phone", _("Enter a mobile number (11 digits) or a landline with its area code."))
    return digits


def check_photos(photos) -> None:
    """Refuse what is not a readable JPEG, PNG or WebP photo, or too large, naming the file."""
    limit = setting("CITIZEN_MAX_PHOTOS", 3)
    if len(photos) > limit:
        raise Invalid("too_many_photos", _("Send at most %(n)d photos.") % {"n": limit})
    max_mb = setting("CITIZEN_MAX_PHOTO_MB", 10)
    for f in photos:
        name = getattr(f, "name", "")
        if f.size > max_mb * 1024 * 1024:
            raise Invalid(
                "photo_too_large",
                _("The photo %(name)s is larger than %(mb)d MB; choose a smaller one.")
                % {"name": name, "mb": max_mb},
                name=name,
            )
        try:
            with Image.open(f) as image:
                kind = image.format
                image.load()  # a truncated or corrupt file fails here, not when someone opens it
        except (UnidentifiedImageError, OSError, SyntaxError, ValueError, Image.DecompressionBombError):
            kind = None
        finally:
            f.seek(0)
        if kind not in IMAGE_FORMATS:
            raise Invalid(
                "bad_photo",
                _("The file %(name)s is not a readable photo (JPEG, PNG or WebP); choose another one.")
                % {"name": name},
                name=name,
            )


def locate(lon, lat, crs: str = "wgs84") -> tuple[float, float]:
    """The WGS84 point of the report, refused with a plain message when outside the county."""
    if lon in (None, "") or lat in (None, ""):
        raise Invalid(
            "location_required", _("Give the place: use your position, tap the map or search an address.")
        )
    try:
        wlon, wlat = crs_module.to_wgs84(float(lon), float(lat), crs)
        geocoding.locate(wlon, wlat)
    except geocoding.OutsideJurisdiction as exc:
        raise Invalid(
            "outside_county",
            _("This place is outside the area we serve; move the pin into the county, or call 12345."),
        ) from exc
    except (TypeError, ValueError) as exc:
        raise Invalid("location_required", _("The position is not valid; tap the map again.")) from exc
    return wlon, wlat


def matter_type(type_code: str) -> CatalogType:
    found = matter_type_or_none(type_code)
    if found is None:
        raise Invalid("type_required", _("Choose what kind of problem it is."))
    return found


COMMON_TYPES = (
    "06010",  # 暴露垃圾
    "06042",  # 垃圾站（箱）满溢
    "06013",  # 道路破损
    "01023",  # 不明井盖异常: citizens cannot tell whose manhole it is
    "01037",  # 路灯异常
    "02014",  # 交通信号灯异常
    "09009",  # 机动车乱停放
    "09010",  # 非机动车乱停放
    "09006",  # 占道经营
    "07001",  # 非法小广告
    "06036",  # 乱堆杂物
    "04002",  # 行道树异常
    "03001",  # 公共厕所异常
    "06037",  # 动物尸体
)


def common_types() -> list[CatalogType]:
    """The short list offered first (CITIZEN_COMMON_TYPES), in its order; the rest by search."""
    codes = list(setting("CITIZEN_COMMON_TYPES", COMMON_TYPES))
    found = {
        t.code: t for t in CatalogType.objects.filter(kind=CatalogKind.MATTER, code__in=codes, active=True)
    }
    return [found[c] for c in codes if c in found]


def search_types(text: str, limit: int = 20) -> list[CatalogType]:
    text = (text or "").strip()
    if not text:
        return []
    return list(
        CatalogType.objects.filter(kind=CatalogKind.MATTER, active=True, name__icontains=text).order_by(
            "code"
        )[:limit]
    )


def matter_type_or_none(type_code) -> CatalogType | None:
    return CatalogType.objects.filter(kind=CatalogKind.MATTER, code=type_code or "", active=True).first()


def _limit(field: str, value: str, now) -> None:
    per_hour = setting("CITIZEN_REPORTS_PER_HOUR", 5)
    if (
        value
        and Receipt.objects.filter(**{field: value}, created_at__gte=now - timedelta(hours=1)).count()
        >= per_hour
    ):
        raise RateLimited(
            "rate_limited",
            _("You have sent %(n)d reports in the last hour; please wait a while before sending more.")
            % {"n": per_hour},
            retry_after=3600,
        )


@transaction.atomic
def submit(
    *,
    device_id: str,
    submission_id: str,
    type_code: str,
    description: str,
    lon,
    lat,
    crs: str = "wgs84",
    photos=(),
    phone: str = "",
    address: str = "",
) -> tuple[Receipt, bool]:
    """Record a citizen's report and return (receipt, created). A resent submission (a double
    tap, a retry after a lost reply) returns the first receipt instead of a second report."""
    if not DEVICE_ID.match(device_id or ""):
        raise Invalid("bad_device", _("Your browser did not send its device id; reload the page."))
    if not SUBMISSION_ID.match(submission_id or ""):
        raise Invalid("bad_submission", _("The form is out of date; reload the page."))
    account = channel_account()
    # One report at a time through the channel: the limits below count what is already in.
    User.objects.select_for_update().filter(pk=account.pk).first()
    earlier = (
        Receipt.objects.select_related("case")
        .filter(case__reporter=account, case__source=Source.PUBLIC, case__external_ref=submission_id)
        .first()
    )
    if earlier is not None:
        if earlier.device_id != device_id:
            raise Conflict("submission_taken", _("The form is out of date; reload the page."))
        return earlier, False
    phone = clean_phone(phone)
    now = clock.now()
    _limit("device_id", device_id, now)
    _limit("phone", phone, now)
    matter = matter_type(type_code)
    wlon, wlat = locate(lon, lat, crs)
    check_photos(list(photos))
    case = cases.report_case(
        account,
        source=Source.PUBLIC,
        kind=Kind.COMPONENT if matter.major_code <= "05" else Kind.MATTER,
        type_code=matter.code,
        description=description,
        lon=wlon,
        lat=wlat,
        photos=photos,
        reporter_phone=phone,
        external_ref=submission_id,
        address=(address or "").strip(),
        on_behalf=True,
    )
    receipt = Receipt.objects.create(
        code=receipts.new_code(), case=case, device_id=device_id, phone=phone, created_at=now
    )
    return receipt, True
