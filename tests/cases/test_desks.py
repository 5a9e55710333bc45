"""What the desks notice when cases move between them: who hears back, who may still act, who
is pressed and who is told when a deadline is missed again."""

from datetime import timedelta

import pytest

from tests.cases.conftest import photo
from tests.cases.test_lifecycle import report, to_dispatching, to_disposing
from urbangrid.cases import services
from urbangrid.cases.models import Case, CaseStep, State, Step
from urbangrid.core.errors import Invalid, PermissionDenied
from urbangrid.notify.models import Notification

pytestmark = pytest.mark.django_db

CALLER = "13900001111"


def test_a_hotline_caller_hears_back_on_their_phone_not_the_operator(org):
    o = org
    case = report(o, by=o.intake, source="hotline_12319", reporter_name="张先生", reporter_phone=CALLER)
    services.accept(o.intake, case.number)
    told = Notification.objects.filter(case_number=case.number, kind="accepted")
    assert list(told.values_list("phone", flat=True)) == [CALLER]
    assert not told.filter(user=o.intake).exists()
    reporter = case.reporters.get()
    assert reporter.user is None and reporter.name == "张先生"


def test_a_claim_ends_when_the_case_moves_to_the_next_desk(org, clock):
    o = org
    case = report(o, by=o.sup, source="supervisor")
    services.claim(o.intake, case.number)
    services.accept(o.intake, case.number)  # a supervisor's report goes straight to 立案
    case.refresh_from_db()
    assert case.holder is None
    services.file_case(o.shift, case.number, meets_condition=True)  # not "held by another"
    assert Case.objects.get(pk=case.pk).state == State.DISPATCHING


def test_bulk_dispatch_reports_an_unknown_number_and_dispatches_the_rest(org):
    o = org
    first = to_dispatching(o, report(o))
    second = to_dispatching(o, report(o))
    results = services.bulk_dispatch(
        o.dispatcher, [first.number, "2026999999", second.number], department=o.hws
    )
    assert [r["ok"] for r in results] == [True, False, True]
    assert results[1]["code"] == "case_not_found"
    assert set(Case.objects.filter(pk__in=[first.pk, second.pk]).values_list("state", flat=True)) == {
        State.DISPOSING
    }


def test_urging_a_case_awaiting_check_presses_its_supervisor(org):
    o = org
    case = to_disposing(o, report(o))
    services.feedback(o.cleaner, case.number, note="已清运", photos=[photo()])
    services.urge(o.leader, case.number, note="请尽快核查")
    urged = Notification.objects.filter(case_number=case.number, kind="urged")
    assert list(urged.values_list("user", flat=True)) == [o.sup.pk]


def test_an_urgent_case_counts_natural_time_at_the_centre(org, clock):
    o = org
    clock.advance(timedelta(hours=8))  # Thursday 18:00, after office hours
    urgent = report(o, urgency="urgent")
    normal = report(o)
    assert urgent.step_due_at == clock.now() + timedelta(minutes=10)
    assert normal.step_due_at > clock.now() + timedelta(hours=12)  # waits for Friday morning


def test_rework_and_a_new_deadline_escalate_afresh(org, clock):
    o = org
    case = to_disposing(o, report(o, type_code="01001", kind="component"), department=o.szgs)
    first = CaseStep.objects.get(case=case, step=Step.DISPOSE)
    clock.freeze(first.due_at + timedelta(minutes=1))
    assert services.tick()["escalated"] == 1
    services.feedback(o.worker, case.number, note="已处置", photos=[photo()])
    services.check(o.sup, case.number, passed=False, reason_code="incomplete", photos=[photo()])
    case.refresh_from_db()
    assert case.escalation_level == 0  # the new disposal starts clean
    second = CaseStep.objects.filter(case=case, step=Step.DISPOSE).latest("id")
    clock.freeze(second.due_at + timedelta(minutes=1))
    assert services.tick() == {"overdue": 1, "escalated": 1, "claims_expired": 0}
    assert Notification.objects.filter(user=o.szgs_leader, kind="escalated").count() == 2
    # An approved extension gives a new deadline; missing that one is noticed again.
    req = services.request_extension(
        o.worker, case.number, reason_code="weather", extra_value=2, extra_unit="work_hours"
    )
    services.decide_request(o.shift, req.pk, approve=True)
    assert services.tick()["overdue"] == 0
    case.refresh_from_db()
    clock.freeze(case.disposal_due_at + timedelta(minutes=1))
    assert services.tick()["overdue"] == 1


