"""The indicators of CJ/T 292 / GB/T 30428.4 (standards.md §5) for a period [start, end), counted
in the database from what the closed loop stores: the cases, and the timed steps (CaseStep: start,
deadline, finish, on-time mark, outcome) the services open and finish.

Every function takes aware datetimes and returns {subject key: {indicator: value}}; rates are
percentages rounded to two decimals, None where the denominator is 0. All counting is done by
aggregate queries (one GROUP BY per figure family); only the average disposal time, measured on
the working calendar, is summed outside the database, with numpy over (department, start, finish)
arrays (evaluation.worktime).

Conventions (the standard names the ratios, not the populations; these are ours [I]):
- A *step is due in the period* when its deadline (after any extension) falls in [start, end).
  Rates of "on time" steps (按期处置率, 按时核实率, 按时核查率) count the steps due in the
  period, on time when finished by the deadline; a step due in the period and still open at its
  end, or finished late, is not on time.
- A step that ended as "returned" (回退), "cancelled" (作废) or "merged" was never the holder's
  task and is not counted; a disposal step now paused in the long-term ledger (挂账) is left out
  until it resumes (its deadline is frozen).
- Areas count the cases filed (立案) in the period, less those in the ledger (§5.5: 立案数 − 挂账数)
  and those cancelled (作废: not a real problem).
- The centre's posts (受理员, 值班长, 派遣员; §5.2–5.4) are rated on the steps they finished: a
  受理, 立案, 派遣 or 结案 step belongs to the user who finished it (CaseStep.finished_by), in the
  period it was finished in, with the outcome that step has when the post does its job
  ("accepted", "filed", "dispatched", "closed"). An unfinished step has no holder yet and is not
  counted; a step that was not the post's task (returned, cancelled, merged) has another outcome
  and is not counted either.
"""

from collections import defaultdict
from datetime import datetime
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Count, Exists, OuterRef, Q

from urbangrid.cases.calendar import default_calendar
from urbangrid.cases.models import PUBLIC_SOURCES, Case, CaseAction, CaseStep, Source, State, Step

from . import worktime

NOT_THE_HOLDERS = ("returned", "cancelled", "merged")
CENT = Decimal("0.01")
DONE = "done"  # outcome of a disposal step finished by the department's 反馈


def check_period(start: datetime, end: datetime) -> None:
    if start.tzinfo is None or end.tzinfo is None:
        raise ValueError("the period must be given in aware datetimes")
    if end <= start:
        raise ValueError("the period must end after it starts")


def round2(value: Decimal) -> float:
    """Two decimals, halves rounded up (as by hand), not to even."""
    return float(value.quantize(CENT, rounding=ROUND_HALF_UP))


def rate(part: int, whole: int) -> float | None:
    return None if not whole else round2(Decimal(100 * part) / Decimal(whole))


def _due_steps(step: str, start: datetime, end: datetime):
    return (
        CaseStep.objects.filter(step=step, due_at__gte=start, due_at__lt=end)
        .exclude(outcome__in=NOT_THE_HOLDERS)
        .filter(Q(paused_at__isnull=True) | Q(paused_at__gte=end))
    )


def _done(end: datetime) -> Q:
    """A disposal step finished by the department's 反馈 before the period's end."""
    return Q(outcome=DONE, finished_at__lt=end)


def _sent_back(end: datetime) -> Q:
    """Sent back for rework (返工) before the period's end."""
    return Q(sent_back_at__lt=end)


def _overdue_open(end: datetime):
    """Disposal steps, whenever due, past their deadline, unfinished and not in the ledger at `end`."""
    return (
        CaseStep.objects.filter(
            step=Step.DISPOSE, department__isnull=False, started_at__lt=end, due_at__lt=end
        )
        .filter(Q(finished_at__isnull=True) | Q(finished_at__gte=end))
        .filter(Q(paused_at__isnull=True) | Q(paused_at__gte=end))
    )


