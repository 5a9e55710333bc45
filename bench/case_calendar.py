"""Deadline arithmetic on the working calendar: how long one call takes, as a to-do queue makes
thousands of them per request.

    .venv/bin/python bench/case_calendar.py [--calls 20000]

Builds the county calendar (08:30–12:00, 13:30–17:30, weekends off, the 2025/2026 holidays) in
memory, so no database is needed; prints p50/p95 per call, throughput and memory.
"""

import argparse
import os
import random
import resource
import statistics
import sys
import time
import tracemalloc
from datetime import datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "urbangrid.config.settings")

import django

django.setup()

from urbangrid.cases.calendar import Calendar, holiday_schedule  # noqa: E402
from urbangrid.cases.models import CalendarDay, WorkCalendar  # noqa: E402

SHANGHAI = ZoneInfo("Asia/Shanghai")


def county() -> Calendar:
    row = WorkCalendar(
        code="county", name="county", weekend=[6, 7], workday_hours=Decimal(8), warning_ratio=Decimal("0.8")
    )
    return Calendar.build(row, [CalendarDay(**day) for day in holiday_schedule()])


def measure(name: str, calls: int, fn) -> None:
    rng = random.Random(7)
    origin = datetime(2025, 1, 1, tzinfo=SHANGHAI)
    starts = [origin + timedelta(seconds=rng.randrange(2 * 365 * 86400)) for _ in range(calls)]
    # Per-call times from batches of 100, so the timer's own cost stays out of the figures.
    batch, per_call = 100, []
    began = time.perf_counter()
    for i in range(0, calls, batch):
        t0 = time.perf_counter_ns()
        for start in starts[i : i + batch]:
            fn(start)
        per_call.append((time.perf_counter_ns() - t0) / batch / 1000)
    wall = time.perf_counter() - began
    q = statistics.quantiles(per_call, n=20)
    print(f"{name:<44} p50 {q[9]:7.1f} µs   p95 {q[18]:7.1f} µs   {calls / wall:10,.0f} calls/s")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--calls", type=int, default=20000)
    calls = parser.parse_args().calls

    # Memory of the calendar itself; tracing is off while timing, as it slows every call.
    tracemalloc.start()
    cal = county()
    built, _ = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    three_months = timedelta(days=92)
    print(
        f"county calendar, {len(cal.holidays)} holidays, {len(cal.workdays)} make-up days; {calls} calls each"
    )
    measure("deadline 4 work_hours", calls, lambda s: cal.deadline(s, 4, "work_hours"))
    measure("deadline 5 work_days", calls, lambda s: cal.deadline(s, 5, "work_days"))
    measure("deadline 60 work_days (about 3 months)", calls, lambda s: cal.deadline(s, 60, "work_days"))
    measure("deadline 2 natural_hours", calls, lambda s: cal.deadline(s, 2, "natural_hours"))
    measure("working_seconds over 3 months", calls, lambda s: cal.working_seconds(s, s + three_months))
    measure(
        "light (start, deadline, now)",
        calls,
        lambda s: cal.light(s, s + timedelta(days=3), s + timedelta(days=2), "work_hours"),
    )
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    print(f"calendar object {built / 1024:,.0f} KiB; process peak RSS {rss / 1024:,.0f} MiB")


if __name__ == "__main__":
    main()
