"""Working time of many steps at once: `Calendar.position` (working microseconds since the
calendar's origin, flat outside working time) computed with numpy over arrays of instants, so a
month of a megacity (a million disposal steps) is summed in well under a second instead of a
million calls of `working_seconds`. Exact to the microsecond, like the calendar: the day tables
come from the calendar itself (`position` at each local midnight, `is_working_day`)."""

from datetime import UTC, date, datetime, timedelta
from itertools import chain

import numpy as np
from django.db import connection
from django.db.models import BigIntegerField, Func

US = 1_000_000
HOUR_US = 3600 * US
DAY_US = 86_400 * US
EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
EPOCH_ORDINAL = date(1970, 1, 1).toordinal()


class EpochMicroseconds(Func):
    """A datetime column of SQLite as whole microseconds since the Unix epoch, computed by the
    database: the rows come back as integers instead of datetime objects (PostgreSQL sends its
    own binary instants: _packed_spans)."""

    output_field = BigIntegerField()
    # Django stores "YYYY-MM-DD HH:MM:SS[.ffffff]" (UTC, six digits of fraction when any).
    # '%%%%s' survives both the template and the cursor's "%s" → "?" rewriting as '%s'.
    template = (
        "(CAST(strftime('%%%%s', %(expressions)s) AS INTEGER) * 1000000 + CASE WHEN "
        "length(%(expressions)s) > 19 THEN CAST(substr(%(expressions)s, 21, 6) AS INTEGER) ELSE 0 END)"
    )


PG_EPOCH_US = 946_684_800 * US  # PostgreSQL's timestamps count µs from 2000-01-01 UTC


def spans(steps, key: str, began: str, ended: str) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(key, began, ended) of every row of `steps` as int64 arrays, the instants in µs since the
    Unix epoch; none of the three may be NULL."""
    if connection.vendor == "postgresql":
        return _packed_spans(steps, key, began, ended)
    rows = steps.order_by().annotate(began_us=EpochMicroseconds(began), ended_us=EpochMicroseconds(ended))
    sql, params = rows.values_list(key, "began_us", "ended_us").query.sql_with_params()
    # Straight from the cursor: Django's per-row converters cost more than the whole sum.
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        found = cursor.fetchall()
    table = np.fromiter(chain.from_iterable(found), dtype=np.int64, count=3 * len(found)).reshape(-1, 3)
    return table[:, 0], table[:, 1], table[:, 2]


def _packed_spans(steps, key: str, began: str, ended: str):
    """A million rows would cost a second of Python objects: PostgreSQL packs each key's pairs
    of instants, as stored (int64, big-endian, start then end), into one bytea, which numpy
    reads in place. A NULL would shorten it (string_agg skips NULLs): the length is checked."""
    sql, params = steps.order_by().values_list(key, began, ended).query.sql_with_params()
    packed = (
        "SELECT k, count(*), string_agg(timestamptz_send(b) || timestamptz_send(e), %s) "
        f"FROM ({sql}) AS q(k, b, e) GROUP BY k"
    )
    with connection.cursor() as cursor:
        cursor.execute(packed, (b"", *params))
        groups = cursor.fetchall()
    if any(k is None or pairs is None or len(pairs) != 16 * n for k, n, pairs in groups):
        raise ValueError("a span has a NULL key or instant")
    keys = np.repeat(np.array([k for k, _n, _p in groups], dtype=np.int64), [n for _k, n, _p in groups])
    pairs = np.frombuffer(b"".join(bytes(p) for _k, _n, p in groups), ">i8").astype(np.int64).reshape(-1, 2)
    return keys, pairs[:, 0] + PG_EPOCH_US, pairs[:, 1] + PG_EPOCH_US


def to_us(instants) -> np.ndarray:
    """Aware datetimes → int64 microseconds since the Unix epoch."""
    return np.fromiter(((t - EPOCH) // timedelta(microseconds=1) for t in instants), dtype=np.int64)


def _utc_offsets(tz, instants: np.ndarray) -> np.ndarray:
    """The zone's UTC offset (µs) at each instant, looked up per hour (zones change offset on
    the hour)."""
    hours = instants // HOUR_US
    first = int(hours.min())
    table = np.array(
        [
            (EPOCH + timedelta(hours=h)).astimezone(tz).utcoffset() // timedelta(microseconds=1)
            for h in range(first, int(hours.max()) + 1)
        ],
        dtype=np.int64,
    )
    return table[hours - first]


def positions(cal, instants: np.ndarray) -> np.ndarray:
    """`cal.position` of each instant (int64 µs since the Unix epoch)."""
    if not len(instants):
        return np.zeros(0, dtype=np.int64)
    local = instants + _utc_offsets(cal.tz, instants)
    days = local // DAY_US
    into_day = local - days * DAY_US
    ordinals = days + EPOCH_ORDINAL
    first = int(ordinals.min())
    span = [date.fromordinal(o) for o in range(first, int(ordinals.max()) + 1)]
    midnights = [datetime(d.year, d.month, d.day, tzinfo=cal.tz) for d in span]
    before = np.array([cal.position(m) for m in midnights], dtype=np.int64)
    works = np.array([cal.is_working_day(d) for d in span], dtype=bool)
    index = ordinals - first
    within = np.zeros(len(instants), dtype=np.int64)
    for a, b in cal.periods:
        within += np.clip(into_day - a, 0, b - a)
    return before[index] + np.where(works[index], within, 0)


def working_us(cal, starts: np.ndarray, ends: np.ndarray) -> np.ndarray:
    """Working microseconds from each start to its end (0 where the end is not after the start),
    as `cal.working_seconds` counts them."""
    return np.maximum(positions(cal, ends) - positions(cal, starts), 0)


def sums_by_key(keys: np.ndarray, values: np.ndarray) -> dict[int, int]:
    """Exact int64 sums of `values` per key."""
    if not len(keys):
        return {}
    order = np.argsort(keys, kind="stable")
    keys, values = keys[order], values[order]
    starts = np.flatnonzero(np.r_[True, keys[1:] != keys[:-1]])
    totals = np.add.reduceat(values, starts)
    return {int(k): int(v) for k, v in zip(keys[starts], totals, strict=True)}
