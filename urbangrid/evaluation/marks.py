"""Per-step marks (StepMark): the verdict on each timed step once it is settled, derived from
the audit trail, written once and never changed.

A step's verdict is settled when it is finished by its deadline (on time, or "void" when it was
returned, cancelled or merged: not the holder's task), or when its deadline expires unfinished
(overdue; a step paused in the long-term ledger waits until it resumes). A disposal step that
was reported done and followed by another disposal of the same case (返工) gets a second mark,
"reworked", when the rework begins.

The verdicts come from replaying the case's timeline (CaseAction rows, each checked against the
audit record it points to) in audit order: the state each entry enters opens a step, the next
change of state finishes it. Only the deadline is read from the step row, since the audit
records carry the disposal deadline alone. The periodic job (`mark_due`, every 30 s) and a full
rebuild (`derive`, used by `urbangrid marks`) share this one derivation, so running either
twice, or one after the other, gives the same marks.
"""

import logging
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.db.models import Exists, Max, OuterRef, Q

from urbangrid.audit.models import AuditRecord
from urbangrid.cases.models import Case, CaseAction, CaseStep, State, Step
from urbangrid.cases.workflow import STEP_OF_STATE
from urbangrid.core import clock

from .models import StepMark

log = logging.getLogger(__name__)
VOID_ACTIONS = frozenset({"return", "cancel", "merge"})
VERDICTS = (StepMark.Kind.ON_TIME, StepMark.Kind.OVERDUE, StepMark.Kind.VOID)
# A step finished (ctx.now) shortly before its transaction commits must not fall behind the
# watermark of the job: look back this far behind the last mark.
LOOKBACK = timedelta(hours=1)
BATCH = 2000


class TraceError(Exception):
    """The timeline and the audit trail (or the step rows) tell different stories."""


@dataclass
class Span:
    """One timed step as the timeline tells it."""

    step: str
    opened_seq: int
    started_at: datetime
    finished_seq: int | None = None
    finished_at: datetime | None = None
    finished_by_action: str = ""
    paused_at: datetime | None = None
    row: CaseStep | None = field(default=None, repr=False)


def replay(actions: list[CaseAction]) -> list[Span]:
    """The steps of one case, from its timeline in audit order."""
    spans: list[Span] = []
    current: Span | None = None
    for a in actions:
        if a.from_state == a.to_state:
            continue  # claims, urgings, requests, notices: the step goes on
        if a.to_state == State.SUSPENDED and current is not None:
            current.paused_at = a.at
            continue
        if a.from_state == State.SUSPENDED and a.to_state == State.DISPOSING and current is not None:
            current.paused_at = None  # the same disposal step goes on, its deadline moved
            continue
        if current is not None:
            current.finished_seq, current.finished_at, current.finished_by_action = (
                a.audit_seq,
                a.at,
                a.action,
            )
        step = STEP_OF_STATE.get(a.to_state)
        current = Span(step, a.audit_seq, a.at) if step else None
        if current is not None:
            spans.append(current)
    return spans


def _mark(span: Span, kind: str, basis: datetime, seqs: list[int]) -> dict:
    return {
        "step_id": span.row.pk,
        "case_id": span.row.case_id,
        "step_kind": span.step,
        "kind": kind,
        "due_at": span.row.due_at,
        "basis_at": basis,
        "audit_seqs": seqs,
    }


def verdicts(spans: list[Span], now: datetime) -> list[dict]:
    """The marks settled by `now` for one case's steps (each span matched with its row)."""
    out = []
    for n, span in enumerate(spans):
        due = span.row.due_at
        if span.finished_at is not None and span.finished_at <= due:
            kind = StepMark.Kind.VOID if span.finished_by_action in VOID_ACTIONS else StepMark.Kind.ON_TIME
            out.append(_mark(span, kind, span.finished_at, [span.opened_seq, span.finished_seq]))
        elif due <= now and (span.paused_at is None or due <= span.paused_at):
            out.append(_mark(span, StepMark.Kind.OVERDUE, due, [span.opened_seq]))
        if span.step == Step.DISPOSE and span.finished_by_action == "feedback":
            later = next((s for s in spans[n + 1 :] if s.step == Step.DISPOSE), None)
            if later is not None and later.started_at <= now:
                out.append(
                    _mark(
                        span, StepMark.Kind.REWORKED, later.started_at, [span.finished_seq, later.opened_seq]
                    )
                )
    return out


def _check_against_audit(case: Case, actions: list[CaseAction], records: dict[int, AuditRecord]) -> None:
    for a in actions:
        rec = records.get(a.audit_seq)
        if (
            rec is None
            or rec.action != f"case.{a.action}"
            or rec.target_id != case.number
            or (rec.from_state, rec.to_state) != (a.from_state, a.to_state)
        ):
            raise TraceError(f"case {case.number}: timeline entry {a.pk} does not match audit #{a.audit_seq}")


