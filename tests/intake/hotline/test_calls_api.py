"""The telephony webhook: a call is recorded once, only with a telephony key, and tells the
caller's history."""

import pytest

from urbangrid.intake import calls
from urbangrid.intake.models import ApiClient, Call

pytestmark = pytest.mark.django_db

URL = "/api/v1/intake/calls"


def post(client, body, key):
    return client.post(URL, body, content_type="application/json", headers={"X-Api-Key": key})


def test_a_call_is_recorded_once_however_often_it_is_announced(client, telephony, org):
    _tel, key = telephony
    first = post(client, {"call_id": "C-1001", "caller": "13900001111"}, key)
    again = post(client, {"call_id": "C-1001", "caller": "13900001111"}, key)
    assert first.status_code == 201 and first.json()["created"] is True
    assert again.status_code == 200 and again.json()["created"] is False
    assert Call.objects.filter(call_id="C-1001").count() == 1
    assert [c.call_id for c in calls.ringing(org.intake)] == ["C-1001"]


def test_a_bad_or_foreign_key_is_refused(client, telephony, make_client, org):
    _machine, machine_key = make_client(ApiClient.Kind.MACHINE)
    for key in ("wrong-key", machine_key, ""):
        resp = post(client, {"call_id": "C-1", "caller": "13900001111"}, key)
        assert resp.status_code == 401
        assert resp.json()["code"] == "bad_api_key"
    assert not Call.objects.exists()


def test_malformed_calls_are_refused_with_a_reason(client, telephony, org):
    _tel, key = telephony
    assert post(client, {"call_id": "", "caller": "139"}, key).json()["code"] == "bad_call_id"
    resp = post(client, {"call_id": "C-2", "caller": " "}, key)
    assert resp.status_code == 422 and resp.json()["code"] == "bad_caller"
    assert post(client, {"caller": "139"}, key).status_code == 422


def test_the_webhook_answers_with_the_callers_history(client, telephony, org):
    _tel, key = telephony
    post(client, {"call_id": "C-1", "caller": "13900001111"}, key)
    calls.answer(org.intake, "C-1")
    calls.consult(org.intake, "C-1", question="垃圾清运时间?", answer_text="每天早上六点")
    resp = post(client, {"call_id": "C-2", "caller": "13900001111"}, key)
    assert resp.json()["earlier_calls"] == 1
