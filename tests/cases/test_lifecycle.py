"""A case from report to archive, and every way it can be refused on the way."""

from datetime import timedelta

import pytest

from tests.cases.conftest import photo
from urbangrid.audit import services as audit
from urbangrid.audit.models import AuditRecord
from urbangrid.cases import services
from urbangrid.cases.models import CaseAction, CaseStep, State, Step
from urbangrid.core.errors import Conflict, Invalid, PermissionDenied
from urbangrid.notify.models import Notification

pytestmark = pytest.mark.django_db


def report(o, by=None, source="public", point=None, type_code="06010", kind="matter", **kw):
    lon, lat = point or o.west_point
    return services.report_case(
        by or o.citizen,
        source=source,
        kind=kind,
        type_code=type_code,
        description="人行道上堆放生活垃圾",
        lon=lon,
        lat=lat,
        photos=[photo()],
        address=kw.pop("address", "城西路12号"),
        **kw,
    )


def to_dispatching(o, case):
    services.accept(o.intake, case.number)
    services.verify(o.sup, case.number, confirmed=True, photos=[photo()])
    services.file_case(o.shift, case.number, meets_condition=True)
    case.refresh_from_db()
    return case


def to_disposing(o, case, department=None):
    to_dispatching(o, case)
    services.dispatch(o.dispatcher, case.number, department=department or o.hws)
    case.refresh_from_db()
    return case


def test_public_report_travels_the_whole_loop(org):
    o = org
    case = report(o)
    assert case.state == State.REPORTED and case.number.startswith("2026")
    assert case.grid_code == "990101001001001" and case.street_code == "990101001"
    services.accept(o.intake, case.number)
    case.refresh_from_db()
    assert case.state == State.VERIFYING and case.assignee == o.sup
    services.verify(o.sup, case.number, confirmed=True, photos=[photo()], note="属实")
    services.file_case(o.shift, case.number, meets_condition=True)
    services.dispatch(o.dispatcher, case.number, department=o.hws)
    case.refresh_from_db()
    assert case.state == State.DISPOSING and case.department == o.hws and case.disposal_due_at is not None
    services.feedback(o.cleaner, case.number, note="已清运", photos=[photo()])
    case.refresh_from_db()
    assert case.state == State.CHECKING and case.assignee == o.sup
    services.check(o.sup, case.number, passed=True, photos=[photo()])
    services.close(o.shift, case.number, meets_condition=True)
    services.archive(o.shift, case.number)
    case.refresh_from_db()
    assert case.state == State.ARCHIVED
    steps = list(
        CaseStep.objects.filter(case=case).order_by("started_at", "id").values_list("step", "on_time")
    )
    assert steps == [(s, True) for s in ["accept", "verify", "file", "dispatch", "dispose", "check", "close"]]
    actions = list(CaseAction.objects.filter(case=case).values_list("action", flat=True))
    assert actions == [
        "report",
        "accept",
        "verify",
        "file",
        "dispatch",
        "feedback",
        "check",
        "close",
        "archive",
    ]
    assert case.photos.count() == 4
    assert AuditRecord.objects.filter(target_type="case", target_id=case.number).count() == 9
    assert audit.verify().ok
    told = list(Notification.objects.filter(user=o.citizen).values_list("kind", flat=True))
    assert told == ["closed", "filed", "accepted"]  # newest first
    assert Notification.objects.filter(user=o.cleaner, kind="dispatched").exists()


def test_supervisor_report_skips_verification(org):
    o = org
    case = report(o, by=o.sup, source="supervisor")
    services.accept(o.intake, case.number)
    case.refresh_from_db()
    assert case.state == State.FILING and case.step == Step.FILE


def test_illegal_transition_is_refused_with_the_current_state(org):
    o = org
    case = report(o)
    with pytest.raises(Conflict) as exc:
        services.dispatch(o.dispatcher, case.number, department=o.hws)
    assert exc.value.code == "illegal_transition" and exc.value.detail["state"] == State.REPORTED


def test_wrong_role_is_refused(org):
    o = org
    case = report(o)
    services.accept(o.intake, case.number)
    services.verify(o.sup, case.number, confirmed=True, photos=[photo()])
    with pytest.raises(PermissionDenied) as exc:
        services.file_case(o.dispatcher, case.number, meets_condition=True)
    assert exc.value.code == "role_not_allowed"
    with pytest.raises(PermissionDenied):
        services.accept(o.citizen, case.number)


def test_other_supervisor_and_other_department_are_out_of_scope(org):
    o = org
    case = report(o)
    services.accept(o.intake, case.number)
    with pytest.raises(PermissionDenied) as exc:
        services.verify(o.sup_e, case.number, confirmed=True, photos=[photo()])
    assert exc.value.code == "out_of_scope"
    to_disposing_from_verifying(o, case)
    with pytest.raises(PermissionDenied) as exc:
        services.feedback(o.worker, case.number, note="done", photos=[photo()])
    assert exc.value.code == "out_of_scope"


def to_disposing_from_verifying(o, case):
    services.verify(o.sup, case.number, confirmed=True, photos=[photo()])
    services.file_case(o.shift, case.number, meets_condition=True)
    services.dispatch(o.dispatcher, case.number, department=o.hws)