def derive(case_ids, now: datetime, problems: list[str] | None = None) -> list[dict]:
    """The marks settled by `now` for the given cases, derived from their audit trail. A case
    whose timeline does not match its audit records or its steps gets no marks: it is named in
    `problems` when given, else it raises TraceError."""
    case_ids = list(case_ids)
    out: list[dict] = []
    for i in range(0, len(case_ids), BATCH):
        batch = case_ids[i : i + BATCH]
        cases = {c.pk: c for c in Case.objects.filter(pk__in=batch).only("pk", "number")}
        actions: dict[int, list[CaseAction]] = defaultdict(list)
        for a in (
            CaseAction.objects.filter(case_id__in=batch)
            .order_by("audit_seq")
            .only("case_id", "action", "at", "from_state", "to_state", "audit_seq")
        ):
            actions[a.case_id].append(a)
        seqs = [a.audit_seq for group in actions.values() for a in group]
        records = {
            r.seq: r
            for r in AuditRecord.objects.filter(seq__in=seqs).only(
                "seq", "action", "target_id", "from_state", "to_state"
            )
        }
        rows: dict[int, list[CaseStep]] = defaultdict(list)
        for row in CaseStep.objects.filter(case_id__in=batch).order_by("started_at", "id"):
            rows[row.case_id].append(row)
        for pk, case in cases.items():
            try:
                out.extend(verdicts(_spans(case, actions[pk], records, rows[pk]), now))
            except TraceError as exc:
                if problems is None:
                    raise
                problems.append(str(exc))
    return out


def _spans(case: Case, actions: list[CaseAction], records: dict, rows: list[CaseStep]) -> list[Span]:
    _check_against_audit(case, actions, records)
    spans = replay(actions)
    if [s.step for s in spans] != [r.step for r in rows]:
        raise TraceError(f"case {case.number}: its steps do not match its timeline")
    for span, row in zip(spans, rows, strict=True):
        span.row = row
    return spans


def _unsettled_cases(now: datetime, since: datetime | None):
    """Cases with a step that may have been settled since `since` and has no verdict yet, or a
    reported-done disposal followed by another one and not yet marked reworked."""
    steps = CaseStep.objects.all()
    if since is not None:
        steps = steps.filter(Q(finished_at__gte=since) | Q(due_at__gte=since) | Q(started_at__gte=since))
    verdict = StepMark.objects.filter(step_id=OuterRef("pk"), kind__in=VERDICTS)
    settled = Q(finished_at__lte=now) | Q(due_at__lte=now)
    reworked = StepMark.objects.filter(step_id=OuterRef("pk"), kind=StepMark.Kind.REWORKED)
    open_rework = Q(step=Step.DISPOSE, outcome="done", sent_back_at__isnull=False) & ~Exists(reworked)
    return (
        steps.filter((settled & ~Exists(verdict)) | open_rework).values_list("case_id", flat=True).distinct()
    )


def missing(now: datetime, since: datetime | None = None) -> list[dict]:
    """Marks settled by `now` and not yet written, for the cases touched since `since`."""
    case_ids = list(_unsettled_cases(now, since))
    have = set(StepMark.objects.filter(case_id__in=case_ids).values_list("step_id", "kind"))
    problems: list[str] = []
    found = [m for m in derive(case_ids, now, problems) if (m["step_id"], m["kind"]) not in have]
    for problem in problems:
        # The job goes on with the other cases; `urbangrid marks --verify` lists these.
        log.warning("no marks: %s", problem)
    return found


def write(marks: list[dict], now: datetime) -> int:
    """Insert the marks; one already there (a concurrent run) is left as it is."""
    StepMark.objects.bulk_create([StepMark(**m, marked_at=now) for m in marks], ignore_conflicts=True)
    return len(marks)


def mark_due() -> int:
    """The periodic job: write every mark settled since the last one (at most a run late)."""
    now = clock.now()
    last = StepMark.objects.aggregate(last=Max("marked_at"))["last"]
    since = last - LOOKBACK if last is not None else None
    return write(missing(now, since), now)


def compare(now: datetime) -> dict:
    """Every mark derived again from the audit trail, against the stored ones: `missing` (settled,
    not written), `extra` (written, not derived) and `changed` (same step and mark, other sources)."""
    stored = {(m.step_id, m.kind): m for m in StepMark.objects.all()}
    problems: list[str] = []
    found = derive(Case.objects.values_list("pk", flat=True), now, problems)
    derived = {(m["step_id"], m["kind"]): m for m in found}
    return {
        "problems": problems,
        "stored": len(stored),
        "derived": len(derived),
        "missing": sorted(set(derived) - set(stored)),
        "extra": sorted(set(stored) - set(derived)),
        "changed": sorted(
            k for k in set(stored) & set(derived) if stored[k].audit_seqs != derived[k]["audit_seqs"]
        ),
    }
