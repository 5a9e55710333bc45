"""Follow-ups (回访): scheduling after closing, the phone desk, the citizen's rating, and what an
unsatisfied answer does to the case."""

from datetime import timedelta

import pytest

from tests.cases.conftest import photo
from tests.cases.test_lifecycle import report
from tests.intake.citizen.conftest import close_case, device_client, receipt_code, send, upload
from urbangrid.cases import services
from urbangrid.cases.models import Case, CaseAction, State, Step
from urbangrid.core.errors import Conflict, Invalid, NotFound, PermissionDenied
from urbangrid.intake import followup
from urbangrid.intake.models import FollowUp, Receipt
from urbangrid.notify.models import Notification

pytestmark = pytest.mark.django_db


def citizen_report(o, **over):
    code = receipt_code(send(device_client(), o, **over))
    return Receipt.objects.get(code=code)


def hotline_report(o, phone="13700001111"):
    return report(o, by=o.intake, source="hotline_12319", reporter_phone=phone, reporter_name="张先生")


def test_closing_owes_an_app_follow_up_per_receipt_and_a_call_per_hotline_number(org, clock):
    o = org
    receipt = citizen_report(o)
    call = hotline_report(o)
    services.merge(o.intake, call.number, into=receipt.case.number)
    own = report(o, by=o.sup, source="supervisor")  # a supervisor's report: nobody to ask
    close_case(o, receipt.case.number)
    services.accept(o.intake, own.number)
    assert followup.schedule_due() == 2
    rows = {(f.channel, f.phone): f for f in FollowUp.objects.all()}
    assert set(rows) == {("app", "13912345678"), ("phone", "13700001111")}
    closed_at = Case.objects.get(pk=receipt.case.pk).closed_at
    # Closed Thursday 10:00: due one working day later, Friday 10:00.
    assert rows[("app", "13912345678")].due_at == closed_at + timedelta(days=1)
    assert followup.schedule_due() == 0, "a second run creates nothing"


def test_a_case_closed_long_ago_or_not_closed_is_not_scheduled(org, clock):
    o = org
    receipt = citizen_report(o)
    assert followup.schedule_due() == 0
    close_case(o, receipt.case.number)
    clock.advance(timedelta(days=8))
    assert followup.schedule_due() == 0, "outside the look-back window"


def test_due_list_is_for_the_desk_only_and_in_scope(org, make_user, clock):
    o = org
    hotline_report(o)
    case = Case.objects.get()
    close_case(o, case.number)
    followup.schedule_due()
    assert [f.phone for f in followup.due_list(o.intake)] == ["13700001111"]
    assert followup.due_list(o.shift).count() == 1
    east_only = make_user("intake", areas=[o.county["streets"][1]])
    assert followup.due_list(east_only).count() == 0
    with pytest.raises(PermissionDenied):
        followup.due_list(o.dispatcher)


def test_a_satisfied_call_ends_the_follow_up(org, clock):
    o = org
    case = hotline_report(o)
    close_case(o, case.number)
    followup.schedule_due()
    row = followup.due_list(o.intake).get()
    done = followup.record(o.intake, row.pk, result="satisfied", note="满意")
    assert done.done_at is not None and done.operator == o.intake
    assert followup.due_list(o.intake).count() == 0
    assert Case.objects.get(pk=case.pk).state == State.CLOSED
    with pytest.raises(Conflict):
        followup.record(o.intake, row.pk, result="satisfied")