def test_required_fields_and_photos(org):
    o = org
    with pytest.raises(Invalid) as exc:
        services.report_case(
            o.citizen,
            source="public",
            kind="matter",
            type_code="06010",
            description=" ",
            lon=o.west_point[0],
            lat=o.west_point[1],
        )
    assert exc.value.code == "description_required"
    with pytest.raises(Invalid) as exc:
        services.report_case(
            o.citizen,
            source="supervisor",
            kind="matter",
            type_code="06010",
            description="x",
            lon=o.west_point[0],
            lat=o.west_point[1],
        )
    assert exc.value.code == "bad_source"
    with pytest.raises(Invalid) as exc:
        services.report_case(
            o.citizen, source="public", kind="matter", type_code="06010", description="x", lon=121.5, lat=31.2
        )
    assert exc.value.code == "outside_jurisdiction"
    case = report(o)
    services.accept(o.intake, case.number)
    with pytest.raises(Invalid) as exc:
        services.verify(o.sup, case.number, confirmed=True, photos=[])
    assert exc.value.code == "photo_required"
    fake = photo("x.png", b"MZ this is not an image")
    with pytest.raises(Invalid) as exc:
        services.verify(o.sup, case.number, confirmed=True, photos=[fake])
    assert exc.value.code == "bad_photo"
    case.refresh_from_db()
    assert case.state == State.VERIFYING and case.photos.count() == 1  # nothing half-written


def test_two_dispatchers_one_wins_the_other_gets_409(org):
    o = org
    case = to_dispatching(o, report(o))
    seen = case.version
    services.dispatch(o.dispatcher, case.number, department=o.hws, expected_version=seen)
    with pytest.raises(Conflict) as exc:
        services.dispatch(o.dispatcher2, case.number, department=o.hws, expected_version=seen)
    assert exc.value.code in ("stale_version", "illegal_transition")
    assert exc.value.detail["state"] == State.DISPOSING and exc.value.detail["version"] == seen + 1


def test_stale_version_in_the_same_state(org):
    o = org
    case = to_disposing(o, report(o))
    seen = case.version
    services.urge(o.leader, case.number, note="尽快处理", expected_version=seen)
    with pytest.raises(Conflict) as exc:
        services.urge(o.shift, case.number, note="再催", expected_version=seen)
    assert exc.value.code == "stale_version"


def test_dispatch_away_from_the_suggestion_needs_a_reason(org):
    o = org
    case = to_dispatching(o, report(o))  # 暴露垃圾 → 环卫所 by default
    with pytest.raises(Invalid) as exc:
        services.dispatch(o.dispatcher, case.number, department=o.szgs)
    assert exc.value.code == "reason_required"
    services.dispatch(o.dispatcher, case.number, department=o.szgs, reason_code="better_department")
    assert CaseAction.objects.get(case=case, action="dispatch").reason.code == "better_department"


def test_return_goes_back_to_the_dispatcher_and_is_counted(org):
    o = org
    case = to_disposing(o, report(o))
    with pytest.raises(Invalid) as exc:
        services.return_case(o.cleaner, case.number, reason_code="not_our_duty", note="")
    assert exc.value.code == "note_required"
    services.return_case(o.cleaner, case.number, reason_code="not_our_duty", note="该处属市政道路")
    case.refresh_from_db()
    assert case.state == State.DISPATCHING and case.department is None and case.return_count == 1
    assert Notification.objects.filter(user=o.dispatcher, kind="returned").exists()
    with pytest.raises(Invalid) as exc:  # back to the department that returned it: say why
        services.dispatch(o.dispatcher, case.number, department=o.hws)
    assert exc.value.code == "reason_required"
    services.dispatch(o.dispatcher, case.number, department=o.szgs, reason_code="redispatch")
    case.refresh_from_db()
    assert case.department == o.szgs


def test_failed_check_is_rework_with_a_new_disposal_step(org):
    o = org
    case = to_disposing(o, report(o))
    services.feedback(o.cleaner, case.number, note="已清运", photos=[photo()])
    with pytest.raises(Invalid):
        services.check(o.sup, case.number, passed=False, photos=[photo()])  # reason required
    services.check(o.sup, case.number, passed=False, reason_code="incomplete", photos=[photo()])
    case.refresh_from_db()
    assert case.state == State.DISPOSING and case.rework_count == 1
    assert CaseStep.objects.filter(case=case, step=Step.DISPOSE).count() == 2
    assert Notification.objects.filter(user=o.cleaner, kind="rework").exists()