def department_indicators(start: datetime, end: datetime) -> dict[int, dict]:
    """专业部门 (§5.6), per disposal department id:

    - due (应处置数): disposal steps of the department due in the period;
    - done (处置数): of those, finished by 反馈 before the period's end;
      disposal_rate (处置率) = done / due;
    - on_time (按期处置数): of those, finished by the deadline; on_time_rate (按期处置率) = on_time / due;
    - late (超期处置数): done after the deadline;
    - reworked (返工数): done steps that a failed 核查 or a 返工 sent back (a new disposal step of
      the case started after this one finished, before the period's end);
      rework_rate (返工率) = reworked / done;
    - overdue_open (超期未处置数): disposal steps, whenever due, that at the period's end were past
      their deadline, unfinished and not in the ledger;
    - avg_hours (平均处置时长): mean working hours (default working calendar) from dispatch to
      反馈 over the done steps.
    """
    check_period(start, end)
    done = _done(end)
    sent_back = _sent_back(end)
    due = _due_steps(Step.DISPOSE, start, end).filter(department__isnull=False)
    rows = due.values("department_id").annotate(
        n_due=Count("id"),
        n_done=Count("id", filter=done),
        n_on_time=Count("id", filter=done & Q(on_time=True)),
        n_late=Count("id", filter=done & Q(on_time=False)),
        n_reworked=Count("id", filter=done & sent_back),
    )
    open_at_end = _overdue_open(end).values("department_id").annotate(n=Count("id"))
    overdue = {r["department_id"]: r["n"] for r in open_at_end}
    seconds = _working_seconds(due.filter(done))
    result = {}
    for r in rows:
        d = r["department_id"]
        result[d] = {
            "due": r["n_due"],
            "done": r["n_done"],
            "disposal_rate": rate(r["n_done"], r["n_due"]),
            "on_time": r["n_on_time"],
            "on_time_rate": rate(r["n_on_time"], r["n_due"]),
            "late": r["n_late"],
            "reworked": r["n_reworked"],
            "rework_rate": rate(r["n_reworked"], r["n_done"]),
            "overdue_open": overdue.get(d, 0),
            "avg_hours": round2(seconds.get(d, Decimal(0)) / 3600 / r["n_done"]) if r["n_done"] else None,
        }
    for d, n in overdue.items():
        if d not in result:
            result[d] = {**_EMPTY_DEPARTMENT, "overdue_open": n}
    return result


def _working_seconds(steps) -> dict[int, Decimal]:
    """Working seconds (default calendar) from start to finish of the steps, summed per
    department, exactly (whole microseconds), vectorised over the whole month."""
    departments, began, finished = worktime.spans(steps, "department_id", "started_at", "finished_at")
    if not len(departments):
        return {}
    spent = worktime.working_us(default_calendar(), began, finished)
    return {d: Decimal(us) / worktime.US for d, us in worktime.sums_by_key(departments, spent).items()}


_EMPTY_DEPARTMENT = {
    "due": 0,
    "done": 0,
    "disposal_rate": None,
    "on_time": 0,
    "on_time_rate": None,
    "late": 0,
    "reworked": 0,
    "rework_rate": None,
    "overdue_open": 0,
    "avg_hours": None,
}

AREA_FIELDS = {"street": "street_code", "community": "community_code", "grid": "grid_code"}


def _filed(start: datetime, end: datetime):
    return Case.objects.filter(filed_at__gte=start, filed_at__lt=end).exclude(
        state__in=[State.SUSPENDED, State.CANCELLED]
    )


def _closed(end: datetime) -> Q:
    return Q(closed_at__isnull=False, closed_at__lt=end)


def _late_disposal(start: datetime) -> Exists:
    """A disposal of the case finished late. The case was filed after `start`, so its disposals
    finished after it too: the bound spares reading every late disposal in history."""
    return Exists(
        CaseStep.objects.filter(
            case_id=OuterRef("pk"), step=Step.DISPOSE, outcome=DONE, on_time=False, finished_at__gte=start
        )
    )


