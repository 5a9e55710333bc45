"""Follow-ups (回访) of closed cases: who is asked, when, and what an unsatisfied answer does.

When a case with public reporters closes, each of them is owed a follow-up of that closing: in
the citizen app for a report made there (it holds a Receipt), by a call from the desk for a
hotline, 12345 or other public reporter who left a phone number. Satisfied ends the matter;
unsatisfied reopens the case for the shift leader with the citizen's reason (standards §7:
"回访: 满意 → 结案; 不满意 → 回退 and redo").

A follow-up row belongs to one closing: its due time is after that closing and it was not done
before it. An app follow-up is kept on the case the citizen's report created (receipt.case), so
a merged report's receipt still finds its own row; phone follow-ups sit on the closed case.

Settings (settings.URBANGRID): FOLLOW_UP_WORKDAYS (1) after closing a follow-up is due;
FOLLOW_UP_LOOKBACK_DAYS (7): how far back `schedule_due` looks for closings it has missed.
"""

from datetime import timedelta
from decimal import Decimal

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from urbangrid.accounts import permissions
from urbangrid.accounts.models import Role
from urbangrid.audit import services as audit
from urbangrid.cases import services as cases
from urbangrid.cases.calendar import default_calendar
from urbangrid.cases.models import PUBLIC_SOURCES, Case, CaseAction, State
from urbangrid.catalog.models import TimeLimit
from urbangrid.core import clock
from urbangrid.core.errors import Conflict, Invalid, NotFound

from . import receipts
from .models import FollowUp

permissions.register("followup.call", Role.INTAKE, Role.SHIFT_LEADER)

Channel, Result = FollowUp.Channel, FollowUp.Result


def _setting(name: str, default):
    return settings.URBANGRID.get(name, default)


def _due(closed_at):
    days = Decimal(str(_setting("FOLLOW_UP_WORKDAYS", 1)))
    return default_calendar().deadline(closed_at, days, TimeLimit.Unit.WORK_DAYS)


def _closing(closed_at) -> Q:
    """Rows that belong to the closing at `closed_at`: due after it, and not done before it."""
    return (Q(done_at__isnull=True) | Q(done_at__gte=closed_at)) & Q(due_at__gte=closed_at)


def _of_closing(case: Case):
    """The follow-up rows of the case's current closing (on it or on reports merged into it)."""
    return FollowUp.objects.filter(Q(case=case) | Q(case__merged_into=case), _closing(case.closed_at))


# ---------------------------------------------------------------- the periodic job


def schedule_due() -> int:
    """Create the follow-ups owed by recent closings; returns how many rows it created.
    Idempotent: a closing's rows are made once, whichever run (or an early rating) comes first."""
    since = clock.now() - timedelta(days=_setting("FOLLOW_UP_LOOKBACK_DAYS", 7))
    closed = CaseAction.objects.filter(action="close", at__gte=since).values("case_id")
    ids = Case.objects.filter(pk__in=closed, state=State.CLOSED).values_list("pk", flat=True)
    return sum(_schedule(pk) for pk in list(ids))


@transaction.atomic
def _schedule(case_id: int) -> int:
    # The row lock makes two runs of the job (or a run and a rating) wait for each other.
    case = Case.objects.select_for_update(of=("self",)).get(pk=case_id)
    if case.state != State.CLOSED or case.closed_at is None:
        return 0
    wanted = _owed(case)
    have = set(_of_closing(case).values_list("case_id", "channel", "phone"))
    due = _due(case.closed_at)
    rows = [
        FollowUp(case_id=cid, channel=channel, phone=phone, due_at=due)
        for cid, channel, phone in wanted
        if (cid, channel, phone) not in have
    ]
    if not rows:
        return 0
    FollowUp.objects.bulk_create(rows)
    audit.append(
        None,
        "intake.follow_up_schedule",
        "case",
        case.number,
        {
            "app": sum(r.channel == Channel.APP for r in rows),
            "phone": sum(r.channel == Channel.PHONE for r in rows),
        },
    )
    return len(rows)


def _owed(case: Case) -> list[tuple[int, str, str]]:
    """(case id, channel, phone) of each follow-up the closing owes: one per receipt, one call
    per other public reporter's number."""
    from .models import Receipt

    family = Case.objects.filter(Q(pk=case.pk) | Q(merged_into=case)).values("pk")
    owed, in_app = [], set()
    for r in Receipt.objects.filter(case__in=family).select_related("case").order_by("id"):
        owed.append((r.case_id, Channel.APP, r.phone))
        in_app.add(r.case.number)
    phones = (
        case.reporters.filter(source__in=PUBLIC_SOURCES)
        .exclude(phone="")
        .exclude(original_number__in=in_app)
        .order_by("reported_at", "id")
        .values_list("phone", flat=True)
    )
    owed += [(case.pk, Channel.PHONE, p) for p in dict.fromkeys(phones)]
    return owed


