"""/api/v1/field/: what the supervisors' phone app calls. Resends never record twice; refusals
say why with a code; a supervisor sees and answers only their own tasks."""

from datetime import timedelta

import pytest
from django.test import Client

from tests.cases.conftest import photo
from tests.factories import ApiClient
from urbangrid.cases.models import Case, CasePhoto, State
from urbangrid.intake.models import DutyShift, Position

from .conftest import checking_case, jpeg, verifying_case

pytestmark = pytest.mark.django_db

API = "/api/v1/field"


def report_form(o, client_id="phone-0001", **extra):
    lon, lat = o.west_point
    return {"client_id": client_id, "type": "06010", "lon": lon, "lat": lat, "note": "垃圾满溢", **extra}


# ---- duty and positions ------------------------------------------------------------------------


def test_duty_on_and_off_twice(sup_api, org, clock):
    assert sup_api.get(f"{API}/duty").json() == {"on_duty": False, "since": None}
    first = sup_api.post(f"{API}/duty/on")
    clock.advance(timedelta(seconds=30))
    again = sup_api.post(f"{API}/duty/on")
    assert first.status_code == again.status_code == 200
    assert first.json()["on_duty"] and first.json()["since"] == again.json()["since"]
    assert DutyShift.objects.filter(user=org.sup).count() == 1
    assert sup_api.post(f"{API}/duty/off").json() == {"on_duty": False, "since": None}
    assert sup_api.post(f"{API}/duty/off").status_code == 200
    assert DutyShift.objects.get(user=org.sup).ended_at is not None


def point(clock, lon, lat, seconds_ago=0):
    return {
        "at": (clock.now() - timedelta(seconds=seconds_ago)).isoformat(),
        "lon": lon,
        "lat": lat,
        "accuracy": 6,
    }


def test_positions_off_duty_are_409(sup_api, org, clock):
    resp = sup_api.post(f"{API}/positions", {"points": [point(clock, *org.west_point)]})
    assert resp.status_code == 409 and resp.json()["code"] == "not_on_duty"


def test_a_queued_batch_of_positions_is_stored(sup_api, org, clock):
    sup_api.post(f"{API}/duty/on")
    clock.advance(timedelta(minutes=10))
    lon, lat = org.west_point
    points = [point(clock, lon + i * 0.0001, lat, seconds_ago=30 * (20 - i)) for i in range(20)]
    resp = sup_api.post(f"{API}/positions", {"points": points})
    assert resp.status_code == 200 and resp.json() == {"stored": 20}
    assert Position.objects.filter(user=org.sup, grid_code__startswith="990101001").count() == 20


@pytest.mark.parametrize(
    "bad",
    [
        {"at": "yesterday", "lon": 120.0, "lat": 30.0},
        {"at": "2026-11-26T02:00:00+00:00", "lon": "east", "lat": 30.0},
        {"at": "2026-11-26T02:00:00+00:00", "lat": 30.0},
        {"at": "2026-11-26T02:00:00+00:00", "lon": 200.0, "lat": 30.0},
        {"at": "2026-11-26T02:00:00", "lon": 120.0, "lat": 30.0},
        {"at": "2026-11-26T02:00:00+00:00", "lon": 120.0, "lat": 30.0, "accuracy": -5},
    ],
)
def test_malformed_points_are_422_and_nothing_is_stored(sup_api, org, clock, bad):
    sup_api.post(f"{API}/duty/on")
    resp = sup_api.post(f"{API}/positions", {"points": [point(clock, *org.west_point), bad]})
    assert resp.status_code == 422, resp.content
    assert resp.json()["code"] in {"invalid_input", "bad_position", "naive_time"}
    assert not Position.objects.exists()


def test_future_timestamps_are_refused(sup_api, org, clock):
    sup_api.post(f"{API}/duty/on")
    ahead = {"at": (clock.now() + timedelta(hours=2)).isoformat(), "lon": 120.001, "lat": 30.009}
    resp = sup_api.post(f"{API}/positions", {"points": [ahead]})
    assert resp.status_code == 422 and resp.json()["code"] == "position_in_future"


def test_other_roles_are_refused_with_a_code(org):
    for user in (org.intake, org.citizen, org.worker, org.shift):
        client = ApiClient(user)
        for method, path in (("post", "/duty/on"), ("get", "/tasks"), ("get", "/types"), ("get", "/grids")):
            resp = getattr(client, method)(API + path)
            assert resp.status_code == 403, (user, path)
            assert resp.json()["code"] == "supervisors_only"
        resp = client.post_files(f"{API}/reports", {**report_form(org), "photos": [jpeg()]})
        assert resp.status_code == 403
    assert not Case.objects.exists()
    assert ApiClient().get(f"{API}/duty").status_code == 401


# ---- reports -----------------------------------------------------------------------------------


