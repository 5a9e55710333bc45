"""The 12319 hotline's calls: the telephony system announces a call, an operator answers it at
the desk and ends it with a report (a case whose external reference is the call id, so the
recording can be found from the case) or with an answer to a consultation (咨询, kept on the
call, no case).

A call rings on every open console until an operator answers it (or the caller gives up)."""

import secrets
from datetime import timedelta

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from urbangrid.accounts import permissions
from urbangrid.accounts.models import Role
from urbangrid.audit import services as audit
from urbangrid.cases import services as case_services
from urbangrid.cases.models import CaseReporter, Source
from urbangrid.core import clock
from urbangrid.core.errors import Conflict, Invalid, NotFound

from .models import Call

permissions.register("hotline.desk", Role.INTAKE, Role.SHIFT_LEADER)

# A call nobody answered within this time has been given up by the caller: it stops ringing.
RINGING_FOR = timedelta(minutes=10)
HISTORY_LIMIT = 20
MAX_CALLER_LENGTH = 32


def _clean_caller(caller: str) -> str:
    caller = "".join((caller or "").split())
    if not caller or len(caller) > MAX_CALLER_LENGTH:
        raise Invalid("bad_caller", _("The caller number is missing or too long."))
    return caller


@transaction.atomic
def register_call(actor, *, call_id: str, caller: str, line: str = "12319") -> tuple[Call, bool]:
    """Record an incoming call; the telephony system may announce the same call again (a
    retry after a lost answer): then the first record is returned and nothing changes."""
    call_id = (call_id or "").strip()
    if not call_id or len(call_id) > 64:
        raise Invalid("bad_call_id", _("The call id is missing or longer than 64 characters."))
    caller = _clean_caller(caller)
    existing = Call.objects.filter(call_id=call_id).first()
    if existing is not None:
        return existing, False
    call = Call.objects.create(
        call_id=call_id, caller=caller, line=(line or "12319")[:16], started_at=clock.now()
    )
    audit.append(actor, "hotline.call", "call", call.call_id, {"caller": caller})
    return call, True


@transaction.atomic
def open_call(actor, *, caller: str) -> Call:
    """A call the operator records by hand (no telephony link, or a walk-in visitor)."""
    permissions.require(actor, "hotline.desk")
    call = Call.objects.create(
        call_id=f"desk-{secrets.token_hex(8)}",
        caller=_clean_caller(caller),
        started_at=clock.now(),
        operator=actor,
    )
    audit.append(actor, "hotline.call_open", "call", call.call_id, {"caller": call.caller})
    return call


def ringing(actor) -> list[Call]:
    """Calls nobody has answered yet, newest first."""
    permissions.require(actor, "hotline.desk")
    since = clock.now() - RINGING_FOR
    return list(
        Call.objects.filter(
            outcome=Call.Outcome.PENDING, operator__isnull=True, started_at__gte=since
        ).order_by("-started_at")[:5]
    )


def history(caller: str, *, exclude_call: str = "") -> dict:
    """What the centre knows of a number: its earlier calls and the reports made from it."""
    calls = Call.objects.filter(caller=caller).exclude(call_id=exclude_call).select_related("case")
    reports = (
        CaseReporter.objects.filter(phone=caller)
        .select_related("case", "case__type")
        .order_by("-reported_at")[:HISTORY_LIMIT]
    )
    return {"calls": list(calls.order_by("-started_at")[:HISTORY_LIMIT]), "reports": list(reports)}


def get_call(actor, call_id: str) -> Call:
    permissions.require(actor, "hotline.desk")
    call = Call.objects.select_related("operator", "case").filter(call_id=call_id).first()
    if call is None:
        raise NotFound("call_not_found", _("No such call."), call_id=call_id)
    return call


def _lock_for_desk(actor, call_id: str) -> Call:
    permissions.require(actor, "hotline.desk")
    call = Call.objects.select_for_update().filter(call_id=call_id).first()
    if call is None:
        raise NotFound("call_not_found", _("No such call."), call_id=call_id)
    if call.operator_id and call.operator_id != actor.pk:
        raise Conflict("call_taken", _("Another operator answered this call."), operator=str(call.operator))
    return call


@transaction.atomic
def answer(actor, call_id: str) -> Call:
    """Take a ringing call at this seat, so it stops ringing elsewhere."""
    call = _lock_for_desk(actor, call_id)
    if call.operator_id is None:
        call.operator = actor
        call.save(update_fields=["operator"])
        audit.append(actor, "hotline.answer", "call", call.call_id, {"caller": call.caller})
    return call


def _require_open(call: Call) -> None:
    if call.outcome != Call.Outcome.PENDING:
        raise Conflict("call_finished", _("This call has already been dealt with."), outcome=call.outcome)


@transaction.atomic
def report(actor, call_id: str, *, reporter_name: str = "", **problem):
    """End the call with a report. `problem` holds report_case's fields of the problem itself
    (kind, type_code, description, lon, lat, address, component_code, urgency, photos); the
    caller's number is the reporter's phone and the call id the case's external reference.
    Submitting twice gives the same case."""
    call = _lock_for_desk(actor, call_id)
    if call.outcome == Call.Outcome.REPORT and call.case_id:
        return call.case
    _require_open(call)
    case = case_services.report_case(
        actor,
        source=Source.HOTLINE_12319,
        reporter_name=reporter_name,
        reporter_phone=call.caller,
        external_ref=call.call_id,
        on_behalf=True,
        **problem,
    )
    call.operator, call.outcome, call.case, call.ended_at = actor, Call.Outcome.REPORT, case, clock.now()
    call.question = case.description
    call.save()
    audit.append(actor, "hotline.report", "call", call.call_id, {"case": case.number})
    return case


@transaction.atomic
def consult(actor, call_id: str, *, question: str, answer_text: str) -> Call:
    """End the call with an answer to a consultation: recorded on the call, no case."""
    call = _lock_for_desk(actor, call_id)
    _require_open(call)
    question, answer_text = (question or "").strip(), (answer_text or "").strip()
    if not question or not answer_text:
        raise Invalid("answer_required", _("Write down the question and the answer given."))
    call.operator, call.outcome, call.ended_at = actor, Call.Outcome.CONSULTATION, clock.now()
    call.question, call.answer = question[:2000], answer_text[:2000]
    call.save()
    audit.append(actor, "hotline.consult", "call", call.call_id, {"question": question[:200]})
    return call


@transaction.atomic
def invalid(actor, call_id: str, *, note: str = "") -> Call:
    """End a call that was neither a report nor a question (silence, a wrong number)."""
    call = _lock_for_desk(actor, call_id)
    _require_open(call)
    call.operator, call.outcome, call.ended_at = actor, Call.Outcome.INVALID, clock.now()
    call.answer = (note or "").strip()[:2000]
    call.save()
    audit.append(actor, "hotline.invalid", "call", call.call_id, {"note": call.answer[:200]})
    return call


def recent(actor, limit: int = 15) -> list[Call]:
    """This operator's calls, newest first, for the side list of the console."""
    permissions.require(actor, "hotline.desk")
    return list(Call.objects.filter(operator=actor).select_related("case").order_by("-started_at")[:limit])
