"""Outside delivery through the SMS gateway adapter, against a real HTTP server standing in for
the operator's gateway: what it receives, a failure kept and retried, and what is never sent."""

import json
import threading
from datetime import timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from urbangrid.cases import jobs
from urbangrid.notify.models import Notification
from urbangrid.notify.services import MAX_ATTEMPTS, deliver_pending, notify

pytestmark = pytest.mark.django_db


class Gateway:
    """Answers each POST with the next status in `statuses` (200 once they run out)."""

    def __init__(self, statuses=()):
        self.statuses, self.received = list(statuses), []
        gateway = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers["Content-Length"]))
                gateway.received.append((self.headers.get("Authorization"), json.loads(body)))
                self.send_response(gateway.statuses.pop(0) if gateway.statuses else 200)
                self.end_headers()

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_port}/send"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self):
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def gateway(settings):
    gw = Gateway()
    settings.URBANGRID = {
        **settings.URBANGRID,
        "NOTIFY_CHANNEL": "sms",
        "SMS_GATEWAY_URL": gw.url,
        "SMS_GATEWAY_TOKEN": "s3cret",
    }
    yield gw
    gw.close()


def test_the_gateway_gets_the_phone_the_text_and_the_case(gateway, make_user, clock):
    worker = make_user("disposer", phone="13700001111")
    no_phone = make_user("disposer")
    notify([worker, no_phone], "案卷2026000001已派遣给您单位", kind="dispatched", case_number="2026000001")
    notify([], "您反映的问题已受理", kind="accepted", case_number="2026000001", phones=["13900002222"])
    assert Notification.objects.filter(user=no_phone).exists()  # in-app at once, whatever the channel
    assert jobs.run_once()["notifications_sent"] == 2
    assert sorted(body["phone"] for _auth, body in gateway.received) == ["13700001111", "13900002222"]
    assert {auth for auth, _body in gateway.received} == {"Bearer s3cret"}
    assert {body["ref"] for _auth, body in gateway.received} == {"2026000001"}
    assert deliver_pending() == 0  # sent once
    assert Notification.objects.get(user=no_phone).delivered_at is None  # nothing to text


def test_a_failed_delivery_is_kept_and_retried(gateway, make_user, clock):
    gateway.statuses = [500]
    worker = make_user("disposer", phone="13700001111")
    notify([worker], "请尽快处置", kind="urged", case_number="2026000002")
    assert deliver_pending() == 0
    row = Notification.objects.get(user=worker)
    assert row.attempts == 1 and row.delivered_at is None and "500" in row.error
    assert deliver_pending() == 1
    row.refresh_from_db()
    assert row.attempts == 2 and row.delivered_at is not None and row.error == ""


def test_a_gateway_that_keeps_failing_is_given_up_on(gateway, make_user, clock):
    gateway.statuses = [503] * (MAX_ATTEMPTS + 3)
    notify([make_user("disposer", phone="13700001111")], "请尽快处置", kind="urged")
    for _ in range(MAX_ATTEMPTS + 2):
        deliver_pending()
    assert len(gateway.received) == MAX_ATTEMPTS


def test_yesterdays_news_is_not_texted(gateway, make_user, clock):
    notify([make_user("disposer", phone="13700001111")], "请尽快处置", kind="urged")
    clock.advance(timedelta(days=1, minutes=1))
    assert deliver_pending() == 0 and gateway.received == []