def area_indicators(start: datetime, end: datetime, level: str = "street") -> dict[str, dict]:
    """区域 (§5.5), per street, community or grid code:

    - filed (立案数): cases filed in the period, less those now in the ledger or cancelled;
      these are also the cases due to be closed (应结案数);
    - closed (结案数): of those, closed before the period's end; closure_rate (结案率) = closed / filed;
    - on_time_closed (按期结案数): closed, and no disposal of the case was finished late;
      on_time_closure_rate (按期结案率) = on_time_closed / filed;
    - public (监督举报数): of the filed cases, those reported by the public (公众, 12319, 12345);
      public_share (监督举报率) = public / filed (lower is better).
    """
    check_period(start, end)
    field = AREA_FIELDS[level]
    closed = _closed(end)
    rows = (
        _filed(start, end)
        .values(field)
        .annotate(
            n_filed=Count("id"),
            n_closed=Count("id", filter=closed),
            n_public=Count("id", filter=Q(source__in=sorted(PUBLIC_SOURCES))),
        )
    )
    # Closed late = closed with a late disposal: one semi-join, not a subquery per case.
    late = (
        _filed(start, end).filter(closed).filter(_late_disposal(start)).values(field).annotate(n=Count("id"))
    )
    closed_late = {r[field]: r["n"] for r in late}
    return {
        r[field]: {
            "filed": r["n_filed"],
            "closed": r["n_closed"],
            "closure_rate": rate(r["n_closed"], r["n_filed"]),
            "on_time_closed": r["n_closed"] - closed_late.get(r[field], 0),
            "on_time_closure_rate": rate(r["n_closed"] - closed_late.get(r[field], 0), r["n_filed"]),
            "public": r["n_public"],
            "public_share": rate(r["n_public"], r["n_filed"]),
        }
        for r in rows
    }


def _own_reports(start: datetime, end: datetime):
    return Case.objects.filter(source=Source.SUPERVISOR, reported_at__gte=start, reported_at__lt=end)


def _missed(start: datetime, end: datetime):
    return CaseStep.objects.filter(step=Step.VERIFY, outcome="confirmed").filter(
        finished_at__gte=start, finished_at__lt=end, case__source__in=sorted(PUBLIC_SOURCES)
    )


def supervisor_indicators(start: datetime, end: datetime) -> dict[int, dict]:
    """监督员 (§5.1), per user id:

    - reported (上报数): the supervisor's own reports (source 监督员上报) made in the period;
    - valid (有效上报数): of those, the ones filed (立案, at any time); valid_rate = valid / reported;
    - verify_due / verify_on_time: 核实 steps sent to the supervisor and due in the period, and
      those finished by the deadline; on_time_verify_rate (按时核实率) = verify_on_time / verify_due;
    - check_due / check_on_time, on_time_check_rate (按时核查率): the same for 核查;
    - missed (漏报数) [I]: public reports the supervisor confirmed on the spot in the period (a
      problem in the supervisor's grid that someone else found first);
      missed_rate (漏报率) = missed / (valid + missed) (lower is better).
    """
    check_period(start, end)
    reports = (
        _own_reports(start, end)
        .filter(reporter__isnull=False)
        .values("reporter_id")
        .annotate(n=Count("id"), n_valid=Count("id", filter=Q(filed_at__isnull=False)))
    )
    out: dict[int, dict] = defaultdict(lambda: dict(_EMPTY_SUPERVISOR))
    for r in reports:
        out[r["reporter_id"]].update(reported=r["n"], valid=r["n_valid"])
    for step, prefix in ((Step.VERIFY, "verify"), (Step.CHECK, "check")):
        rows = (
            _due_steps(step, start, end)
            .filter(assignee__isnull=False)
            .values("assignee_id")
            .annotate(n=Count("id"), n_on_time=Count("id", filter=Q(on_time=True)))
        )
        for r in rows:
            out[r["assignee_id"]].update({f"{prefix}_due": r["n"], f"{prefix}_on_time": r["n_on_time"]})
    missed = _missed(start, end).filter(assignee__isnull=False).values("assignee_id").annotate(n=Count("id"))
    for r in missed:
        out[r["assignee_id"]]["missed"] = r["n"]
    for row in out.values():
        row["valid_rate"] = rate(row["valid"], row["reported"])
        row["on_time_verify_rate"] = rate(row["verify_on_time"], row["verify_due"])
        row["on_time_check_rate"] = rate(row["check_on_time"], row["check_due"])
        row["missed_rate"] = rate(row["missed"], row["valid"] + row["missed"])
    return dict(out)


