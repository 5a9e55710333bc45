"""Deadline arithmetic on a working calendar (工作日历): 工作时 / 工作日 limits that skip nights,
lunch breaks, weekends and statutory holidays and count make-up working days (调休), and plain
wall-clock hours for urgent types.

How it stays fast: every instant maps to its *working position*, the working time from a fixed
origin up to that instant (`Calendar.position`). The number of working days before a date is a
closed form over whole weeks plus a prefix sum over the few special days, so a position costs a
couple of bisections, whatever the span. Working time between two instants is a difference of
positions; a deadline is the first instant whose position is the start's position plus the limit,
found by a galloping search over dates. Nothing loops minute by minute or day by day.

Units (`Unit`): `work_hours`; `work_days`, one 工作日 = `workday_hours` working hours of the
calendar (fractions allowed, 0.5 工作日 = 4 工作时 on an 8-hour calendar); `natural_hours`,
wall-clock hours that ignore the calendar. A limit is rounded to the nearest second (half up).

Pauses and extensions:
- 延期 (an approved extension) adds a limit to the current deadline: `cal.deadline(current, value, unit)`.
- 挂账 (the clock stops): when the case resumes, the deadline moves on by the working time (natural
  time for `natural_hours`) that passed while it was paused: `cal.after_pause(deadline, paused_at,
  resumed_at, unit)`, which is `cal.shift(deadline, cal.elapsed(paused_at, resumed_at, unit), unit)`.
  Keep the total paused time of a step and pass it as `paused_seconds` to `progress`/`light`, so
  the share of the limit used does not jump when the clock restarts.

Calendars are cached per process. Saving or deleting a WorkCalendar or CalendarDay clears the
cache at once and again on commit (a reader in another thread may have cached the old rows in
between); other processes reload within REFRESH_SECONDS.
"""

import json
import math
import threading
import time
from bisect import bisect_left
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal
from enum import StrEnum
from fractions import Fraction
from pathlib import Path
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from .models import CalendarDay, WorkCalendar

REFRESH_SECONDS = 10.0
HOLIDAYS_FILE = Path(__file__).resolve().parent / "fixtures" / "cn_holidays.json"

_US = 1_000_000
_ONE_US = timedelta(microseconds=1)


class Unit(StrEnum):
    WORK_HOURS = "work_hours"
    WORK_DAYS = "work_days"
    NATURAL_HOURS = "natural_hours"


class Light(StrEnum):
    GREEN = "green"
    YELLOW = "yellow"
    RED = "red"


def _us_of_day(t) -> int:
    return ((t.hour * 60 + t.minute) * 60 + t.second) * _US + t.microsecond


