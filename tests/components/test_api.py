import io
import json

import numpy as np
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from pyproj import Geod

from tests.components.builders import (
    FIRST_GRID,
    IN_FIRST_GRID,
    IN_LAST_GRID,
    department,
    features,
    random_points,
    register,
)
from urbangrid.components import services
from urbangrid.components.models import Component
from urbangrid.geo import crs as crs_module

pytestmark = pytest.mark.django_db

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32
GEOD = Geod(ellps="WGS84")


@pytest.fixture
def admin(make_user):
    return make_user("admin")


@pytest.fixture
def lamps():
    return department("lamps", "路灯所", uscc="12330000MB0000001X")


@pytest.fixture
def registry(small_county, admin, lamps, clock):
    water = department("water", "自来水公司")
    register(admin, lamps)  # 99010101037000001, west street
    register(admin, lamps, lon=IN_LAST_GRID[0], lat=IN_LAST_GRID[1], maintainer_department=water)
    register(admin, water, type_code="01001", old_code="9901010101000004")
    services.change_status(admin, "99010101037000002", "damaged", "灯不亮")
    return {"lamps": lamps, "water": water}


def _codes(resp) -> list[str]:
    assert resp.status_code == 200, resp.content
    return [i["code"] for i in resp.json()["items"]]


def test_filters(registry, api_client, make_user):
    client = api_client(make_user("intake"))
    assert _codes(client.get("/api/v1/components", {"type": "01037"})) == [
        "99010101037000001",
        "99010101037000002",
    ]
    assert _codes(client.get("/api/v1/components", {"type": "01"})) == [
        "99010101001000001",
        "99010101037000001",
        "99010101037000002",
    ]
    assert _codes(client.get("/api/v1/components", {"status": "damaged"})) == ["99010101037000002"]
    # A department finds what it is competent for, owns or maintains.
    assert _codes(client.get("/api/v1/components", {"department": "water"})) == [
        "99010101001000001",
        "99010101037000002",
    ]
    assert _codes(client.get("/api/v1/components", {"area": "990101002"})) == ["99010101037000002"]
    assert _codes(client.get("/api/v1/components", {"area": FIRST_GRID})) == [
        "99010101001000001",
        "99010101037000001",
    ]
    body = client.get("/api/v1/components", {"type": "01037", "limit": 1, "offset": 1}).json()
    assert body["count"] == 2 and [i["code"] for i in body["items"]] == ["99010101037000002"]
    item = body["items"][0]
    assert (
        item["type_name"] == "路灯" and item["status"] == "damaged" and item["grid_code"] == "990101002002008"
    )


@pytest.mark.parametrize(
    "params",
    [
        {"type": "1037"},
        {"status": "broken"},
        {"department": "nobody"},
        {"area": "99010"},
        {"near": "120.0"},
        {"near": "120.001,30.001", "radius": 5000},
        {"crs": "mars"},
    ],
)
def test_bad_filters_are_422(registry, api_client, make_user, params):
    resp = api_client(make_user("intake")).get("/api/v1/components", params)
    assert resp.status_code == 422 and resp.json()["code"]


def test_citizens_and_strangers_may_not_browse(registry, api_client, make_user):
    assert api_client().get("/api/v1/components").status_code == 401
    resp = api_client(make_user("citizen")).get("/api/v1/components")
    assert resp.status_code == 403 and resp.json()["code"] == "role_not_allowed"


