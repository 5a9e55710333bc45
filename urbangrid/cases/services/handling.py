"""From dispatch to archive: 派遣, the department's 回退 / 延期 / 挂账 / 反馈, 核查 on the spot,
结案 or 返工, 归档, and the centre's 作废 and 督办."""

from decimal import Decimal, InvalidOperation

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from urbangrid.accounts.models import Department, Role, User
from urbangrid.catalog.models import TimeLimit
from urbangrid.core.errors import Conflict, Invalid, PermissionDenied, ServiceError
from urbangrid.notify.services import notify

from .. import deadlines, routing
from ..models import ApprovalPolicy, Case, CaseAction, CasePhoto, Reason, Request, State, Step
from . import base
from .reporting import _notify_public_reporters


def _department_staff(department: Department):
    return User.objects.filter(department=department, is_active=True, role_grants__role=Role.DISPOSER)


def _dispatchers():
    return User.objects.filter(is_active=True, role_grants__role=Role.DISPATCHER)


@transaction.atomic
def dispatch(
    actor,
    number: str,
    *,
    department: Department,
    reason_code: str = "",
    note: str = "",
    stage: int = 1,
    expected_version=None,
) -> Case:
    """派遣 to a department; the disposal clock starts. Sending it elsewhere than the suggested
    department, or back to a department that returned it, needs a reason."""
    ctx = base.begin(actor, "dispatch", number, expected_version)
    case = ctx.case
    if not department.active:
        raise Invalid("inactive_department", _("This department is not active."), department=department.code)
    suggestion = routing.suggest_department(case)
    last_return = (
        CaseAction.objects.filter(case=case, action="return")
        .order_by("-at", "-id")
        .values_list("department_id", flat=True)
        .first()
    )
    override = (
        suggestion.department is not None and department.pk != suggestion.department.pk
    ) or department.pk == last_return
    why = base.reason(Reason.Category.OVERRIDE, reason_code, required=override)
    deadlines.finish_step(case, ctx.now, actor, "dispatched")
    case.state, case.department = State.DISPOSING, department
    deadlines.open_step(case, Step.DISPOSE, ctx.now, department=department, stage=stage)
    base.record(
        ctx,
        reason_obj=why,
        note=note,
        department=department,
        data={
            "suggested": suggestion.department.code if suggestion.department else None,
            "basis": suggestion.basis,
            "stage": stage,
            "due_at": case.disposal_due_at,
        },
    )
    notify(
        _department_staff(department),
        _("New case %(number)s for your department: %(type)s at %(place)s")
        % {"number": case.number, "type": case.type.name, "place": case.address},
        kind="dispatched",
        case_number=case.number,
    )
    return case


def bulk_dispatch(actor, numbers, *, department: Department | None = None) -> list[dict]:
    """Dispatch several cases, each to the given department or to its suggested one. Each case
    succeeds or fails on its own; the result says which and why."""
    results = []
    for number in numbers:
        try:
            with transaction.atomic():
                target = department
                if target is None:
                    target = routing.suggest_department(base.lock_case(number)).department
                    if target is None:
                        raise Invalid(
                            "no_suggestion",
                            _("No department could be suggested; dispatch this case by hand."),
                        )
                case = dispatch(actor, number, department=target)
            results.append({"number": number, "ok": True, "department": target.code, "version": case.version})
        except ServiceError as exc:  # one bad number must not undo or stop the others
            results.append({"number": number, "ok": False, **exc.as_dict()})
    return results


@transaction.atomic
def receive(actor, number: str, *, note: str = "", expected_version=None):
    """签收: the department acknowledges the task; the timeline shows who took it on and when."""
    ctx = base.begin(actor, "receive", number, expected_version)
    base.record(ctx, note=note, department=ctx.case.department)
    return ctx.case


