"""The call console without a browser: what rings where, the caller's history, a call ended
with a report, with an answer (no case), refusals for other roles and taken calls."""

import pytest

from tests.browser import PASSWORD
from urbangrid.cases.models import Case, CaseReporter, Source
from urbangrid.core.errors import Conflict, PermissionDenied
from urbangrid.geo.geocoding import OutsideJurisdiction
from urbangrid.intake import calls
from urbangrid.intake.models import Call

from .loop import hotline_report

pytestmark = pytest.mark.django_db


def login(client, user):
    assert client.login(username=user.username, password=PASSWORD)
    return client


def test_the_ringing_call_shows_the_callers_history(client, org):
    old = hotline_report(org, "13900001111")
    calls.register_call(None, call_id="C-OLD", caller="13900001111")
    calls.consult(org.intake, "C-OLD", question="垃圾几点清运?", answer_text="早六点")
    calls.register_call(None, call_id="C-NEW", caller="13900001111")
    html = login(client, org.intake).get("/hotline/ringing/").content.decode()
    assert "13900001111" in html and old.number in html and "垃圾几点清运" in html
    assert "/hotline/calls/C-NEW/answer/" in html


def test_a_call_ends_with_a_report_carrying_the_call_id(client, org):
    calls.register_call(None, call_id="C-7", caller="13900002222")
    login(client, org.intake).post("/hotline/calls/C-7/answer/")
    resp = client.post(
        "/hotline/calls/C-7/",
        {
            "do": "report",
            "kind": "matter",
            "type": "06010",
            "urgency": "normal",
            "description": "小区门口垃圾箱满溢",
            "lon": org.west_point[0],
            "lat": org.west_point[1],
            "address": "人民路5号",
            "reporter_name": "张先生",
        },
    )
    assert resp.status_code == 302
    call = Call.objects.get(call_id="C-7")
    assert call.outcome == Call.Outcome.REPORT and call.operator == org.intake
    case = call.case
    assert case.source == Source.HOTLINE_12319 and case.external_ref == "C-7"
    reporter = CaseReporter.objects.get(case=case)
    assert (reporter.phone, reporter.name) == ("13900002222", "张先生")
    # Submitting again (a double click, a reload) makes no second case.
    assert calls.report(org.intake, "C-7", kind="matter", type_code="06010", description="x") == case
    assert Case.objects.count() == 1


def test_a_report_outside_the_county_is_refused_and_the_call_stays_open(client, org):
    calls.register_call(None, call_id="C-8", caller="13900002222")
    login(client, org.intake).post("/hotline/calls/C-8/answer/")
    body = {"do": "report", "kind": "matter", "type": "06010", "urgency": "normal", "description": "满溢"}
    resp = client.post("/hotline/calls/C-8/", {**body, "lon": 121.5, "lat": 31.2})
    assert resp.status_code == 422
    assert str(OutsideJurisdiction.default_message) in resp.content.decode()
    assert Call.objects.get(call_id="C-8").outcome == Call.Outcome.PENDING


def test_a_consultation_is_recorded_without_a_case(client, org):
    call = login(client, org.intake).post("/hotline/calls/new/", {"caller": "13900003333"})
    call_id = call["Location"].split("/")[-2]
    resp = client.post(
        f"/hotline/calls/{call_id}/", {"do": "consult", "question": "占道经营归谁管?", "answer": "城管执法局"}
    )
    assert resp.status_code == 302
    recorded = Call.objects.get(call_id=call_id)
    assert recorded.outcome == Call.Outcome.CONSULTATION and recorded.answer == "城管执法局"
    assert recorded.case is None and not Case.objects.exists()
    again = client.post(f"/hotline/calls/{call_id}/", {"do": "consult", "question": "q", "answer": "a"})
    assert again.status_code == 409


def test_other_roles_are_refused(client, org):
    calls.register_call(None, call_id="C-9", caller="13900004444")
    for user in (org.dispatcher, org.worker, org.citizen):
        client.logout()
        login(client, user)
        assert client.get("/hotline/").status_code == 403
        assert client.get("/hotline/ringing/").status_code == 403
        assert client.post("/hotline/calls/C-9/answer/").status_code == 403
    with pytest.raises(PermissionDenied):
        calls.consult(org.dispatcher, "C-9", question="q", answer_text="a")
    assert Call.objects.get(call_id="C-9").operator is None


def test_a_call_answered_by_one_operator_cannot_be_taken_by_another(client, org):
    calls.register_call(None, call_id="C-10", caller="13900005555")
    calls.answer(org.intake, "C-10")
    assert calls.ringing(org.intake2) == []
    with pytest.raises(Conflict):
        calls.answer(org.intake2, "C-10")
    assert login(client, org.intake2).post("/hotline/calls/C-10/answer/").status_code == 409