def test_near_matches_brute_force_geodesic_distances(small_county, admin, lamps, api_client):
    lons, lats = random_points(800, seed=11)
    services.import_components(admin, features(lons, lats))
    client = api_client(admin)
    rng = np.random.default_rng(3)
    all_rows = list(Component.objects.values_list("code", "lon", "lat"))
    for _ in range(5):
        lon0, lat0 = rng.uniform(120.0, 120.02), rng.uniform(30.0, 30.01)
        radius = float(rng.uniform(50, 600))
        _, _, dist = GEOD.inv(
            np.full(len(all_rows), lon0),
            np.full(len(all_rows), lat0),
            [r[1] for r in all_rows],
            [r[2] for r in all_rows],
        )
        # Leave out points within a centimetre of the circle, where rounding may decide.
        truth = sorted(
            (d, code) for (code, _, _), d in zip(all_rows, dist, strict=True) if d <= radius - 0.01
        )
        edge = {code for (code, _, _), d in zip(all_rows, dist, strict=True) if abs(d - radius) < 0.01}
        body = client.get(
            "/api/v1/components", {"near": f"{lon0},{lat0}", "radius": radius, "limit": 1000}
        ).json()
        got = [(i["distance_m"], i["code"]) for i in body["items"] if i["code"] not in edge]
        assert [c for _, c in got] == [c for _, c in truth]
        assert all(abs(g - t) < 0.02 for (g, _), (t, _) in zip(got, truth, strict=True))
        assert body["count"] == len(body["items"])
        page = client.get(
            "/api/v1/components", {"near": f"{lon0},{lat0}", "radius": radius, "limit": 10, "offset": 10}
        )
        assert [i["code"] for i in page.json()["items"]] == [i["code"] for i in body["items"][10:20]]
        assert page.json()["count"] == body["count"]


def test_near_in_gcj02_answers_in_gcj02(registry, api_client, make_user):
    lon, lat = crs_module.from_wgs84(IN_FIRST_GRID[0], IN_FIRST_GRID[1], "gcj02")
    body = (
        api_client(make_user("supervisor"))
        .get("/api/v1/components", {"near": f"{lon},{lat}", "radius": 5, "crs": "gcj02"})
        .json()
    )
    # Both stand on the same spot.
    assert {i["code"] for i in body["items"]} == {"99010101001000001", "99010101037000001"}
    assert all(i["distance_m"] < 0.01 for i in body["items"])
    assert abs(body["items"][0]["lon"] - lon) < 1e-7 and abs(body["items"][0]["lat"] - lat) < 1e-7


def test_detail_by_new_and_old_code(registry, api_client, make_user):
    client = api_client(make_user("disposer", department=registry["water"]))
    body = client.get("/api/v1/components/9901010101000004").json()
    assert body["code"] == "99010101001000001" and body["type_name"] == "供水井盖"
    lamp = client.get("/api/v1/components/99010101037000002").json()
    std = {a["abbr"]: a["value"] for a in lamp["standard_attributes"]}
    assert len(lamp["standard_attributes"]) == 18
    assert std["GLBJBSM"] == "99010101037000002" and std["GLBJMC"] == "路灯" and std["GLBJZT"] == "破损"
    assert std["ZGBMDM"] == "12330000MB0000001X" and std["YHDWMC"] == "自来水公司"
    assert (
        std["SZDYWGBSM"] == "990101002002008" and std["SZSQMC"] == "城东南社区" and std["CSRQ"] == "20261126"
    )
    assert lamp["maintainer_department"]["code"] == "water"
    assert lamp["geometry"]["type"] == "Point" and lamp["community"]["name"] == "城东南社区"
    assert [(h["from_status"], h["to_status"], h["reason"]) for h in lamp["status_history"]] == [
        ("intact", "damaged", "灯不亮")
    ]
    assert client.get("/api/v1/components/99010101037999999").status_code == 404


