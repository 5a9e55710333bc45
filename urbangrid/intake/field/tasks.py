"""A supervisor's on-the-spot tasks: cases awaiting verification (核实) or check (核查) that are
assigned to them, and the cheap marker the phone polls to learn that the list changed."""

from django.db.models import Count, Max, Sum

from urbangrid.audit.models import AuditRecord
from urbangrid.cases.models import Case, Reason, State
from urbangrid.cases.presenters import photos

TASK_KIND = {State.VERIFYING: "verify", State.CHECKING: "check"}


def open_tasks(user):
    return (
        Case.objects.filter(assignee=user, state__in=list(TASK_KIND))
        .select_related("type")
        .order_by("step_due_at", "id")
    )


def marker(user) -> str:
    """Changes whenever a task is added, taken away or changed (one indexed aggregate)."""
    agg = open_tasks(user).order_by().aggregate(n=Count("id"), last=Max("updated_at"), v=Sum("version"))
    last = agg["last"].timestamp() if agg["last"] else 0
    return f"{agg['n']}-{agg['v'] or 0}-{last:.6f}"


def present(case: Case) -> dict:
    return {
        "number": case.number,
        "task": TASK_KIND[case.state],
        "type": case.type.name,
        "description": case.description,
        "address": case.address,
        "lon": case.lon,
        "lat": case.lat,
        "grid": case.grid_code,
        "due_at": case.step_due_at.isoformat() if case.step_due_at else None,
        "version": case.version,
        "photos": [p["url"] for p in photos(case)],
    }


def rework_reasons() -> list[dict]:
    rows = Reason.objects.filter(category=Reason.Category.REWORK, active=True).order_by("code")
    return [{"code": r.code, "label": r.label} for r in rows]


def already_answered(user, number: str, action: str, version: int) -> bool:
    """Whether this very answer (the user's `action` on the case as it stood at `version`) was
    recorded before: a resend after a lost reply then gets a success, not a conflict."""
    return AuditRecord.objects.filter(
        action=f"case.{action}",
        target_type="case",
        target_id=number,
        actor=user,
        payload__version=version + 1,
    ).exists()
