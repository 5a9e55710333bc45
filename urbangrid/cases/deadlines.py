"""Opening and closing the timed steps of a case, on the working calendar.

Each step stores its start, deadline, warning point (黄灯 at the calendar's warning share of
the limit), finish and on-time mark: evaluation is computed from these rows. A disposal step
paused for the long-term ledger (挂账) keeps its deadline frozen; on resumption the deadline
moves by the (working) time spent paused. An approved extension (延期) adds time to the
current deadline.
"""

from datetime import datetime
from decimal import Decimal

from django.utils.translation import gettext_lazy as _

from urbangrid.catalog.models import TimeLimit
from urbangrid.core.errors import Invalid

from .calendar import default_calendar
from .models import Case, CaseStep, Light, Step, StepLimit, Urgency

Unit = TimeLimit.Unit


def step_limit(case: Case, step: str, stage: int = 1) -> tuple[Decimal, str]:
    if step == Step.DISPOSE:
        limits = {(t.urgency, t.stage): t for t in TimeLimit.objects.filter(type_id=case.type_id)}
        chosen = limits.get((case.urgency, stage)) or limits.get((TimeLimit.Urgency.NORMAL, stage))
        if chosen is None and stage != 1:
            raise Invalid("unknown_stage", _("This type has no such disposal stage."), stage=stage)
        if chosen is not None:
            return chosen.value, chosen.unit
        # No 处置时限 for this type: the configured default disposal limit applies.
    limit = StepLimit.objects.filter(step=step).first()
    if limit is None:
        raise Invalid("no_step_limit", _("No time limit is configured for this step."), step=step)
    # An urgent case does not wait for office hours at the centre either.
    natural = limit.natural or case.urgency == Urgency.URGENT
    return Decimal(limit.minutes) / 60, Unit.NATURAL_HOURS if natural else Unit.WORK_HOURS


def _span_seconds(cal, unit: str, a: datetime, b: datetime) -> float:
    if unit == Unit.NATURAL_HOURS:
        return max((b - a).total_seconds(), 0.0)
    return cal.working_seconds(a, b)


def _hours_unit(unit: str) -> str:
    return Unit.NATURAL_HOURS if unit == Unit.NATURAL_HOURS else Unit.WORK_HOURS


def open_step(
    case: Case, step: str, now: datetime, *, department=None, assignee=None, stage: int = 1
) -> CaseStep:
    value, unit = step_limit(case, step, stage)
    cal = default_calendar()
    due = cal.deadline(now, value, unit)
    # The warning point is the same share of the limit, measured in the same kind of time.
    warn = cal.deadline(
        now,
        Decimal(str(_span_seconds(cal, unit, now, due))) / 3600 * Decimal(str(cal.warning_ratio)),
        _hours_unit(unit),
    )
    row = CaseStep.objects.create(
        case=case,
        step=step,
        department=department,
        assignee=assignee,
        limit_value=value,
        limit_unit=unit,
        started_at=now,
        warn_at=warn,
        due_at=due,
    )
    case.step, case.step_due_at, case.step_warn_at = step, due, warn
    if step == Step.DISPOSE:
        case.disposal_due_at = due
        case.escalation_level = 0  # each disposal (after 返工 or a new department) escalates afresh
    return row


def current_step(case: Case) -> CaseStep | None:
    return case.steps.filter(finished_at__isnull=True).order_by("-started_at", "-id").first()


def finish_step(case: Case, now: datetime, actor, outcome: str) -> CaseStep | None:
    row = current_step(case)
    if row is None:
        return None
    row.finished_at, row.finished_by, row.outcome = now, actor, outcome
    # A step finished while paused was not late for the paused time.
    due = _resumed_due(row, now) if row.paused_at else row.due_at
    row.on_time = now <= due
    row.paused_at = None
    row.save()
    case.step, case.step_due_at, case.step_warn_at = "", None, None
    return row


def pause(case: Case, now: datetime) -> None:
    row = current_step(case)
    row.paused_at = now
    row.save(update_fields=["paused_at"])
    case.step_due_at = case.step_warn_at = None


def _resumed_due(row: CaseStep, now: datetime) -> datetime:
    cal = default_calendar()
    paused = _span_seconds(cal, row.limit_unit, row.paused_at, now)
    return cal.deadline(row.due_at, Decimal(str(paused)) / 3600, _hours_unit(row.limit_unit))


def resume(case: Case, now: datetime) -> CaseStep:
    row = current_step(case)
    cal = default_calendar()
    paused = Decimal(str(_span_seconds(cal, row.limit_unit, row.paused_at, now))) / 3600
    unit = _hours_unit(row.limit_unit)
    row.due_at = cal.deadline(row.due_at, paused, unit)
    row.warn_at = cal.deadline(row.warn_at, paused, unit) if row.warn_at > row.paused_at else row.warn_at
    row.paused_at = None
    row.overdue_noticed_at = None  # a new deadline: missing it is noticed (and escalated) again
    row.save()
    case.step, case.step_due_at, case.step_warn_at = row.step, row.due_at, row.warn_at
    case.disposal_due_at = row.due_at
    return row


def extend(case: Case, value: Decimal, unit: str) -> CaseStep:
    row = current_step(case)
    cal = default_calendar()
    row.due_at = cal.deadline(row.due_at, value, unit)
    total = Decimal(str(_span_seconds(cal, row.limit_unit, row.started_at, row.due_at))) / 3600
    row.warn_at = cal.deadline(
        row.started_at, total * Decimal(str(cal.warning_ratio)), _hours_unit(row.limit_unit)
    )
    row.overdue_noticed_at = None
    row.save()
    case.step_due_at, case.step_warn_at, case.disposal_due_at = row.due_at, row.warn_at, row.due_at
    return row


def light(due_at: datetime | None, warn_at: datetime | None, now: datetime) -> str | None:
    if due_at is None:
        return None
    if now >= due_at:
        return Light.RED
    if warn_at is not None and now >= warn_at:
        return Light.YELLOW
    return Light.GREEN
