"""From a report to a filed case: report, intake (受理 / 不予受理 / merge), verification on the
spot (核实), filing (立案 / 不予立案), and the operators' claim on a case."""

from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from urbangrid.accounts import permissions
from urbangrid.accounts.models import Role, User
from urbangrid.audit import services as audit
from urbangrid.catalog.models import CatalogType
from urbangrid.catalog.models import Kind as CatalogKind
from urbangrid.components.models import Component
from urbangrid.core import clock
from urbangrid.core.errors import Conflict, Invalid
from urbangrid.geo import crs as crs_module
from urbangrid.geo import geocoding, tiles
from urbangrid.notify.services import notify

from .. import deadlines, routing
from ..models import (
    OPEN_STATES,
    PUBLIC_SOURCES,
    Case,
    CaseCounter,
    CasePhoto,
    CaseReporter,
    Kind,
    Reason,
    Source,
    State,
    Step,
    Urgency,
)
from . import base
from .base import Ctx

# Which sources each role may report from; machine and citizen channels arrive with their own roles.
SOURCES_BY_ROLE = {
    Role.SUPERVISOR: {Source.SUPERVISOR},
    Role.CITIZEN: {Source.PUBLIC},
    Role.INTAKE: {
        Source.HOTLINE_12319,
        Source.TRANSFER_12345,
        Source.PUBLIC,
        Source.MEDIA,
        Source.ASSIGNED,
        Source.LEADER,
        Source.VIDEO,
    },
    Role.SHIFT_LEADER: {Source.HOTLINE_12319, Source.MEDIA, Source.ASSIGNED, Source.LEADER, Source.VIDEO},
    Role.LEADER: {Source.LEADER},
}


def _next_number(now) -> str:
    year = timezone.localtime(now).year
    counter, _created = CaseCounter.objects.select_for_update().get_or_create(year=year)
    counter.last += 1
    counter.save(update_fields=["last"])
    return f"{year}{counter.last:06d}"


def _matter_type(kind: str, type_code: str, component: Component | None) -> CatalogType:
    """Cases always carry a matter type: a component problem is the "‹component›异常" matter
    with the component's type code (GB/T 47678.5-2026 Table C.1)."""
    if component is not None:
        if type_code and type_code != component.type.code:
            raise Invalid(
                "type_mismatch", _("The type does not match the component's type."), component=component.code
            )
        type_code = component.type.code
    found = CatalogType.objects.filter(kind=CatalogKind.MATTER, code=type_code, active=True).first()
    if found is None:
        raise Invalid("unknown_type", _("Unknown or inactive matter type."), type=type_code)
    if kind == Kind.COMPONENT and found.major_code > "05":
        raise Invalid(
            "not_a_component_type",
            _("A component problem needs a component type (classes 01–05)."),
            type=type_code,
        )
    return found