def test_report_with_photos_creates_a_supervisor_case(sup_api, org):
    resp = sup_api.post_files(
        f"{API}/reports", {**report_form(org), "photos": [jpeg("a.jpg"), jpeg("b.jpg")]}
    )
    assert resp.status_code == 201, resp.content
    body = resp.json()
    case = Case.objects.get(number=body["number"])
    assert (case.source, case.kind, case.type.code, case.reporter) == (
        "supervisor",
        "matter",
        "06010",
        org.sup,
    )
    assert case.description == "垃圾满溢" and case.grid_code == body["grid"] == "990101001001001"
    assert case.address  # described from the point when the phone sends none
    assert case.photos.filter(stage=CasePhoto.Stage.REPORT).count() == 2


def test_a_resend_with_the_same_client_id_is_the_same_case(sup_api, org):
    first = sup_api.post_files(f"{API}/reports", {**report_form(org), "photos": [jpeg()]})
    again = sup_api.post_files(f"{API}/reports", {**report_form(org), "photos": [jpeg()]})
    assert first.status_code == 201 and again.status_code == 200
    assert again.json()["number"] == first.json()["number"] and again.json()["duplicate"] is True
    assert Case.objects.count() == 1
    other = sup_api.post_files(
        f"{API}/reports", {**report_form(org, client_id="phone-0002"), "photos": [jpeg()]}
    )
    assert other.status_code == 201 and Case.objects.count() == 2


def test_another_supervisors_same_client_id_is_their_own_case(sup_api, org):
    sup_api.post_files(f"{API}/reports", {**report_form(org), "photos": [jpeg()]})
    lon, lat = org.east_point
    resp = ApiClient(org.sup_e).post_files(
        f"{API}/reports", {**report_form(org, lon=lon, lat=lat), "photos": [jpeg()]}
    )
    assert resp.status_code == 201 and Case.objects.count() == 2


def test_without_a_note_the_type_names_the_problem(sup_api, org):
    resp = sup_api.post_files(f"{API}/reports", {**report_form(org, note=""), "photos": [jpeg()]})
    case = Case.objects.get(number=resp.json()["number"])
    assert case.description == case.type.name


@pytest.mark.parametrize(
    "change,code",
    [
        ({"photos": []}, "photo_required"),
        ({"photos": "not-a-picture"}, "bad_photo"),
        ({"lon": 121.5, "lat": 31.2}, "outside_jurisdiction"),
        ({"type": "99999"}, "unknown_type"),
        ({"type": "", "component": "12345678901234567"}, "unknown_component"),
        ({"client_id": "x"}, "invalid_input"),
    ],
)
def test_refused_reports_say_why_and_create_nothing(sup_api, org, change, code):
    data = {**report_form(org), "photos": [jpeg()], **change}
    if data["photos"] == "not-a-picture":
        data["photos"] = [photo("p.jpg", b"this is text, not a photo")]
    resp = sup_api.post_files(f"{API}/reports", data)
    assert resp.status_code == 422, resp.content
    assert resp.json()["code"] == code and resp.json()["message"]
    assert not Case.objects.exists()


def test_a_refused_report_can_be_resent_fixed_under_the_same_id(sup_api, org):
    bad = sup_api.post_files(f"{API}/reports", {**report_form(org), "photos": [photo("p.jpg", b"text")]})
    assert bad.status_code == 422
    fixed = sup_api.post_files(
        f"{API}/reports", {**report_form(org), "photos": [photo("p.jpg", b"text"), jpeg()]}
    )
    assert fixed.status_code == 422  # every photo must be a picture
    fixed = sup_api.post_files(f"{API}/reports", {**report_form(org), "photos": [jpeg()]})
    assert fixed.status_code == 201 and Case.objects.count() == 1


def test_session_posts_need_the_csrf_token(org):
    client = Client(enforce_csrf_checks=True)
    client.force_login(org.sup)
    assert client.post(f"{API}/duty/on").status_code in (401, 403)
    client.get("/field/")
    token = client.cookies["csrftoken"].value
    assert client.post(f"{API}/duty/on", headers={"X-CSRFToken": token}).status_code == 200


# ---- types and grids ---------------------------------------------------------------------------


def test_types_put_my_frequent_and_recent_first_with_pinyin(sup_api, org):
    for i, code in enumerate(["01001", "06010", "06010"]):
        form = {**report_form(org, client_id=f"phone-000{i}", type=code), "photos": [jpeg()]}
        assert sup_api.post_files(f"{API}/reports", form).status_code == 201
    types = sup_api.get(f"{API}/types").json()
    assert [t["code"] for t in types[:2]] == ["06010", "01001"]
    assert types[0]["uses"] == 2 and not types[0]["component"]
    manhole = types[1]
    assert manhole["component"] and manhole["py"] and manhole["pinyin"]
    # The other supervisor's list starts with the catalogue's order.
    assert ApiClient(org.sup_e).get(f"{API}/types").json()[0]["uses"] == 0


def test_grids_are_my_responsibility_grids(sup_api, org):
    grids = sup_api.get(f"{API}/grids").json()
    codes = {f["properties"]["code"] for f in grids["features"]}
    assert codes and all(c.startswith("990101001") for c in codes)
    assert grids["features"][0]["geometry"]["type"] == "Polygon"
    assert grids["features"][0]["properties"]["name"] == "城西责任网格"


