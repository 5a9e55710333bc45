import json

import pytest
import shapely

from tests.factories import small_county_features
from urbangrid.accounts.models import Role
from urbangrid.geo import crs, geocoding
from urbangrid.geo import services as geo
from urbangrid.geo.models import UnitGrid

INSIDE = (120.001, 30.009)  # the first grid, 990101001001001
OUTSIDE = (121.0, 31.0)


@pytest.fixture
def client(small_gazetteer, make_user, api_client):
    return api_client(make_user(Role.SUPERVISOR))


def test_every_route_needs_a_login(small_county, api_client):
    anonymous = api_client()
    for path in ("/api/v1/geo/locate?lon=120.001&lat=30.009", "/api/v1/geo/grids", "/api/v1/geo/divisions"):
        response = anonymous.get(path)
        assert response.status_code == 401 and response.json()["code"] == "not_authenticated"


def test_locate(client):
    body = client.get("/api/v1/geo/locate", {"lon": INSIDE[0], "lat": INSIDE[1]}).json()
    assert body["grid"] == {"code": "990101001001001"}
    assert body["community"] == {"code": "990101001001", "name": "城西北社区"}
    assert body["street"]["name"] == "城西街道" and body["district"]["code"] == "990101"
    assert body["description"]


def test_locate_outside_is_a_clear_error(client):
    response = client.get("/api/v1/geo/locate", {"lon": OUTSIDE[0], "lat": OUTSIDE[1]})
    assert response.status_code == 422 and response.json()["code"] == "outside_jurisdiction"


@pytest.mark.parametrize("system", ["gcj02", "bd09", "cgcs2000"])
def test_locate_takes_phone_map_coordinates(client, system):
    lon, lat = crs.from_wgs84(*INSIDE, system)
    body = client.get("/api/v1/geo/locate", {"lon": lon, "lat": lat, "crs": system}).json()
    assert body["grid"]["code"] == "990101001001001"
    if system != "cgcs2000":  # the same numbers read as WGS84 land hundreds of metres away
        assert client.get("/api/v1/geo/locate", {"lon": lon, "lat": lat}).json().get("grid") != body["grid"]


def test_bad_crs_and_bad_numbers(client):
    response = client.get("/api/v1/geo/locate", {"lon": 120.0, "lat": 30.0, "crs": "mars"})
    assert response.status_code == 422 and response.json()["code"] == "bad_crs"
    response = client.get("/api/v1/geo/locate", {"lon": "east", "lat": 30.0})
    assert response.status_code == 422 and response.json()["code"] == "invalid_input"


def test_batch_locate_with_null_for_outside(client):
    response = client.post(
        "/api/v1/geo/locate/batch", {"points": [list(INSIDE), list(OUTSIDE)], "describe": True}
    )
    assert response.status_code == 200
    inside, outside = response.json()
    assert inside["grid"]["code"] == "990101001001001" and inside["description"]
    assert outside is None


def test_batch_is_limited_to_10000_points(client):
    response = client.post("/api/v1/geo/locate/batch", {"points": [list(INSIDE)] * 10_001})
    assert response.status_code == 422 and response.json()["code"] == "too_many_points"
    response = client.post("/api/v1/geo/locate/batch", {"points": [[120.0]]})
    assert response.status_code == 422


def test_grid_detail_with_history(client, clock):
    from datetime import timedelta

    clock.advance(timedelta(days=1))
    geo.update_grid(None, "990101001001001", land_use="green")
    body = client.get("/api/v1/geo/grids/990101001001001").json()
    assert body["land_use"] == "green" and body["land_use_name"] == "绿地"
    assert body["community"]["name"] == "城西北社区" and body["responsible_department"] is None
    assert body["geometry"]["type"] == "Polygon"
    assert [v["land_use"] for v in body["history"]] == ["other", "green"]
    assert body["history"][0]["valid_to"] is not None and body["history"][1]["valid_to"] is None
    assert client.get("/api/v1/geo/grids/990101001001999").status_code == 404


def test_grid_geometry_in_the_asked_crs(client):
    wgs = shapely.geometry.shape(client.get("/api/v1/geo/grids/990101001001001").json()["geometry"])
    bd = shapely.geometry.shape(
        client.get("/api/v1/geo/grids/990101001001001", {"crs": "bd09"}).json()["geometry"]
    )
    assert shapely.hausdorff_distance(crs.geometry_to_wgs84(bd, "bd09"), wgs) < 2e-7
    assert shapely.hausdorff_distance(bd, wgs) > 0.005  # Baidu's shift is about a kilometre here


def test_grids_in_a_box_and_by_area(client):
    body = client.get("/api/v1/geo/grids", {"bbox": "120.0001,30.0051,120.0099,30.0099"}).json()
    assert body["count"] == 8 and {g["code"][:12] for g in body["items"]} == {"990101001001"}
    assert client.get("/api/v1/geo/grids", {"community": "990101002002"}).json()["count"] == 8
    page = client.get("/api/v1/geo/grids", {"street": "990101002", "limit": 5, "offset": 5}).json()
    assert page["count"] == 16 and len(page["items"]) == 5
    response = client.get("/api/v1/geo/grids", {"bbox": "120,30,119,31"})
    assert response.status_code == 422 and response.json()["code"] == "bad_bbox"


