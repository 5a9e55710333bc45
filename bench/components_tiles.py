"""Map tiles and "near" searches over a city-sized component registry.

    .venv/bin/python bench/components_tiles.py [--count 1000000] [--db sqlite|postgres] [--samples 200]
        [--only "department,near r=2000"]

Bulk-inserts `count` synthetic components over 20 km × 20 km (seven in ten along a 200 m road
grid, the rest scattered; ten types; 5 % damaged) straight into the table — the import path is
measured by bench/components_import.py — then rebuilds the MapCell aggregate. Requests go
through the real API views with a logged-in session, as the map page sends them: tiles of
random 1920×1080 viewports at zooms 12–18, unfiltered and filtered, and "near" searches.
Prints p50/p95 per request, requests per second and peak memory.
"""

import argparse
import math
import random
import statistics
import time

import numpy as np
from benchdb import peak_rss_mb, setup

LON0, LAT0 = 120.0, 30.0
SIZE_M = 20_000
TYPES = ["01037", "01002", "01003", "01004", "01013", "02010", "02017", "03005", "04002", "04007"]
BATCH = 20_000


def synthetic(count: int, m_per_deg_lon: float, m_per_deg_lat: float):
    rng = np.random.default_rng(1)
    along = rng.random(count) < 0.7
    x = rng.uniform(0, SIZE_M, count)
    y = rng.uniform(0, SIZE_M, count)
    # Along the roads: snap one coordinate to the 200 m grid, a few metres off the centre line.
    snap_x = rng.random(count) < 0.5
    road_x = np.round(x / 200) * 200 + rng.normal(0, 6, count)
    road_y = np.round(y / 200) * 200 + rng.normal(0, 6, count)
    x = np.where(along & snap_x, road_x, x)
    y = np.where(along & ~snap_x, road_y, y)
    lons = LON0 + np.clip(x, 0, SIZE_M) / m_per_deg_lon
    lats = LAT0 + np.clip(y, 0, SIZE_M) / m_per_deg_lat
    kinds = rng.integers(0, len(TYPES), count)
    damaged = rng.random(count) < 0.05
    return lons, lats, kinds, damaged


def insert(count: int) -> None:
    import shapely
    from django.db import connection, transaction
    from django.utils import timezone

    from urbangrid.accounts import services as accounts
    from urbangrid.catalog.models import CatalogType
    from urbangrid.components.models import Component
    from urbangrid.core import clock
    from urbangrid.geo import tiles
    from urbangrid.geo.measure import metres_per_degree

    departments = [
        accounts.save_department(None, code=f"dept{i}", name=f"部门{i}", kind="functional").pk
        for i in range(5)
    ]
    type_ids = dict(CatalogType.objects.filter(kind="component", code__in=TYPES).values_list("code", "id"))
    mx, my = (float(v) for v in metres_per_degree(LAT0 + 0.09))
    lons, lats, kinds, damaged = synthetic(count, mx, my)
    keys = tiles.point_keys(lons, lats)
    order = np.argsort(keys, kind="stable")  # key order keeps the index inserts local
    wkbs = shapely.to_wkb(shapely.points(lons, lats))
    fields = [f for f in Component._meta.concrete_fields if not f.primary_key]
    columns = [f.column for f in fields]
    now = connection.ops.adapt_datetimefield_value(clock.now())
    today = connection.ops.adapt_datefield_value(timezone.localdate(clock.now()))
    attrs = connection.ops.adapt_json_value({}, None)
    serial = {t: 0 for t in TYPES}

    def row(i):
        t = TYPES[kinds[i]]
        serial[t] += 1
        grid = f"990101{1 + (i % 8):03d}{1 + (i % 60):03d}{1 + (i % 30):03d}"
        values = {
            "code": f"990101{t}{serial[t]:06d}",
            "old_code": "",
            "type_id": type_ids[t],
            "admin_code": "990101",
            "status": "damaged" if damaged[i] else "intact",
            "competent_department_id": departments[kinds[i] % 5],
            "owner_department_id": None,
            "maintainer_department_id": departments[(kinds[i] + 1) % 5],
            "grid_code": grid,
            "street_code": grid[:9],
            "community_code": grid[:12],
            "initial_date": today,
            "change_date": None,
            "data_source": "survey",
            "note": "",
            "geometry_type": "point",
            "geom_wkb": wkbs[i],
            "min_lon": float(lons[i]),
            "min_lat": float(lats[i]),
            "max_lon": float(lons[i]),
            "max_lat": float(lats[i]),
            "lon": float(lons[i]),
            "lat": float(lats[i]),
            "tile_key": int(keys[i]),
            "attributes": attrs,
            "created_at": now,
            "updated_at": now,
        }
        return tuple(values[f.attname] for f in fields)

    began = time.perf_counter()
    table = connection.ops.quote_name(Component._meta.db_table)
    with transaction.atomic(), connection.cursor() as cur:
        if connection.vendor == "postgresql":
            with cur.cursor.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy:
                for i in order:
                    copy.write_row(row(i))
        else:
            sql = f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({', '.join(['%s'] * len(columns))})"
            for start in range(0, count, BATCH):
                cur.executemany(sql, [row(i) for i in order[start : start + BATCH]])
    print(f"inserted {count:,} components in {time.perf_counter() - began:.1f} s")
    if connection.vendor == "postgresql":
        with connection.cursor() as cur:
            # What autovacuum does soon after a bulk load: statistics, and the visibility map
            # that lets index-only scans skip the table.
            cur.execute(f"VACUUM ANALYZE {table}")