@transaction.atomic
def report_case(
    actor,
    *,
    source: str,
    kind: str,
    type_code: str = "",
    description: str,
    lon: float | None = None,
    lat: float | None = None,
    crs: str = "wgs84",
    component_code: str = "",
    urgency: str = Urgency.NORMAL,
    photos=(),
    reporter_name: str = "",
    reporter_phone: str = "",
    external_ref: str = "",
    address: str = "",
    on_behalf: bool | None = None,
) -> Case:
    """Record a report. `on_behalf` says the actor records someone else's report (a desk taking
    a call, a channel's service account): replies then go to `reporter_phone`, not to the actor.
    By default only supervisors' and citizens' own reports are not on behalf."""
    permissions.require(actor, "case.report")
    allowed = (
        set().union(*(SOURCES_BY_ROLE.get(r, set()) for r in actor.roles))
        if not actor.has_role(Role.ADMIN)
        else set(Source.values)
    )
    if source not in Source.values or source not in allowed:
        raise Invalid("bad_source", _("You cannot report from this channel."), source=source)
    if kind not in Kind.values:
        raise Invalid("bad_kind", _("Kind must be component or matter."), kind=kind)
    if urgency not in Urgency.values:
        raise Invalid("bad_urgency", _("Unknown urgency."), urgency=urgency)
    description = (description or "").strip()
    if not description:
        raise Invalid("description_required", _("Describe the problem."))
    component = None
    if component_code:
        component = Component.objects.select_related("type").filter(code=component_code).first()
        if component is None:
            raise Invalid("unknown_component", _("No component has this code."), component=component_code)
    elif kind == Kind.COMPONENT and not type_code:
        raise Invalid("type_required", _("Choose the component type or the component."))
    matter = _matter_type(kind, type_code, component)
    if lon is None or lat is None:
        if component is None:
            raise Invalid("location_required", _("The location is required."))
        lon, lat = component.lon, component.lat
    else:
        lon, lat = crs_module.to_wgs84(float(lon), float(lat), crs)
    loc = geocoding.locate(lon, lat)
    now = clock.now()
    earlier = _same_submission(actor, source, external_ref)
    if earlier is not None:
        return earlier
    case = Case(
        number=_next_number(now),
        source=source,
        kind=kind,
        type=matter,
        component=component,
        urgency=urgency,
        description=description[:2000],
        lon=lon,
        lat=lat,
        tile_key=tiles.point_key(lon, lat),
        grid_code=loc.grid_code,
        community_code=loc.community.code,
        street_code=loc.street.code,
        address=address[:200] or _describe(lon, lat),
        state=State.REPORTED,
        reporter=actor,
        external_ref=external_ref,
        reported_at=now,
        updated_at=now,
        version=0,  # recording the report itself makes it version 1
    )
    case.save()
    if on_behalf is None:
        on_behalf = source not in (Source.SUPERVISOR, Source.PUBLIC)
    CaseReporter.objects.create(
        case=case,
        user=None if on_behalf else actor,
        name=reporter_name or ("" if on_behalf else str(actor)),
        phone=reporter_phone or ("" if on_behalf else actor.phone),
        source=source,
        original_number=case.number,
        reported_at=now,
    )
    digests = base.attach_photos(case, CasePhoto.Stage.REPORT, photos, actor, now)
    deadlines.open_step(case, Step.ACCEPT, now)
    role = next((r for r in sorted(actor.roles) if source in SOURCES_BY_ROLE.get(r, ())), Role.ADMIN)
    ctx = Ctx(case, actor, role, "report", "", now)
    base.record(
        ctx,
        note=description[:200],
        data={
            "source": source,
            "type": matter.code,
            "photos": digests,
            "lon": lon,
            "lat": lat,
            "component": component_code,
        },
    )
    return case


def _same_submission(actor, source, external_ref) -> Case | None:
    """The case an earlier try of this submission created: the sending system's reference (a
    12345 ticket, a phone app's submission id) is the idempotency key, so a retry after a lost
    reply gets that case back instead of a second one."""
    if not external_ref:
        return None
    # Two sends of one submission may arrive together (a phone's retry racing its first try):
    # the lock on the sender's row makes the second wait and then find the first one's case.
    User.objects.select_for_update().filter(pk=actor.pk).first()
    return Case.objects.filter(reporter=actor, source=source, external_ref=external_ref).first()


def _describe(lon: float, lat: float) -> str:
    from urbangrid.geo import describe

    return describe.describe(lon, lat)[:200]


def _notify_public_reporters(case: Case, text: str, kind: str) -> None:
    reporters = case.reporters.filter(source__in=PUBLIC_SOURCES)
    notify(
        [r.user for r in reporters if r.user_id],
        text,
        kind=kind,
        case_number=case.number,
        phones=[r.phone for r in reporters if not r.user_id],
    )


