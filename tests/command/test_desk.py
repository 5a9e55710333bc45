"""Acting from the command desk's map: dispatch, urge, and sending the 核实/核查 task to the
nearest supervisor on duty; the layer's filters, the drawn area and the scope of each viewer."""

import pytest

from tests.command.conftest import report, to_dispatching, to_disposing, walk
from urbangrid.cases import services as case_services
from urbangrid.cases.models import Case, State
from urbangrid.command import queries
from urbangrid.notify.models import Notification

pytestmark = pytest.mark.django_db
API = "/api/v1/command"


def numbers(resp) -> set[str]:
    assert resp.status_code == 200, resp.content
    return {c["number"] for c in resp.json()["cases"]}


def test_dispatch_from_the_map(org, api_client):
    case = to_dispatching(org, report(org))
    resp = api_client(org.dispatcher).post(
        f"{API}/cases/{case.number}/dispatch", {"department": "hws", "version": case.version}
    )
    assert resp.status_code == 200, resp.content
    case.refresh_from_db()
    assert case.state == State.DISPOSING and case.department == org.hws
    assert resp.json() == {"number": case.number, "state": "disposing", "version": case.version}
    assert Notification.objects.filter(user=org.cleaner, case_number=case.number).exists()


def test_dispatch_refusals(org, api_client):
    case = to_dispatching(org, report(org))
    body = {"department": "hws", "version": case.version}
    assert api_client(org.leader).post(f"{API}/cases/{case.number}/dispatch", body).status_code == 403
    stale = api_client(org.dispatcher).post(f"{API}/cases/{case.number}/dispatch", {**body, "version": 1})
    assert stale.status_code == 409 and stale.json()["code"] == "stale_version"
    unknown = api_client(org.dispatcher).post(
        f"{API}/cases/{case.number}/dispatch", {**body, "department": "nope"}
    )
    assert unknown.status_code == 422 and unknown.json()["code"] == "unknown_department"
    elsewhere = api_client(org.dispatcher).post(
        f"{API}/cases/{case.number}/dispatch", {**body, "department": "szgs"}
    )
    assert elsewhere.status_code == 422 and elsewhere.json()["code"] == "reason_required"
    assert Case.objects.get(pk=case.pk).state == State.DISPATCHING


def test_urge_from_the_map(org, api_client):
    case = to_disposing(org, report(org))
    client = api_client(org.leader)
    empty = client.post(f"{API}/cases/{case.number}/urge", {"version": case.version, "note": " "})
    assert empty.status_code == 422
    resp = client.post(f"{API}/cases/{case.number}/urge", {"version": case.version, "note": "今天内处置"})
    assert resp.status_code == 200, resp.content
    case.refresh_from_db()
    assert case.urge_count == 1
    assert Notification.objects.filter(user=org.cleaner, kind="urged").exists()
    # Disposal staff may not urge, even a case of their own department.
    assert (
        api_client(org.worker)
        .post(f"{API}/cases/{case.number}/urge", {"version": 9, "note": "x"})
        .status_code
        == 403
    )


def verifying_case(org, point):
    case = report(org, point=point)
    case_services.accept(org.intake, case.number)
    case.refresh_from_db()
    return case


def test_the_nearest_supervisor_on_duty_gets_the_verification(org, api_client):
    # A case in the east street; the west supervisor happens to stand right beside it.
    case = verifying_case(org, org.east_point)
    assert case.assignee == org.sup_e  # the grid's own supervisor, by default
    east, west = org.east_point, org.west_point
    walk(org.sup, (east[0] + 0.0005, east[1]))
    walk(org.sup_e, west)
    resp = api_client(org.intake).post(f"{API}/cases/{case.number}/send-nearest", {"version": case.version})
    assert resp.status_code == 200, resp.content
    body = resp.json()
    assert body["supervisor"] == "sup_w" and body["task"] == "verify" and 40 < body["distance_m"] < 60
    case.refresh_from_db()
    assert case.assignee == org.sup
    assert Notification.objects.filter(user=org.sup, case_number=case.number).exists()
    near = api_client(org.intake).get(f"{API}/nearest", {"lon": east[0], "lat": east[1]}).json()
    assert [s["user"] for s in near] == ["sup_w", "sup_e"]


