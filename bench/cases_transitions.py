"""Case transitions per second, through the services, driven by the demo simulator sped up.

    .venv/bin/python bench/cases_transitions.py [--db sqlite|postgres] [--days 3] [--rate 400]

Builds the tiny demo county in a fresh database, then lets the simulator report `rate`
problems a day and act on them for `days` simulated days as fast as the machine allows.
Prints transitions per second, p50/p95 per action and peak memory.
"""

import argparse
import statistics
import sys
import time
from collections import defaultdict
from datetime import timedelta

from benchdb import peak_rss_mb, setup


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--db", choices=["sqlite", "postgres"], default="sqlite")
    parser.add_argument("--days", type=float, default=3)
    parser.add_argument("--rate", type=float, default=400, help="reports per simulated day")
    args = parser.parse_args()
    label = setup(args.db)

    from urbangrid.cases.models import CaseAction
    from urbangrid.core import clock
    from urbangrid.demo import builder
    from urbangrid.demo.scales import scale_named
    from urbangrid.demo.simulator import Simulator
    from urbangrid.demo.steps import Console

    began = time.perf_counter()
    builder.run(scale_named("tiny"), 1, Console(open("/dev/null", "w")))  # noqa: SIM115
    print(f"{label}: tiny county built in {time.perf_counter() - began:.1f} s")

    timings = defaultdict(list)

    class Timed(Simulator):
        def _act(self, number, now):
            t0 = time.perf_counter()
            before = CaseAction.objects.filter(case__number=number).count()
            super()._act(number, now)
            if CaseAction.objects.filter(case__number=number).count() > before:
                timings["act"].append(time.perf_counter() - t0)

        def _report(self, now):
            t0 = time.perf_counter()
            super()._report(now)
            timings["report"].append(time.perf_counter() - t0)

    start = clock.now()
    sim = Timed(reports_per_day=args.rate, seed=1)
    actions_before = CaseAction.objects.count()
    t0 = time.perf_counter()
    sim.run(start, start + timedelta(days=args.days), step_minutes=15)
    wall = time.perf_counter() - t0
    transitions = CaseAction.objects.count() - actions_before
    print(
        f"{label}: {transitions:,} transitions in {wall:.1f} s = {transitions / wall:,.0f} transitions/s "
        f"(simulator overhead included)"
    )
    for kind, values in timings.items():
        values.sort()
        p95 = values[int(len(values) * 0.95) - 1]
        print(
            f"  {kind:7s} n={len(values):6,d} p50 {statistics.median(values) * 1000:6.1f} ms  p95 {p95 * 1000:6.1f} ms"
        )
    print(f"  outcomes: {dict(sorted(sim.stats.items()))}")
    print(f"  peak memory {peak_rss_mb():.0f} MB")


if __name__ == "__main__":
    sys.exit(main())