@transaction.atomic
def return_case(actor, number: str, *, reason_code: str, note: str = "", expected_version=None):
    """回退: the department says the case is not theirs; it goes back to the dispatcher."""
    ctx = base.begin(actor, "return", number, expected_version)
    why = base.reason(Reason.Category.RETURN, reason_code)
    if not note.strip():
        raise Invalid("note_required", _("Explain why the case is not your department's."))
    case = ctx.case
    department = case.department
    _decline_pending(case, actor, ctx.now, _("The case was returned."))
    deadlines.finish_step(case, ctx.now, actor, "returned")
    case.state, case.department = State.DISPATCHING, None
    case.return_count += 1
    deadlines.open_step(case, Step.DISPATCH, ctx.now)
    base.record(ctx, reason_obj=why, note=note, department=department)
    notify(
        _dispatchers(),
        _("Case %(number)s was returned by %(dept)s: %(reason)s")
        % {"number": case.number, "dept": department, "reason": why.label},
        kind="returned",
        case_number=case.number,
    )
    return case


def _approver_role(kind: str, nth: int) -> str:
    policy = ApprovalPolicy.objects.filter(kind=kind, from_count__lte=nth).order_by("-from_count").first()
    return policy.approver_role if policy else Role.SHIFT_LEADER


def _decline_pending(case, actor, now, note) -> None:
    case.requests.filter(status=Request.Status.PENDING).update(
        status=Request.Status.DECLINED, decided_by=actor, decided_at=now, decision_note=str(note)
    )


def _parse_extra(value, unit) -> tuple[Decimal, str]:
    try:
        extra = Decimal(str(value))
    except (InvalidOperation, TypeError) as exc:
        raise Invalid("bad_extension", _("Give the extra time as a number.")) from exc
    if extra <= 0 or extra > 1000 or unit not in TimeLimit.Unit.values:
        raise Invalid(
            "bad_extension", _("Give a positive extra time in working hours, working days or hours.")
        )
    return extra, unit


@transaction.atomic
def request_extension(
    actor,
    number: str,
    *,
    reason_code: str,
    extra_value,
    extra_unit: str,
    note: str = "",
    expected_version=None,
) -> Request:
    ctx = base.begin(actor, "request_extension", number, expected_version)
    return _request(
        ctx,
        ApprovalPolicy.Kind.EXTENSION,
        Reason.Category.EXTENSION,
        reason_code,
        note,
        *_parse_extra(extra_value, extra_unit),
    )


@transaction.atomic
def request_suspend(
    actor, number: str, *, reason_code: str, note: str = "", expected_version=None
) -> Request:
    ctx = base.begin(actor, "request_suspend", number, expected_version)
    return _request(ctx, ApprovalPolicy.Kind.SUSPEND, Reason.Category.SUSPEND, reason_code, note, None, "")


def _request(ctx, kind, category, reason_code, note, extra_value, extra_unit) -> Request:
    case = ctx.case
    why = base.reason(category, reason_code)
    if case.requests.filter(status=Request.Status.PENDING).exists():
        raise Conflict(
            "request_pending",
            _("A request for this case is already waiting for a decision."),
            state=case.state,
            version=case.version,
        )
    nth = case.requests.filter(kind=kind).count() + 1
    req = Request.objects.create(
        case=case,
        kind=kind,
        approver_role=_approver_role(kind, nth),
        reason=why,
        note=note,
        extra_value=extra_value,
        extra_unit=extra_unit,
        requested_by=ctx.actor,
        requested_at=ctx.now,
    )
    base.record(
        ctx,
        reason_obj=why,
        note=note,
        department=case.department,
        data={
            "request": req.pk,
            "kind": kind,
            "nth": nth,
            "approver_role": req.approver_role,
            "extra_value": str(extra_value) if extra_value is not None else None,
            "extra_unit": extra_unit,
        },
    )
    notify(
        User.objects.filter(is_active=True, role_grants__role=req.approver_role),
        _("Case %(number)s: %(dept)s asks for %(kind)s")
        % {"number": case.number, "dept": case.department, "kind": req.get_kind_display()},
        kind="request",
        case_number=case.number,
    )
    return req


