"""The case API: the same loop over HTTP, with the error codes a client relies on."""

import pytest

from tests.cases.conftest import photo
from urbangrid.cases.models import Case

pytestmark = pytest.mark.django_db


def _report(api, o, **extra):
    data = {
        "source": "public",
        "kind": "matter",
        "type": "06010",
        "description": "路边垃圾堆积",
        "lon": o.west_point[0],
        "lat": o.west_point[1],
        "address": "城西路8号",
        "photos": [photo()],
        **extra,
    }
    return api.post_files("/api/v1/cases", data)


def test_loop_over_http(org, api_client):
    o = org
    citizen, intake, sup, shift, disp, worker = (
        api_client(u) for u in (o.citizen, o.intake, o.sup, o.shift, o.dispatcher, o.cleaner)
    )
    resp = _report(citizen, o)
    assert resp.status_code == 201, resp.content
    case = resp.json()
    n, v = case["number"], case["version"]
    assert case["state"] == "reported" and case["state_label"] == "待受理" and len(case["photos"]) == 1

    detail = intake.get(f"/api/v1/cases/{n}").json()
    assert "accept" in detail["allowed_actions"] and "dispatch" not in detail["allowed_actions"]
    assert detail["possible_duplicates"] == []
    resp = intake.post(f"/api/v1/cases/{n}/accept", {"version": v})
    assert resp.status_code == 200, resp.content
    v = resp.json()["version"]
    assert resp.json()["assignee"] == "sup_w"

    queue = sup.get("/api/v1/cases/queue", {"role": "supervisor"}).json()
    assert [c["number"] for c in queue["items"]] == [n]
    resp = sup.post_files(
        f"/api/v1/cases/{n}/verify", {"version": v, "confirmed": "true", "photos": [photo()]}
    )
    assert resp.status_code == 200, resp.content
    v = resp.json()["version"]
    resp = shift.post(f"/api/v1/cases/{n}/file", {"version": v, "meets_condition": True})
    v = resp.json()["version"]
    suggestion = disp.get(f"/api/v1/cases/{n}/suggestion").json()
    assert suggestion["department"] == "hws" and suggestion["basis"] == "type_default"
    resp = disp.post(f"/api/v1/cases/{n}/dispatch", {"version": v, "department": "hws"})
    assert resp.status_code == 200, resp.content
    v = resp.json()["version"]
    assert resp.json()["light"] == "green"
    resp = worker.post_files(
        f"/api/v1/cases/{n}/feedback", {"version": v, "note": "已清运", "photos": [photo()]}
    )
    assert resp.status_code == 200, resp.content
    v = resp.json()["version"]
    resp = sup.post_files(f"/api/v1/cases/{n}/check", {"version": v, "passed": "true", "photos": [photo()]})
    v = resp.json()["version"]
    resp = shift.post(f"/api/v1/cases/{n}/close", {"version": v, "meets_condition": True})
    assert resp.json()["state"] == "closed"
    timeline = resp.json()["timeline"]
    assert [t["action"] for t in timeline] == [
        "report",
        "accept",
        "verify",
        "file",
        "dispatch",
        "feedback",
        "check",
        "close",
    ]
    assert all(t["audit_seq"] for t in timeline)
    mine = citizen.get("/api/v1/cases/notifications").json()
    assert mine["count"] == 3 and "已处理" in mine["items"][0]["text"]