_EMPTY_SUPERVISOR = {
    "reported": 0,
    "valid": 0,
    "valid_rate": None,
    "verify_due": 0,
    "verify_on_time": 0,
    "on_time_verify_rate": None,
    "check_due": 0,
    "check_on_time": 0,
    "on_time_check_rate": None,
    "missed": 0,
    "missed_rate": None,
}


# ---------------------------------------------------------------- the centre's posts (§5.2–5.4)


def _finished_by_posts(step: str, outcome: str, start: datetime, end: datetime):
    """Steps of one kind finished in the period with the outcome of the post's work, by a user."""
    return CaseStep.objects.filter(
        step=step, outcome=outcome, finished_by__isnull=False, finished_at__gte=start, finished_at__lt=end
    )


def _count_by_holder(steps):
    """Steps per user who finished them. A test of later events kept out of the main counts
    (in WHERE, not in a FILTER) is one semi-join, not a subquery per step."""
    return steps.values("finished_by_id").annotate(n=Count("id"))


def _taken_in(start: datetime, end: datetime):
    """受理 and 不予受理 by a user in the period: the 受理 steps finished as accepted or rejected,
    one per case, as a case awaits 受理 only once (merged reports were not taken in)."""
    return CaseStep.objects.filter(
        step=Step.ACCEPT,
        outcome__in=("accepted", State.REJECTED),
        finished_by__isnull=False,
        finished_at__gte=start,
        finished_at__lt=end,
    )


def _verify_sent(start: datetime, end: datetime):
    """受理 steps finished as "accepted" on a report not made by a supervisor: each sent a 核实."""
    return _finished_by_posts(Step.ACCEPT, "accepted", start, end).exclude(case__source=Source.SUPERVISOR)


def _check_sent(start: datetime, end: datetime):
    """A user's 派发核查 by hand: sending a supervisor (assign_supervisor) to a case awaiting 核查."""
    return CaseAction.objects.filter(
        action="assign_supervisor", from_state=State.CHECKING, actor__isnull=False, at__gte=start, at__lt=end
    )


def _check_sent_on_time() -> Exists:
    """The case's 核查 step open at the moment of sending was still within its deadline."""
    return Exists(
        CaseStep.objects.filter(
            case_id=OuterRef("case_id"),
            step=Step.CHECK,
            started_at__lte=OuterRef("at"),
            due_at__gte=OuterRef("at"),
        ).filter(Q(finished_at__isnull=True) | Q(finished_at__gte=OuterRef("at")))
    )


def _cancelled_later(start: datetime, end: datetime) -> Exists:
    """The case was cancelled (作废) after this step (finished in the period), before its end."""
    return Exists(
        CaseAction.objects.filter(
            case_id=OuterRef("case_id"),
            action="cancel",
            at__gte=OuterRef("finished_at"),
            at__lt=end,
        ).filter(at__gte=start)  # implied by the line above: lets the database scan the period only
    )


def _returned_later(start: datetime, end: datetime) -> Exists:
    """The disposal step this dispatch (finished in the period) opened was returned (回退) by the
    department before the period's end."""
    return Exists(
        CaseStep.objects.filter(
            case_id=OuterRef("case_id"),
            step=Step.DISPOSE,
            started_at=OuterRef("finished_at"),
            outcome="returned",
            finished_at__gte=start,  # implied (it started in the period): lets the database scan the period only
            finished_at__lt=end,
        )
    )


