"""The map's component queries answer exactly what the plain, slow queries answer: "near"
(found in widening circles) against a brute-force sort of the whole registry, and department
tiles against the components counted and averaged one by one."""

from collections import defaultdict

import numpy as np
import pytest
import shapely
from django.db.models import Q

from tests.components.builders import EAST, NORTH, SOUTH, WEST, department, random_points
from urbangrid.components import maptiles, queries, services
from urbangrid.components.models import Component, MapCell
from urbangrid.core.importing import Feature
from urbangrid.geo import tiles

pytestmark = pytest.mark.django_db

TYPES = np.array(["01037", "01001", "04002"])


@pytest.fixture
def registry(small_county, make_user):
    """2,000 components: most spread over the county, a dense knot of them around one point
    (some at the very same spot, so distances tie), three departments in every role."""
    admin = make_user("admin")
    for code in ("lamps", "parks", "roads"):
        department(code)
    lons, lats = random_points(1700, seed=31)
    rng = np.random.default_rng(8)
    knot_lon, knot_lat = (WEST + EAST) / 2, (SOUTH + NORTH) / 2
    lons = np.concatenate([lons, knot_lon + rng.normal(0, 0.0004, 280), np.full(20, knot_lon + 0.0001)])
    lats = np.concatenate([lats, knot_lat + rng.normal(0, 0.0003, 280), np.full(20, knot_lat)])
    kinds = TYPES[rng.integers(0, 3, len(lons))]
    statuses = rng.choice(["intact", "damaged", "removed"], len(lons), p=[0.8, 0.15, 0.05])
    depts = np.array(["lamps", "parks", "roads"])
    competent = depts[rng.integers(0, 3, len(lons))]
    owner = np.where(rng.random(len(lons)) < 0.4, depts[rng.integers(0, 3, len(lons))], "")
    maintainer = np.where(rng.random(len(lons)) < 0.7, depts[rng.integers(0, 3, len(lons))], "")
    batch = []
    for i in range(len(lons)):
        props = {"type": kinds[i], "status": statuses[i], "competent_department": competent[i]}
        if owner[i]:
            props["owner_department"] = owner[i]
        if maintainer[i]:
            props["maintainer_department"] = maintainer[i]
        batch.append(Feature(i + 1, shapely.Point(lons[i], lats[i]), props))
    services.import_components(admin, batch)
    return {"knot": (knot_lon, knot_lat)}


def _brute_force_near(qs, lon, lat, radius):
    """The definition of "near", on every row: inside the circle's box (scale at the centre),
    d2 (scale at the pair's middle latitude) at most radius², ordered by (d2, id)."""
    mx, my, kx, ky = queries._scales(lat)
    rows = np.array(list(qs.values_list("id", "lon", "lat")), dtype=float).reshape(-1, 3)
    ids, lons, lats = rows[:, 0].astype(np.int64), rows[:, 1], rows[:, 2]
    half = (lats - lat) / 2.0
    dx = (lons - lon) * (mx + kx * half)
    dy = (lats - lat) * (my + ky * half)
    d2 = dx * dx + dy * dy
    dlon, dlat = radius / mx, radius / my
    inside = ((lons >= lon - dlon) & (lons <= lon + dlon) & (lats >= lat - dlat) & (lats <= lat + dlat)) & (
        d2 <= radius * radius
    )
    order = np.lexsort((ids[inside], d2[inside]))
    return [int(i) for i in ids[inside][order]]


def _centres(knot, n=12, seed=5):
    rng = np.random.default_rng(seed)
    points = [knot, (knot[0] + 0.0001, knot[1]), (WEST, SOUTH), (EAST + 0.01, NORTH)]
    points += list(zip(rng.uniform(WEST, EAST, n), rng.uniform(SOUTH, NORTH, n), strict=True))
    return points


FILTERS = [
    {},
    {"type": "01037,04"},
    {"status": "damaged,intact"},
    {"department": "parks"},
    {"area": "990101001"},
]


