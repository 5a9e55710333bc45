"""What every case action shares: lock the case, check role, scope, state, version and claim;
record the step in the timeline and the audit chain; announce it after commit."""

import json
from dataclasses import dataclass

from django.core.files.storage import default_storage
from django.utils.translation import gettext_lazy as _

from urbangrid.accounts import permissions
from urbangrid.accounts.models import Role
from urbangrid.audit import services as audit
from urbangrid.core import clock, events
from urbangrid.core.errors import Conflict, Invalid, NotAuthenticated, NotFound, PermissionDenied

from .. import deadlines
from ..models import Case, CaseAction, CasePhoto, Reason
from ..workflow import ACTIONS

CENTRE_ROLES = frozenset({Role.INTAKE, Role.SHIFT_LEADER, Role.DISPATCHER})
IMAGE_MAGIC = {b"\xff\xd8\xff": "jpeg", b"\x89PNG\r\n\x1a\n": "png", b"RIFF": "webp"}
MAX_PHOTO_BYTES = 10 * 1024 * 1024


@dataclass
class Ctx:
    """A locked case and who is acting on it, in which role, at what time."""

    case: Case
    actor: object
    role: str
    action: str
    from_state: str
    now: object


def acting_role(actor, action_name: str) -> str:
    roles = ACTIONS[action_name].roles if action_name in ACTIONS else frozenset()
    for role in sorted(actor.roles & roles):
        return role
    return Role.ADMIN if (actor.is_superuser or Role.ADMIN in actor.roles) else ""


def lock_case(number: str) -> Case:
    case = (
        Case.objects.select_for_update(of=("self",))
        .select_related("type", "department")
        .filter(number=number)
        .first()
    )
    if case is None:
        raise NotFound("case_not_found", _("No such case."), number=number)
    return case


def _conflict(code: str, message, case: Case, **extra) -> Conflict:
    return Conflict(code, message, state=case.state, version=case.version, **extra)


def check_allowed(actor, action_name: str, case: Case, now) -> None:
    """Raise unless `actor` may take `action_name` on `case` now: role, data scope, state, claim."""
    action = ACTIONS[action_name]
    if action.scope == "department":
        if case.department_id is None:
            raise _conflict("no_department", _("The case is not with any department."), case)
        permissions.require(actor, f"case.{action_name}", department_ids=[case.department_id])
    elif action.scope == "assignee" and case.assignee_id == getattr(actor, "pk", None):
        permissions.require(actor, f"case.{action_name}")
    else:
        # Inside the actor's area, or with the actor's department (a company's leadership).
        departments = [case.department_id] if case.department_id else []
        permissions.require(
            actor, f"case.{action_name}", area_code=case.grid_code, department_ids=departments
        )
    if case.state not in action.sources:
        raise _conflict(
            "illegal_transition",
            _("This action is not possible in the case's current state."),
            case,
            action=action_name,
        )
    if action.once_per_step and _done_in_current_step(case, action_name):
        raise _conflict("already_done", _("This has already been done for the current step."), case)
    held_by_other = (
        case.holder_id and case.holder_id != actor.pk and case.held_until and case.held_until > now
    )
    if held_by_other and action.roles & CENTRE_ROLES and action_name not in ("claim", "release"):
        raise _conflict(
            "held_by_other", _("Another operator is working on this case."), case, holder=str(case.holder)
        )


def _done_in_current_step(case: Case, action_name: str) -> bool:
    step = deadlines.current_step(case)
    return step is not None and case.actions.filter(action=action_name, at__gte=step.started_at).exists()


def allowed_actions(actor, case: Case, now) -> list[str]:
    """The actions the actor may take on the case now, for buttons and API hints."""
    allowed = []
    for name in ACTIONS:
        try:
            check_allowed(actor, name, case, now)
        except (Conflict, PermissionDenied, NotAuthenticated):
            continue
        allowed.append(name)
    return allowed


def begin(actor, action_name: str, number: str, expected_version: int | None = None) -> Ctx:
    case = lock_case(number)
    now = clock.now()
    check_allowed(actor, action_name, case, now)
    if expected_version is not None and expected_version != case.version:
        raise _conflict("stale_version", _("Someone else changed this case first; reload it."), case)
    return Ctx(case, actor, acting_role(actor, action_name), action_name, case.state, now)


