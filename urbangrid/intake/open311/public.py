"""What the public may see of a case through Open311: the problem, the place, where it stands
and which body handles it. Never who reported it, never staff names, never free-text notes
written inside the centre; phone and ID numbers inside citizens' own text are masked."""

import re

from django.db.models import Prefetch
from django.urls import reverse
from django.utils.translation import gettext as _

from urbangrid.cases.models import OPEN_STATES, PUBLIC_SOURCES, Case, CaseAction, CasePhoto, State

from ..models import RequestUpdate
from .formats import w3c

S = State
# Public photos: what the reporter sent, and the department's photo of the finished work.
PUBLIC_STAGES = (CasePhoto.Stage.REPORT, CasePhoto.Stage.DISPOSE)
OUT_OF_SCOPE_REASONS = frozenset({"out_of_jurisdiction", "not_city_management", "out_of_scope"})
ENDED_BY_DECISION = frozenset({S.REJECTED, S.NOT_FILED, S.CANCELLED})
_MOBILE = re.compile(r"(?<!\d)(1[3-9]\d)\d{4}(\d{4})(?!\d)")
_ID_CARD = re.compile(r"(?<!\d)(\d{6})\d{8}(\d{3}[\dXx])(?![\dXx])")
_LANDLINE = re.compile(r"(?<!\d)(0\d{2,3}-?)\d{3,4}(\d{4})(?!\d)")
# Hotline operators write "王女士来电反映…": the surname before the honorific goes.
_HONORIFIC = re.compile(r"[\u4e00-\u9fff](先生|女士|小姐|师傅|大爷|阿姨)")

# FixMyStreet's extended statuses (perllib/Open311.pm) for servicerequestupdates.
EXTENDED_STATUS = {
    S.REPORTED: "OPEN",
    S.VERIFYING: "OPEN",
    S.FILING: "INVESTIGATING",
    S.DISPATCHING: "INVESTIGATING",
    S.DISPOSING: "IN_PROGRESS",
    S.CHECKING: "IN_PROGRESS",
    S.CLOSING: "IN_PROGRESS",
    S.SUSPENDED: "ACTION_SCHEDULED",
    S.CLOSED: "FIXED",
    S.ARCHIVED: "FIXED",
    S.MERGED: "DUPLICATE",
}


def scrub(text: str) -> str:
    """Citizens write their phone or ID number into descriptions, hotline operators the
    caller's surname; the public sees neither."""
    text = _HONORIFIC.sub(r"*\1", text)
    text = _ID_CARD.sub(r"\1********\2", text)
    text = _MOBILE.sub(r"\1****\2", text)
    return _LANDLINE.sub(r"\1****\2", text)


def cases():
    """The cases the public feed shows: those that came from the public's channels."""
    actions = CaseAction.objects.select_related("reason", "department", "actor__department").order_by(
        "at", "id"
    )
    photos = CasePhoto.objects.filter(stage__in=PUBLIC_STAGES).order_by("uploaded_at", "id")
    return (
        Case.objects.filter(source__in=PUBLIC_SOURCES)
        .select_related("type", "department", "merged_into")
        .prefetch_related(
            Prefetch("actions", queryset=actions, to_attr="public_actions"),
            Prefetch("photos", queryset=photos, to_attr="public_photos"),
            Prefetch("outside_updates", queryset=RequestUpdate.objects.order_by("at", "id")),
        )
    )


def status(case: Case) -> str:
    return "open" if case.state in OPEN_STATES else "closed"


def _ending(case: Case) -> CaseAction | None:
    entries = [a for a in getattr(case, "public_actions", []) if a.to_state == case.state]
    return entries[-1] if entries else None


def extended_status(case: Case) -> str:
    ending = _ending(case)
    return extended_status_of(case.state, ending.reason.code if ending and ending.reason_id else "")


def extended_status_of(state: str, reason_code: str = "") -> str:
    if state in EXTENDED_STATUS:
        return EXTENDED_STATUS[state]
    code = reason_code
    if code == "duplicate":
        return "DUPLICATE"
    if code in OUT_OF_SCOPE_REASONS:
        return "NOT_COUNCILS_RESPONSIBILITY"
    return "NO_FURTHER_ACTION"


def status_notes(case: Case) -> str:
    label = str(case.get_state_display())
    dept = case.department.name if case.department_id else ""
    if case.state in (S.DISPOSING, S.SUSPENDED) and dept:
        return _("%(state)s: dispatched to %(department)s") % {"state": label, "department": dept}
    if case.state in (S.CHECKING, S.CLOSING) and dept:
        return _("%(state)s: %(department)s reports the work done; it is being checked") % {
            "state": label,
            "department": dept,
        }
    if case.state == S.MERGED and case.merged_into_id:
        return _("%(state)s: handled as case %(number)s") % {
            "state": label,
            "number": case.merged_into.number,
        }
    if case.state in ENDED_BY_DECISION:
        return _decision_note(case, label)
    return label


