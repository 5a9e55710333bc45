"""The indicator values of every subject of one kind for a period: counted live, or, for a closed
calendar month, the month's stored figures (月结, MonthFigures).

A megacity's month takes seconds to count (bench/evaluation_month.py) and the ranking page shows
a month, the month before it and six months of trends: counted live, a leader waited ~20 s. The
jobs store each of the last six closed months once it is over, and recount it hourly while late
records settle (SETTLE after its end: a step returned or a case cancelled after the month still
changes what it counts); after that the month's figures stand, as a published evaluation does.
`urbangrid month_figures --month YYYY-MM` recounts a month by hand after a correction."""

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import transaction
from django.db.models import Min

from urbangrid.core import clock

from . import indicators as ind
from . import satisfaction
from .models import MonthFigures

KINDS = ("department", "street", "community", "supervisor", "intake", "shift_leader", "dispatcher")
USER_INDICATORS = {
    "supervisor": ind.supervisor_indicators,
    "intake": ind.intake_indicators,
    "shift_leader": ind.shift_leader_indicators,
    "dispatcher": ind.dispatcher_indicators,
}
MONTHS_KEPT = 6  # the ranking page's trends reach six months back
SETTLE = timedelta(days=5)
REFRESH = timedelta(hours=1)

EMPTY_AREA = {
    "filed": 0,
    "closed": 0,
    "closure_rate": None,
    "on_time_closed": 0,
    "on_time_closure_rate": None,
    "public": 0,
    "public_share": None,
}


def live(kind: str, start: datetime, end: datetime) -> dict:
    """{subject key: {indicator: value}} counted now."""
    if kind == "department":
        return with_satisfaction(
            kind, ind.department_indicators(start, end), ind._EMPTY_DEPARTMENT, start, end
        )
    if kind in ("street", "community"):
        return with_satisfaction(kind, ind.area_indicators(start, end, kind), EMPTY_AREA, start, end)
    if kind in USER_INDICATORS:
        return USER_INDICATORS[kind](start, end)
    raise KeyError(kind)


def with_satisfaction(kind: str, values: dict, empty: dict, start: datetime, end: datetime) -> dict:
    """The subject's indicators with its public satisfaction beside them (also for a subject
    rated by the public and without other figures in the period)."""
    rated = satisfaction.satisfaction(kind, start, end)
    for key in values.keys() | rated.keys():
        values.setdefault(key, dict(empty)).update(rated.get(key, satisfaction.EMPTY))
    return values


def month_bounds(month: date) -> tuple[datetime, datetime]:
    tz = ZoneInfo(settings.TIME_ZONE)
    after = date(month.year + month.month // 12, month.month % 12 + 1, 1)
    return datetime.combine(month, time(), tz), datetime.combine(after, time(), tz)


def month_of(start: datetime, end: datetime) -> date | None:
    """The calendar month the period is exactly, or None."""
    first = start.astimezone(ZoneInfo(settings.TIME_ZONE))
    month = first.date()
    if month.day != 1 or month_bounds(month) != (start, end):
        return None
    return month


def stored(kind: str, start: datetime, end: datetime) -> MonthFigures | None:
    month = month_of(start, end)
    if month is None:
        return None
    return MonthFigures.objects.filter(kind=kind, month=month).first()


def counted_at(start: datetime, end: datetime) -> datetime | None:
    """When the period's stored figures were counted (the oldest kind's), if it is a month the
    jobs have stored."""
    month = month_of(start, end)
    if month is None:
        return None
    return MonthFigures.objects.filter(month=month).aggregate(at=Min("computed_at"))["at"]


def values(kind: str, start: datetime, end: datetime) -> tuple[dict, datetime | None]:
    """The period's values and when they were counted: a closed month's stored figures where
    the jobs have them (their JSON keys turned back into ids), else counted now (None)."""
    row = stored(kind, start, end)
    if row is None:
        return live(kind, start, end), None
    if kind in ("street", "community"):
        return dict(row.values), row.computed_at
    return {int(key): value for key, value in row.values.items()}, row.computed_at


def closed_months(now: datetime) -> list[date]:
    """The last MONTHS_KEPT calendar months over by `now`, latest first."""
    local = now.astimezone(ZoneInfo(settings.TIME_ZONE)).date()
    months, year, month = [], local.year, local.month
    for _n in range(MONTHS_KEPT):
        year, month = (year, month - 1) if month > 1 else (year - 1, 12)
        months.append(date(year, month, 1))
    return months


@transaction.atomic
def count_month(month: date, now: datetime | None = None) -> None:
    """Count and store every kind's figures of `month` (a month not yet over is refused)."""
    now = now or clock.now()
    start, end = month_bounds(month)
    if end > now:
        raise ValueError(f"{month:%Y-%m} is not over")
    for kind in KINDS:
        MonthFigures.objects.update_or_create(
            kind=kind, month=month, defaults={"values": live(kind, start, end), "computed_at": now}
        )


def store_closed_months(now: datetime | None = None) -> int:
    """The job: count each kept month whose figures are missing, or are still settling and an
    hour old. Returns how many months it counted."""
    now = now or clock.now()
    counted = 0
    for month in closed_months(now):
        _start, end = month_bounds(month)
        rows = {r.kind: r.computed_at for r in MonthFigures.objects.filter(month=month)}
        settling = any(at < end + SETTLE and now - at >= REFRESH for at in rows.values())
        if len(rows) < len(KINDS) or settling:
            count_month(month, now)
            counted += 1
    return counted