# ---- tasks -------------------------------------------------------------------------------------


def test_the_task_list_holds_only_my_tasks(sup_api, org):
    mine = verifying_case(org)
    theirs = verifying_case(org, org.east_point)
    assert theirs.assignee == org.sup_e
    body = sup_api.get(f"{API}/tasks").json()
    assert [t["number"] for t in body["tasks"]] == [mine.number]
    task = body["tasks"][0]
    assert task["task"] == "verify" and task["version"] == mine.version and task["photos"]
    assert (task["lon"], task["lat"]) == org.west_point
    assert {r["code"] for r in body["rework_reasons"]}


def test_polling_with_the_marker_says_unchanged_until_a_task_comes(sup_api, org):
    first = sup_api.get(f"{API}/tasks").json()
    assert first["tasks"] == []
    same = sup_api.get(f"{API}/tasks", {"since": first["marker"]}).json()
    assert same == {"changed": False, "marker": first["marker"]}
    case = verifying_case(org)
    news = sup_api.get(f"{API}/tasks", {"since": first["marker"]}).json()
    assert news["changed"] and [t["number"] for t in news["tasks"]] == [case.number]


def test_verify_with_photos_and_a_resend_is_not_a_second_answer(sup_api, org):
    case = verifying_case(org)
    form = {"version": case.version, "confirmed": "true", "note": "属实"}
    resp = sup_api.post_files(f"{API}/tasks/{case.number}/verify", {**form, "photos": [jpeg()]})
    assert resp.status_code == 201, resp.content
    case.refresh_from_db()
    assert case.state == State.FILING and case.photos.filter(stage=CasePhoto.Stage.VERIFY).count() == 1
    again = sup_api.post_files(f"{API}/tasks/{case.number}/verify", {**form, "photos": [jpeg()]})
    assert again.status_code == 200 and again.json()["duplicate"]
    assert case.actions.filter(action="verify").count() == 1
    assert sup_api.get(f"{API}/tasks").json()["tasks"] == []


def test_verify_confirmed_needs_a_photo_and_not_found_does_not(sup_api, org):
    case = verifying_case(org)
    resp = sup_api.post_files(
        f"{API}/tasks/{case.number}/verify", {"version": case.version, "confirmed": "true"}
    )
    assert resp.status_code == 422 and resp.json()["code"] == "photo_required"
    resp = sup_api.post_files(
        f"{API}/tasks/{case.number}/verify", {"version": case.version, "confirmed": "false"}
    )
    assert resp.status_code == 201


def test_another_supervisors_task_cannot_be_answered(org):
    case = verifying_case(org, org.east_point)
    form = {"version": case.version, "confirmed": "true", "photos": [jpeg()]}
    resp = ApiClient(org.sup).post_files(f"{API}/tasks/{case.number}/verify", form)
    assert resp.status_code == 403
    case.refresh_from_db()
    assert case.state == State.VERIFYING


def test_a_stale_answer_is_409_when_it_was_not_mine(sup_api, org):
    case = verifying_case(org)
    form = {"version": case.version - 1, "confirmed": "true", "photos": [jpeg()]}
    resp = sup_api.post_files(f"{API}/tasks/{case.number}/verify", form)
    assert resp.status_code == 409 and resp.json()["code"] == "stale_version"


def test_check_passed_and_not_passed_with_photos(sup_api, org):
    case = checking_case(org)
    body = sup_api.get(f"{API}/tasks").json()
    assert [(t["number"], t["task"]) for t in body["tasks"]] == [(case.number, "check")]
    no_photo = sup_api.post_files(
        f"{API}/tasks/{case.number}/check", {"version": case.version, "passed": "true"}
    )
    assert no_photo.status_code == 422 and no_photo.json()["code"] == "photo_required"
    no_reason = {"version": case.version, "passed": "false", "photos": [jpeg()]}
    resp = sup_api.post_files(f"{API}/tasks/{case.number}/check", no_reason)
    assert resp.status_code == 422 and resp.json()["code"] == "reason_required"
    failed = {"version": case.version, "passed": "false", "reason": "incomplete", "note": "仍有垃圾"}
    resp = sup_api.post_files(f"{API}/tasks/{case.number}/check", {**failed, "photos": [jpeg()]})
    assert resp.status_code == 201
    case.refresh_from_db()
    assert case.state == State.DISPOSING and case.rework_count == 1
    again = sup_api.post_files(f"{API}/tasks/{case.number}/check", {**failed, "photos": [jpeg()]})
    assert again.status_code == 200 and case.actions.filter(action="check").count() == 1


def test_check_passed_goes_to_closing(sup_api, org):
    case = checking_case(org)
    form = {"version": case.version, "passed": "true", "photos": [jpeg()]}
    assert sup_api.post_files(f"{API}/tasks/{case.number}/check", form).status_code == 201
    case.refresh_from_db()
    assert case.state == State.CLOSING and case.photos.filter(stage=CasePhoto.Stage.CHECK).exists()