# ---------------------------------------------------------------- the phone desk


def due_list(actor):
    """Open phone follow-ups the actor may make (受理员, 值班长, in their data scope), the
    earliest due first. Add `.filter(due_at__lte=now)` for only those due now."""
    permissions.require(actor, "followup.call")
    rows = FollowUp.objects.filter(channel=Channel.PHONE, done_at__isnull=True)
    scope = permissions.scope_of(actor)
    if not scope.everything:
        inside = Q(pk__in=[])
        for code in scope.division_codes:
            inside |= Q(case__grid_code__startswith=code)
        rows = rows.filter(inside)
    return rows.select_related("case", "case__type").order_by("due_at", "id")


@transaction.atomic
def record(actor, follow_up_id: int, *, result: str, note: str = "") -> FollowUp:
    """The result of a follow-up call. Unsatisfied needs the citizen's reason and reopens the case."""
    row = (
        FollowUp.objects.select_for_update(of=("self",))
        .select_related("case")
        .filter(pk=follow_up_id)
        .first()
    )
    if row is None:
        raise NotFound("follow_up_not_found", _("No such follow-up."), follow_up=follow_up_id)
    permissions.require(actor, "followup.call", area_code=row.case.grid_code)
    if row.channel != Channel.PHONE:
        raise Conflict("not_a_call", _("This follow-up is answered by the citizen in the app."))
    if row.done_at is not None:
        raise Conflict("follow_up_done", _("This follow-up has already been recorded."), result=row.result)
    if result not in Result.values:
        raise Invalid("bad_result", _("Unknown follow-up result."), result=result)
    role = next((r for r in (Role.INTAKE, Role.SHIFT_LEADER) if actor.has_role(r)), Role.ADMIN)
    _finish(row, actor, role, result, note)
    return row


# ---------------------------------------------------------------- the citizen app


@transaction.atomic
def rate(receipt_code: str, *, satisfied: bool, reason: str = "") -> FollowUp:
    """The citizen's rating in the app, by receipt number, once the case is closed."""
    from .citizen.account import channel_account

    receipt = receipts.find(receipt_code)
    case = receipts.followed_case(receipt)
    case = Case.objects.select_for_update(of=("self",)).get(pk=case.pk)
    if case.state not in (State.CLOSED, State.ARCHIVED) or case.closed_at is None:
        raise Conflict("not_closed", _("You can rate the result once the case is closed."), state=case.state)
    row = FollowUp.objects.filter(
        _closing(case.closed_at), case_id=receipt.case_id, channel=Channel.APP
    ).first()
    if row is not None and row.done_at is not None:
        raise Conflict("already_rated", _("You have already rated this result. Thank you."))
    if row is None:  # rated before the periodic job got to it
        row = FollowUp.objects.create(
            case_id=receipt.case_id, channel=Channel.APP, phone=receipt.phone, due_at=_due(case.closed_at)
        )
    result = Result.SATISFIED if satisfied else Result.UNSATISFIED
    _finish(row, channel_account(), Role.CITIZEN, result, reason)
    return row


# ---------------------------------------------------------------- shared


def _finish(row: FollowUp, actor, role: str, result: str, note: str) -> None:
    note = (note or "").strip()[:2000]
    if result == Result.UNSATISFIED and not note:
        raise Invalid("reason_required", _("Say why the result is not satisfactory."))
    row.done_at, row.result, row.note, row.operator = clock.now(), result, note, actor
    row.save(update_fields=["done_at", "result", "note", "operator"])
    audit.append(
        actor,
        "intake.follow_up",
        "follow_up",
        row.pk,
        {"case": row.case.number, "channel": row.channel, "result": result, "note": note},
        role=role,
    )
    if result == Result.UNSATISFIED:
        _reopen(row, actor, note)


def _reopen(row: FollowUp, actor, reason: str) -> None:
    """Reopen the closed case; a case already back in work (another reporter was unsatisfied
    first) keeps going, and an archived one refuses (cases.reopen says so)."""
    case = row.case
    if case.state == State.MERGED and case.merged_into_id:
        case = case.merged_into
    case.refresh_from_db()
    if case.state not in (State.CLOSED, State.ARCHIVED):
        return
    cases.reopen(actor, case.number, reason_note=reason, data={"follow_up": row.pk, "channel": row.channel})
    # The other follow-ups of this closing ask about a result that no longer stands.
    FollowUp.objects.filter(Q(case=case) | Q(case__merged_into=case), done_at__isnull=True).exclude(
        pk=row.pk
    ).update(done_at=clock.now(), note=gettext("Not asked: the case was reopened."))
