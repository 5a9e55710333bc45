"""Door plates and components as the generator places them."""

from collections import Counter

import numpy as np
import pytest
import shapely

from urbangrid.catalog.seed import catalogue_rows
from urbangrid.demo.components import ComponentGenerator
from urbangrid.demo.gazetteer import RoadSpace, door_plates, landmark_places


@pytest.fixture(scope="module")
def plates(tiny_county):
    return door_plates(tiny_county, RoadSpace(tiny_county.network.roads))


@pytest.fixture(scope="module")
def components(tiny_county, plates):
    return [c for batch in ComponentGenerator(tiny_county, plates).batches(1000) for c in batch]


def _side(road, point) -> float:
    """> 0 left of the road's direction, < 0 right."""
    d = road.line.project(point)
    a = road.line.interpolate(max(d - 1, 0))
    b = road.line.interpolate(min(d + 1, road.line.length))
    return (b.x - a.x) * (point.y - a.y) - (b.y - a.y) * (point.x - a.x)


def test_door_plates_odd_on_the_left_even_on_the_right(tiny_county, plates):
    roads = {r.name: r for r in tiny_county.network.roads}
    assert len(plates) > 200
    for p in plates:
        assert p.name == f"{p.road}{p.number}号"
        side = _side(roads[p.road], p.point)
        assert (side > 0) == (p.number % 2 == 1), p.name
    by_road = {}
    for p in plates:
        by_road.setdefault((p.road, p.number % 2), []).append(p.number)
    for (road, parity), numbers in by_road.items():
        assert numbers == list(range(2 - parity, 2 - parity + 2 * len(numbers), 2)), road
    # Roughly every 20-40 m on each side of every named road.
    length = sum(r.line.length for r in tiny_county.network.roads)
    assert 2 * length / 45 < len(plates) < 2 * length / 18


def test_door_plates_stand_off_the_carriageways_and_out_of_the_river(tiny_county, plates):
    roads = tiny_county.network.roads
    points = np.array([p.point for p in plates], dtype=object)
    for road in roads:
        corridor = road.line.buffer(road.half_width)
        assert not shapely.contains(corridor, points).any(), road.name
    assert not shapely.contains(tiny_county.network.river, points).any()


def test_landmarks_have_names_people_use(tiny_county):
    places = {p.name: p for p in landmark_places(tiny_county)}
    assert {"县人民医院", "人民广场", "鼓楼"} <= set(places)
    assert "人民医院" in places["县人民医院"].aliases and "澄河县人民医院" in places["县人民医院"].aliases
    assert all(p.kind == "landmark" and p.road for p in places.values())


def test_every_component_stands_in_a_grid_of_the_town(tiny_county, components):
    grids = tiny_county.grids
    for c in components:
        anchor = c.geometry if c.geometry.geom_type == "Point" else c.geometry.representative_point()
        assert grids[c.grid].polygon.covers(anchor), (c.type, c.grid)
    assert {c.geometry.geom_type for c in components} == {"Point", "LineString", "Polygon"}


def test_component_types_and_attributes_are_the_standards(components):
    standard = {r["code"] for r in catalogue_rows() if r["kind"] == "component"}
    counts = Counter(c.type for c in components)
    assert set(counts) <= standard
    assert counts["04002"] > counts["01037"] > counts["01013"] > 0  # trees, then lamps, then hydrants
    statuses = Counter(c.status for c in components)
    assert 0.92 < statuses["intact"] / len(components) < 0.98
    assert set(statuses) <= {"intact", "damaged", "lost", "abandoned", "removed", "occupied"}
    assert not [c for c in components if c.status == "lost" and c.type in ("04002", "03001")]
    assert all(c.initial_date[:4] == "2026" and len(c.initial_date) == 8 for c in components)
    assert {c.data_source for c in components} <= {"survey", "topographic", "base_gis", "other"}


def test_components_belong_to_the_departments_that_own_them(tiny_county, components):
    for c in components:
        grid = tiny_county.grids[c.grid]
        if c.type == "01001":
            assert (c.competent, c.owner, c.maintainer) == ("zls", "zls", "zls")
        if c.type == "01007":
            assert c.competent in ("dx", "yd", "lt") and c.owner == c.competent
        if c.type == "01018":
            assert c.owner == grid.community
    operators = Counter(c.owner for c in components if c.type in ("01007", "01031"))
    assert set(operators) == {"dx", "yd", "lt"}


def test_same_seed_same_components(tiny_county, plates, components):
    again = [c for batch in ComponentGenerator(tiny_county, plates).batches(700) for c in batch]
    assert [(c.type, c.geometry.wkb, c.status, c.initial_date) for c in again] == [
        (c.type, c.geometry.wkb, c.status, c.initial_date) for c in components
    ]