def intake_indicators(start: datetime, end: datetime) -> dict[int, dict]:
    """受理员 (§5.2), per user id:

    - accepted (受理数): reports the user took in (受理) or turned down (不予受理) in the period;
    - verify_sent / verify_sent_on_time: the user's 受理 steps finished in the period that sent a
      核实 (every accepted report except a supervisor's own, which goes straight to 立案), and
      those finished within the 受理 limit; on_time_verify_send_rate (核实按时派发率) =
      verify_sent_on_time / verify_sent;
    - check_sent / check_sent_on_time: cases awaiting 核查 to which the user sent a supervisor by
      hand in the period (the system sends the grid's supervisor on the department's 反馈; the
      operator's part is to send one where needed), and of those the cases where a sending came
      while the 核查 step was within its deadline; on_time_check_send_rate (核查按时派发率) =
      check_sent_on_time / check_sent. Counted per case.
    """
    check_period(start, end)
    out: dict[int, dict] = defaultdict(lambda: dict(_EMPTY_INTAKE))
    for r in _count_by_holder(_taken_in(start, end)):
        out[r["finished_by_id"]]["accepted"] = r["n"]
    rows = (
        _verify_sent(start, end)
        .values("finished_by_id")
        .annotate(n=Count("id"), n_on_time=Count("id", filter=Q(on_time=True)))
    )
    for r in rows:
        out[r["finished_by_id"]].update(verify_sent=r["n"], verify_sent_on_time=r["n_on_time"])
    rows = (
        _check_sent(start, end)
        .values("actor_id")
        .annotate(
            n=Count("case_id", distinct=True),
            n_on_time=Count("case_id", distinct=True, filter=Q(_check_sent_on_time())),
        )
    )
    for r in rows:
        out[r["actor_id"]].update(check_sent=r["n"], check_sent_on_time=r["n_on_time"])
    for row in out.values():
        row["on_time_verify_send_rate"] = rate(row["verify_sent_on_time"], row["verify_sent"])
        row["on_time_check_send_rate"] = rate(row["check_sent_on_time"], row["check_sent"])
    return dict(out)


_EMPTY_INTAKE = {
    "accepted": 0,
    "verify_sent": 0,
    "verify_sent_on_time": 0,
    "on_time_verify_send_rate": None,
    "check_sent": 0,
    "check_sent_on_time": 0,
    "on_time_check_send_rate": None,
}


def shift_leader_indicators(start: datetime, end: datetime) -> dict[int, dict]:
    """值班长 (§5.3), per user id:

    - filed (立案数): 立案 steps the user finished as "filed" in the period (不予立案 is not a
      filing); filed_on_time: of those, within the 立案 limit; on_time_filing_rate (按时立案率) =
      filed_on_time / filed;
    - cancelled (作废数): of the filed, cases cancelled (作废) after filing, before the period's
      end; accurate_filing_rate (准确立案率) = (filed − cancelled) / filed;
    - closed (结案数): 结案 steps the user finished in the period; closed_on_time: of those, within
      the 结案 limit; on_time_closing_rate (按时结案率) = closed_on_time / closed.
    """
    check_period(start, end)
    out: dict[int, dict] = defaultdict(lambda: dict(_EMPTY_SHIFT_LEADER))
    filed = _finished_by_posts(Step.FILE, "filed", start, end)
    rows = filed.values("finished_by_id").annotate(
        n=Count("id"), n_on_time=Count("id", filter=Q(on_time=True))
    )
    for r in rows:
        out[r["finished_by_id"]].update(filed=r["n"], filed_on_time=r["n_on_time"])
    for r in _count_by_holder(filed.filter(_cancelled_later(start, end))):
        out[r["finished_by_id"]]["cancelled"] = r["n"]
    rows = (
        _finished_by_posts(Step.CLOSE, "closed", start, end)
        .values("finished_by_id")
        .annotate(n=Count("id"), n_on_time=Count("id", filter=Q(on_time=True)))
    )
    for r in rows:
        out[r["finished_by_id"]].update(closed=r["n"], closed_on_time=r["n_on_time"])
    for row in out.values():
        row["on_time_filing_rate"] = rate(row["filed_on_time"], row["filed"])
        row["accurate_filing_rate"] = rate(row["filed"] - row["cancelled"], row["filed"])
        row["on_time_closing_rate"] = rate(row["closed_on_time"], row["closed"])
    return dict(out)


