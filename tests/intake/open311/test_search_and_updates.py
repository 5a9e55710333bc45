"""GET requests and servicerequestupdates: the public feed shows public-channel cases with
open/closed, Chinese status notes and the public timeline, and never who reported them or
which staff handled them; filters and paging; updates from outside need a key."""

import io
from datetime import timedelta

import pytest

from tests.intake.open311.conftest import jpeg_with_gps, official_validator
from urbangrid.cases import services as cases
from urbangrid.intake.models import RequestUpdate

SECRET_WORDS = ("13812345678", "张三", "王监督", "sup_w", "intake1", "disp1", "citizen1")


def post(o311, **data):
    return o311.report(**data)[0]["service_request_id"]


def to_disposing(o, number):
    cases.accept(o.intake, number)
    cases.verify(o.sup, number, confirmed=True, photos=[jpeg_with_gps()], note="王监督到场核实")
    cases.file_case(o.shift, number, meets_condition=True)
    cases.dispatch(o.dispatcher, number, department=o.hws, note="请尽快")


@pytest.fixture
def feed(o311, org, clock):
    """A dispatched request, a rejected one, and a supervisor's own report (not in the feed)."""
    dispatched = post(
        o311, description="垃圾堆 联系我13812345678", first_name="张", last_name="三", phone="13812345678"
    )
    to_disposing(org, dispatched)
    rejected = post(o311, service_code="09006", description="占道")
    cases.reject(org.intake, rejected, reason_code="out_of_jurisdiction", note="intake1 认为不归我们管")
    own = cases.report_case(
        org.sup,
        source="supervisor",
        kind="matter",
        type_code="06010",
        description="巡查发现",
        lon=120.001,
        lat=30.009,
    )
    return {"dispatched": dispatched, "rejected": rejected, "own": own.number}


def by_id(items):
    return {i["service_request_id"]: i for i in items}


def test_feed_shows_public_requests_with_status_notes_and_no_identities(o311, feed, org):
    body = o311.both("requests", "requests", extensions="true")
    official_validator("requests.json").validate(body)
    items = by_id(body)
    assert set(items) == {feed["dispatched"], feed["rejected"]}  # the supervisor's own report stays inside
    d, r = items[feed["dispatched"]], items[feed["rejected"]]
    assert d["status"] == "open" and "环卫所" in d["status_notes"] and d["agency_responsible"] == "环卫所"
    assert d["description"] == "垃圾堆 联系我138****5678"
    assert r["status"] == "closed" and "不属于本辖区" in r["status_notes"] and "12345" in r["status_notes"]
    assert "数字城管监督指挥中心" in r["status_notes"]  # who decided: the body, not the person
    assert r["extended_attributes"]["status"] == "NOT_COUNCILS_RESPONSIBILITY"
    assert [n["type"] for n in d["notes"]] == ["report", "accept", "verify", "file", "dispatch"]
    assert d["extended_attributes"]["status"] == "IN_PROGRESS"
    resp_text = o311.http.get("/open311/v2/requests.xml", {"extensions": "true"}).content.decode()
    for word in SECRET_WORDS:
        assert word not in resp_text and word not in str(items)
    # The supervisor's verification photo is not public; no report photo: no media_url.
    assert d["media_url"] is None and d["extended_attributes"]["photos"] == []


def test_one_request_in_both_formats_and_unknown_ones(o311, feed):
    (item,) = o311.both(f"requests/{feed['dispatched']}", "requests")
    assert item["service_code"] == "06010" and item["requested_datetime"].endswith("+08:00")
    o311.both("requests/2026999999", "requests", expect=404)
    o311.both(f"requests/{feed['own']}", "requests", expect=404)  # not public


def test_filters(o311, feed, clock):
    ids = lambda **q: {i["service_request_id"] for i in o311.both("requests", "requests", **q)}  # noqa: E731
    assert ids(status="open") == {feed["dispatched"]}
    assert ids(status="closed") == {feed["rejected"]}
    assert ids(status="open,closed") == ids() == {feed["dispatched"], feed["rejected"]}
    assert ids(service_code="09006") == {feed["rejected"]}
    # service_request_id overrides every other parameter
    assert ids(service_request_id=f"{feed['dispatched']},{feed['rejected']}", status="closed") == {
        feed["dispatched"],
        feed["rejected"],
    }
    assert ids(start_date="2026-11-27T00:00:00+08:00") == set()
    assert ids(start_date="2026-11-26T00:00:00+08:00", end_date="2026-11-27T00:00:00+08:00") == ids()
    assert ids(start_date="2026-11-26") == ids()
    assert ids(page_size="1", page="1") | ids(page_size="1", page="2") == ids()
    assert ids(page_size="1", page="3") == set()
    clock.advance(timedelta(days=100))
    assert ids() == set()  # the default window is the last 90 days
    assert ids(updated_after="2026-11-25T00:00:00+08:00") == {feed["dispatched"], feed["rejected"]}
    assert ids(updated_before="2026-11-25T00:00:00+08:00") == set()


