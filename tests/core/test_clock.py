from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from urbangrid.core import clock as clock_module


def test_frozen_clock_moves_only_when_told(clock):
    start = clock_module.now()
    assert start == datetime(2026, 11, 26, 10, 0, tzinfo=ZoneInfo("Asia/Shanghai"))
    assert clock_module.now() == start
    clock.advance(timedelta(hours=30))
    assert clock_module.now() - start == timedelta(hours=30)


def test_travel_keeps_running_from_the_new_time():
    target = datetime(2025, 1, 1, tzinfo=ZoneInfo("UTC"))
    clock_module.clock.travel_to(target)
    try:
        reading = clock_module.now()
        assert timedelta(0) <= reading - target < timedelta(seconds=5)
    finally:
        clock_module.clock.reset()


def test_naive_datetimes_are_refused():
    with pytest.raises(ValueError):
        clock_module.clock.freeze(datetime(2026, 1, 1))
