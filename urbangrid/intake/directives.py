"""Matters assigned from above (上级交办) and leaders' instructions (领导批示).

Each becomes a case like any report, and carries a Directive: the issuing body, its document
number and the date by which a reply is owed. That date is the issuer's, in natural time, and
runs on its own clock beside the case's step deadlines; the reply is written and sent once the
case is closed."""

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from urbangrid.accounts import permissions
from urbangrid.accounts.models import Role
from urbangrid.audit import services as audit
from urbangrid.cases import services as case_services
from urbangrid.cases.models import Source, State
from urbangrid.core import clock
from urbangrid.core.errors import Conflict, Invalid, NotFound

from .models import Directive

permissions.register("intake.directive", Role.INTAKE, Role.SHIFT_LEADER)

SOURCES = (Source.ASSIGNED, Source.LEADER)
REPLY_ALLOWED_IN = frozenset({State.CLOSED, State.ARCHIVED})
DUE_SOON = timedelta(days=1)


@transaction.atomic
def create(
    actor, *, source: str, issuer: str, document_number: str, reply_due_at: datetime, **problem
) -> Directive:
    """Record a directive and its case; `problem` holds report_case's fields of the problem
    (kind, type_code, description, lon, lat, address, ...). The same document from the same
    desk again gives the directive already recorded."""
    permissions.require(actor, "intake.directive")
    if source not in SOURCES:
        raise Invalid("bad_source", _("A directive is assigned from above or a leader's instruction."))
    issuer, document_number = (issuer or "").strip(), (document_number or "").strip()
    if not issuer:
        raise Invalid("issuer_required", _("Name the issuing body."))
    if not document_number or len(document_number) > 64:
        raise Invalid("document_number_required", _("Give the document number (at most 64 characters)."))
    if reply_due_at is None or reply_due_at <= clock.now():
        raise Invalid("bad_reply_due", _("The reply deadline must lie in the future."))
    case = case_services.report_case(
        actor,
        source=source,
        reporter_name=issuer[:50],
        external_ref=document_number,
        on_behalf=True,
        **problem,
    )
    directive, created = Directive.objects.get_or_create(
        case=case,
        defaults={"issuer": issuer[:100], "document_number": document_number, "reply_due_at": reply_due_at},
    )
    if created:
        audit.append(
            actor,
            "intake.directive",
            "case",
            case.number,
            {"issuer": issuer, "document": document_number, "reply_due_at": reply_due_at.isoformat()},
        )
    return directive


@dataclass
class Row:
    directive: Directive
    left: timedelta | None  # time left to the reply deadline; negative when overdue
    overdue: bool
    due_soon: bool
    may_reply: bool


def listing(actor, *, show: str = "open") -> list[Row]:
    """Directives with the time left to their reply deadline, the most urgent first.
    `show`: "open" (no reply yet), "replied" or "all"."""
    permissions.require(actor, "intake.directive")
    qs = Directive.objects.select_related("case", "case__type")
    if show == "open":
        qs = qs.filter(replied_at__isnull=True)
    elif show == "replied":
        qs = qs.filter(replied_at__isnull=False)
    now = clock.now()
    rows = []
    for d in qs.order_by("reply_due_at", "id")[:500]:
        if d.replied_at:
            rows.append(Row(d, None, d.replied_at > d.reply_due_at, False, False))
            continue
        left = d.reply_due_at - now
        rows.append(Row(d, left, left < timedelta(0), timedelta(0) <= left < DUE_SOON, _may_reply(d)))
    return rows


def _may_reply(directive: Directive) -> bool:
    return directive.replied_at is None and directive.case.state in REPLY_ALLOWED_IN


@transaction.atomic
def reply(actor, directive_id: int, *, text: str) -> Directive:
    """Record the reply sent to the issuer; only once the case is closed, and only once."""
    permissions.require(actor, "intake.directive")
    directive = Directive.objects.select_for_update().select_related("case").filter(pk=directive_id).first()
    if directive is None:
        raise NotFound("directive_not_found", _("No such directive."))
    if directive.replied_at is not None:
        raise Conflict("already_replied", _("The reply has already been sent."))
    if directive.case.state not in REPLY_ALLOWED_IN:
        raise Conflict(
            "case_not_closed",
            _("The reply can be written once the case is closed."),
            state=directive.case.state,
        )
    text = (text or "").strip()
    if not text:
        raise Invalid("reply_required", _("Write the reply."))
    now = clock.now()
    directive.reply, directive.replied_at = text[:4000], now
    directive.save(update_fields=["reply", "replied_at"])
    audit.append(
        actor,
        "intake.directive_reply",
        "case",
        directive.case.number,
        {"late": now > directive.reply_due_at, "reply": text[:200]},
    )
    return directive
