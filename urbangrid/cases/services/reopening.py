"""重新办理 after an unsatisfied follow-up (回访不满意): a closed case goes back to the shift
leader's closing desk with the citizen's reason; the shift leader reworks it to the department
or closes it again with an explanation."""

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from urbangrid.accounts.models import Role, User
from urbangrid.core.errors import Conflict, Invalid
from urbangrid.notify.services import notify

from .. import deadlines
from ..models import State, Step
from . import base


@transaction.atomic
def reopen(actor, number: str, *, reason_note: str = "", expected_version=None, data=None):
    """Reopen a CLOSED case (roles: the citizen app's channel account, intake at a follow-up call).
    `data` adds facts to the timeline entry (e.g. the follow-up it came from)."""
    reason_note = (reason_note or "").strip()
    if not reason_note:
        raise Invalid("reason_required", _("Say why the result is not satisfactory."))
    try:
        ctx = base.begin(actor, "reopen", number, expected_version)
    except Conflict as exc:
        case = base.lock_case(number)
        if exc.code == "illegal_transition" and case.state == State.ARCHIVED:
            raise Conflict(
                "case_archived",
                _("This case is archived and can no longer be reopened; report the problem anew."),
                state=case.state,
                version=case.version,
            ) from exc
        raise
    case = ctx.case
    closed_at = case.closed_at
    case.state, case.closed_at = State.CLOSING, None
    deadlines.open_step(case, Step.CLOSE, ctx.now)
    base.record(
        ctx,
        note=reason_note[:2000],
        department=case.department,
        data={"closed_at": closed_at, **(data or {})},
    )
    notify(
        User.objects.filter(is_active=True, role_grants__role=Role.SHIFT_LEADER),
        _("Case %(number)s was reopened after an unsatisfied follow-up: %(reason)s")
        % {"number": case.number, "reason": reason_note[:200]},
        kind="reopened",
        case_number=case.number,
    )
    return case