@dataclass(frozen=True)
class Calendar:
    """An immutable working calendar. Build it with `Calendar.build` or get a cached one with
    `calendar_for` / `default_calendar`."""

    id: int | None
    code: str
    name: str
    tz: ZoneInfo
    periods: tuple[tuple[int, int], ...]  # working periods of a day, microseconds after midnight
    weekend: frozenset[int]  # ISO weekdays
    holidays: dict[date, str]
    workdays: dict[date, str]  # make-up working days (调休上班)
    workday_hours: Decimal
    warning_ratio: Decimal

    @classmethod
    def build(cls, work_calendar: WorkCalendar, days) -> "Calendar":
        """A calendar from a WorkCalendar row and its CalendarDay rows (anything with `date`,
        `kind` and `name`). Raises ValueError for a calendar that cannot give a deadline."""
        periods = []
        for start, end in (
            (work_calendar.morning_start, work_calendar.morning_end),
            (work_calendar.afternoon_start, work_calendar.afternoon_end),
        ):
            a, b = _us_of_day(_as_time(start)), _us_of_day(_as_time(end))
            if a > b:
                raise ValueError(f"working period {start}–{end} ends before it starts")
            if a < b:  # an empty period switches that half of the day off
                periods.append((a, b))
        if not periods:
            raise ValueError("the calendar has no working time in a day")
        if len(periods) == 2 and periods[1][0] < periods[0][1]:
            raise ValueError("the afternoon period overlaps the morning period")
        weekend = frozenset(int(d) for d in work_calendar.weekend)
        if not weekend <= set(range(1, 8)):
            raise ValueError(f"weekend days must be ISO weekdays 1–7, not {sorted(weekend)}")
        if len(weekend) == 7:
            raise ValueError("every weekday is a weekend day")
        # Through str: the model's in-memory defaults are floats, and Decimal(0.8) is 0.8000…0444.
        workday_hours = Decimal(str(work_calendar.workday_hours))
        if workday_hours <= 0 or (workday_hours * 3600) % 1:
            raise ValueError("working hours per working day must be positive, to the second")
        warning_ratio = Decimal(str(work_calendar.warning_ratio))
        if not 0 < warning_ratio <= 1:
            raise ValueError(f"the warning ratio must lie in (0, 1], not {warning_ratio}")
        holidays, workdays = {}, {}
        for day in days:
            if day.kind == CalendarDay.Kind.HOLIDAY:
                holidays[day.date] = day.name
            elif day.kind == CalendarDay.Kind.WORKDAY:
                workdays[day.date] = day.name
            else:
                raise ValueError(f"unknown calendar day kind {day.kind!r} on {day.date}")
        return cls(
            id=work_calendar.pk,
            code=work_calendar.code,
            name=work_calendar.name,
            tz=ZoneInfo(settings.TIME_ZONE),
            periods=tuple(periods),
            weekend=weekend,
            holidays=holidays,
            workdays=workdays,
            workday_hours=workday_hours,
            warning_ratio=warning_ratio,
        )

    def __post_init__(self) -> None:
        # Derived tables for the position arithmetic; the dataclass is frozen, hence __setattr__.
        regular = [d not in self.weekend for d in range(1, 8)]
        prefix = [0]
        for works in regular:
            prefix.append(prefix[-1] + works)
        special = sorted(
            (d.toordinal(), (d in self.workdays) - regular[d.isoweekday() - 1])
            for d in self.holidays.keys() | self.workdays.keys()
        )
        deltas = [0]
        for _, delta in special:
            deltas.append(deltas[-1] + delta)
        derived = {
            "_week_prefix": tuple(prefix),
            "_special_ords": tuple(o for o, _ in special),
            "_special_deltas": tuple(deltas),
            "_special_working": {d.toordinal(): d in self.workdays for d in self.holidays | self.workdays},
            "_day_us": sum(b - a for a, b in self.periods),
            "_warning_ratio": self.warning_ratio.as_integer_ratio(),
            "_workday_seconds": int(self.workday_hours * 3600),
        }
        for name, value in derived.items():
            object.__setattr__(self, name, value)

    # -- days --------------------------------------------------------------------------------

    def is_working_day(self, day: date) -> bool:
        return self._works(day.toordinal())

    def working_periods(self, day: date) -> list[tuple[datetime, datetime]]:
        """The working periods of `day` as aware local datetimes; empty on a day off."""
        if not self._works(day.toordinal()):
            return []
        return [(self._at(day.toordinal(), a), self._at(day.toordinal(), b)) for a, b in self.periods]

    # -- positions ---------------------------------------------------------------------------

    def position(self, instant: datetime) -> int:
        """Working microseconds from the calendar's origin (0001-01-01) up to `instant`. Flat
        outside working time, so differences of positions are working time."""
        o, us = self._local(instant)
        pos = self._working_days_before(o) * self._day_us
        if self._works(o):
            pos += sum(min(max(us - a, 0), b - a) for a, b in self.periods)
        return pos

    def working_seconds(self, a: datetime, b: datetime) -> float:
        """Working time from `a` to `b` in seconds; 0 when `b` is not after `a`."""
        return self._elapsed_us(a, b, Unit.WORK_HOURS) / _US

    def natural_seconds(self, a: datetime, b: datetime) -> float:
        """Wall-clock time from `a` to `b` in seconds; 0 when `b` is not after `a`."""
        return self._elapsed_us(a, b, Unit.NATURAL_HOURS) / _US

    def elapsed(self, a: datetime, b: datetime, unit: str) -> float:
        """Seconds from `a` to `b` as the unit counts them: working time, or wall-clock time for
        `natural_hours`."""
        return self._elapsed_us(a, b, Unit(unit)) / _US

    # -- deadlines ---------------------------------------------------------------------------

    def deadline(self, start: datetime, value, unit: str) -> datetime:
        """When a limit of `value` `unit`s that starts at `start` runs out. A start outside working
        time counts from the next working moment. A limit that ends exactly at the end of a working
        period ends there (17:30), not at the start of the next one."""
        unit = Unit(unit)
        return self._advance(start, self._limit_us(value, unit), unit)

    def shift(self, deadline: datetime, seconds, unit: str) -> datetime:
        """`deadline` moved later by `seconds` of working time (wall-clock time for
        `natural_hours`)."""
        return self._advance(deadline, _to_us(seconds), Unit(unit))

    def after_pause(self, deadline: datetime, paused_at: datetime, resumed_at: datetime, unit: str):
        """The deadline of a step whose clock stood still (挂账) from `paused_at` to `resumed_at`:
        moved by the time, as `unit` counts it, that passed while paused."""
        unit = Unit(unit)
        return self._advance(deadline, self._elapsed_us(paused_at, resumed_at, unit), unit)

    def remaining_seconds(self, now: datetime, deadline: datetime, unit: str) -> float:
        """Time left until `deadline` as `unit` counts it; negative by the time overdue."""
        return self._signed_us(now, deadline, Unit(unit)) / _US

    def progress(self, start, deadline, now, unit: str, paused_seconds=0) -> float:
        """Share of the limit used at `now` (0 … ∞), 1.0 at the deadline. `paused_seconds`: time the
        clock stood still between `start` and `now` that has already moved `deadline` (see
        `after_pause`); it counts neither as used nor as part of the limit."""
        used, limit = self._used_of_limit(start, deadline, now, Unit(unit), paused_seconds)
        return used / limit if limit else math.inf

    def light(self, start, deadline, now, unit: str, paused_seconds=0) -> Light:
        """红灯 from 100 % of the limit, 黄灯 from the warning ratio, green before."""
        used, limit = self._used_of_limit(start, deadline, now, Unit(unit), paused_seconds)
        if used >= limit:
            return Light.RED
        num, den = self._warning_ratio
        if used * den >= num * limit:
            return Light.YELLOW
        return Light.GREEN

    # -- internals ---------------------------------------------------------------------------

    def _works(self, o: int) -> bool:
        special = self._special_working.get(o)
        if special is not None:
            return special
        return (o - 1) % 7 + 1 not in self.weekend  # ordinal 1 (0001-01-01) is a Monday

    def _working_days_before(self, o: int) -> int:
        weeks, rest = divmod(o - 1, 7)
        regular = weeks * self._week_prefix[7] + self._week_prefix[rest]
        return regular + self._special_deltas[bisect_left(self._special_ords, o)]

    def _nth_working_day(self, n: int, lo: int) -> int:
        """Ordinal of the working day with `n` working days before it; `lo` is a day not after it."""
        # Gallop ahead from a first guess (a holiday stretch only makes the steps double), then
        # bisect: a handful of O(log k) counts, however far the deadline lies.
        step = max(1, (n - self._working_days_before(lo) + 1) * 7 // self._week_prefix[7])
        hi = lo + step
        while self._working_days_before(hi + 1) <= n:
            lo, step = hi + 1, step * 2
            hi = lo + step
        while lo < hi:
            mid = (lo + hi) // 2
            if self._working_days_before(mid + 1) > n:
                hi = mid
            else:
                lo = mid + 1
        return lo

    def _local(self, instant: datetime) -> tuple[int, int]:
        _require_aware(instant)
        local = instant.astimezone(self.tz)
        return local.toordinal(), _us_of_day(local)

    def _at(self, o: int, us: int) -> datetime:
        d = date.fromordinal(o)
        # Wall-clock addition on an aware datetime: the periods are local clock times.
        return datetime(d.year, d.month, d.day, tzinfo=self.tz) + timedelta(microseconds=us)

    def _limit_us(self, value, unit: Unit) -> int:
        if value < 0:
            raise ValueError(f"a time limit cannot be negative: {value}")
        per_unit = self._workday_seconds if unit is Unit.WORK_DAYS else 3600
        return _half_up(value * per_unit) * _US

    def _advance(self, instant: datetime, us: int, unit: Unit) -> datetime:
        _require_aware(instant)
        if us == 0:
            return instant
        if unit is Unit.NATURAL_HOURS:
            return instant + timedelta(microseconds=us)
        n, into_day = divmod(self.position(instant) + us, self._day_us)
        if into_day == 0:  # the limit runs out at the end of a working day, not the next morning
            n, into_day = n - 1, self._day_us
        o = self._nth_working_day(n, self._local(instant)[0])
        for a, b in self.periods:
            if into_day <= b - a:
                return self._at(o, a + into_day)
            into_day -= b - a
        raise AssertionError("working time of a day exceeds its periods")

    def _signed_us(self, a: datetime, b: datetime, unit: Unit) -> int:
        if unit is Unit.NATURAL_HOURS:
            _require_aware(a)
            _require_aware(b)
            return (b - a) // _ONE_US
        return self.position(b) - self.position(a)

    def _elapsed_us(self, a: datetime, b: datetime, unit: Unit) -> int:
        return max(self._signed_us(a, b, unit), 0)

    def _used_of_limit(self, start, deadline, now, unit: Unit, paused_seconds) -> tuple[int, int]:
        paused = _to_us(paused_seconds)
        used = max(self._elapsed_us(start, now, unit) - paused, 0)
        limit = self._elapsed_us(start, deadline, unit) - paused
        if limit <= 0:  # no time was given: nothing used before the deadline, overdue from it
            return (0, 1) if now < deadline else (1, 0)
        return used, limit


def _to_us(seconds) -> int:
    if seconds < 0:
        raise ValueError(f"a time span cannot be negative: {seconds} s")
    return _half_up(seconds * _US)


def _half_up(x) -> int:
    """An int, Decimal, float or Fraction rounded half up (round() would take 2.5 s to 2 s)."""
    if isinstance(x, int):
        return x
    if isinstance(x, Decimal):
        return int(x.to_integral_value(ROUND_HALF_UP))
    return math.floor(x + (Fraction(1, 2) if isinstance(x, Fraction) else 0.5))


def _require_aware(instant: datetime) -> None:
    if instant.tzinfo is None or instant.utcoffset() is None:
        raise ValueError(f"the calendar only takes aware datetimes, not {instant!r}")


def _as_time(value):
    # A WorkCalendar built in memory keeps its "08:30" string defaults until it is saved and read.
    if isinstance(value, str):
        return datetime.strptime(value, "%H:%M:%S" if value.count(":") == 2 else "%H:%M").time()
    return value


# -- cache -------------------------------------------------------------------------------------

_lock = threading.Lock()
_cache: dict = {}  # calendar id -> (loaded at, Calendar); "default" -> (loaded at, id)
_generation = [0]  # bumped by invalidate(), so a load that raced with a change is not kept


def _load(pk: int) -> Calendar:
    work_calendar = WorkCalendar.objects.get(pk=pk)
    return Calendar.build(
        work_calendar, CalendarDay.objects.filter(calendar_id=pk).only("date", "kind", "name")
    )


def _cached(key, load):
    now = time.monotonic()
    with _lock:
        hit = _cache.get(key)
        if hit is not None and now - hit[0] < REFRESH_SECONDS:
            return hit[1]
        generation = _generation[0]
    value = load()
    with _lock:
        if generation == _generation[0]:
            _cache[key] = (now, value)
    return value


def calendar_for(work_calendar: WorkCalendar | int) -> Calendar:
    """The cached Calendar of a WorkCalendar row (or its id), read from the database."""
    pk = work_calendar if isinstance(work_calendar, int) else work_calendar.pk
    return _cached(pk, lambda: _load(pk))


def default_calendar() -> Calendar:
    """The calendar marked `is_default` (the lowest id if several are). Raises
    WorkCalendar.DoesNotExist when none is."""

    def default_id() -> int:
        pk = WorkCalendar.objects.filter(is_default=True).order_by("id").values_list("id", flat=True).first()
        if pk is None:
            raise WorkCalendar.DoesNotExist("no working calendar is marked as the default")
        return pk

    return calendar_for(_cached("default", default_id))


def invalidate() -> None:
    """Forget every cached calendar in this process."""
    with _lock:
        _cache.clear()
        _generation[0] += 1


@receiver(post_save, sender=WorkCalendar, dispatch_uid="cases.calendar.work_calendar_saved")
@receiver(post_delete, sender=WorkCalendar, dispatch_uid="cases.calendar.work_calendar_deleted")
@receiver(post_save, sender=CalendarDay, dispatch_uid="cases.calendar.day_saved")
@receiver(post_delete, sender=CalendarDay, dispatch_uid="cases.calendar.day_deleted")
def _rows_changed(**kwargs) -> None:
    invalidate()
    transaction.on_commit(invalidate, using=kwargs.get("using"))


# -- statutory holidays ------------------------------------------------------------------------


def holiday_schedule(years=None) -> list[dict]:
    """Days of the official holiday schedules in HOLIDAYS_FILE (all years, or `years`), each
    `{"date": date, "kind": "holiday"|"workday", "name": str}`. Raises ValueError for a year the
    file does not hold or a malformed entry."""
    with HOLIDAYS_FILE.open(encoding="utf-8") as f:
        schedule = json.load(f)["years"]
    wanted = sorted(schedule) if years is None else [str(y) for y in years]
    missing = [y for y in wanted if y not in schedule]
    if missing:
        raise ValueError(f"no official holiday schedule for {', '.join(missing)} in {HOLIDAYS_FILE.name}")
    days, seen = [], set()
    for year in wanted:
        for entry in schedule[year]["days"]:
            day = date.fromisoformat(entry["date"])
            if str(day.year) != year or entry["kind"] not in CalendarDay.Kind.values or day in seen:
                raise ValueError(f"bad holiday schedule entry for {year}: {entry}")
            seen.add(day)
            days.append({"date": day, "kind": entry["kind"], "name": entry["name"]})
    return days


def load_holidays(calendar, years=None) -> int:
    """Write the official holidays and make-up working days of `years` (default: every year in
    the fixture) into `calendar`'s days, replacing the kind and name of days already there and
    keeping local days on other dates. Returns the number of days written.

    Works with the historical models of a data migration too: the day model is taken from the
    calendar's own `days` relation. It writes no audit record; a calendar service that lets an
    administrator reload a year must wrap it with its permission check and audit."""
    day_model = calendar.days.model
    rows = [day_model(calendar=calendar, **day) for day in holiday_schedule(years)]
    day_model.objects.bulk_create(
        rows, update_conflicts=True, unique_fields=["calendar", "date"], update_fields=["kind", "name"]
    )
    # bulk_create sends no post_save, so the cache is cleared here.
    invalidate()
    transaction.on_commit(invalidate)
    return len(rows)
