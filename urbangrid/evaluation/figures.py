"""The indicator values of every subject of one kind for a period: counted live, or, for a closed
calendar month, quarter or year, its stored figures (月结 / 季度 / 年度, PeriodFigures).

A megacity's month takes seconds to count (bench/evaluation_month.py) and the ranking page shows
a period, the one before it and six months of trends: counted live, a leader waited ~20 s for a
month, longer for a quarter. The jobs store the last six closed months, four quarters and two
years once each is over, and recount it hourly while late records settle (SETTLE after its end:
a step returned or a case cancelled afterwards still changes what it counts); then the figures
stand, as a published evaluation does. `urbangrid period_figures --period 2026-10|2026-Q3|2026`
recounts a period by hand after a correction."""

import hashlib
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import transaction
from django.db.models import Min

from urbangrid.core import clock

from . import indicators as ind
from . import satisfaction
from .defaults import SUBJECT_KINDS
from .models import PeriodFigures

KINDS = SUBJECT_KINDS
USER_INDICATORS = {
    "supervisor": ind.supervisor_indicators,
    "intake": ind.intake_indicators,
    "shift_leader": ind.shift_leader_indicators,
    "dispatcher": ind.dispatcher_indicators,
}
# How many closed periods of each length the jobs keep: the ranking page's trends reach six
# months back; each page compares with the period before.
KEPT = {1: 6, 3: 4, 12: 2}
# Stored figures of another counting (other indicators, or the same ones counted otherwise) are
# not read, and the jobs count them again: bump COUNTING when an indicator's meaning changes.
COUNTING = 1
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


def add_months(day: date, months: int) -> date:
    n = day.year * 12 + day.month - 1 + months
    return date(n // 12, n % 12 + 1, 1)


def bounds(first: date, after: date) -> tuple[datetime, datetime]:
    tz = ZoneInfo(settings.TIME_ZONE)
    return datetime.combine(first, time(), tz), datetime.combine(after, time(), tz)


def stored_span(start: datetime, end: datetime) -> tuple[date, date] | None:
    """(first day, day after) if the period is exactly a calendar month, quarter or year."""
    first = start.astimezone(ZoneInfo(settings.TIME_ZONE)).date()
    if first.day != 1:
        return None
    for months in KEPT:
        after = add_months(first, months)
        if (first.month - 1) % months == 0 and bounds(first, after) == (start, end):
            return first, after
    return None


def _rows(start: datetime, end: datetime):
    """The stored rows of the period, of this code's counting; none for a period not over."""
    span = stored_span(start, end)
    if span is None or end > clock.now():
        return PeriodFigures.objects.none()
    return PeriodFigures.objects.filter(start=span[0], end=span[1], version=VERSION)


def stored(kind: str, start: datetime, end: datetime) -> PeriodFigures | None:
    return _rows(start, end).filter(kind=kind).first()


def counted_at(start: datetime, end: datetime) -> datetime | None:
    """When the period's stored figures were counted (the oldest kind's), if the jobs store it."""
    return _rows(start, end).aggregate(at=Min("computed_at"))["at"]


def values(kind: str, start: datetime, end: datetime) -> tuple[dict, datetime | None]:
    """The period's values and when they were counted: a closed period's stored figures where
    the jobs have them (their JSON keys turned back into ids), else counted now (None)."""
    row = stored(kind, start, end)
    if row is None:
        return live(kind, start, end), None
    if kind in ("street", "community"):
        return dict(row.values), row.computed_at
    return {int(key): value for key, value in row.values.items()}, row.computed_at


def closed_periods(now: datetime) -> list[tuple[date, date]]:
    """The last KEPT months, quarters and years over by `now`, latest first."""
    this_month = now.astimezone(ZoneInfo(settings.TIME_ZONE)).date().replace(day=1)
    found = []
    for months, kept in KEPT.items():
        current = add_months(this_month, -((this_month.month - 1) % months))  # this one's start
        found += [
            (add_months(current, -months * n), add_months(current, -months * (n - 1)))
            for n in range(1, kept + 1)
        ]
    return found


@transaction.atomic
def count_period(first: date, after: date, now: datetime | None = None) -> None:
    """Count and store every kind's figures of [first, after) (a period not over is refused)."""
    now = now or clock.now()
    start, end = bounds(first, after)
    if end > now:
        raise ValueError(f"{first}–{after} is not over")
    for kind in KINDS:
        PeriodFigures.objects.update_or_create(
            kind=kind,
            start=first,
            end=after,
            defaults={"values": live(kind, start, end), "computed_at": now, "version": VERSION},
        )


def _due(first: date, after: date, now: datetime) -> bool:
    """Missing, of another counting, or still settling and an hour old."""
    _start, end = bounds(first, after)
    rows = list(PeriodFigures.objects.filter(start=first, end=after).values_list("version", "computed_at"))
    if len(rows) < len(KINDS) or any(version != VERSION for version, _at in rows):
        return True
    return any(at < end + SETTLE and now - at >= REFRESH for _version, at in rows)


def store_closed_periods(now: datetime | None = None, at_most: int | None = 1) -> int:
    """The job: count the kept periods that are due, latest first, `at_most` per pass (a
    megacity's year takes a minute: the other jobs must not wait for all of them). Returns how
    many it counted."""
    now = now or clock.now()
    due = [span for span in closed_periods(now) if _due(*span, now)]
    due.sort(key=lambda span: span[1], reverse=True)
    for first, after in due[:at_most]:
        count_period(first, after, now)
    return len(due[:at_most])


def _version() -> str:
    """COUNTING and the indicator names of every kind."""
    empties = (ind._EMPTY_DEPARTMENT, EMPTY_AREA, ind._EMPTY_SUPERVISOR, ind._EMPTY_INTAKE)
    empties += (ind._EMPTY_SHIFT_LEADER, ind._EMPTY_DISPATCHER, satisfaction.EMPTY)
    names = ",".join(sorted({name for empty in empties for name in empty}))
    return f"{COUNTING}:{hashlib.sha256(names.encode()).hexdigest()[:12]}"


VERSION = _version()