def test_a_department_without_a_parent_counts_no_escalation(org, clock):
    o = org
    case = to_dispatching(o, report(o))
    # A street office has no parent department set here.
    services.dispatch(o.dispatcher, case.number, department=o.west_gov, reason_code="local_arrangement")
    step = CaseStep.objects.get(case=case, step=Step.DISPOSE)
    clock.freeze(step.due_at + timedelta(minutes=1))
    assert services.tick() == {"overdue": 1, "escalated": 0, "claims_expired": 0}


def test_merge_stays_within_the_operators_area_and_the_kind_of_problem(org, make_user):
    o = org
    west = report(o, type_code="01001", kind="component")
    east = report(o, point=o.east_point, type_code="01001", kind="component")
    bins = report(o)  # 暴露垃圾: another kind of problem in the same place
    newer = report(o, type_code="01001", kind="component")
    west_only = make_user("intake", username="intake_w", department=o.centre, areas=[o.county["streets"][0]])
    with pytest.raises(PermissionDenied):
        services.merge(west_only, newer.number, into=east.number)
    with pytest.raises(Invalid) as exc:
        services.merge(o.intake, newer.number, into=bins.number)
    assert exc.value.code == "merge_other_type"
    services.merge(west_only, newer.number, into=west.number)
    assert Case.objects.get(pk=newer.pk).state == State.MERGED


def test_a_company_leader_leads_the_company_alone(org):
    o = org
    theirs = to_disposing(o, report(o, type_code="01001", kind="component"), department=o.szgs)
    others = to_disposing(o, report(o))  # with 环卫所
    services.urge(o.szgs_leader, theirs.number, note="抓紧更换")
    with pytest.raises(PermissionDenied) as exc:
        services.urge(o.szgs_leader, others.number, note="抓紧清运")
    assert exc.value.code == "out_of_scope"
    from urbangrid.cases.queries import visible_cases

    assert set(visible_cases(o.szgs_leader).values_list("number", flat=True)) == {theirs.number}
    services.urge(o.leader, others.number, note="抓紧清运")  # the county's leader reaches every case


def test_the_department_receives_its_task_once_per_disposal(org, api_client, clock):
    o = org
    case = to_disposing(o, report(o))
    with pytest.raises(PermissionDenied):
        services.receive(o.worker, case.number)  # 市政公司 is not the department sent
    worker = api_client(o.cleaner)
    detail = worker.get(f"/api/v1/cases/{case.number}").json()
    assert "receive" in detail["allowed_actions"]
    resp = worker.post(
        f"/api/v1/cases/{case.number}/receive", {"version": detail["version"], "note": "已安排人员"}
    )
    assert resp.status_code == 200, resp.content
    assert [t["action"] for t in resp.json()["timeline"]][-1] == "receive"
    assert "receive" not in resp.json()["allowed_actions"]
    again = worker.post(f"/api/v1/cases/{case.number}/receive", {"version": resp.json()["version"]})
    assert again.status_code == 409 and again.json()["code"] == "already_done"
    # After 返工 the department receives the new disposal afresh.
    clock.advance(timedelta(hours=1))
    services.feedback(o.cleaner, case.number, note="已清运", photos=[photo()])
    services.check(o.sup, case.number, passed=False, reason_code="incomplete", photos=[photo()])
    assert "receive" in worker.get(f"/api/v1/cases/{case.number}").json()["allowed_actions"]


def test_cases_in_the_long_term_ledger_come_last_in_the_queue(org):
    o = org
    ledger = to_disposing(o, report(o))
    req = services.request_suspend(o.cleaner, ledger.number, reason_code="funding", note="需专项资金")
    services.decide_request(o.leader, req.pk, approve=True)
    waiting = to_disposing(o, report(o))
    from urbangrid.cases.queries import queue

    assert [c.number for c in queue(o.cleaner, "disposer")] == [waiting.number, ledger.number]