def test_sending_a_supervisor_needs_one_on_duty_and_a_field_task(org, api_client):
    case = verifying_case(org, org.west_point)
    client = api_client(org.intake)
    nobody = client.post(f"{API}/cases/{case.number}/send-nearest", {"version": case.version})
    assert nobody.status_code == 409 and nobody.json()["code"] == "no_supervisor_on_duty"
    walk(org.sup, org.west_point)
    disposing = to_disposing(org, report(org))
    wrong = client.post(f"{API}/cases/{disposing.number}/send-nearest", {"version": disposing.version})
    assert wrong.status_code == 409 and wrong.json()["code"] == "no_field_task"
    assert (
        api_client(org.dispatcher)
        .post(f"{API}/cases/{case.number}/send-nearest", {"version": case.version})
        .status_code
        == 403
    )
    assert client.post(f"{API}/cases/NOPE/send-nearest", {"version": 1}).status_code == 404


def test_filters_and_a_drawn_area_select_cases(org, api_client):
    west = to_disposing(org, report(org))
    east = report(org, point=org.east_point)
    client = api_client(org.dispatcher)
    assert numbers(client.get(f"{API}/cases")) == {west.number, east.number}
    assert numbers(client.get(f"{API}/cases", {"state": "disposing"})) == {west.number}
    assert numbers(client.get(f"{API}/cases", {"department": "hws"})) == {west.number}
    assert numbers(client.get(f"{API}/cases", {"area": east.street_code})) == {east.number}
    assert numbers(client.get(f"{API}/cases", {"type": "06"})) == {west.number, east.number}
    lon, lat = org.east_point
    ring = [
        lon - 0.001,
        lat - 0.001,
        lon + 0.001,
        lat - 0.001,
        lon + 0.001,
        lat + 0.001,
        lon - 0.001,
        lat + 0.001,
    ]
    drawn = client.get(f"{API}/cases", {"polygon": ",".join(map(str, ring))})
    assert numbers(drawn) == {east.number}
    for bad in ({"polygon": "1,2,3"}, {"polygon": "a,b,c,d,e,f"}, {"state": "flying"}, {"bbox": "1,2"}):
        assert client.get(f"{API}/cases", bad).status_code == 422, bad


def test_many_cases_in_view_come_as_counted_cells(org, api_client, monkeypatch):
    for _ in range(3):
        report(org)
    report(org, point=org.east_point)
    monkeypatch.setattr(queries, "MAX_POINTS", 2)
    body = api_client(org.dispatcher).get(f"{API}/cases", {"zoom": 12}).json()
    assert body["mode"] == "cells" and body["count"] == 4
    assert sum(c["n"] for c in body["cells"]) == 4 and len(body["cells"]) >= 1
    density = api_client(org.dispatcher).get(f"{API}/density", {"zoom": 14}).json()
    assert sum(c["n"] for c in density) == 4


def test_a_department_leader_sees_only_their_departments_cases(org, api_client):
    cleaning = to_disposing(org, report(org))
    manhole = to_disposing(org, report(org, type_code="01001"), department=org.szgs)
    client = api_client(org.szgs_leader)
    assert numbers(client.get(f"{API}/cases")) == {manhole.number}
    assert numbers(api_client(org.leader).get(f"{API}/cases")) == {cleaning.number, manhole.number}
    board = client.get(f"{API}/board").json()
    assert board["today"]["live"] == 1 and board["today"]["dispatched"] == 1


def test_people_outside_the_centre_cannot_read_the_command_layers(org, api_client):
    for path in ("/cases", "/board", "/supervisors", "/replay?day=2026-11-25", "/patrol?day=2026-11-25"):
        assert api_client(org.worker).get(f"{API}{path}").status_code == 403, path
        assert api_client(org.citizen).get(f"{API}{path}").status_code == 403, path
