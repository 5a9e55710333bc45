"""The live stream: events reach the screens after commit only, a screen that reconnects with
Last-Event-ID catches up, and each viewer sees only events of their scope."""

import json

import pytest
from django.db import transaction
from django.test import Client

from tests.browser import PASSWORD
from tests.command.conftest import report, to_disposing, walk
from urbangrid.command import stream
from urbangrid.command.hub import Hub, hub

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _short_heartbeat(monkeypatch):
    # The stream waits this long for news before a keep-alive line; tests read without waiting.
    monkeypatch.setattr(stream, "HEARTBEAT_S", 0.05)


def client_for(user) -> Client:
    c = Client()
    assert c.login(username=user.username, password=PASSWORD)
    return c


def read_frames(response, count: int) -> list[dict]:
    """The next `count` frames that carry data (keep-alive comments skipped)."""
    frames, chunks = [], iter(response.streaming_content)
    for _ in range(count * 20):
        text = next(chunks).decode()
        if text.startswith(":") or text.startswith("retry"):
            continue
        fields = dict(line.split(": ", 1) for line in text.strip().split("\n"))
        fields["data"] = json.loads(fields["data"])
        frames.append(fields)
        if len(frames) == count:
            break
    response.close()
    return frames


def test_committed_case_changes_reach_the_hub_in_order(org, django_capture_on_commit_callbacks):
    seq = hub.last_seq
    with django_capture_on_commit_callbacks(execute=True):
        case = report(org)
    with django_capture_on_commit_callbacks(execute=True):
        to_disposing(org, case)
    names = [i.name for i in hub.after(seq, 0)]
    assert names == ["case.report", "case.accept", "case.verify", "case.file", "case.dispatch"]
    last = hub.after(seq, 0)[-1].payload
    assert last["number"] == case.number and last["state"] == "disposing" and last["department"] == "hws"


def test_a_rolled_back_change_never_reaches_the_screens(org, django_capture_on_commit_callbacks):
    seq = hub.last_seq
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        report(org)
        transaction.set_rollback(True)
    assert hub.after(seq, 0) == []


def test_the_stream_says_hello_then_delivers_new_events(org, django_capture_on_commit_callbacks):
    response = client_for(org.dispatcher).get("/command/stream/")
    assert response.status_code == 200 and response["Content-Type"] == "text/event-stream"
    chunks = iter(response.streaming_content)
    assert next(chunks).startswith(b"retry:")
    hello = next(chunks).decode()
    assert "event: hello" in hello
    with django_capture_on_commit_callbacks(execute=True):
        case = report(org)
    frame = next(c for c in chunks if not c.startswith(b":")).decode()
    data = json.loads(frame.split("data: ", 1)[1])
    assert data["event"] == "case.report" and data["number"] == case.number
    response.close()


def test_a_reconnecting_screen_catches_up_from_its_last_event_id(org, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        case = report(org)
    seen = hub.event_id(hub.last_seq)  # what the screen had when its connection dropped
    with django_capture_on_commit_callbacks(execute=True):
        to_disposing(org, case)
    response = client_for(org.dispatcher).get("/command/stream/", headers={"Last-Event-ID": seen})
    frames = read_frames(response, 4)
    assert [f["data"]["event"] for f in frames] == [
        "case.accept",
        "case.verify",
        "case.file",
        "case.dispatch",
    ]
    assert frames[-1]["id"] == hub.event_id(hub.last_seq)


@pytest.mark.parametrize("last_id", ["garbage", "00000-1", "-1"])
def test_a_screen_that_cannot_catch_up_is_told_to_reload(org, last_id):
    response = client_for(org.dispatcher).get("/command/stream/", headers={"Last-Event-ID": last_id})
    frames = read_frames(response, 1)
    assert frames[0]["event"] == "resync" and frames[0]["id"] == hub.event_id(hub.last_seq)


def test_an_id_older_than_the_ring_is_a_resync():
    small = Hub(capacity=3)

    class E:
        def __init__(self, n):
            from urbangrid.core.events import Event

            self.event = Event("case.report", {"n": n})

    for n in range(6):
        small.receive(E(n).event)
    assert small.parse_id(small.event_id(2)) is None  # events 3..6 kept: 3 is lost
    assert small.parse_id(small.event_id(3)) == 3
    assert [i.payload["n"] for i in small.after(3, 0)] == [3, 4, 5]
    assert small.parse_id(small.event_id(7)) is None  # from the future: another server


def test_a_department_leader_hears_only_their_departments_cases(org, django_capture_on_commit_callbacks):
    response = client_for(org.szgs_leader).get("/command/stream/")
    chunks = iter(response.streaming_content)
    next(chunks), next(chunks)  # retry, hello
    with django_capture_on_commit_callbacks(execute=True):
        cleaning = report(org)  # 06010 goes to the sanitation office
        to_disposing(org, cleaning)
        manhole = report(org, type_code="01001")
        to_disposing(org, manhole, department=org.szgs)
    frame = next(c for c in chunks if not c.startswith(b":")).decode()
    data = json.loads(frame.split("data: ", 1)[1])
    assert data["number"] == manhole.number and data["event"] == "case.dispatch"
    response.close()


def test_supervisor_positions_stream_to_the_centre(org, django_capture_on_commit_callbacks):
    response = client_for(org.shift).get("/command/stream/")
    chunks = iter(response.streaming_content)
    next(chunks), next(chunks)
    with django_capture_on_commit_callbacks(execute=True):
        walk(org.sup, org.west_point)
    frames = [json.loads(c.decode().split("data: ", 1)[1]) for c in (next(chunks), next(chunks))]
    response.close()
    assert [f["event"] for f in frames] == ["supervisor.on_duty", "supervisor.position"]
    assert frames[1]["user"] == "sup_w" and frames[1]["lon"] == org.west_point[0]


def test_roles_outside_the_centre_get_no_stream(org):
    assert client_for(org.worker).get("/command/stream/").status_code == 403
    assert Client().get("/command/stream/").status_code == 302  # to the login page