@transaction.atomic
def accept(
    actor, number: str, *, expected_version=None, supervisor: User | None = None, note: str = ""
) -> Case:
    ctx = base.begin(actor, "accept", number, expected_version)
    case = ctx.case
    deadlines.finish_step(case, ctx.now, actor, "accepted")
    if case.source == Source.SUPERVISOR:
        # A supervisor's own report was seen on the spot: no separate verification.
        case.state = State.FILING
        deadlines.open_step(case, Step.FILE, ctx.now)
    else:
        supervisor = supervisor or routing.supervisor_for(case.grid_code)
        if supervisor is None:
            raise Invalid(
                "no_supervisor",
                _("No supervisor is responsible for this grid; choose one."),
                grid=case.grid_code,
            )
        _require_supervisor(supervisor)
        case.state, case.assignee = State.VERIFYING, supervisor
        deadlines.open_step(case, Step.VERIFY, ctx.now, assignee=supervisor)
        notify(
            [supervisor],
            _("Verify case %(number)s on the spot: %(place)s")
            % {"number": case.number, "place": case.address},
            kind="verify_task",
            case_number=case.number,
        )
    base.record(ctx, note=note, data={"assignee": supervisor.username if supervisor else None})
    _notify_public_reporters(
        case, _("Your report %(number)s was accepted.") % {"number": case.number}, "accepted"
    )
    return case


def _require_supervisor(user: User) -> None:
    if not user.has_role(Role.SUPERVISOR):
        raise Invalid("not_a_supervisor", _("The chosen user is not a field supervisor."), user=user.username)


def _turn_down(actor, action, number, category, state, message, reason_code, note, expected_version) -> Case:
    """End a report without a case being handled (不予受理, 不予立案), telling public reporters why."""
    ctx = base.begin(actor, action, number, expected_version)
    why = base.reason(category, reason_code)
    deadlines.finish_step(ctx.case, ctx.now, actor, state)
    ctx.case.state = state
    base.record(ctx, reason_obj=why, note=note)
    _notify_public_reporters(ctx.case, message % {"number": ctx.case.number, "reason": why.label}, state)
    return ctx.case


@transaction.atomic
def reject(actor, number: str, *, reason_code: str, note: str = "", expected_version=None) -> Case:
    message = _("Your report %(number)s was not accepted: %(reason)s")
    return _turn_down(
        actor,
        "reject",
        number,
        Reason.Category.REJECT,
        State.REJECTED,
        message,
        reason_code,
        note,
        expected_version,
    )


@transaction.atomic
def merge(actor, number: str, *, into: str, note: str = "", expected_version=None) -> Case:
    """Merge a new report into an open case about the same problem; its reporters join that case."""
    if into == number:
        raise Invalid("merge_into_itself", _("A case cannot be merged into itself."))
    ctx = base.begin(actor, "merge", number, expected_version)
    target = base.lock_case(into)
    # The operator must be entitled to the case that absorbs this one, and it must be the same
    # kind of problem: a merge silently ends a report, so it may not reach across areas or types.
    permissions.require(actor, "case.merge", area_code=target.grid_code)
    if target.type.major_code != ctx.case.type.major_code:
        raise Invalid(
            "merge_other_type", _("Only a case about the same kind of problem can absorb this one.")
        )
    if target.state not in OPEN_STATES or (target.state == State.REPORTED and target.pk > ctx.case.pk):
        raise Conflict(
            "bad_merge_target",
            _("Merge into an open case that was reported earlier."),
            target_state=target.state,
        )
    deadlines.finish_step(ctx.case, ctx.now, actor, "merged")
    case = ctx.case
    case.state, case.merged_into = State.MERGED, target
    for r in case.reporters.all():
        CaseReporter.objects.create(
            case=target,
            user=r.user,
            name=r.name,
            phone=r.phone,
            source=r.source,
            original_number=r.original_number,
            reported_at=r.reported_at,
        )
    base.record(ctx, note=note, data={"into": target.number})
    _notify_public_reporters(
        case,
        _("Your report %(number)s concerns the same problem as case %(into)s; you will be told its result.")
        % {"number": case.number, "into": target.number},
        "merged",
    )
    return case


@transaction.atomic
def assign_supervisor(actor, number: str, *, supervisor: User, note: str = "", expected_version=None) -> Case:
    ctx = base.begin(actor, "assign_supervisor", number, expected_version)
    _require_supervisor(supervisor)
    ctx.case.assignee = supervisor
    step = deadlines.current_step(ctx.case)
    step.assignee = supervisor
    step.save(update_fields=["assignee"])
    base.record(ctx, note=note, data={"assignee": supervisor.username})
    notify(
        [supervisor],
        _("Case %(number)s was sent to you: %(place)s")
        % {"number": ctx.case.number, "place": ctx.case.address},
        kind=f"{ctx.case.step}_task",
        case_number=ctx.case.number,
    )
    return ctx.case


