"""Point → unit grid (地理编码) on a county-size and a megacity-size grid set, plus the
place description and address search that ride on the same request.

    .venv/bin/python bench/geo_locate.py [--scale county|megacity|both] [--db sqlite|postgres]

Each grid set is generated here (a regular lattice of ~100 m cells cut into communities and
streets, roads along the community edges with door plates every ~30 m), loaded through the
real import services into a throwaway test database, and then measured: the import itself,
the index build, batch throughput (`locate_many`), single lookups (`locate`) and their
p50/p95, `describe` and `gazetteer.search`, and memory.
Targets (issue 2): batch ≥ 100,000 points/s on one core; single lookup p95 < 1 ms.
"""

import argparse
import contextlib
import os
import resource
import statistics
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "urbangrid.config.settings")

import django

django.setup()

import numpy as np  # noqa: E402
import shapely  # noqa: E402
from django.db import connection  # noqa: E402
from django.test.utils import setup_test_environment  # noqa: E402

from urbangrid.core.importing import Feature  # noqa: E402

# (streets across, streets down, communities per street across/down, grids per community across/down)
SCALES = {
    "county": (4, 2, 4, 2, 6, 5),  # 8 streets, 64 communities, 1,920 grids
    "megacity": (10, 8, 4, 4, 6, 6),  # 80 streets, 1,280 communities, 46,080 grids
}
CELL_LON, CELL_LAT = 0.001, 0.0009  # about 96 m × 100 m at 30° N
LON0, LAT0 = 120.0, 30.0
DISTRICT = "990102"
_NAMES = "人民建设解放中山和平文化新华胜利光明幸福团结友谊东风朝阳青年迎宾环城滨河工业体育"
ROAD_NAMES = [_NAMES[i : i + 2] for i in range(0, len(_NAMES), 2)]


def lattice(scale: str):
    """Division and grid features of one synthetic jurisdiction, as an import file has them."""
    sx, sy, cx, cy, gx, gy = SCALES[scale]
    box = shapely.box
    width, height = sx * cx * gx, sy * cy * gy  # in cells
    divisions = [
        Feature(
            1,
            box(LON0, LAT0, LON0 + width * CELL_LON, LAT0 + height * CELL_LAT),
            {"code": DISTRICT, "name": "基准县"},
        )
    ]
    grids = []
    for s in range(sx * sy):
        s_col, s_row = s % sx, s // sx
        street = f"{DISTRICT}{s + 1:03d}"
        x0, y1 = s_col * cx * gx, height - s_row * cy * gy  # cells; rows run north → south
        divisions.append(
            Feature(0, _cells(x0, y1 - cy * gy, x0 + cx * gx, y1), {"code": street, "name": f"第{s + 1}街道"})
        )
        for c in range(cx * cy):
            c_col, c_row = c % cx, c // cx
            community = f"{street}{c + 1:03d}"
            cx0, cy1 = x0 + c_col * gx, y1 - c_row * gy
            divisions.append(
                Feature(
                    0,
                    _cells(cx0, cy1 - gy, cx0 + gx, cy1),
                    {"code": community, "name": f"第{s + 1}街道{c + 1}社区"},
                )
            )
            serial = 1
            for row in range(gy):  # north → south, then west → east, as the standard numbers them
                for col in range(gx):
                    gx0, gy1 = cx0 + col, cy1 - row
                    grids.append(
                        Feature(0, _cells(gx0, gy1 - 1, gx0 + 1, gy1), {"code": f"{community}{serial:03d}"})
                    )
                    serial += 1
    return _numbered(divisions), _numbered(grids), (width, height)


def _cells(x0, y0, x1, y1):
    return shapely.box(LON0 + x0 * CELL_LON, LAT0 + y0 * CELL_LAT, LON0 + x1 * CELL_LON, LAT0 + y1 * CELL_LAT)


def _numbered(features):
    return [Feature(i, f.geometry, f.properties) for i, f in enumerate(features, start=1)]


def gazetteer(scale: str, size):
    """Roads along every community edge, door plates every 3 cells-tenths (~30 m) on both sides."""
    sx, sy, cx, cy, gx, gy = SCALES[scale]
    width, height = size
    roads, places = [], []
    names = iter(
        f"{ROAD_NAMES[i % len(ROAD_NAMES)]}{'路街'[i // len(ROAD_NAMES) % 2]}{i // (2 * len(ROAD_NAMES)) or ''}"
        for i in range(10_000)
    )
    for k in range(sx * cx + 1):
        lon = LON0 + k * gx * CELL_LON
        roads.append((next(names), [(lon, LAT0), (lon, LAT0 + height * CELL_LAT)], "lat"))
    for k in range(sy * cy + 1):
        lat = LAT0 + k * gy * CELL_LAT
        roads.append((next(names), [(LON0, lat), (LON0 + width * CELL_LON, lat)], "lon"))
    for i, (name, coords, along) in enumerate(roads, start=1):
        kind = "arterial" if i % 4 == 1 else "secondary"
        line = shapely.LineString(coords)
        roads[i - 1] = Feature(i, line, {"name": name, "kind": kind})
        n = int(line.length / 0.0003)
        for j in range(1, n):
            p = line.interpolate(j * 0.0003)
            for side, number in ((1, 2 * j - 1), (-1, 2 * j)):
                off = 0.00005 * side
                point = (p.x + off, p.y) if along == "lat" else (p.x, p.y + off)
                places.append(
                    Feature(
                        len(places) + 1,
                        shapely.Point(point),
                        {"kind": "doorplate", "road": name, "number": number},
                    )
                )
    return roads, places


