"""Roads, door plates and landmarks for the small county (tests/factories.py), imported
through the gazetteer service like a real file.

    lat 30.009  ── 人民大道 ──────────────────────────   (no door plates)
    lat 30.005  ── 人民路 ── doors 1..39 (odd north, even south, 12 missing)
                   |建设路 (lon 120.005)        |解放街 (lon 120.015)
    城西街 is a lane whose name hides inside the street name 城西街道.
"""

import shapely

from urbangrid.core.importing import Feature
from urbangrid.geo import gazetteer
from urbangrid.geo import services as geo

MISSING_DOOR = 12
HOSPITAL = (120.012, 30.007)
SCHOOL = (120.003, 30.002)


def gazetteer_features() -> tuple[list[Feature], list[Feature]]:
    roads = [
        ("人民路", "arterial", "", [(120.0, 30.005), (120.02, 30.005)]),
        ("人民大道", "arterial", "", [(120.0, 30.009), (120.02, 30.009)]),
        ("建设路", "secondary", "", [(120.005, 30.0), (120.005, 30.01)]),
        ("解放街", "branch", "解放大街", [(120.015, 30.0), (120.015, 30.01)]),
        ("城西街", "lane", "", [(120.001, 30.0005), (120.004, 30.0005)]),
    ]
    road_features = [
        Feature(i, shapely.LineString(coords), {"name": name, "kind": kind, "aliases": aliases})
        for i, (name, kind, aliases, coords) in enumerate(roads, start=1)
    ]
    places = []
    for k in range(1, 20):
        lon = 120.0 + k * 0.001
        for number, lat in ((2 * k - 1, 30.00505), (2 * k, 30.00495)):
            if number != MISSING_DOOR:
                places.append(({"kind": "doorplate", "road": "人民路", "number": number}, (lon, lat)))
    places.append(({"kind": "landmark", "name": "县人民医院", "aliases": "人民医院、县医院"}, HOSPITAL))
    places.append(({"kind": "landmark", "name": "城关第一小学", "aliases": "一小"}, SCHOOL))
    place_features = [Feature(i, shapely.Point(*xy), props) for i, (props, xy) in enumerate(places, start=1)]
    return road_features, place_features


def build_small_gazetteer():
    roads, places = gazetteer_features()
    report = geo.import_gazetteer(None, roads, places)
    # The test's transaction never commits, so the import's on-commit refresh never runs.
    gazetteer.invalidate()
    return report