@transaction.atomic
def decide_request(
    actor, request_id: int, *, approve: bool, note: str = "", expected_version=None
) -> Request:
    req = Request.objects.select_related("case").filter(pk=request_id).first()
    if req is None:
        raise Invalid("unknown_request", _("No such request."), request=request_id)
    ctx = base.begin(actor, "decide_request", req.case.number, expected_version)
    req.refresh_from_db()
    if req.status != Request.Status.PENDING:
        raise Conflict(
            "request_decided",
            _("This request was already decided."),
            status=req.status,
            state=ctx.case.state,
            version=ctx.case.version,
        )
    if not (actor.has_role(req.approver_role, Role.ADMIN) or actor.is_superuser):
        raise PermissionDenied(
            "approver_role_required",
            _("This request must be decided by another role."),
            approver_role=req.approver_role,
        )
    if not approve and not note.strip():
        raise Invalid("note_required", _("Say why the request is declined."))
    ctx.role = req.approver_role if actor.has_role(req.approver_role) else ctx.role
    case = ctx.case
    req.status = Request.Status.APPROVED if approve else Request.Status.DECLINED
    req.decided_by, req.decided_at, req.decision_note = actor, ctx.now, note
    req.save()
    data = {"request": req.pk, "kind": req.kind, "approved": approve}
    if approve and req.kind == ApprovalPolicy.Kind.EXTENSION:
        deadlines.extend(case, req.extra_value, req.extra_unit)
        case.extension_count += 1
        data["due_at"] = case.disposal_due_at
    elif approve:
        deadlines.pause(case, ctx.now)
        case.state = State.SUSPENDED
    base.record(ctx, note=note, department=case.department, data=data)
    notify(
        _department_staff(case.department),
        _("Case %(number)s: your request was %(result)s")
        % {"number": case.number, "result": req.get_status_display()},
        kind="request_decided",
        case_number=case.number,
    )
    return req


@transaction.atomic
def resume(actor, number: str, *, note: str = "", expected_version=None):
    """Take a case out of the long-term ledger; the disposal deadline moves by the time spent there."""
    ctx = base.begin(actor, "resume", number, expected_version)
    deadlines.resume(ctx.case, ctx.now)
    ctx.case.state = State.DISPOSING
    base.record(ctx, note=note, department=ctx.case.department, data={"due_at": ctx.case.disposal_due_at})
    notify(
        _department_staff(ctx.case.department),
        _("Case %(number)s is back in disposal.") % {"number": ctx.case.number},
        kind="resumed",
        case_number=ctx.case.number,
    )
    return ctx.case


@transaction.atomic
def feedback(actor, number: str, *, note: str, photos=(), expected_version=None):
    """反馈: the department reports the work done, with photos after disposal; a supervisor is
    sent to check on the spot."""
    ctx = base.begin(actor, "feedback", number, expected_version)
    base.require_photos(photos, "photo_required", _("Add at least one photo after disposal."))
    if not note.strip():
        raise Invalid("note_required", _("Describe what was done."))
    case = ctx.case
    digests = base.attach_photos(case, CasePhoto.Stage.DISPOSE, photos, actor, ctx.now)
    _decline_pending(case, actor, ctx.now, _("The department reported the case done."))
    deadlines.finish_step(case, ctx.now, actor, "done")
    supervisor = routing.supervisor_for(case.grid_code) or case.assignee
    case.state, case.assignee = State.CHECKING, supervisor
    deadlines.open_step(case, Step.CHECK, ctx.now, assignee=supervisor)
    base.record(
        ctx,
        note=note,
        department=case.department,
        data={"photos": digests, "assignee": supervisor.username if supervisor else None},
    )
    if supervisor is not None:
        notify(
            [supervisor],
            _("Check case %(number)s on the spot: %(place)s")
            % {"number": case.number, "place": case.address},
            kind="check_task",
            case_number=case.number,
        )
    return case


def _rework(case, actor, now) -> None:
    """返工: back to the same department with a fresh disposal limit; counted against dispatch
    accuracy and the department."""
    case.state = State.DISPOSING
    case.rework_count += 1
    case.steps.filter(step=Step.DISPOSE, outcome="done", sent_back_at__isnull=True).update(sent_back_at=now)
    deadlines.open_step(case, Step.DISPOSE, now, department=case.department)
    notify(
        _department_staff(case.department),
        _("Case %(number)s must be reworked.") % {"number": case.number},
        kind="rework",
        case_number=case.number,
    )


