"""Case transitions per second, through the services, driven by the demo simulator sped up.

    .venv/bin/python bench/cases_transitions.py [--db sqlite|postgres] [--days 3] [--rate 400]

Builds the tiny demo county in a fresh database, then lets the simulator report `rate`
problems a day and act on them for `days` simulated days as fast as the machine allows.
Prints transitions per second (of wall time, and of time spent in the simulator's report, act,
urge and tick calls), p50/p95 and queries per call, and peak memory.
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

    from django.db import connection
    from django.db.models.signals import post_save

    from urbangrid.cases import services
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
    queries = defaultdict(list)
    # Count timeline entries as they are written and statements as they run (no extra queries
    # inside the timed calls, which would be billed to the services). An act that wrote no entry
    # was a no-op (off hours, nothing to do) and is left out of the act figures.
    written, executed = [0], [0]

    def on_action(sender, created=False, **kwargs):
        if created:
            written[0] += 1

    def count_query(execute, sql, params, many, context):
        executed[0] += 1
        return execute(sql, params, many, context)

    post_save.connect(on_action, sender=CaseAction, weak=False)

    def timed(kind, call, *args):
        before, q0, t0 = written[0], executed[0], time.perf_counter()
        call(*args)
        if kind != "act" or written[0] > before:
            timings[kind].append(time.perf_counter() - t0)
            queries[kind].append(executed[0] - q0)

    class Timed(Simulator):
        def _act(self, number, now):
            timed("act", super()._act, number, now)

        def _report(self, now):
            timed("report", super()._report, now)

        def _urge(self, now):
            timed("urge", super()._urge, now)

    tick = services.tick
    services.tick = lambda now: timed("tick", tick, now)  # the escalation job, once per step

    start = clock.now()
    sim = Timed(reports_per_day=args.rate, seed=1)
    actions_before = CaseAction.objects.count()
    t0 = time.perf_counter()
    with connection.execute_wrapper(count_query):
        sim.run(start, start + timedelta(days=args.days), step_minutes=15)
    wall = time.perf_counter() - t0
    transitions = CaseAction.objects.count() - actions_before
    print(
        f"{label}: {transitions:,} transitions in {wall:.1f} s = {transitions / wall:,.0f} transitions/s "
        f"(simulator overhead included)"
    )
    in_calls = sum(sum(v) for v in timings.values())
    print(
        f"{label}: {in_calls:.1f} s of it in report/act/urge/tick calls = "
        f"{transitions / in_calls:,.0f} transitions/s"
    )
    for kind, values in timings.items():
        values.sort()
        p95 = values[max(int(len(values) * 0.95) - 1, 0)]
        print(
            f"  {kind:7s} n={len(values):6,d} p50 {statistics.median(values) * 1000:6.1f} ms  "
            f"p95 {p95 * 1000:6.1f} ms  queries p50 {statistics.median(queries[kind]):4.0f} "
            f"max {max(queries[kind]):4d}"
        )
    print(f"  outcomes: {dict(sorted(sim.stats.items()))}")
    print(f"  peak memory {peak_rss_mb():.0f} MB")


if __name__ == "__main__":
    sys.exit(main())