def test_register_status_photo_and_update(small_county, api_client, admin, lamps, make_user):
    client = api_client(admin)
    resp = client.post(
        "/api/v1/components",
        {
            "type": "01037",
            "lon": IN_FIRST_GRID[0],
            "lat": IN_FIRST_GRID[1],
            "competent_department": "lamps",
            "attributes": {"heads": 2},
        },
    )
    assert resp.status_code == 201, resp.content
    code = resp.json()["code"]
    assert code == "99010101037000001" and resp.json()["attributes"] == {"heads": 2}
    bad = client.post(
        "/api/v1/components", {"type": "01037", "lon": 121, "lat": 31, "competent_department": "lamps"}
    )
    assert bad.status_code == 422 and bad.json()["code"] == "outside_jurisdiction"
    bad = client.post(
        "/api/v1/components",
        {"type": "01037", "geometry": {"type": "Point"}, "competent_department": "lamps"},
    )
    assert bad.status_code == 422 and bad.json()["code"] == "bad_geometry"
    bad = client.post(
        "/api/v1/components",
        {
            "type": "01037",
            "lon": IN_FIRST_GRID[0],
            "lat": IN_FIRST_GRID[1],
            "competent_department": "lamps",
            "attributes": {"heads": "x"},
        },
    )
    assert bad.status_code == 422 and set(bad.json()["errors"]) == {"heads"}

    supervisor = api_client(make_user("supervisor", areas=[small_county["communities"][0]]))
    resp = supervisor.post(f"/api/v1/components/{code}/status", {"status": "lost", "reason": "灯头丢失"})
    assert resp.status_code == 200 and resp.json()["status"] == "lost"
    stranger = api_client(make_user("supervisor", areas=[small_county["streets"][1]]))
    resp = stranger.post(f"/api/v1/components/{code}/status", {"status": "intact", "reason": "x"})
    assert resp.status_code == 403 and resp.json()["code"] == "out_of_scope"

    resp = supervisor.post_files(
        f"/api/v1/components/{code}/photos", {"file": SimpleUploadedFile("a.png", PNG), "caption": "现场"}
    )
    assert resp.status_code == 201 and resp.json()["caption"] == "现场"
    resp = supervisor.post_files(f"/api/v1/components/{code}/photos", {"file": io.BytesIO(b"text")})
    assert resp.status_code == 422

    resp = client.patch(f"/api/v1/components/{code}", {"note": "北门", "maintainer_department": "lamps"})
    assert resp.status_code == 200 and resp.json()["note"] == "北门"
    assert (
        api_client(make_user("supervisor")).patch(f"/api/v1/components/{code}", {"note": "x"}).status_code
        == 403
    )
    detail = client.get(f"/api/v1/components/{code}").json()
    assert len(detail["photos"]) == 1 and detail["photos"][0]["url"].startswith("/media/components/")


def test_import_over_http(small_county, api_client, admin, lamps, make_user):
    lons, lats = random_points(20, seed=2)
    doc = {
        "type": "FeatureCollection",
        "features": [
            {
                "type": "Feature",
                "geometry": {"type": "Point", "coordinates": [lon, lat]},
                "properties": {"type": "01037", "competent_department": "lamps"},
            }
            for lon, lat in zip(lons, lats, strict=True)
        ],
    }
    doc["features"][4]["properties"]["type"] = "77777"
    upload = json.dumps(doc).encode()
    client = api_client(admin)
    dry = client.post_files(
        "/api/v1/components/import?dry_run=true", {"file": SimpleUploadedFile("c.geojson", upload)}
    )
    assert dry.status_code == 200 and dry.json()["ok"] is False
    assert [(p["index"], p["code"]) for p in dry.json()["problems"]] == [(5, "unknown_type")]
    rejected = client.post_files(
        "/api/v1/components/import", {"file": SimpleUploadedFile("c.geojson", upload)}
    )
    assert rejected.status_code == 422 and rejected.json()["code"] == "import_rejected"
    assert not Component.objects.exists()
    doc["features"][4]["properties"]["type"] = "01037"
    done = client.post_files(
        "/api/v1/components/import", {"file": SimpleUploadedFile("c.geojson", json.dumps(doc).encode())}
    )
    assert done.status_code == 200 and done.json()["created"] == 20
    nope = api_client(make_user("supervisor")).post_files(
        "/api/v1/components/import", {"file": SimpleUploadedFile("c.geojson", upload)}
    )
    assert nope.status_code == 403