def test_divisions_tree(client):
    streets = client.get("/api/v1/geo/divisions", {"level": "street"}).json()
    assert [d["name"] for d in streets["items"]] == ["城西街道", "城东街道"]
    children = client.get("/api/v1/geo/divisions", {"parent": "990101002", "with_geometry": False}).json()
    assert [d["code"] for d in children["items"]] == ["990101002001", "990101002002"]
    assert children["items"][0]["geometry"] is None
    detail = client.get("/api/v1/geo/divisions/990101").json()
    assert detail["level"] == 1 and len(detail["children"]) == 2 and detail["geometry"]["type"] == "Polygon"
    assert client.get("/api/v1/geo/divisions", {"level": "province"}).json()["code"] == "bad_level"


def test_geocode_and_describe(client):
    body = client.get("/api/v1/geo/geocode", {"q": "人民路十号"}).json()
    top = body["items"][0]
    assert top["label"] == "人民路10号" and top["location"]["grid"]["code"] == "990101001002002"
    gcj = client.get("/api/v1/geo/geocode", {"q": "人民路十号", "crs": "gcj02"}).json()["items"][0]
    assert (gcj["lon"], gcj["lat"]) == pytest.approx(
        crs.from_wgs84(top["lon"], top["lat"], "gcj02"), abs=1e-6
    )
    described = client.get("/api/v1/geo/describe", {"lon": 120.0053, "lat": 30.0053}).json()
    assert described == {"description": "人民路与建设路交叉口东北约40米"}


def test_gazetteer_layers(client):
    roads = client.get("/api/v1/geo/roads", {"bbox": "120.0,30.004,120.02,30.006"}).json()
    assert "人民路" in {r["name"] for r in roads["items"]} and "人民大道" not in {
        r["name"] for r in roads["items"]
    }
    landmarks = client.get("/api/v1/geo/places", {"kind": "landmark"}).json()
    assert {p["name"] for p in landmarks["items"]} == {"县人民医院", "城关第一小学"}


def _upload(features, name="grids.geojson"):
    from django.core.files.uploadedfile import SimpleUploadedFile

    doc = {
        "type": "FeatureCollection",
        "features": [
            {"type": "Feature", "geometry": shapely.geometry.mapping(f.geometry), "properties": f.properties}
            for f in features
        ],
    }
    return SimpleUploadedFile(name, json.dumps(doc).encode(), content_type="application/geo+json")


def test_import_dry_run_and_apply(db, make_user, api_client, django_capture_on_commit_callbacks):
    admin = api_client(make_user(Role.ADMIN))
    divisions, grids = small_county_features()
    geo.import_divisions(None, divisions)
    dry = admin.post_files("/api/v1/geo/import/grids?dry_run=true", {"file": _upload(grids)})
    assert dry.status_code == 200 and dry.json()["dry_run"] and dry.json()["created"] == 32
    assert not UnitGrid.objects.exists()
    with django_capture_on_commit_callbacks(execute=True):
        applied = admin.post_files("/api/v1/geo/import/grids", {"file": _upload(grids)})
    assert applied.status_code == 200 and applied.json()["created"] == 32
    assert geocoding.locate(*INSIDE).grid_code == "990101001001001"


def test_import_of_a_bad_file_is_rejected_with_every_problem(small_county, make_user, api_client):
    admin = api_client(make_user(Role.ADMIN))
    _divisions, grids = small_county_features()
    grids[0].properties["code"] = "bad"
    grids[1].properties["land_use"] = "moon"
    response = admin.post_files("/api/v1/geo/import/grids", {"file": _upload(grids)})
    assert response.status_code == 422
    body = response.json()
    assert body["code"] == "import_rejected"
    assert {"bad_code", "bad_land_use", "gap"} <= {p["code"] for p in body["problems"]}


def test_import_needs_an_administrator(small_county, client):
    _divisions, grids = small_county_features()
    response = client.post_files("/api/v1/geo/import/grids?dry_run=true", {"file": _upload(grids)})
    assert response.status_code == 403 and response.json()["code"] == "role_not_allowed"


def test_import_of_an_unreadable_file(small_county, make_user, api_client):
    from django.core.files.uploadedfile import SimpleUploadedFile

    admin = api_client(make_user(Role.ADMIN))
    junk = SimpleUploadedFile("grids.geojson", b"{not json")
    assert admin.post_files("/api/v1/geo/import/grids", {"file": junk}).json()["code"] == "bad_geojson"
    assert admin.post_files("/api/v1/geo/import/parks", {"file": _upload([])}).status_code == 404


def test_gazetteer_import_from_one_file(small_county, make_user, api_client):
    from tests.geo.small_gazetteer import gazetteer_features

    admin = api_client(make_user(Role.ADMIN))
    roads, places = gazetteer_features()
    response = admin.post_files(
        "/api/v1/geo/import/gazetteer", {"file": _upload(roads + places, "gazetteer.geojson")}
    )
    assert response.status_code == 200, response.content
    assert response.json()["created"] == len(roads) + len(places)