def test_an_unsatisfied_call_reopens_the_case_for_the_shift_leader(org, clock):
    o = org
    case = hotline_report(o)
    close_case(o, case.number)
    followup.schedule_due()
    row = followup.due_list(o.intake).get()
    with pytest.raises(Invalid) as no_reason:
        followup.record(o.intake, row.pk, result="unsatisfied")
    assert no_reason.value.code == "reason_required"
    with pytest.raises(Invalid):
        followup.record(o.intake, row.pk, result="happy")
    with pytest.raises(PermissionDenied):
        followup.record(o.dispatcher, row.pk, result="satisfied")
    with pytest.raises(NotFound):
        followup.record(o.intake, row.pk + 999, result="satisfied")
    followup.record(o.intake, row.pk, result="unsatisfied", note="垃圾又堆起来了")
    case.refresh_from_db()
    assert case.state == State.CLOSING and case.closed_at is None and case.step == Step.CLOSE
    entry = CaseAction.objects.filter(case=case).latest("id")
    assert (entry.action, entry.note, entry.from_state) == ("reopen", "垃圾又堆起来了", State.CLOSED)
    assert Notification.objects.filter(user=o.shift, kind="reopened", case_number=case.number).exists()
    # The shift leader sends it back to the department; done again, it is closed again and a new follow-up is owed.
    clock.advance(timedelta(hours=1))
    services.rework(o.shift, case.number, reason_code="incomplete")
    services.feedback(o.cleaner, case.number, note="已再次清运", photos=[upload()])
    services.check(o.sup, case.number, passed=True, photos=[photo()])
    services.close(o.shift, case.number, meets_condition=True)
    assert followup.schedule_due() == 1
    assert followup.due_list(o.intake).count() == 1


def test_the_citizen_rates_in_the_app_once_per_closing(org, clock):
    o = org
    receipt = citizen_report(o)
    with pytest.raises(Conflict) as early:
        followup.rate(receipt.code, satisfied=True)
    assert early.value.code == "not_closed"
    close_case(o, receipt.case.number)
    row = followup.rate(receipt.code.lower(), satisfied=True)  # before the job ran: made on the spot
    assert (row.channel, row.result) == ("app", "satisfied")
    assert followup.schedule_due() == 0, "the rating already stands for this closing"
    with pytest.raises(Conflict) as twice:
        followup.rate(receipt.code, satisfied=False, reason="不行")
    assert twice.value.code == "already_rated"
    with pytest.raises(NotFound):
        followup.rate("ZZZZZZZZZZ", satisfied=True)


def test_an_unsatisfied_rating_needs_a_reason_and_reopens(org, clock):
    o = org
    receipt = citizen_report(o)
    close_case(o, receipt.case.number)
    with pytest.raises(Invalid):
        followup.rate(receipt.code, satisfied=False, reason="  ")
    followup.rate(receipt.code, satisfied=False, reason="还有一袋没清走")
    case = Case.objects.get(pk=receipt.case.pk)
    assert case.state == State.CLOSING
    entry = CaseAction.objects.filter(case=case, action="reopen").get()
    assert entry.actor.username == "citizen-app" and entry.note == "还有一袋没清走"


def test_an_archived_case_cannot_be_reopened_by_a_rating(org, clock):
    o = org
    receipt = citizen_report(o)
    close_case(o, receipt.case.number)
    services.archive(o.shift, receipt.case.number)
    with pytest.raises(Conflict) as refused:
        followup.rate(receipt.code, satisfied=False, reason="没修好")
    assert refused.value.code == "case_archived"
    assert "已归档" in str(refused.value.message)
    assert not FollowUp.objects.filter(done_at__isnull=False).exists(), (
        "nothing of the refused rating is kept"
    )


def test_a_reopening_retires_the_other_open_follow_ups_of_that_closing(org, clock):
    o = org
    receipt = citizen_report(o)
    call = hotline_report(o)
    services.merge(o.intake, call.number, into=receipt.case.number)
    close_case(o, receipt.case.number)
    followup.schedule_due()
    followup.rate(receipt.code, satisfied=False, reason="没清理干净")
    assert followup.due_list(o.intake).count() == 0, "nobody is called about a result that no longer stands"


def test_a_public_reporter_without_a_receipt_is_called(org, clock):
    o = org
    case = report(o)  # a citizen with an account (Open311-like): no receipt, a phone on the account
    close_case(o, case.number)
    assert followup.schedule_due() == 1
    row = FollowUp.objects.get()
    assert (row.channel, row.phone) == ("phone", "13812341234")
