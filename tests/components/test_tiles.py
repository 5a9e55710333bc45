import numpy as np
import pytest
import shapely
from django.db.models import Q

from tests.components.builders import department, random_points
from urbangrid.components import maptiles, services
from urbangrid.components.models import Component
from urbangrid.core.importing import Feature
from urbangrid.geo import tiles

pytestmark = pytest.mark.django_db

TYPES = np.array(["01037", "01001", "04002"])


@pytest.fixture
def city(small_county, make_user):
    """1,500 components of three types and two departments, a few damaged or removed."""
    admin = make_user("admin")
    department("lamps", "路灯所")
    department("parks", "园林所")
    lons, lats = random_points(1500, seed=21)
    rng = np.random.default_rng(4)
    kinds = TYPES[rng.integers(0, 3, len(lons))]
    statuses = rng.choice(["intact", "damaged", "removed"], len(lons), p=[0.8, 0.15, 0.05])
    batch = [
        Feature(
            i + 1,
            shapely.Point(lon, lat),
            {
                "type": t,
                "status": s,
                "competent_department": "parks" if t == "04002" else "lamps",
                # Parks also maintain their own trees and every third other component.
                "maintainer_department": "parks" if t == "04002" or i % 3 == 0 else "lamps",
            },
        )
        for i, (lon, lat, t, s) in enumerate(zip(lons, lats, kinds, statuses, strict=True))
    ]
    services.import_components(admin, batch)
    return {"user": make_user("supervisor")}


def _truth(z, x, y, q=None, *, removed=False):
    """The components of a tile counted the slow, obvious way."""
    lo, hi = tiles.tile_key_range(z, x, y)
    qs = Component.objects.filter(tile_key__gte=lo, tile_key__lt=hi)
    if not removed:
        qs = qs.exclude(status="removed")
    return qs.filter(q) if q is not None else qs


def _tiles_over_county(z):
    x0, y0 = tiles.lonlat_to_tile(120.0, 30.01, z)
    x1, y1 = tiles.lonlat_to_tile(120.02, 30.0, z)
    return [(z, x, y) for x in range(x0, x1 + 1) for y in range(y0, y1 + 1)]


@pytest.mark.parametrize("z", [8, 11, 13, 14, 15, 16])
def test_clusters_sum_to_the_true_count(city, z):
    total = 0
    for t in _tiles_over_county(z):
        answer = maptiles.tile(*t)
        truth = _truth(*t).count()
        assert answer["count"] == truth
        if answer["mode"] == "clusters":
            assert sum(c["count"] for c in answer["clusters"]) == truth
            assert len(answer["clusters"]) <= 64
            west, south, east, north = tiles.tile_bounds(*t)
            assert all(west <= c["lon"] <= east and south <= c["lat"] <= north for c in answer["clusters"])
        total += answer["count"]
    assert total == Component.objects.exclude(status="removed").count()


def test_a_cluster_sits_at_the_mean_of_its_components(city):
    z, x, y = _tiles_over_county(8)[0]
    answer = maptiles.tile(z, x, y)
    assert len(answer["clusters"]) == 1  # the whole county is one eighth of a zoom-8 tile
    lons, lats = zip(*_truth(z, x, y).values_list("lon", "lat"), strict=True)
    assert answer["clusters"][0]["lon"] == pytest.approx(np.mean(lons), abs=1e-9)
    assert answer["clusters"][0]["lat"] == pytest.approx(np.mean(lats), abs=1e-9)


@pytest.mark.parametrize(
    "params, truth",
    [
        ({"type": "01037"}, Q(type__code="01037")),
        ({"type": "01037,04002"}, Q(type__code__in=["01037", "04002"])),
        ({"type": "04"}, Q(type__major_code="04")),
        ({"type": "01037,01"}, Q(type__major_code="01")),
        ({"status": "damaged"}, Q(status="damaged")),
        (
            {"department": "parks"},
            Q(competent_department__code="parks") | Q(maintainer_department__code="parks"),
        ),
    ],
    ids=["type", "types", "major", "type-in-major", "status", "department"],
)
@pytest.mark.parametrize("z", [12, 14])
def test_filtered_clusters_sum_to_the_filtered_count(city, z, params, truth):
    for t in _tiles_over_county(z):
        answer = maptiles.tile(*t, **params)
        truth_count = _truth(*t, truth).count()
        assert answer["count"] == truth_count
        if answer["mode"] == "clusters":
            assert sum(c["count"] for c in answer["clusters"]) == truth_count


def test_removed_components_show_only_when_asked(city):
    for t in _tiles_over_county(13):
        answer = maptiles.tile(*t, status="removed")
        assert answer["count"] == _truth(*t, Q(status="removed"), removed=True).count()


def test_points_from_zoom_17(city):
    for t in _tiles_over_county(17)[:6]:
        answer = maptiles.tile(*t)
        assert answer["mode"] == "points" and not answer["truncated"]
        truth = dict(_truth(*t).values_list("code", "type__name"))
        assert {p["code"]: p["type_name"] for p in answer["points"]} == truth


def test_a_sparse_tile_answers_with_points_before_zoom_17(city):
    z, x, y = _tiles_over_county(15)[0]
    answer = maptiles.tile(z, x, y, type="04002", status="damaged")
    assert answer["mode"] == "points"
    assert {p["code"] for p in answer["points"]} == set(
        _truth(z, x, y, Q(type__code="04002", status="damaged")).values_list("code", flat=True)
    )


def test_points_are_capped_and_say_so(city, monkeypatch):
    monkeypatch.setattr(maptiles, "MAX_POINTS", 5)
    z, x, y = max(_tiles_over_county(17), key=lambda t: _truth(*t).count())
    answer = maptiles.tile(z, x, y)
    assert answer["truncated"] is True and len(answer["points"]) == 5
    assert answer["count"] == _truth(z, x, y).count() > 5


def test_tile_endpoint(city, api_client):
    client = api_client(city["user"])
    z, x, y = _tiles_over_county(12)[0]
    body = client.get(f"/api/v1/components/tiles/{z}/{x}/{y}", {"type": "01037"}).json()
    assert body["mode"] == "clusters" and body["z"] == z
    assert (
        sum(c["count"] for c in body["clusters"])
        == body["count"]
        == _truth(z, x, y, Q(type__code="01037")).count()
    )
    point_tile = _tiles_over_county(18)[0]
    body = client.get("/api/v1/components/tiles/{}/{}/{}".format(*point_tile)).json()
    assert body["mode"] == "points" and set(body["points"][0]) == {
        "code",
        "type",
        "type_name",
        "status",
        "lon",
        "lat",
    }
    assert client.get("/api/v1/components/tiles/3/9/0").json()["code"] == "bad_tile"
    assert client.get("/api/v1/components/tiles/12/1/1", {"type": "lamp"}).status_code == 422
    assert api_client().get(f"/api/v1/components/tiles/{z}/{x}/{y}").status_code == 401
