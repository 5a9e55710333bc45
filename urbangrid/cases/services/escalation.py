"""The scheduled pass over open steps (run every 30 s by `urbangrid run_jobs` or the demo server):
marks each step the moment it becomes overdue, escalates overdue disposal up the three levels
of linkage (department → its leadership → county leadership), and lets stale claims expire."""

from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from urbangrid.accounts.models import Department, Role, User
from urbangrid.core import clock
from urbangrid.notify.services import notify

from ..models import Case, CaseStep, Step
from . import base
from .base import Ctx


def _leaders_of(department: Department):
    return User.objects.filter(department=department, is_active=True, role_grants__role=Role.LEADER)


def _top(department: Department) -> Department:
    seen = set()
    while department.parent_id and department.pk not in seen:
        seen.add(department.pk)
        department = department.parent
    return department


def _escalate(step: CaseStep, level: int, now) -> bool:
    case = base.lock_case(step.case.number)
    if case.escalation_level >= level or case.step != step.step:
        return False
    department = case.department
    target = department.parent if level == 1 else _top(department)
    if target is None or target == department:
        return False
    case.escalation_level = level
    ctx = Ctx(case, None, "system", "escalate", case.state, now)
    base.record(ctx, department=target, data={"level": level, "step": step.step, "due_at": step.due_at})
    notify(
        _leaders_of(target),
        _("Overdue case %(number)s of %(dept)s escalated to you (level %(level)s).")
        % {"number": case.number, "dept": department, "level": level},
        kind="escalated",
        case_number=case.number,
    )
    return True


def tick(now=None) -> dict:
    now = now or clock.now()
    counts = {"overdue": 0, "escalated": 0, "claims_expired": 0}
    due = CaseStep.objects.filter(
        finished_at__isnull=True, paused_at__isnull=True, due_at__lte=now, overdue_noticed_at__isnull=True
    )
    for step in due.select_related("case").order_by("due_at")[:5000]:
        with transaction.atomic():
            case = base.lock_case(step.case.number)
            step.overdue_noticed_at = now
            step.save(update_fields=["overdue_noticed_at"])
            ctx = Ctx(case, None, "system", "overdue", case.state, now)
            base.record(ctx, department=case.department, data={"step": step.step, "due_at": step.due_at})
            counts["overdue"] += 1
            if step.step == Step.DISPOSE and case.department_id:
                counts["escalated"] += _escalate(step, 1, now)
    # Second level: still not done after a whole further limit past the deadline.
    late = CaseStep.objects.filter(
        step=Step.DISPOSE,
        finished_at__isnull=True,
        paused_at__isnull=True,
        overdue_noticed_at__isnull=False,
        case__escalation_level=1,
        case__department__isnull=False,
    )
    for step in late.select_related("case"):
        if now >= step.due_at + (step.due_at - step.started_at):
            with transaction.atomic():
                counts["escalated"] += _escalate(step, 2, now)
    counts["claims_expired"] = Case.objects.filter(Q(held_until__lt=now), holder__isnull=False).update(
        holder=None, held_until=None
    )
    return counts