_EMPTY_SHIFT_LEADER = {
    "filed": 0,
    "filed_on_time": 0,
    "on_time_filing_rate": None,
    "cancelled": 0,
    "accurate_filing_rate": None,
    "closed": 0,
    "closed_on_time": 0,
    "on_time_closing_rate": None,
}


def dispatcher_indicators(start: datetime, end: datetime) -> dict[int, dict]:
    """派遣员 (§5.4), per user id:

    - dispatched (派遣数, 应派遣数): 派遣 steps the user finished as "dispatched" in the period;
      dispatched_on_time: of those, within the 派遣 limit; on_time_dispatch_rate (按时派遣率) =
      dispatched_on_time / dispatched;
    - returned (派遣错误数): of those, dispatches whose department returned the case (回退: not
      theirs) before the period's end; accurate_dispatch_rate (准确派遣率) =
      (dispatched − returned) / dispatched. A 返工 after a failed 核查 is the department's
      (§5.6), not a wrong dispatch [I].
    """
    check_period(start, end)
    out: dict[int, dict] = defaultdict(lambda: dict(_EMPTY_DISPATCHER))
    dispatched = _finished_by_posts(Step.DISPATCH, "dispatched", start, end)
    rows = dispatched.values("finished_by_id").annotate(
        n=Count("id"), n_on_time=Count("id", filter=Q(on_time=True))
    )
    for r in rows:
        out[r["finished_by_id"]].update(dispatched=r["n"], dispatched_on_time=r["n_on_time"])
    for r in _count_by_holder(dispatched.filter(_returned_later(start, end))):
        out[r["finished_by_id"]]["returned"] = r["n"]
    for row in out.values():
        row["on_time_dispatch_rate"] = rate(row["dispatched_on_time"], row["dispatched"])
        row["accurate_dispatch_rate"] = rate(row["dispatched"] - row["returned"], row["dispatched"])
    return dict(out)


_EMPTY_DISPATCHER = {
    "dispatched": 0,
    "dispatched_on_time": 0,
    "on_time_dispatch_rate": None,
    "returned": 0,
    "accurate_dispatch_rate": None,
}


# ---------------------------------------------------------------- the cases behind each number
#
# Every count above is a count of timed steps (departments' disposals, supervisors' 核实/核查) or
# of cases (areas, supervisors' own reports). `steps_behind` gives the CaseStep rows a step count
# counts, `cases_behind` the Case rows behind any number: built from the same filters as the
# counts, so a list is exactly what its number counts. A case disposed twice in the period (返工)
# is two disposal steps: it appears once per step in `steps_behind` and once in `cases_behind`.
# A rate is backed by the population it is computed over (its denominator), the 漏报率 by the
# misses, an average by the steps it averages.

