"""Importing a county's components through components.services.import_components.

    .venv/bin/python bench/components_import.py [--count 170000] [--db sqlite|postgres]

Builds a 20 km² jurisdiction of 2,048 unit grids (8 streets, 64 communities) through the geo
import services, then imports `count` point components of ten types (a third with extension
attributes) with allocated codes, all-or-nothing as a real file would be. Prints the time of a
dry run and of the import, rows per second and the process's peak memory.
"""

import argparse
import time

from benchdb import peak_rss_mb, setup

LON0, LAT0 = 120.0, 30.0
# 5.1 km × 4 km at latitude 30: 4 × 2 streets, each 4 × 2 communities, each 8 × 4 grids.
WIDTH, HEIGHT = 0.0528, 0.036
TYPES = [
    ("01037", {"heads": 1, "light_source": "LED"}),  # 路灯
    ("01002", {"material": "球墨铸铁", "shape": "圆形"}),  # 污水井盖
    ("01003", {}),  # 雨水井盖
    ("01004", {}),  # 雨水箅子
    ("01013", {"facility": "地上消火栓"}),  # 消防设施
    ("02010", {}),  # 交通标志牌及标线
    ("02017", {}),  # 交通护栏
    ("03005", {"sorted": True}),  # 垃圾箱
    ("04002", {"species": "香樟"}),  # 行道树
    ("04007", {}),  # 街头座椅
]


def jurisdiction():
    import shapely

    from urbangrid.core.importing import Feature
    from urbangrid.geo import geocoding
    from urbangrid.geo import services as geo

    divisions = [
        Feature(1, shapely.box(LON0, LAT0, LON0 + WIDTH, LAT0 + HEIGHT), {"code": "990101", "name": "基准县"})
    ]
    grids = []
    sw, sh = WIDTH / 4, HEIGHT / 2
    for s in range(8):
        sx, sy = LON0 + (s % 4) * sw, LAT0 + HEIGHT - (s // 4 + 1) * sh
        street = f"990101{s + 1:03d}"
        divisions.append(
            Feature(
                len(divisions) + 1,
                shapely.box(sx, sy, sx + sw, sy + sh),
                {"code": street, "name": f"街道{s + 1}"},
            )
        )
        cw, ch = sw / 4, sh / 2
        for c in range(8):
            cx, cy = sx + (c % 4) * cw, sy + sh - (c // 4 + 1) * ch
            community = f"{street}{c + 1:03d}"
            divisions.append(
                Feature(
                    len(divisions) + 1,
                    shapely.box(cx, cy, cx + cw, cy + ch),
                    {"code": community, "name": f"社区{s + 1}-{c + 1}"},
                )
            )
            gw, gh = cw / 8, ch / 4
            for g in range(32):
                gx, gy = cx + (g % 8) * gw, cy + ch - (g // 8 + 1) * gh
                grids.append(
                    Feature(
                        len(grids) + 1,
                        shapely.box(gx, gy, gx + gw, gy + gh),
                        {"code": f"{community}{g + 1:03d}"},
                    )
                )
    began = time.perf_counter()
    geo.import_divisions(None, divisions)
    geo.import_grids(None, grids)
    geocoding.invalidate()
    print(
        f"jurisdiction: {len(divisions)} divisions, {len(grids):,} grids in {time.perf_counter() - began:.1f} s"
    )


def features(count: int):
    import numpy as np
    import shapely

    from urbangrid.accounts import services as accounts
    from urbangrid.core.importing import Feature

    departments = ["lighting", "drainage", "water", "traffic", "sanitation", "parks"]
    for code in departments:
        accounts.save_department(None, code=code, name=code, kind="functional")
    rng = np.random.default_rng(42)
    lons = rng.uniform(LON0 + 1e-6, LON0 + WIDTH - 1e-6, count)
    lats = rng.uniform(LAT0 + 1e-6, LAT0 + HEIGHT - 1e-6, count)
    kinds = rng.integers(0, len(TYPES), count)
    with_attributes = rng.random(count) < 0.33
    result = []
    for i in range(count):
        type_code, attrs = TYPES[kinds[i]]
        props = {"type": type_code, "competent_department": departments[kinds[i] % len(departments)]}
        if with_attributes[i]:
            props.update(attrs)
        result.append(Feature(i + 1, shapely.Point(lons[i], lats[i]), props))
    return result


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--count", type=int, default=170_000)
    parser.add_argument("--db", choices=["sqlite", "postgres"], default="sqlite")
    args = parser.parse_args()
    label = setup(args.db)
    jurisdiction()
    batch = features(args.count)
    print(f"{len(batch):,} features built; peak memory so far {peak_rss_mb():,.0f} MB")

    from urbangrid.components import services
    from urbangrid.components.models import Component, MapCell
    from urbangrid.core.importing import Progress

    began = time.perf_counter()
    report = services.import_components(None, batch, dry_run=True)
    dry = time.perf_counter() - began
    assert report.ok, report.problems[:5]
    began, cpu = time.perf_counter(), time.process_time()
    report = services.import_components(None, batch, progress=Progress("import", len(batch)))
    wall, cpu = time.perf_counter() - began, time.process_time() - cpu
    assert report.created == args.count == Component.objects.count()
    cells = sum(MapCell.objects.filter(type_code=MapCell.ALL).values_list("count", flat=True))
    print(f"{label} import of {args.count:,} components (dry run {dry:.1f} s)")
    print(
        f"  import      {wall:8.1f} s   {args.count / wall:10,.0f} rows/s   "
        f"(this process's CPU {cpu:.1f} s; the rest is the database server or waiting for a core)"
    )
    print(f"  map cells count {cells:,} components")
    print(f"  peak memory {peak_rss_mb():8,.0f} MB (whole process, features included)")


if __name__ == "__main__":
    main()