ONLY: list[str] = []


def measure(label: str, client, urls: list[str]) -> None:
    """Wall time per request, and the process's CPU time per request: on a shared machine the
    second shows what the request costs when it does not wait for a core. With --only, a line
    whose label contains none of the given words is skipped."""
    if ONLY and not any(word in label for word in ONLY):
        return
    times, cpu = [], []
    began = time.perf_counter()
    for url in urls:
        t0, c0 = time.perf_counter(), time.process_time()
        resp = client.get(url)
        times.append((time.perf_counter() - t0) * 1000)
        cpu.append((time.process_time() - c0) * 1000)
        assert resp.status_code == 200, (url, resp.content[:300])
    wall = time.perf_counter() - began
    q, c = statistics.quantiles(times, n=20), statistics.quantiles(cpu, n=20)
    print(
        f"  {label:<32} p50 {q[9]:6.1f} ms  p95 {q[18]:6.1f} ms  (cpu p50 {c[9]:5.1f} p95 {c[18]:5.1f})"
        f"  {len(urls) / wall:7.1f} req/s"
    )


def viewport_tiles(rng: random.Random, z: int, samples: int, m_per_deg_lon: float, m_per_deg_lat: float):
    """Tiles of random 1920×1080 screens centred inside the city, `samples` in all."""
    from urbangrid.geo import tiles

    result = []
    while len(result) < samples:
        lon = LON0 + rng.uniform(0, SIZE_M) / m_per_deg_lon
        lat = LAT0 + rng.uniform(0, SIZE_M) / m_per_deg_lat
        cx, cy = tiles.lonlat_to_tile(lon, lat, z)
        screen = [(cx + dx, cy + dy) for dx in range(-4, 4) for dy in range(-2, 3)]
        result.extend((z, x, y) for x, y in rng.sample(screen, 4))
    return result[:samples]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--count", type=int, default=1_000_000)
    parser.add_argument("--db", choices=["sqlite", "postgres"], default="sqlite")
    parser.add_argument("--samples", type=int, default=200)
    parser.add_argument("--only", default="", help="comma-separated words: measure only lines with one")
    args = parser.parse_args()
    ONLY.extend(w.strip() for w in args.only.split(",") if w.strip())
    label = setup(args.db)
    insert(args.count)

    from django.test import Client

    from urbangrid.accounts import services as accounts
    from urbangrid.components import services
    from urbangrid.geo.measure import metres_per_degree

    began = time.perf_counter()
    cells = services.rebuild_map_cells()
    print(f"map cells rebuilt: {cells:,} rows in {time.perf_counter() - began:.1f} s")
    client = Client()
    client.force_login(
        accounts.save_user(None, username="bench", password="bench-1234", roles=["supervisor"])
    )
    mx, my = (float(v) for v in metres_per_degree(LAT0 + 0.09))
    rng = random.Random(5)
    print(f"{label}, {args.count:,} components, {args.samples} requests per line")
    for z in range(12, 19):
        urls = [
            f"/api/v1/components/tiles/{t[0]}/{t[1]}/{t[2]}"
            for t in viewport_tiles(rng, z, args.samples, mx, my)
        ]
        measure(f"tile z{z}", client, urls)
    for z in (12, 14, 16):
        tiles_ = viewport_tiles(rng, z, args.samples, mx, my)
        measure(
            f"tile z{z} type=01037",
            client,
            [f"/api/v1/components/tiles/{z}/{x}/{y}?type=01037" for _, x, y in tiles_],
        )
        measure(
            f"tile z{z} major=04",
            client,
            [f"/api/v1/components/tiles/{z}/{x}/{y}?type=04" for _, x, y in tiles_],
        )
        measure(
            f"tile z{z} status=damaged",
            client,
            [f"/api/v1/components/tiles/{z}/{x}/{y}?status=damaged" for _, x, y in tiles_],
        )
        measure(
            f"tile z{z} department=dept1",
            client,
            [f"/api/v1/components/tiles/{z}/{x}/{y}?department=dept1" for _, x, y in tiles_],
        )
    for radius in (100, 500, 2000):
        urls = []
        for _ in range(args.samples):
            lon = LON0 + rng.uniform(0, SIZE_M) / mx
            lat = LAT0 + rng.uniform(0, SIZE_M) / my
            urls.append(f"/api/v1/components?near={lon:.6f},{lat:.6f}&radius={radius}&limit=50")
        measure(f"near r={radius} m (first 50)", client, urls)
    density = args.count / (SIZE_M / 1000) ** 2
    print(
        f"  density {density:,.0f} components/km²; at 2 km about {density * math.pi * 4:,.0f} in the circle"
    )
    print(f"  peak memory {peak_rss_mb():,.0f} MB")


if __name__ == "__main__":
    main()
