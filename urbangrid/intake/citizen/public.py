"""What citizens see of a case: the state in plain words, the milestones without the people who
acted, and the public map's coarse points.

What the public map shows (the decision, kept with the code that makes it):
- only cases that the centre has accepted (a bare report is the reporter's claim, not a fact),
  and not refused, merged or cancelled ones; from the last CITIZEN_MAP_DAYS (90) days;
- no description, address, photo, reporter or phone: the type, the plain state, the day it was
  reported and a position rounded to about 100 m;
- no types whose subject is a person or a private home (CITIZEN_MAP_HIDDEN_TYPES below: illegal
  building, noise, hawkers, begging, …): a pin there points at a neighbour or a poor person."""

from datetime import timedelta

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from urbangrid.cases.models import OPEN_STATES, Case, CaseAction, CasePhoto, State
from urbangrid.core import clock

from ..models import FollowUp, Receipt

HIDDEN_TYPES = (
    "06001",  # 私搭乱建
    "06002",  # 店面无证装修
    "06028",  # 噪声扰民
    "06038",  # 擅自饲养家禽家畜
    "08016",  # 无证建设
    "09001",  # 无照经营游商
    "09003",  # 流浪乞讨
    "09004",  # 废品收购乱象
    "09008",  # 非法出版物销售
    "09013",  # 临街屠宰
    "09015",  # 无证餐饮
)
COARSE_DECIMALS = 3  # about 100 m

# The plain words of each state, and the step of the 3-step progress bar it belongs to.
RECEIVED, IN_HAND, DONE, ENDED = "received", "in_hand", "done", "ended"
PLAIN = {
    State.REPORTED: (RECEIVED, _("Received, waiting to be accepted")),
    State.VERIFYING: (RECEIVED, _("Accepted, being checked on the spot")),
    State.FILING: (RECEIVED, _("Accepted, being checked on the spot")),
    State.DISPATCHING: (IN_HAND, _("Accepted, being assigned")),
    State.DISPOSING: (IN_HAND, _("Being handled")),
    State.SUSPENDED: (IN_HAND, _("Scheduled for later handling")),
    State.CHECKING: (IN_HAND, _("Handled, being checked")),
    State.CLOSING: (IN_HAND, _("Handled, being confirmed")),
    State.CLOSED: (DONE, _("Done")),
    State.ARCHIVED: (DONE, _("Done")),
    State.REJECTED: (ENDED, _("Not accepted")),
    State.NOT_FILED: (ENDED, _("Not taken up")),
    State.CANCELLED: (ENDED, _("Withdrawn")),
    State.MERGED: (RECEIVED, _("Merged with an earlier report of the same problem")),
}

MILESTONES = {
    "report": _("Report received"),
    "merge": _("Merged with an earlier report of the same problem"),
    "accept": _("Accepted"),
    "reject": _("Not accepted"),
    "verify": _("Checked on the spot"),
    "file": _("Taken up for handling"),
    "not_file": _("Not taken up"),
    "dispatch": _("Assigned to the responsible body"),
    "feedback": _("Handled"),
    "close": _("Done"),
    "reopen": _("Reopened after your feedback"),
    "rework": _("Sent back to be handled again"),
    "cancel": _("Withdrawn"),
}


def setting(name: str, default):
    return settings.URBANGRID.get(name, default)


def plain_state(case: Case) -> dict:
    stage, words = PLAIN.get(case.state, (IN_HAND, case.get_state_display()))
    if case.state == State.CLOSING:
        last = case.actions.order_by("-at", "-id").values_list("action", flat=True).first()
        if last == "reopen":
            words = _("Reopened, being looked at again")
    return {"stage": stage, "words": words}


def milestones(receipt: Receipt, case: Case) -> list[dict]:
    """The report's own history, then (after a merge) the history of the case it follows since
    the report came in; who acted is left out, the responsible body is named (a public body)."""
    names = list(MILESTONES)
    rows = list(
        CaseAction.objects.filter(case=receipt.case, action__in=names).select_related("department", "reason")
    )
    if case.pk != receipt.case_id:
        rows += (
            CaseAction.objects.filter(case=case, action__in=names, at__gte=receipt.case.reported_at)
            .exclude(action="report")
            .select_related("department", "reason")
        )
    rows.sort(key=lambda a: (a.at, a.pk))
    return [
        {
            "at": timezone.localtime(a.at),
            "words": MILESTONES[a.action],
            "department": a.department.name if a.action == "dispatch" and a.department_id else "",
            "reason": a.reason.label if a.reason_id and a.action in ("reject", "not_file", "cancel") else "",
        }
        for a in rows
    ]


def after_photos(case: Case):
    """The photos the department sent back with its last report of the work done."""
    last = case.photos.filter(stage=CasePhoto.Stage.DISPOSE).order_by("-uploaded_at", "-id").first()
    if last is None:
        return []
    return list(
        case.photos.filter(stage=CasePhoto.Stage.DISPOSE, uploaded_at=last.uploaded_at).order_by("id")
    )


def what_was_done(case: Case) -> str:
    entry = CaseAction.objects.filter(case=case, action="feedback").order_by("-at", "-id").first()
    return entry.note if entry else ""


def rating(receipt: Receipt, case: Case) -> dict:
    """May the citizen rate now, and what did they say about this closing?"""
    if case.state not in (State.CLOSED, State.ARCHIVED) or case.closed_at is None:
        # Reopened after this citizen's unsatisfied rating: say that it is being looked at again.
        last = (
            FollowUp.objects.filter(
                case_id=receipt.case_id, channel=FollowUp.Channel.APP, done_at__isnull=False
            )
            .order_by("-done_at")
            .first()
        )
        unhappy = (
            last is not None and last.result == FollowUp.Result.UNSATISFIED and case.state in OPEN_STATES
        )
        return {"open": False, "done": last if unhappy else None}
    row = (
        FollowUp.objects.filter(
            case_id=receipt.case_id, channel=FollowUp.Channel.APP, done_at__gte=case.closed_at
        )
        .order_by("-done_at")
        .first()
    )
    return {"open": row is None and case.state == State.CLOSED, "done": row}


def map_items() -> list[dict]:
    since = clock.now() - timedelta(days=setting("CITIZEN_MAP_DAYS", 90))
    hidden = setting("CITIZEN_MAP_HIDDEN_TYPES", HIDDEN_TYPES)
    shown = set(State.values) - {
        State.REPORTED,
        State.REJECTED,
        State.NOT_FILED,
        State.CANCELLED,
        State.MERGED,
    }
    rows = (
        Case.objects.filter(reported_at__gte=since, state__in=shown)
        .exclude(type__code__in=hidden)
        .values_list("lon", "lat", "state", "type__name", "reported_at")
        .order_by("-reported_at")[: setting("CITIZEN_MAP_MAX", 2000)]
    )
    items = []
    for lon, lat, state, type_name, reported_at in rows:
        stage, words = PLAIN[state]
        items.append(
            {
                "lon": round(lon, COARSE_DECIMALS),
                "lat": round(lat, COARSE_DECIMALS),
                "type": type_name,
                "stage": stage,
                "state": str(words),
                "day": timezone.localtime(reported_at).date().isoformat(),
            }
        )
    return items