def test_error_codes(org, api_client):
    o = org
    citizen, intake, disp = api_client(o.citizen), api_client(o.intake), api_client(o.dispatcher)
    n = _report(citizen, o).json()["number"]
    resp = citizen.post(f"/api/v1/cases/{n}/dispatch", {"version": 1, "department": "hws"})
    assert resp.status_code == 403 and resp.json()["code"] == "role_not_allowed"
    resp = disp.post(f"/api/v1/cases/{n}/dispatch", {"version": 1, "department": "hws"})
    assert (
        resp.status_code == 409
        and resp.json()["code"] == "illegal_transition"
        and resp.json()["state"] == "reported"
    )
    resp = intake.post(f"/api/v1/cases/{n}/accept", {"version": 99})
    assert resp.status_code == 409 and resp.json() == {
        "code": "stale_version",
        "message": resp.json()["message"],
        "state": "reported",
        "version": 1,
    }
    resp = intake.post(f"/api/v1/cases/{n}/accept", {"version": "x"})
    assert resp.status_code == 422 and resp.json()["code"] == "invalid_input"
    resp = intake.post(f"/api/v1/cases/{n}/reject", {"version": 1, "reason": "no_such_reason"})
    assert resp.status_code == 422 and resp.json()["code"] == "unknown_reason"
    assert intake.get("/api/v1/cases/1999000001").status_code == 404
    assert api_client().get(f"/api/v1/cases/{n}").status_code == 401
    bad = _report(citizen, o, photos=[photo("a.png", b"GIF89a....")])
    assert bad.status_code == 422 and bad.json()["code"] == "bad_photo"
    outside = _report(citizen, o, lon=121.47, lat=31.23)
    assert outside.status_code == 422 and outside.json()["code"] == "outside_jurisdiction"


def test_other_people_cannot_read_a_citizens_case(org, api_client, make_user):
    o = org
    n = _report(api_client(o.citizen), o).json()["number"]
    other = make_user("citizen", username="citizen2")
    resp = api_client(other).get(f"/api/v1/cases/{n}")
    assert resp.status_code == 403 and resp.json()["code"] == "out_of_scope"
    listed = api_client(other).get("/api/v1/cases").json()
    assert listed["count"] == 0
    # The worker of another department sees nothing before dispatch either.
    assert api_client(o.worker).get("/api/v1/cases").json()["count"] == 0


def test_phone_is_masked_except_for_call_back_roles(org, api_client):
    o = org
    n = _report(api_client(o.citizen), o, reporter_phone="13912345678").json()["number"]
    assert api_client(o.intake).get(f"/api/v1/cases/{n}").json()["reporters"][0]["phone"] == "13912345678"
    assert api_client(o.sup).get(f"/api/v1/cases/{n}").json()["reporters"][0]["phone"] == "139****5678"


def test_gcj02_coordinates_are_stored_as_wgs84(org, api_client):
    o = org
    from urbangrid.geo import crs

    glon, glat = crs.from_wgs84(o.west_point[0], o.west_point[1], "gcj02")
    resp = _report(api_client(o.citizen), o, lon=glon, lat=glat, crs="gcj02")
    assert resp.status_code == 201, resp.content
    body = resp.json()
    assert body["lon"] == pytest.approx(o.west_point[0], abs=1e-6) and body["lat"] == pytest.approx(
        o.west_point[1], abs=1e-6
    )
    back = api_client(o.intake).get(f"/api/v1/cases/{body['number']}", {"crs": "gcj02"}).json()
    assert back["lon"] == pytest.approx(glon, abs=1e-6)


def test_bulk_dispatch_reports_each_case(org, api_client):
    o = org
    from tests.cases.test_lifecycle import report, to_dispatching

    ready = to_dispatching(o, report(o))
    waiting = report(o)
    resp = api_client(o.dispatcher).post(
        "/api/v1/cases/bulk-dispatch", {"numbers": [ready.number, waiting.number]}
    )
    results = {r["number"]: r for r in resp.json()["results"]}
    assert results[ready.number]["ok"] and results[ready.number]["department"] == "hws"
    assert not results[waiting.number]["ok"] and results[waiting.number]["code"] == "illegal_transition"


def test_a_retried_submission_with_the_same_reference_makes_one_case(org, api_client):
    o = org
    citizen = api_client(o.citizen)
    first = _report(citizen, o, external_ref="app-7f3a")
    again = _report(citizen, o, external_ref="app-7f3a")
    assert first.status_code == again.status_code == 201
    assert again.json()["number"] == first.json()["number"]
    assert Case.objects.filter(external_ref="app-7f3a").count() == 1
    other = _report(citizen, o, external_ref="app-7f3b")
    assert other.json()["number"] != first.json()["number"]
    # Another person's reference is theirs alone: the same string makes a new case.
    by_supervisor = _report(api_client(o.sup), o, source="supervisor", external_ref="app-7f3a")
    assert by_supervisor.json()["number"] != first.json()["number"]
