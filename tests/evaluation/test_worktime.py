"""The vectorised working time agrees with the calendar to the microsecond, across weekends,
holidays, make-up working days, lunch breaks and nights."""

import random
from datetime import UTC, datetime, timedelta

import numpy as np
import pytest

from urbangrid.cases.calendar import default_calendar
from urbangrid.evaluation import worktime

pytestmark = pytest.mark.django_db


def test_working_time_matches_the_calendar_for_random_spans():
    cal = default_calendar()
    rng = random.Random(5)
    base = datetime(2025, 9, 20, tzinfo=UTC)  # across 国庆 (holidays and 调休 working days)
    starts, ends = [], []
    for _ in range(3000):
        a = base + timedelta(microseconds=rng.randrange(0, 60 * 86_400 * 10**6))
        b = a + timedelta(microseconds=rng.randrange(-86_400 * 10**6, 20 * 86_400 * 10**6))
        starts.append(a)
        ends.append(b)
    got = worktime.working_us(cal, worktime.to_us(starts), worktime.to_us(ends))
    expected = [round(cal.working_seconds(a, b) * 10**6) for a, b in zip(starts, ends, strict=True)]
    assert got.tolist() == expected
    assert (got == 0).any() and (got > 0).any()  # some spans end before they start


def test_exact_boundaries_of_a_working_day():
    cal = default_calendar()
    shanghai = cal.tz
    thu = datetime(2026, 11, 26, 8, 30, tzinfo=shanghai)
    ends = [thu, thu.replace(hour=12), thu.replace(hour=13, minute=0), thu.replace(hour=17, minute=30),
            thu.replace(hour=23)]  # fmt: skip
    got = worktime.working_us(cal, worktime.to_us([thu] * len(ends)), worktime.to_us(ends))
    assert (got // 10**6).tolist() == [0, 3.5 * 3600, 3.5 * 3600, 7.5 * 3600, 7.5 * 3600]


def test_sums_per_key_are_exact_integers():
    keys = np.array([3, 1, 3, 2, 1], dtype=np.int64)
    values = np.array([2**52, 1, 2**52 + 1, 7, 2], dtype=np.int64)
    assert worktime.sums_by_key(keys, values) == {1: 3, 2: 7, 3: 2**53 + 1}
    assert worktime.sums_by_key(keys[:0], values[:0]) == {}
    assert worktime.positions(default_calendar(), values[:0]).tolist() == []