@transaction.atomic
def check(
    actor,
    number: str,
    *,
    passed: bool,
    note: str = "",
    photos=(),
    reason_code: str = "",
    expected_version=None,
):
    """核查 on the spot: passed → awaiting closing; not passed → rework."""
    ctx = base.begin(actor, "check", number, expected_version)
    base.require_photos(photos, "photo_required", _("Take at least one photo on the spot."))
    why = None if passed else base.reason(Reason.Category.REWORK, reason_code)
    digests = base.attach_photos(ctx.case, CasePhoto.Stage.CHECK, photos, actor, ctx.now)
    deadlines.finish_step(ctx.case, ctx.now, actor, "passed" if passed else "failed")
    if passed:
        ctx.case.state = State.CLOSING
        deadlines.open_step(ctx.case, Step.CLOSE, ctx.now)
    else:
        _rework(ctx.case, actor, ctx.now)
    base.record(
        ctx,
        reason_obj=why,
        note=note,
        department=ctx.case.department,
        data={"passed": passed, "photos": digests},
    )
    return ctx.case


@transaction.atomic
def close(actor, number: str, *, meets_condition: bool, note: str = "", expected_version=None):
    """结案: the shift leader confirms the type's closing condition (结案条件) is met."""
    ctx = base.begin(actor, "close", number, expected_version)
    if not meets_condition:
        raise Invalid(
            "condition_not_met",
            _("Only a case that meets the closing condition can be closed; send it back for rework."),
        )
    case = ctx.case
    deadlines.finish_step(case, ctx.now, actor, "closed")
    case.state, case.closed_at = State.CLOSED, ctx.now
    base.record(ctx, note=note, department=case.department, data={"condition": case.type.closing_condition})
    _notify_public_reporters(
        case,
        _("Your report %(number)s has been handled and closed. Thank you.") % {"number": case.number},
        "closed",
    )
    return case


@transaction.atomic
def rework(actor, number: str, *, reason_code: str, note: str = "", expected_version=None):
    ctx = base.begin(actor, "rework", number, expected_version)
    why = base.reason(Reason.Category.REWORK, reason_code)
    deadlines.finish_step(ctx.case, ctx.now, actor, "rework")
    _rework(ctx.case, actor, ctx.now)
    base.record(ctx, reason_obj=why, note=note, department=ctx.case.department)
    return ctx.case


@transaction.atomic
def archive(actor, number: str, *, expected_version=None):
    ctx = base.begin(actor, "archive", number, expected_version)
    ctx.case.state = State.ARCHIVED
    base.record(ctx)
    return ctx.case


@transaction.atomic
def cancel(actor, number: str, *, reason_code: str, note: str = "", expected_version=None):
    """作废: the case should never have existed (duplicate found late, entered by mistake…)."""
    ctx = base.begin(actor, "cancel", number, expected_version)
    why = base.reason(Reason.Category.CANCEL, reason_code)
    if not note.strip():
        raise Invalid("note_required", _("Explain the cancellation."))
    _decline_pending(ctx.case, actor, ctx.now, _("The case was cancelled."))
    deadlines.finish_step(ctx.case, ctx.now, actor, "cancelled")
    ctx.case.state = State.CANCELLED
    base.record(ctx, reason_obj=why, note=note, department=ctx.case.department)
    return ctx.case


@transaction.atomic
def urge(actor, number: str, *, note: str, expected_version=None):
    """督办: press the department (or the centre's own step) to act now."""
    ctx = base.begin(actor, "urge", number, expected_version)
    if not note.strip():
        raise Invalid("note_required", _("Write the urging instruction."))
    case = ctx.case
    case.urge_count += 1
    base.record(ctx, note=note, department=case.department)
    if case.state == State.CHECKING and case.assignee_id:
        recipients = [case.assignee]  # the supervisor who must check on the spot
    elif case.department_id:
        recipients = _department_staff(case.department)
    else:
        recipients = _dispatchers()
    notify(
        recipients,
        _("Urged: case %(number)s — %(note)s") % {"number": case.number, "note": note},
        kind="urged",
        case_number=case.number,
    )
    return case
