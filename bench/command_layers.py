"""The command centre's map layers with `--cases` open cases (default 100,000) spread over the
small test county: the case layer at county, street and block zoom (counted cells or points),
the density layer, and the big screen's figures board. Prints p50/p95 per query and queries
per call. Nothing is asserted.

    .venv/bin/python bench/command_layers.py [--cases 100000] [--rounds 20] [--db sqlite|postgres]

Cases are written as plain rows (bench/benchdb.copy_rows), not through the services: only
their placement, state and deadlines matter to the layers.
"""

import argparse
import random
import sys
import time
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))


def build_cases(n: int, rng: random.Random) -> None:
    from benchdb import copy_rows

    from urbangrid.cases.models import Case, State
    from urbangrid.catalog.models import CatalogType
    from urbangrid.core import clock
    from urbangrid.geo import tiles
    from urbangrid.geo.models import UnitGrid

    grids = list(
        UnitGrid.objects.filter(valid_to__isnull=True).values_list(
            "code", "min_lon", "min_lat", "max_lon", "max_lat"
        )
    )
    types = list(CatalogType.objects.filter(kind="matter").values_list("id", "code")[:15])
    states = [
        State.REPORTED,
        State.VERIFYING,
        State.DISPATCHING,
        State.DISPOSING,
        State.DISPOSING,
        State.CHECKING,
    ]
    now = clock.now()
    columns = [
        "number",
        "source",
        "kind",
        "type_id",
        "urgency",
        "description",
        "lon",
        "lat",
        "tile_key",
        "grid_code",
        "community_code",
        "street_code",
        "address",
        "state",
        "version",
        "external_ref",
        "step",
        "step_due_at",
        "step_warn_at",
        "escalation_level",
        "rework_count",
        "return_count",
        "extension_count",
        "urge_count",
        "reported_at",
        "updated_at",
    ]

    def rows():
        for i in range(n):
            code, w, s, e, nn = rng.choice(grids)
            lon, lat = rng.uniform(w, e), rng.uniform(s, nn)
            type_id, _ = rng.choice(types)
            reported = now - timedelta(minutes=rng.uniform(0, 60 * 24 * 30))
            due = now + timedelta(hours=rng.uniform(-48, 48))
            yield (
                f"1{i:09d}",  # a case number no real year will reach
                "public",
                "matter",
                type_id,
                "normal",
                "bench",
                lon,
                lat,
                tiles.point_key(lon, lat),
                code,
                code[:12],
                code[:9],
                "",
                rng.choice(states),
                1,
                "",
                "dispose",
                due,
                due - timedelta(hours=2),
                0,
                0,
                0,
                0,
                0,
                reported,
                reported,
            )

    began = time.perf_counter()
    copy_rows(Case, columns, rows())
    print(f"{n} open cases written in {time.perf_counter() - began:.1f} s")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--cases", type=int, default=100_000)
    parser.add_argument("--rounds", type=int, default=20)
    parser.add_argument("--db", choices=["sqlite", "postgres"], default="sqlite")
    args = parser.parse_args()
    from benchdb import percentile, setup

    label = setup(args.db)
    sys.path.insert(0, str(ROOT))
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from tests.factories import build_small_county, make_user
    from urbangrid.command import figures, queries
    from urbangrid.core import clock

    build_small_county()
    build_cases(args.cases, random.Random(1))
    viewer = make_user("dispatcher", username="bench_dispatcher")
    from urbangrid.geo.models import UnitGrid

    g = UnitGrid.objects.filter(valid_to__isnull=True).order_by("code").first()
    county = (119.99, 29.99, 120.05, 30.03)
    block = (g.min_lon, g.min_lat, g.max_lon, g.max_lat)
    f = queries.Filters()
    cases_ = {
        "case layer, county view (zoom 13)": lambda: queries.layer(viewer, f, county, 13, clock.now()),
        "case layer, one grid (zoom 18)": lambda: queries.layer(viewer, f, block, 18, clock.now()),
        "case layer, filtered by state and type (zoom 13)": lambda: queries.layer(
            viewer, queries.Filters(state="dispatching", type="06"), county, 13, clock.now()
        ),
        "density layer (zoom 13)": lambda: queries.density(viewer, f, 13, clock.now()),
        "big screen figures board": lambda: figures.board(viewer, clock.now()),
    }
    print(f"{label}: {args.cases} open cases, {args.rounds} rounds each")
    for name, call in cases_.items():
        times = []
        for _ in range(args.rounds):
            with CaptureQueriesContext(connection) as ctx:
                began = time.perf_counter()
                result = call()
                times.append((time.perf_counter() - began) * 1000)
        shape = result.get("mode", "") if isinstance(result, dict) else f"{len(result)} cells"
        print(
            f"{name:50s} p50 {percentile(times, 0.5):7.1f} ms  p95 {percentile(times, 0.95):7.1f} ms  "
            f"{len(ctx.captured_queries)} queries  {shape}"
        )


if __name__ == "__main__":
    main()