def reason(category: str, code: str | None, *, required: bool = True) -> Reason | None:
    if not code:
        if required:
            raise Invalid("reason_required", _("A reason is required."), category=category)
        return None
    found = Reason.objects.filter(category=category, code=code, active=True).first()
    if found is None:
        raise Invalid("unknown_reason", _("Unknown reason."), category=category, reason=code)
    return found


def event_payload(case: Case) -> dict:
    return {
        "number": case.number,
        "state": case.state,
        "type": case.type.code,
        "type_name": case.type.name,
        "lon": case.lon,
        "lat": case.lat,
        "grid": case.grid_code,
        "street": case.street_code,
        "department": case.department.code if case.department_id else None,
        "source": case.source,
        "step_due_at": case.step_due_at.isoformat() if case.step_due_at else None,
        "version": case.version,
    }


def record(
    ctx: Ctx, *, reason_obj: Reason | None = None, note: str = "", department=None, data=None
) -> CaseAction:
    """Save the case with a new version, and write its timeline entry and audit record."""
    case = ctx.case
    data = json.loads(audit.canonical_json(data or {}))
    case.version += 1  # the row lock taken in begin() makes this safe
    case.updated_at = ctx.now
    if case.state != ctx.from_state:
        # The case moved on to another desk: an operator's claim must not block the next one.
        case.holder, case.held_until = None, None
    case.save()
    payload = {
        "version": case.version,
        "reason": reason_obj.code if reason_obj else None,
        "note": note,
        "department": department.code if department else None,
        **(data or {}),
    }
    rec = audit.append(
        ctx.actor,
        f"case.{ctx.action}",
        "case",
        case.number,
        payload,
        role=ctx.role,
        from_state=ctx.from_state,
        to_state=case.state,
    )
    entry = CaseAction.objects.create(
        case=case,
        action=ctx.action,
        actor=ctx.actor if getattr(ctx.actor, "pk", None) else None,
        role=ctx.role,
        at=ctx.now,
        from_state=ctx.from_state,
        to_state=case.state,
        department=department,
        reason=reason_obj,
        note=note,
        data=data or {},
        audit_seq=rec.seq,
    )
    events.publish_on_commit(f"case.{ctx.action}", {**event_payload(case), "from_state": ctx.from_state})
    return entry


def _image_kind(head: bytes) -> str | None:
    for magic, kind in IMAGE_MAGIC.items():
        if head.startswith(magic) and (kind != "webp" or head[8:12] == b"WEBP"):
            return kind
    return None


def attach_photos(case: Case, stage: str, files, actor, now) -> list[dict]:
    """Store photos (JPEG, PNG or WebP up to 10 MB each) and return their digests for the audit
    payload, so the trail proves which files were attached."""
    digests = []
    for f in files:
        head = f.read(16)
        f.seek(0)
        if _image_kind(head) is None:
            raise Invalid(
                "bad_photo", _("Photos must be JPEG, PNG or WebP images."), name=getattr(f, "name", "")
            )
        if getattr(f, "size", 0) > MAX_PHOTO_BYTES:
            raise Invalid("photo_too_large", _("A photo may not exceed 10 MB."), name=getattr(f, "name", ""))
        sha = audit.file_digest(f)
        # Content-addressed: the name is the digest, so a file is stored once and can be checked against the trail.
        name = f"cases/{sha[:2]}/{sha}.{_image_kind(head)}"
        photo = CasePhoto(case=case, stage=stage, sha256=sha, uploaded_by=actor, uploaded_at=now)
        photo.image.name = name if default_storage.exists(name) else default_storage.save(name, f)
        photo.save()
        digests.append({"stage": stage, "sha256": photo.sha256, "file": photo.image.name})
    return digests


def require_photos(files, code: str, message) -> None:
    if not files:
        raise Invalid(code, message)


def require_scope_for_user(actor, case: Case) -> None:
    """Reading a case: allowed when it is in the actor's scope (see queries.visible_cases)."""
    from ..queries import visible_cases

    if not visible_cases(actor).filter(pk=case.pk).exists():
        raise PermissionDenied("out_of_scope", _("This is outside your data scope."))