@pytest.mark.parametrize("first_ring", [0.5, 7.0, queries.FIRST_RING_M])
@pytest.mark.parametrize("params", FILTERS, ids=["all", "types", "statuses", "department", "area"])
def test_near_pages_match_a_brute_force_sort(registry, monkeypatch, first_ring, params):
    monkeypatch.setattr(queries, "FIRST_RING_M", first_ring)
    qs = queries.filter_components(Component.objects.all(), **params)
    for lon, lat in _centres(registry["knot"]):
        for radius in (15.0, 120.0, 600.0, 2000.0):
            truth = _brute_force_near(qs, lon, lat, radius)
            for start, stop in ((0, 50), (0, 1), (10, 20), (45, 95), (0, 5000)):
                search = queries.NearSearch(qs, lon, lat, radius)
                page = search.window(start, stop)
                assert [pk for pk, _ in page] == truth[start:stop], (lon, lat, radius, start, stop)
                assert search.count() == len(truth)
                assert all(d <= radius + 1e-6 for _, d in page)
                assert [d for _, d in page] == sorted(d for _, d in page)


def test_near_pages_match_the_databases_own_order(registry):
    """The same circle sorted by the database (the d2 expression in SQL) gives the same ids."""
    qs = Component.objects.all()
    for lon, lat in _centres(registry["knot"], n=6, seed=9):
        for radius in (80.0, 700.0, 2000.0):
            search = queries.NearSearch(qs, lon, lat, radius)
            in_sql = list(search.qs.order_by("d2", "id").values_list("id", flat=True)[:60])
            assert [pk for pk, _ in search.window(0, 60)] == in_sql
            assert search.count() == search.qs.count()


def test_ties_are_ordered_by_id(registry):
    lon, lat = registry["knot"][0] + 0.0001, registry["knot"][1]
    page = queries.NearSearch(Component.objects.all(), lon, lat, 50).window(0, 20)
    same_spot = [pk for pk, d in page if d == 0.0]
    assert len(same_spot) == 20 and same_spot == sorted(same_spot)


def _clusters_one_by_one(z, x, y, q):
    """Clusters of a tile from the matching rows themselves: count and mean per sub-tile."""
    lo, hi = tiles.tile_key_range(z, x, y)
    level = min(z + maptiles.CLUSTER_LEVELS, MapCell.CELL_ZOOM)
    groups = defaultdict(list)
    for key, lon, lat in Component.objects.filter(q, tile_key__gte=lo, tile_key__lt=hi).values_list(
        "tile_key", "lon", "lat"
    ):
        groups[key >> (2 * (tiles.KEY_ZOOM - level))].append((lon, lat))
    return sorted(
        (len(v), round(sum(p[0] for p in v) / len(v), 9), round(sum(p[1] for p in v) / len(v), 9))
        for v in groups.values()
    )


def _tiles_over_county(z):
    x0, y0 = tiles.lonlat_to_tile(WEST, NORTH, z)
    x1, y1 = tiles.lonlat_to_tile(EAST, SOUTH, z)
    return [(z, x, y) for x in range(x0, x1 + 1) for y in range(y0, y1 + 1)]


def _in_department(code):
    return (
        Q(competent_department__code=code)
        | Q(owner_department__code=code)
        | Q(maintainer_department__code=code)
    )


@pytest.mark.parametrize(
    "params, q",
    [
        ({"department": "parks"}, _in_department("parks") & ~Q(status="removed")),
        ({"department": "roads"}, _in_department("roads") & ~Q(status="removed")),
        (
            {"department": "lamps", "type": "01"},
            _in_department("lamps") & Q(type__major_code="01") & ~Q(status="removed"),
        ),
        (
            {"department": "parks", "status": "removed,damaged"},
            _in_department("parks") & Q(status__in=["removed", "damaged"]),
        ),
    ],
    ids=["parks", "roads", "lamps-class", "parks-status"],
)
@pytest.mark.parametrize("z", [9, 12, 13, 14, 15, 16])
def test_department_tiles_match_the_components_one_by_one(registry, z, params, q):
    total = 0
    for t in _tiles_over_county(z):
        answer = maptiles.tile(*t, **params)
        truth = _clusters_one_by_one(*t, q)
        assert answer["count"] == sum(n for n, _, _ in truth)
        if answer["mode"] == "clusters":
            got = sorted((c["count"], round(c["lon"], 9), round(c["lat"], 9)) for c in answer["clusters"])
            assert got == truth
        else:
            assert len(answer["points"]) == answer["count"]
        total += answer["count"]
    assert total == Component.objects.filter(q).count() > 0