@pytest.mark.parametrize(
    ("query", "words"),
    [
        ({"status": "pending"}, "status"),
        ({"start_date": "yesterday"}, "start_date"),
        ({"end_date": "2026-13-01"}, "end_date"),
        ({"start_date": "2026-01-01T00:00:00+08:00", "end_date": "2026-11-01T00:00:00+08:00"}, "90"),
        ({"start_date": "2026-11-20T00:00:00+08:00", "end_date": "2026-11-01T00:00:00+08:00"}, "end_date"),
        ({"page_size": "0"}, "page_size"),
        ({"page_size": "5000"}, "page_size"),
        ({"page": "x"}, "page"),
        ({"updated_after": "soon"}, "updated_after"),
    ],
)
def test_bad_search_parameters_are_400(o311, db, query, words):
    for fmt in ("xml", "json"):
        body = o311.get("requests", fmt, "requests", 400, **query)
        errors = body if fmt == "json" else body["error"]
        assert errors[0]["code"] == 400 and words in errors[0]["description"]


def test_updates_feed_is_the_clients_own_requests_in_extended_statuses(o311, feed, org):
    o311.both("servicerequestupdates", "updates", expect=403)
    updates = o311.both("servicerequestupdates", "updates", api_key=o311.key)
    mine = {u["service_request_id"] for u in updates}
    assert mine == {feed["dispatched"], feed["rejected"]}
    statuses = [u["status"] for u in updates if u["service_request_id"] == feed["dispatched"]]
    assert statuses == ["OPEN", "OPEN", "INVESTIGATING", "INVESTIGATING", "IN_PROGRESS"]
    assert any(u["status"] == "NOT_COUNCILS_RESPONSIBILITY" for u in updates)
    assert not any(w in str(updates) for w in SECRET_WORDS)
    o311.both("servicerequestupdates", "updates", 400, api_key=o311.key, start_date="nonsense")


def test_posting_an_update_keeps_it_beside_the_case_and_shows_it_scrubbed(o311, feed):
    for fmt in ("xml", "json"):
        o311.post(
            "servicerequestupdates",
            fmt,
            "update_created",
            service_request_id=feed["dispatched"],
            description="还没清理，电话13812345678",
            first_name="张",
            last_name="三",
            media=jpeg_with_gps(),
        )
    saved = RequestUpdate.objects.filter(case__number=feed["dispatched"])
    assert saved.count() == 2 and saved.first().author == "张 三"
    assert saved.first().media.name.startswith("updates/")
    from PIL import Image

    assert not Image.open(saved.first().media).getexif()  # stored without the phone's GPS tag
    (item,) = o311.both(f"requests/{feed['dispatched']}", "requests", extensions="true")
    comments = [n for n in item["notes"] if n["type"] == "comment"]
    assert [c["description"] for c in comments] == ["还没清理，电话138****5678"] * 2
    assert "张 三" not in str(item)


@pytest.mark.parametrize(
    ("data", "status"),
    [
        ({"description": "x"}, 400),
        ({"service_request_id": "2026999999", "description": "x"}, 404),
        ({"service_request_id": "OWN", "description": "x"}, 404),
        ({"service_request_id": "DISPATCHED"}, 400),
        ({"service_request_id": "DISPATCHED", "description": "x" * 4001}, 400),
        ({"service_request_id": "DISPATCHED", "description": "x", "api_key": "wrong"}, 403),
    ],
)
def test_bad_updates_are_refused(o311, feed, data, status):
    data = {
        k: feed["dispatched"] if v == "DISPATCHED" else feed["own"] if v == "OWN" else v
        for k, v in data.items()
    }
    for fmt in ("xml", "json"):
        o311.post("servicerequestupdates", fmt, "update_created", status, **data)
    assert not RequestUpdate.objects.exists()


def test_an_update_with_a_bad_photo_is_refused(o311, feed):
    from django.core.files.uploadedfile import SimpleUploadedFile

    fake = SimpleUploadedFile("x.png", b"not an image", content_type="image/png")
    o311.post(
        "servicerequestupdates",
        "json",
        "update_created",
        400,
        service_request_id=feed["dispatched"],
        description="x",
        media=fake,
    )
    assert not RequestUpdate.objects.exists()


def test_after_disposal_photo_is_public_and_stripped(o311, feed, org):
    cases.feedback(org.cleaner, feed["dispatched"], note="hws1 已清理", photos=[jpeg_with_gps("after.jpg")])
    (item,) = o311.both(f"requests/{feed['dispatched']}", "requests", extensions="true")
    assert item["media_url"] and item["extended_attributes"]["photos"] == [item["media_url"]]
    assert item["notes"][-1]["type"] == "feedback" and "hws1" not in str(item)
    assert "环卫所" in item["status_notes"]
    from PIL import Image

    served = o311.http.get(item["media_url"].removeprefix("http://testserver"))
    assert not Image.open(io.BytesIO(served.content)).getexif()
    updates = o311.both("servicerequestupdates", "updates", api_key=o311.key)
    (fixed,) = [u for u in updates if u["external_status_code"] == "checking"]
    assert fixed["status"] == "IN_PROGRESS" and fixed["media_url"] == item["media_url"]


def test_a_resent_update_is_stored_once_and_its_key_cannot_move_to_another_request(o311, feed):
    def send(number, expect=200):
        return o311.post(
            "servicerequestupdates",
            "json",
            "update_created",
            expect,
            headers={"Idempotency-Key": "fms-update-77"},
            service_request_id=number,
            description="已经第三天了，还没清理",
        )

    first, again = send(feed["dispatched"]), send(feed["dispatched"])
    assert first == again  # the lost reply's retry gets the same update id
    assert RequestUpdate.objects.filter(case__number=feed["dispatched"]).count() == 1
    (refused,) = send(feed["rejected"], expect=400)
    assert "幂等键" in refused["description"]
    assert RequestUpdate.objects.count() == 1