# Public satisfaction (evaluation.satisfaction) beside the department and area indicators.
SATISFACTION_BEHIND = {"rated": "rated", "satisfied": "satisfied", "satisfaction_rate": "rated"}
DEPARTMENT_BEHIND = {
    "due": "due",
    "done": "done",
    "disposal_rate": "due",
    "on_time": "on_time",
    "on_time_rate": "due",
    "late": "late",
    "reworked": "reworked",
    "rework_rate": "done",
    "overdue_open": "overdue_open",
    "avg_hours": "done",
    **SATISFACTION_BEHIND,
}
AREA_BEHIND = {
    "filed": "filed",
    "closed": "closed",
    "closure_rate": "filed",
    "on_time_closed": "on_time_closed",
    "on_time_closure_rate": "filed",
    "public": "public",
    "public_share": "filed",
    **SATISFACTION_BEHIND,
}
SUPERVISOR_BEHIND = {
    "reported": "reported",
    "valid": "valid",
    "valid_rate": "reported",
    "verify_due": "verify_due",
    "verify_on_time": "verify_on_time",
    "on_time_verify_rate": "verify_due",
    "check_due": "check_due",
    "check_on_time": "check_on_time",
    "on_time_check_rate": "check_due",
    "missed": "missed",
    "missed_rate": "missed",
}
INTAKE_BEHIND = {
    "accepted": "accepted",
    "verify_sent": "verify_sent",
    "verify_sent_on_time": "verify_sent_on_time",
    "on_time_verify_send_rate": "verify_sent",
    "check_sent": "check_sent",
    "check_sent_on_time": "check_sent_on_time",
    "on_time_check_send_rate": "check_sent",
}
SHIFT_LEADER_BEHIND = {
    "filed": "filed",
    "filed_on_time": "filed_on_time",
    "on_time_filing_rate": "filed",
    "cancelled": "cancelled",
    "accurate_filing_rate": "filed",
    "closed": "closed",
    "closed_on_time": "closed_on_time",
    "on_time_closing_rate": "closed",
}
DISPATCHER_BEHIND = {
    "dispatched": "dispatched",
    "dispatched_on_time": "dispatched_on_time",
    "on_time_dispatch_rate": "dispatched",
    "returned": "returned",
    "accurate_dispatch_rate": "dispatched",
}
BEHIND = {
    "department": DEPARTMENT_BEHIND,
    "street": AREA_BEHIND,
    "community": AREA_BEHIND,
    "supervisor": SUPERVISOR_BEHIND,
    "intake": INTAKE_BEHIND,
    "shift_leader": SHIFT_LEADER_BEHIND,
    "dispatcher": DISPATCHER_BEHIND,
}
# Counts of cases rather than of steps, per kind of subject.
CASE_COUNTS = frozenset(
    {"filed", "closed", "on_time_closed", "public", "reported", "valid", "rated", "satisfied"}
)
POST_CASE_COUNTS = {
    "intake": frozenset({"accepted", "check_sent", "check_sent_on_time"}),
    "shift_leader": frozenset(),
    "dispatcher": frozenset(),
}


def counts_cases(kind: str, count: str) -> bool:
    """Whether `count` of a `kind` subject counts cases (True) or timed steps (False)."""
    if kind in POST_CASE_COUNTS:
        return count in POST_CASE_COUNTS[kind]
    return count in CASE_COUNTS


def count_behind(kind: str, indicator: str) -> str:
    """The count whose cases back `indicator` of a `kind` subject (KeyError if there is none)."""
    return BEHIND[kind][indicator]


def department_steps(department_id: int, count: str, start: datetime, end: datetime):
    """The disposal steps of one department behind one of its counts (see department_indicators)."""
    check_period(start, end)
    if count == "overdue_open":
        return _overdue_open(end).filter(department_id=department_id)
    due = _due_steps(Step.DISPOSE, start, end).filter(department_id=department_id)
    done = _done(end)
    if count == "due":
        return due
    if count == "done":
        return due.filter(done)
    if count == "on_time":
        return due.filter(done & Q(on_time=True))
    if count == "late":
        return due.filter(done & Q(on_time=False))
    if count == "reworked":
        return due.filter(done).filter(_sent_back(end))
    raise KeyError(count)


def area_cases(level: str, code: str, count: str, start: datetime, end: datetime):
    """The cases of one street, community or grid behind one of its counts (see area_indicators)."""
    check_period(start, end)
    filed = _filed(start, end).filter(**{AREA_FIELDS[level]: code})
    if count == "filed":
        return filed
    if count == "closed":
        return filed.filter(_closed(end))
    if count == "on_time_closed":
        return filed.filter(_closed(end)).exclude(_late_disposal(start))
    if count == "public":
        return filed.filter(source__in=sorted(PUBLIC_SOURCES))
    raise KeyError(count)


def supervisor_steps(user_id: int, count: str, start: datetime, end: datetime):
    """The 核实/核查 steps of one supervisor behind one of the step counts (see supervisor_indicators)."""
    check_period(start, end)
    if count == "missed":
        return _missed(start, end).filter(assignee_id=user_id)
    prefix, _sep, part = count.partition("_")
    step = {"verify": Step.VERIFY, "check": Step.CHECK}.get(prefix)
    if step is None or part not in ("due", "on_time"):
        raise KeyError(count)
    due = _due_steps(step, start, end).filter(assignee_id=user_id)
    return due if part == "due" else due.filter(on_time=True)


