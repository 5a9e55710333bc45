"""Reading GeoReport parameters: empty ones count as absent (the spec says so), dates are W3C
date-times (a bare date or a time without zone is read in Asia/Shanghai), lists are
comma-separated; anything malformed is a 400 that names the parameter."""

import math
from datetime import datetime, time, timedelta

from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.translation import gettext as _

from urbangrid.geo import gazetteer

from .formats import Open311Error

MAX_RANGE = timedelta(days=90)
MAX_PAGE_SIZE = 1000


def get(data, name: str) -> str | None:
    value = data.get(name)
    value = value.strip() if isinstance(value, str) else value
    return value or None


def listed(data, name: str) -> list[str]:
    return [v.strip() for v in (get(data, name) or "").split(",") if v.strip()]


def when(data, name: str) -> datetime | None:
    text = get(data, name)
    if text is None:
        return None
    try:
        value = parse_datetime(text.replace(" ", "+", 1) if "T" in text else text)
        if value is None:
            day = parse_date(text)
            value = datetime.combine(day, time.min) if day else None
    except ValueError:
        value = None
    if value is None:
        raise Open311Error(
            400, _("%(name)s is not a W3C date-time such as 2026-03-01T09:30:00+08:00.") % {"name": name}
        )
    return timezone.make_aware(value) if timezone.is_naive(value) else value


def date_range(data, now) -> tuple[datetime | None, datetime | None]:
    """start_date…end_date of at most 90 days; by default the last 90 days."""
    start, end = when(data, "start_date"), when(data, "end_date")
    if start is None and end is None:
        return now - MAX_RANGE, now
    if start is None:
        start = end - MAX_RANGE
    if end is None:
        end = start + MAX_RANGE
    if end < start:
        raise Open311Error(400, _("end_date is before start_date."))
    if end - start > MAX_RANGE:
        raise Open311Error(400, _("start_date and end_date may be at most 90 days apart."))
    return start, end


def positive(data, name: str, default: int, most: int = 10**9) -> int:
    text = get(data, name)
    if text is None:
        return default
    if not text.isdigit() or not 1 <= int(text) <= most:
        raise Open311Error(
            400, _("%(name)s must be a whole number from 1 to %(most)d.") % {"name": name, "most": most}
        )
    return int(text)


def _number(data, name: str, low: float, high: float) -> float:
    try:
        value = float(get(data, name))
    except (TypeError, ValueError):
        value = math.nan
    if not (low <= value <= high):
        raise Open311Error(
            400,
            _("%(name)s must be a number from %(low)s to %(high)s.")
            % {"name": name, "low": low, "high": high},
        )
    return value


def location(data) -> tuple[float, float, str]:
    """(lon, lat, address text) from lat + long, or from address_string through the gazetteer."""
    address = get(data, "address_string") or ""
    if get(data, "lat") is not None or get(data, "long") is not None:
        return _number(data, "long", -180, 180), _number(data, "lat", -90, 90), address
    if address:
        for candidate in gazetteer.search(address, 5):
            if candidate.location is not None:
                return candidate.lon, candidate.lat, address
        raise Open311Error(
            400,
            _("address_string %(address)s was not found in this jurisdiction; send lat and long.")
            % {"address": address},
        )
    if get(data, "address_id") is not None:
        raise Open311Error(400, _("address_id is not supported here; send lat and long, or address_string."))
    raise Open311Error(400, _("A location is required: lat and long, or address_string."))


MAX_EXTERNAL_REF = 64


def idempotency_key(request, attributes: dict) -> str:
    """The client's own id of the submission: an Idempotency-Key header, `external_id`, or the
    report id FixMyStreet sends as attribute[fixmystreet_id]. Never the device id alone: one
    phone sends many reports."""
    key = (
        request.headers.get("Idempotency-Key")
        or get(request.POST, "external_id")
        or attributes.get("fixmystreet_id")
        or ""
    )
    key = key.strip() if isinstance(key, str) else ""
    if len(key) > MAX_EXTERNAL_REF:
        raise Open311Error(
            400, _("The idempotency key may have at most %(n)d characters.") % {"n": MAX_EXTERNAL_REF}
        )
    return key