def timed(fn, calls) -> list[float]:
    """Microseconds per call; a point outside the jurisdiction is an answer too."""
    from urbangrid.geo.geocoding import OutsideJurisdiction

    samples = []
    for args in calls:
        t = time.perf_counter_ns()
        with contextlib.suppress(OutsideJurisdiction):
            fn(*args)
        samples.append((time.perf_counter_ns() - t) / 1000)
    return samples


def rss_mib() -> float:
    """Resident memory now (Linux), which sees GEOS's allocations that tracemalloc misses."""
    with open("/proc/self/statm") as fh:
        return int(fh.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20


def percentiles(samples_us):
    q = statistics.quantiles(samples_us, n=100)
    return q[49], q[94]


def run(scale: str) -> None:
    from urbangrid.geo import describe, geocoding
    from urbangrid.geo import gazetteer as search
    from urbangrid.geo import services as geo

    divisions, grids, size = lattice(scale)
    geo.import_divisions(None, divisions)
    t0 = time.perf_counter()
    report = geo.import_grids(None, grids)
    imported = time.perf_counter() - t0
    assert report.ok and report.created == len(grids), report.problems[:5]
    t0 = time.perf_counter()
    report = geo.import_grids(None, grids, dry_run=True)
    checked = time.perf_counter() - t0
    roads, places = gazetteer(scale, size)
    t0 = time.perf_counter()
    geo.import_gazetteer(None, roads, places)
    gazetteer_import = time.perf_counter() - t0

    geocoding.invalidate()
    search.invalidate()
    rss_before = rss_mib()
    t0 = time.perf_counter()
    idx = geocoding.index()
    idx.locate_indices([LON0], [LAT0])  # shapely builds the STRtree on its first query
    built = time.perf_counter() - t0
    index_mib = rss_mib() - rss_before
    t0 = time.perf_counter()
    search.index()
    gazetteer_built = time.perf_counter() - t0

    width, height = size
    rng = np.random.default_rng(11)
    # 5 % of the points fall outside the jurisdiction, as stray GPS fixes do.
    pad_lon, pad_lat = 0.05 * width * CELL_LON, 0.05 * height * CELL_LAT
    n = 1_000_000
    lons = rng.uniform(LON0 - pad_lon / 2, LON0 + width * CELL_LON + pad_lon / 2, n)
    lats = rng.uniform(LAT0 - pad_lat / 2, LAT0 + height * CELL_LAT + pad_lat / 2, n)

    t0 = time.perf_counter()
    raw = idx.locate_indices(lons, lats)
    raw_rate = n / (time.perf_counter() - t0)
    t0 = time.perf_counter()
    found = geocoding.locate_many(lons, lats)
    batch_rate = n / (time.perf_counter() - t0)
    inside = sum(f is not None for f in found)
    assert inside == int((raw >= 0).sum())

    points = list(zip(lons[:20_000], lats[:20_000], strict=True))
    singles = timed(geocoding.locate, points)
    described = timed(describe.describe, points[:5_000])
    queries = [(f"{roads[i % len(roads)].properties['name']}{(i * 7) % 60 + 1}号", 5) for i in range(2_000)]
    searched = timed(search.search, queries)

    p50, p95 = percentiles(singles)
    d50, d95 = percentiles(described)
    s50, s95 = percentiles(searched)
    rss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(
        f"\n== {scale}: {len(grids):,} grids, {len(divisions):,} divisions, {len(roads):,} roads, {len(places):,} door plates ({connection.vendor})"
    )
    print(f"import grids (apply)          {imported:8.2f} s   ({len(grids) / imported:,.0f} grids/s)")
    print(f"import grids (dry run again)  {checked:8.2f} s   (all {len(grids):,} unchanged)")
    print(f"import gazetteer              {gazetteer_import:8.2f} s")
    print(f"grid index build              {built:8.2f} s   +{index_mib:,.0f} MiB resident")
    print(f"gazetteer index build         {gazetteer_built:8.2f} s")
    print(
        f"batch locate_many             {batch_rate:12,.0f} points/s   ({inside / n:.0%} inside; target ≥ 100,000)"
    )
    print(f"batch raw index (numpy)       {raw_rate:12,.0f} points/s")
    print(f"single locate                 p50 {p50:7.1f} µs   p95 {p95:7.1f} µs   (target p95 < 1,000 µs)")
    print(f"describe                      p50 {d50:7.1f} µs   p95 {d95:7.1f} µs")
    print(f"address search                p50 {s50:7.1f} µs   p95 {s95:7.1f} µs")
    print(f"max RSS so far                {rss_mb:8,.0f} MiB")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--scale", choices=["county", "megacity", "both"], default="both")
    parser.add_argument("--db", choices=["sqlite", "postgres"], default="sqlite")
    args = parser.parse_args()
    if args.db == "postgres" and connection.vendor != "postgresql":
        sys.exit("set DATABASE_URL=postgres://… to benchmark on PostgreSQL")
    if args.db == "sqlite" and connection.vendor != "sqlite":
        sys.exit("unset DATABASE_URL to benchmark on SQLite")
    setup_test_environment()
    for scale in ["county", "megacity"] if args.scale == "both" else [args.scale]:
        # A fresh throwaway database per scale ("test_…" on PostgreSQL, in memory on SQLite).
        old_name = connection.settings_dict["NAME"]
        connection.creation.create_test_db(verbosity=0, autoclobber=True)
        try:
            run(scale)
        finally:
            connection.creation.destroy_test_db(old_name, verbosity=0)


if __name__ == "__main__":
    main()
