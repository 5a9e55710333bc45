"""Build the demo county (or a share of the megacity) into a scratch database and print the
time of each step, the rates and the peak memory.

    .venv/bin/python bench/demo_build.py [--scale county|city|tiny] [--fraction F] [--db sqlite|postgres]

PostgreSQL: a scratch database `urbangrid_bench_demo` on $BENCH_POSTGRES (default
postgres://postgres@127.0.0.1:5432), dropped and created afresh. Nothing is asserted: this
prints figures for the notes, as every benchmark here does.
"""

import argparse
import io
import os
import resource
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))


def scratch_postgres() -> str:
    import psycopg

    server = os.environ.get("BENCH_POSTGRES", "postgres://postgres@127.0.0.1:5432")
    with psycopg.connect(f"{server}/postgres", autocommit=True) as conn:
        conn.execute("DROP DATABASE IF EXISTS urbangrid_bench_demo")
        conn.execute("CREATE DATABASE urbangrid_bench_demo")
    return f"{server}/urbangrid_bench_demo"


class Tee(io.TextIOBase):
    """Progress goes to the terminal; lines are kept to find the steps' summaries."""

    def write(self, text: str) -> int:
        sys.stderr.write(text)
        return len(text)

    def flush(self) -> None:
        sys.stderr.flush()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--scale", choices=["tiny", "county", "city"], default="county")
    parser.add_argument("--fraction", type=float, default=1.0)
    parser.add_argument("--db", choices=["sqlite", "postgres"], default="sqlite")
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()

    scratch = tempfile.mkdtemp(prefix="urbangrid-bench-demo-")
    os.environ["URBANGRID_VAR_DIR"] = scratch
    if args.db == "postgres":
        os.environ["DATABASE_URL"] = scratch_postgres()
    else:
        os.environ.pop("DATABASE_URL", None)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "urbangrid.config.settings")
    import django

    django.setup()
    from django.core.management import call_command

    from urbangrid.demo import builder
    from urbangrid.demo.models import BuildStep
    from urbangrid.demo.scales import scale_named
    from urbangrid.demo.steps import Console

    name = args.scale if args.fraction >= 1 else f"{args.scale}@{args.fraction:g}"
    scale = scale_named(name)
    t0 = time.monotonic()
    call_command("migrate", interactive=False, verbosity=0)
    migrate_s = time.monotonic() - t0
    t0 = time.monotonic()
    builder.run(scale, args.seed, Console(Tee()))
    total_s = time.monotonic() - t0

    from urbangrid.components.models import Component
    from urbangrid.geo.models import UnitGrid

    grids = UnitGrid.objects.filter(valid_to__isnull=True).count()
    components = Component.objects.count()
    steps = {s.name: s for s in BuildStep.objects.order_by("id")}
    peak_mib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print()
    print(f"demo build, scale {name}, {args.db}: {grids:,} unit grids, {components:,} components")
    print(f"  migrate                                 {migrate_s:7.1f} s")
    for step in steps.values():
        print(f"  {step.name:<14} {step.summary:<40.40} {step.seconds:7.1f} s")
    print(f"  total build                             {total_s:7.1f} s")
    seconds = [s.seconds for s in steps.values()]
    print(
        f"  step time p50/p95: {statistics.median(seconds):.1f} / {sorted(seconds)[int(0.95 * (len(seconds) - 1))]:.1f} s"
    )
    print(
        f"  throughput: {grids / steps['grids'].seconds:,.0f} grids/s, {components / steps['components'].seconds:,.0f} components/s (generate + import)"
    )
    print(f"  peak memory (RSS): {peak_mib:,.0f} MiB")


if __name__ == "__main__":
    main()
