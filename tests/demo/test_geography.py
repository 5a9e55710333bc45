"""The synthetic county's geography, checked as a GIS office would check a delivered grid layer:
standard codes, numbering order, full coverage without gaps or overlaps, nesting."""

import re
from collections import defaultdict

import numpy as np
import pytest
import shapely

from urbangrid.demo.county import generate
from urbangrid.demo.partition import ROW_HEIGHT_M, row_of
from urbangrid.demo.scales import COUNTY_CODE, SCALES

TOLERANCE_M2 = 0.01


@pytest.fixture(scope="module")
def tiny():
    return generate(SCALES["tiny"], seed=1)


@pytest.fixture(scope="module")
def county():
    return generate(SCALES["county"], seed=1)


def test_the_county_has_the_size_of_the_seed_county(county):
    levels = [len(county.by_level(n)) for n in (1, 2, 3)]
    assert levels == [1, 8, 60]
    assert 1800 <= len(county.grids) <= 2200
    areas = np.array([g.polygon.area for g in county.grids])
    assert 9000 <= areas.mean() <= 11000  # 万米单元网格
    assert county.network.outline.area == pytest.approx(20e6, rel=1e-6)
    land_uses = {g.land_use for g in county.grids}
    assert {"residential", "commercial", "public", "industrial", "green", "water"} <= land_uses


def test_key_areas_lie_along_the_arterials_and_in_the_old_town(county):
    arterials = shapely.union_all([r.line for r in county.network.roads if r.kind == "arterial"])
    key = [g for g in county.grids if g.management_level == "key"]
    assert all(
        g.zone == "old"
        or g.land_use in ("commercial", "public", "road")
        or g.polygon.distance(arterials) < 1.0
        for g in key
    )
    assert all(g.management_level == "key" for g in county.grids if g.zone == "old")
    assert all(
        g.management_level != "key"
        for g in county.grids
        if g.land_use in ("water", "industrial") and g.polygon.distance(arterials) >= 1.0
    )


def test_codes_nest_and_are_standard(tiny):
    codes = {d.code: d for d in tiny.divisions}
    assert tiny.district.code == COUNTY_CODE
    for d in tiny.divisions:
        assert d.code.isdigit() and len(d.code) == {1: 6, 2: 9, 3: 12}[d.level]
        if d.parent:
            assert d.code.startswith(d.parent) and codes[d.parent].level == d.level - 1
    for g in tiny.grids:
        assert re.fullmatch(r"\d{15}", g.code)
        assert g.code[:12] == g.community and g.code[:9] == g.street
    serials = defaultdict(list)
    for g in tiny.grids:
        serials[g.community].append(int(g.code[12:]))
    for community, numbers in serials.items():
        assert sorted(numbers) == list(range(1, len(numbers) + 1)), community


def test_grids_are_numbered_west_to_east_then_north_to_south(county):
    by_community = defaultdict(list)
    for g in county.grids:
        by_community[g.community].append(g)
    norths = {
        d.code: float(county.frame.lonlat(*np.asarray(d.polygon.exterior.coords).T)[1].max())
        for d in county.by_level(3)
    }
    for community, grids in by_community.items():
        grids.sort(key=lambda g: g.code)
        rows = row_of(np.array([g.lat for g in grids]), norths[community])
        assert rows[0] == rows.min(), f"{grids[0].code} is not in the northernmost row"
        for a, b, ra, rb in zip(grids, grids[1:], rows, rows[1:], strict=False):
            assert rb > ra or (rb == ra and b.lon > a.lon), f"{a.code} → {b.code} runs against the order"
    # Rows are about one grid high, so a community of 30-odd grids spans several of them.
    assert ROW_HEIGHT_M == 100.0
    assert max(len(set(row_of([g.lat for g in gs], norths[c]))) for c, gs in by_community.items()) >= 4


def test_grids_cover_the_town_without_gaps_or_overlaps(county):
    polys = np.array([g.polygon for g in county.grids], dtype=object)
    assert all(p.geom_type == "Polygon" and p.is_valid for p in polys)
    union = shapely.union_all(polys)
    assert shapely.symmetric_difference(union, county.network.outline).area < TOLERANCE_M2
    assert shapely.area(polys).sum() == pytest.approx(county.network.outline.area, abs=TOLERANCE_M2)
    tree = shapely.STRtree(polys)
    a, b = tree.query(polys, predicate="intersects")
    pairs = a < b
    overlap = shapely.area(shapely.intersection(polys[a[pairs]], polys[b[pairs]]))
    assert overlap.max() < TOLERANCE_M2


def test_grids_never_cross_community_boundaries(county):
    communities = {d.code: d.polygon for d in county.by_level(3)}
    outside = [
        g.code
        for g in county.grids
        if shapely.difference(g.polygon, communities[g.community]).area > TOLERANCE_M2
    ]
    assert outside == []
    for street in county.by_level(2):
        members = shapely.union_all([p for code, p in communities.items() if code.startswith(street.code)])
        assert shapely.symmetric_difference(members, street.polygon).area < TOLERANCE_M2


def test_communities_and_grids_are_single_pieces(county):
    assert all(d.polygon.geom_type == "Polygon" for d in county.divisions)
    assert min(g.polygon.area for g in county.grids) > 0.25 * 10_000


def test_same_seed_same_county_other_seed_another(tiny):
    again = generate(SCALES["tiny"], seed=1)
    assert [g.code for g in again.grids] == [g.code for g in tiny.grids]
    assert all(
        shapely.equals_exact(a.polygon, b.polygon, 0) for a, b in zip(again.grids, tiny.grids, strict=True)
    )
    assert [(r.name, r.line.wkb) for r in again.network.roads] == [
        (r.name, r.line.wkb) for r in tiny.network.roads
    ]
    other = generate(SCALES["tiny"], seed=2)
    assert other.network.outline.wkb != tiny.network.outline.wkb


def test_the_town_sits_in_the_huang_huai_plain(county):
    lon, lat = county.frame.lonlat(*county.network.outline.centroid.coords[0])
    assert 114 < float(lon) < 116.5 and 32.5 < float(lat) < 35


def test_roads_have_unique_chinese_names_and_the_usual_aliases(county):
    names = [r.name for r in county.network.roads]
    assert len(names) == len(set(names))
    assert {"人民路", "解放路", "迎宾大道", "滨河北路", "文化路", "新华街"} <= set(names)
    assert all(re.fullmatch(r"[\u4e00-\u9fff]+(路|街|大道|巷)", n) for n in names)
    by_name = {r.name: r for r in county.network.roads}
    assert "迎宾路" in by_name["迎宾大道"].aliases
    numbered = [r for r in county.network.roads if r.name.startswith("经") and r.name.endswith("路")]
    assert numbered and all(re.fullmatch(r"经\d+路", r.aliases[0]) for r in numbered)
    assert {r.kind for r in county.network.roads} == {"arterial", "secondary", "branch", "lane"}
    lanes = [r for r in county.network.roads if r.kind == "lane"]
    old_town = shapely.union_all([s.polygon for s in county.network.superblocks if s.zone == "old"])
    assert all(old_town.buffer(2).contains(r.line) for r in lanes)