@transaction.atomic
def verify(actor, number: str, *, confirmed: bool, note: str = "", photos=(), expected_version=None) -> Case:
    ctx = base.begin(actor, "verify", number, expected_version)
    if confirmed:
        base.require_photos(photos, "photo_required", _("Take at least one photo of the problem."))
    digests = base.attach_photos(ctx.case, CasePhoto.Stage.VERIFY, photos, actor, ctx.now)
    deadlines.finish_step(ctx.case, ctx.now, actor, "confirmed" if confirmed else "not_found")
    ctx.case.state = State.FILING
    deadlines.open_step(ctx.case, Step.FILE, ctx.now)
    base.record(ctx, note=note, data={"confirmed": confirmed, "photos": digests})
    return ctx.case


@transaction.atomic
def file_case(
    actor,
    number: str,
    *,
    meets_condition: bool,
    type_code: str = "",
    urgency: str = "",
    note: str = "",
    expected_version=None,
) -> Case:
    """立案: the shift leader confirms the type's filing condition (立案条件) is met; type and
    urgency may be corrected at this point."""
    ctx = base.begin(actor, "file", number, expected_version)
    case = ctx.case
    if not meets_condition:
        raise Invalid(
            "condition_not_met",
            _("Only a case that meets the filing condition can be filed; refuse it instead."),
        )
    changes = {}
    if type_code and type_code != case.type.code:
        case.type = _matter_type(case.kind, type_code, case.component)
        changes["type"] = type_code
    if urgency and urgency != case.urgency:
        if urgency not in Urgency.values:
            raise Invalid("bad_urgency", _("Unknown urgency."), urgency=urgency)
        case.urgency = changes["urgency"] = urgency
    deadlines.finish_step(case, ctx.now, actor, "filed")
    case.state, case.filed_at = State.DISPATCHING, ctx.now
    deadlines.open_step(case, Step.DISPATCH, ctx.now)
    base.record(ctx, note=note, data={"condition": case.type.filing_condition, **changes})
    _notify_public_reporters(
        case, _("Your report %(number)s was filed and will be handled.") % {"number": case.number}, "filed"
    )
    return case


@transaction.atomic
def not_file(actor, number: str, *, reason_code: str, note: str = "", expected_version=None) -> Case:
    message = _("Your report %(number)s was not filed: %(reason)s")
    return _turn_down(
        actor,
        "not_file",
        number,
        Reason.Category.NOT_FILE,
        State.NOT_FILED,
        message,
        reason_code,
        note,
        expected_version,
    )


@transaction.atomic
def claim(actor, number: str) -> Case:
    ctx = base.begin(actor, "claim", number)
    case = ctx.case
    if case.holder_id and case.holder_id != actor.pk and case.held_until and case.held_until > ctx.now:
        raise Conflict(
            "held_by_other",
            _("Another operator is working on this case."),
            holder=str(case.holder),
            state=case.state,
            version=case.version,
        )
    case.holder, case.held_until = actor, ctx.now + timedelta(minutes=settings.URBANGRID["CLAIM_MINUTES"])
    case.save(update_fields=["holder", "held_until"])
    # A claim is a soft lock, not a change of the case: traced, but the version stays.
    audit.append(actor, "case.claim", "case", case.number, {"until": case.held_until}, role=ctx.role)
    return case


@transaction.atomic
def release(actor, number: str) -> Case:
    ctx = base.begin(actor, "release", number)
    if ctx.case.holder_id == actor.pk:
        ctx.case.holder, ctx.case.held_until = None, None
        ctx.case.save(update_fields=["holder", "held_until"])
        audit.append(actor, "case.release", "case", ctx.case.number, {}, role=ctx.role)
    return ctx.case