def supervisor_cases(user_id: int, count: str, start: datetime, end: datetime):
    """The supervisor's own reports behind 上报数 / 有效上报数."""
    check_period(start, end)
    reports = _own_reports(start, end).filter(reporter_id=user_id)
    if count == "reported":
        return reports
    if count == "valid":
        return reports.filter(filed_at__isnull=False)
    raise KeyError(count)


def intake_steps(user_id: int, count: str, start: datetime, end: datetime):
    """The 受理 steps of one intake operator behind 核实 sent / sent on time."""
    check_period(start, end)
    sent = _verify_sent(start, end).filter(finished_by_id=user_id)
    if count == "verify_sent":
        return sent
    if count == "verify_sent_on_time":
        return sent.filter(on_time=True)
    raise KeyError(count)


def intake_cases(user_id: int, count: str, start: datetime, end: datetime):
    """The cases behind an intake operator's 受理数 and 核查 sent / sent on time."""
    check_period(start, end)
    if count == "accepted":
        rows = _taken_in(start, end).filter(finished_by_id=user_id)
    elif count == "check_sent":
        rows = _check_sent(start, end).filter(actor_id=user_id)
    elif count == "check_sent_on_time":
        rows = _check_sent(start, end).filter(actor_id=user_id).filter(_check_sent_on_time())
    else:
        raise KeyError(count)
    return Case.objects.filter(pk__in=rows.values("case_id"))


def shift_leader_steps(user_id: int, count: str, start: datetime, end: datetime):
    """The 立案 / 结案 steps of one shift leader behind one of the counts."""
    check_period(start, end)
    filed = _finished_by_posts(Step.FILE, "filed", start, end).filter(finished_by_id=user_id)
    closed = _finished_by_posts(Step.CLOSE, "closed", start, end).filter(finished_by_id=user_id)
    if count == "filed":
        return filed
    if count == "filed_on_time":
        return filed.filter(on_time=True)
    if count == "cancelled":
        return filed.filter(_cancelled_later(start, end))
    if count == "closed":
        return closed
    if count == "closed_on_time":
        return closed.filter(on_time=True)
    raise KeyError(count)


def dispatcher_steps(user_id: int, count: str, start: datetime, end: datetime):
    """The 派遣 steps of one dispatcher behind one of the counts."""
    check_period(start, end)
    dispatched = _finished_by_posts(Step.DISPATCH, "dispatched", start, end).filter(finished_by_id=user_id)
    if count == "dispatched":
        return dispatched
    if count == "dispatched_on_time":
        return dispatched.filter(on_time=True)
    if count == "returned":
        return dispatched.filter(_returned_later(start, end))
    raise KeyError(count)


USER_STEPS = {
    "supervisor": supervisor_steps,
    "intake": intake_steps,
    "shift_leader": shift_leader_steps,
    "dispatcher": dispatcher_steps,
}


def steps_behind(kind: str, indicator: str, subject, start: datetime, end: datetime):
    """The CaseStep queryset behind a step count (or a rate or mean over one); None where the
    number counts cases, not steps."""
    count = count_behind(kind, indicator)
    if counts_cases(kind, count):
        return None
    if kind == "department":
        return department_steps(int(subject), count, start, end)
    if kind in USER_STEPS:
        return USER_STEPS[kind](int(subject), count, start, end)
    raise KeyError(indicator)


def cases_behind(kind: str, indicator: str, subject, start: datetime, end: datetime):
    """The Case queryset behind `indicator` of the subject (a department or user id, or an area
    code) in [start, end)."""
    count = count_behind(kind, indicator)
    if count in SATISFACTION_BEHIND:
        from . import satisfaction

        return satisfaction.cases(kind, subject, count, start, end)
    if kind in AREA_FIELDS:
        return area_cases(kind, str(subject), count, start, end)
    if kind == "supervisor" and count in CASE_COUNTS:
        return supervisor_cases(int(subject), count, start, end)
    if kind == "intake" and counts_cases(kind, count):
        return intake_cases(int(subject), count, start, end)
    steps = steps_behind(kind, indicator, subject, start, end)
    return Case.objects.filter(pk__in=steps.values("case_id"))