def _decision_note(case: Case, label: str) -> str:
    """Say who decided and why, and where to go when the matter is not ours (a bare "not our
    responsibility" misleads: FixMyStreet #4457)."""
    ending = _ending(case)
    if ending is None:
        return label
    by = ending.actor.department.name if ending.actor_id and ending.actor.department_id else ""
    text = label
    if ending.reason_id:
        text = _("%(state)s: %(reason)s") % {"state": label, "reason": ending.reason.label}
    if by:
        text = _("%(decision)s (decided by %(body)s)") % {"decision": text, "body": by}
    if ending.reason_id and ending.reason.code in OUT_OF_SCOPE_REASONS:
        text += " " + _("For matters outside city management, call the 12345 government service hotline.")
    return text


def note_text(a: CaseAction) -> str | None:
    """The public line of a timeline entry; None for internal steps (claims, urging, returns
    between departments, approvals, assignment of staff)."""
    reason = a.reason.label if a.reason_id else ""
    dept = a.department.name if a.department_id else ""
    texts = {
        "report": _("Report received"),
        "accept": _("Accepted by the centre"),
        "reject": _("Not accepted: %(reason)s") % {"reason": reason},
        "merge": _("Merged with an earlier report of the same problem"),
        "verify": _("Verified on the spot"),
        "file": _("Filed as a case"),
        "not_file": _("Not filed: %(reason)s") % {"reason": reason},
        "dispatch": _("Dispatched to %(department)s") % {"department": dept},
        "feedback": _("The department reports the work done"),
        "rework": _("Sent back for more work"),
        "resume": _("Work resumed"),
        "close": _("Closed"),
        "cancel": _("Cancelled: %(reason)s") % {"reason": reason},
    }
    if a.action == "check":
        return _("Checked on the spot: solved") if a.to_state == S.CLOSING else _("Checked: not yet solved")
    if a.action == "decide_request" and a.to_state == S.SUSPENDED:
        return _("Put on the long-term ledger: needs a longer project")
    return texts.get(a.action)


def notes(case: Case) -> list[dict]:
    out = []
    for a in getattr(case, "public_actions", []):
        text = note_text(a)
        if text:
            out.append({"datetime": w3c(a.at), "description": text, "type": a.action})
    for u in case.outside_updates.all():
        out.append({"datetime": w3c(u.at), "description": scrub(u.description), "type": "comment"})
    return sorted(out, key=lambda n: n["datetime"])


def media_url(case: Case, request) -> str | None:
    photos = getattr(case, "public_photos", None)
    if photos is None:
        photos = list(case.photos.filter(stage__in=PUBLIC_STAGES).order_by("uploaded_at", "id"))
    report = [p for p in photos if p.stage == CasePhoto.Stage.REPORT]
    first = (report or photos or [None])[0]
    if first is None:
        return None
    return photo_url(first, request)


def photo_url(photo: CasePhoto, request) -> str:
    return request.build_absolute_uri(reverse("open311:media", args=[photo.sha256]))


def action_photo_url(a: CaseAction, request) -> str | None:
    """The after-disposal photo of a feedback entry: what a client shows as "fixed"."""
    if a.action != "feedback":
        return None
    photo = a.case.photos.filter(stage=CasePhoto.Stage.DISPOSE, uploaded_at=a.at).order_by("id").first()
    return photo_url(photo, request) if photo else None


def request_item(case: Case, request, extensions: bool = False) -> dict:
    closed = case.state not in OPEN_STATES
    item = {
        "service_request_id": case.number,
        "status": status(case),
        "status_notes": status_notes(case),
        "service_name": case.type.name,
        "service_code": case.type.code,
        "description": scrub(case.description),
        "agency_responsible": case.department.name if case.department_id else None,
        "service_notice": None,
        "requested_datetime": w3c(case.reported_at),
        "updated_datetime": w3c(case.closed_at if closed and case.closed_at else case.updated_at),
        "expected_datetime": None if closed else w3c(case.disposal_due_at),
        "address": case.address or None,
        "address_id": None,
        "zipcode": None,
        "lat": round(case.lat, 7),
        "long": round(case.lon, 7),
        "media_url": media_url(case, request),
    }
    if extensions:
        item["extended_attributes"] = {
            "status": extended_status(case),
            "state": case.state,
            "channel": case.source,
            "photos": [photo_url(p, request) for p in getattr(case, "public_photos", [])],
        }
        item["notes"] = notes(case)
    return item