def test_extension_first_by_shift_leader_second_by_leader(org, clock):
    o = org
    case = to_disposing(o, report(o))
    due = case.disposal_due_at
    req = services.request_extension(
        o.cleaner, case.number, reason_code="weather", extra_value=4, extra_unit="work_hours"
    )
    assert req.approver_role == "shift_leader"
    with pytest.raises(Conflict) as exc:
        services.request_extension(
            o.cleaner, case.number, reason_code="weather", extra_value=4, extra_unit="work_hours"
        )
    assert exc.value.code == "request_pending"
    services.decide_request(o.shift, req.pk, approve=True)
    case.refresh_from_db()
    assert case.disposal_due_at > due and case.extension_count == 1
    req2 = services.request_extension(
        o.cleaner, case.number, reason_code="materials", extra_value=1, extra_unit="work_days"
    )
    assert req2.approver_role == "leader"
    with pytest.raises(PermissionDenied) as exc:
        services.decide_request(o.shift, req2.pk, approve=True)
    assert exc.value.code in ("approver_role_required", "role_not_allowed")
    with pytest.raises(Invalid):
        services.decide_request(o.leader, req2.pk, approve=False, note="")
    services.decide_request(o.leader, req2.pk, approve=False, note="工期不合理")
    case.refresh_from_db()
    assert case.extension_count == 1


def test_suspend_stops_the_clock_and_resume_moves_the_deadline(org, clock):
    o = org
    case = to_disposing(o, report(o))
    due = case.disposal_due_at
    req = services.request_suspend(o.cleaner, case.number, reason_code="funding", note="需专项资金")
    assert req.approver_role == "leader"
    services.decide_request(o.leader, req.pk, approve=True)
    case.refresh_from_db()
    assert case.state == State.SUSPENDED and case.step_due_at is None
    clock.advance(timedelta(days=7))  # a whole working week in the ledger
    services.tick()
    assert not CaseStep.objects.filter(case=case, overdue_noticed_at__isnull=False).exists()
    services.resume(o.dispatcher, case.number)
    case.refresh_from_db()
    assert case.state == State.DISPOSING
    # Thu 10:00 + 7 days: 5 working days of 7.5 h passed in the ledger.
    from urbangrid.cases.calendar import default_calendar

    cal = default_calendar()
    assert cal.working_seconds(due, case.disposal_due_at) == pytest.approx(5 * 7.5 * 3600)


def test_overdue_is_marked_and_escalated_up_two_levels(org, clock):
    o = org
    case = to_disposing(o, report(o, type_code="01001", kind="component"), department=o.szgs)
    step = CaseStep.objects.get(case=case, step=Step.DISPOSE)
    clock.freeze(step.due_at + timedelta(minutes=1))
    result = services.tick()
    assert result["overdue"] == 1
    case.refresh_from_db()
    assert case.escalation_level == 1
    assert Notification.objects.filter(user=o.szgs_leader, kind="escalated").exists()
    assert not Notification.objects.filter(user=o.leader, kind="escalated").exists()
    assert services.tick()["overdue"] == 0  # marked once
    clock.freeze(step.due_at + (step.due_at - step.started_at) + timedelta(minutes=1))
    services.tick()
    case.refresh_from_db()
    assert case.escalation_level == 2
    assert Notification.objects.filter(user=o.leader, kind="escalated").exists()
    services.feedback(o.worker, case.number, note="已更换井盖", photos=[photo()])
    assert CaseStep.objects.get(case=case, step=Step.DISPOSE).on_time is False


def test_merge_keeps_every_reporter_and_tells_them_all(org):
    o = org
    first = report(o, by=o.sup, source="supervisor", type_code="01001", kind="component")
    second = report(o, type_code="01001", kind="component")
    from urbangrid.cases.queries import possible_duplicates

    assert [c.number for c, _d in possible_duplicates(second, o.intake)] == [first.number]
    services.merge(o.intake, second.number, into=first.number)
    second.refresh_from_db()
    assert second.state == State.MERGED and second.merged_into == first
    assert first.reporters.count() == 2
    services.accept(o.intake, first.number)
    services.file_case(o.shift, first.number, meets_condition=True)
    services.dispatch(o.dispatcher, first.number, department=o.szgs)
    services.feedback(o.worker, first.number, note="已更换", photos=[photo()])
    services.check(o.sup, first.number, passed=True, photos=[photo()])
    services.close(o.shift, first.number, meets_condition=True)
    assert Notification.objects.filter(user=o.citizen, kind="closed", case_number=first.number).exists()
    with pytest.raises(Invalid):
        services.merge(o.intake, first.number, into=first.number)


def test_claim_blocks_other_operators_until_it_expires(org, clock):
    o = org
    case = report(o)
    services.claim(o.intake, case.number)
    with pytest.raises(Conflict) as exc:
        services.accept(o.intake2, case.number)
    assert exc.value.code == "held_by_other"
    clock.advance(timedelta(minutes=16))
    services.tick()
    services.accept(o.intake2, case.number)


def test_cancel_needs_a_reason_and_closes_pending_requests(org):
    o = org
    case = to_disposing(o, report(o))
    req = services.request_extension(
        o.cleaner, case.number, reason_code="weather", extra_value=2, extra_unit="work_hours"
    )
    with pytest.raises(Invalid):
        services.cancel(o.shift, case.number, reason_code="nope", note="x")
    services.cancel(o.shift, case.number, reason_code="mistake", note="录入错误")
    req.refresh_from_db()
    assert req.status == "declined"
    with pytest.raises(Conflict):
        services.feedback(o.cleaner, case.number, note="x", photos=[photo()])
