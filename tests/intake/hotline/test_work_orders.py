"""12345 work orders: pushed in once whatever the resends, located by address when no position
comes, and their status changes delivered back to a real HTTP server, retried after failures."""

import hashlib
import hmac
import json
import threading
from datetime import timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from urbangrid.cases import jobs
from urbangrid.cases import services as case_services
from urbangrid.cases.models import Case, CaseReporter, Source
from urbangrid.intake import outbound
from urbangrid.intake.models import ApiClient, OutboundUpdate

pytestmark = pytest.mark.django_db

URL = "/api/v1/intake/work-orders"


class Platform:
    """The 12345 platform's callback: answers each POST with the next status of `statuses`."""

    def __init__(self):
        self.statuses, self.received = [], []
        platform = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers["Content-Length"]))
                platform.received.append((self.headers.get("X-UrbanGrid-Signature"), body))
                self.send_response(platform.statuses.pop(0) if platform.statuses else 200)
                self.end_headers()

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_port}/status"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def bodies(self):
        return [json.loads(body) for _sig, body in self.received]

    def close(self):
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def platform():
    p = Platform()
    yield p
    p.close()


@pytest.fixture
def transfer(make_client, platform):
    return make_client(ApiClient.Kind.TRANSFER_12345, callback_url=platform.url)


def push(client, key, **fields):
    body = {"order_number": "GD20261126001", "type": "01001", "description": "人民路井盖缺失", **fields}
    return client.post(URL, body, content_type="application/json", headers={"X-Api-Key": key})


def test_an_order_becomes_one_case_however_often_it_is_sent(client, transfer, org):
    _c, key = transfer
    first = push(client, key, lon=org.west_point[0], lat=org.west_point[1], caller_phone="13611112222")
    again = push(client, key, lon=org.west_point[0], lat=org.west_point[1], caller_phone="13611112222")
    assert first.status_code == 201 and again.status_code == 200
    assert first.json()["number"] == again.json()["number"]
    case = Case.objects.get(number=first.json()["number"])
    assert case.source == Source.TRANSFER_12345 and case.external_ref == "GD20261126001"
    assert CaseReporter.objects.get(case=case).phone == "13611112222"


def test_an_order_is_located_by_its_address_and_its_type_by_name(client, transfer, org):
    _c, key = transfer
    resp = push(client, key, type="供水井盖", address="人民路5号", deadline="2026-11-28T17:00:00+08:00")
    assert resp.status_code == 201, resp.content
    case = Case.objects.get(number=resp.json()["number"])
    assert case.type.code == "01001"
    assert abs(case.lon - 120.003) < 0.001 and abs(case.lat - 30.005) < 0.001
    assert "2026-11-28 17:00" in case.description


def test_bad_orders_are_refused_saying_why(client, transfer, make_client, org):
    _c, key = transfer
    _tel, tel_key = make_client(ApiClient.Kind.TELEPHONY)
    assert push(client, tel_key, lon=120.001, lat=30.009).status_code == 401
    resp = push(client, key, lon=121.5, lat=31.2)
    assert resp.status_code == 422 and resp.json()["code"] == "outside_jurisdiction"
    assert push(client, key, address="火星大道999号").json()["code"] == "address_not_found"
    assert push(client, key).json()["code"] == "location_required"
    assert push(client, key, type="不存在的类型xyz", lon=120.001, lat=30.009).json()["code"] == "unknown_type"
    assert not Case.objects.exists()


def test_status_changes_flow_back_signed_and_a_failure_is_retried(client, transfer, platform, org, clock):
    api_client, key = transfer
    number = push(client, key, lon=org.west_point[0], lat=org.west_point[1]).json()["number"]
    platform.statuses = [503]
    assert outbound.send_pending() == 0  # the report's own update failed: kept, tried later
    row = OutboundUpdate.objects.get()
    assert row.attempts == 1 and row.sent_at is None and "503" in row.error
    case_services.accept(org.intake, number)
    assert outbound.send_pending() == 0  # the failed one is not due yet, and order is kept
    clock.advance(timedelta(seconds=31))
    assert jobs.run_once()["outbound_sent"] == 2
    sent = platform.bodies()
    assert [b["action"] for b in sent] == ["report", "report", "accept"]
    assert sent[-1]["order_number"] == "GD20261126001" and sent[-1]["state"] == "verifying"
    signature, body = platform.received[-1]
    expected = hmac.new(api_client.key_digest.encode(), body, hashlib.sha256).hexdigest()
    assert signature == f"sha256={expected}"
    assert outbound.send_pending() == 0  # nothing twice
    assert OutboundUpdate.objects.count() == 2


def test_only_pushed_orders_are_reported_back(client, transfer, platform, org):
    # The desk may record a 12345 transfer by hand: the platform did not send it, so nothing goes back.
    case_services.report_case(
        org.intake,
        source=Source.TRANSFER_12345,
        kind="matter",
        type_code="01001",
        description="手工登记的12345转办",
        lon=org.west_point[0],
        lat=org.west_point[1],
        external_ref="GD-HAND",
    )
    assert outbound.send_pending() == 0
    assert platform.received == []


class Recorder:
    """Another outbound adapter, as a deployment would plug in (a message queue, a SOAP bridge)."""

    sent = []

    def send(self, client, payload):
        Recorder.sent.append((client.name, payload["order_number"], payload["action"]))


def test_the_outbound_adapter_is_chosen_by_setting(client, transfer, org, settings):
    settings.URBANGRID = {**settings.URBANGRID, "OUTBOUND_ADAPTER": f"{__name__}.Recorder"}
    Recorder.sent.clear()
    _c, key = transfer
    push(client, key, lon=org.west_point[0], lat=org.west_point[1])
    assert outbound.send_pending() == 1
    assert Recorder.sent == [("transfer_12345 system", "GD20261126001", "report")]
