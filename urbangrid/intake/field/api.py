"""/api/v1/field/: what the supervisors' phone app (城管通) calls, with the login session or a
bearer token. Every submission carries the phone's own id, so a resend after a lost reply (or
from the offline queue) never records anything twice."""

from datetime import datetime

from django.utils.translation import gettext_lazy as _
from ninja import File, Form, Router, Schema, Status
from ninja.files import UploadedFile
from pydantic import Field

from urbangrid.cases import services
from urbangrid.cases.models import Case, Kind, Source
from urbangrid.catalog.models import CatalogType
from urbangrid.catalog.models import Kind as CatalogKind
from urbangrid.components.models import Component
from urbangrid.core.errors import Conflict, Invalid

from .. import duty
from . import catalogue, grids, tasks
from .access import require_supervisor

router = Router(tags=["field"])


def _me(request):
    require_supervisor(request.auth)
    return request.auth


class DutyOut(Schema):
    on_duty: bool
    since: datetime | None = None


def _duty_state(user) -> dict:
    shift = duty.current_shift(user)
    return {"on_duty": shift is not None, "since": shift.started_at if shift else None}


@router.get("/duty", response=DutyOut, summary="Whether I am on duty (上岗) and since when")
def duty_state(request):
    return _duty_state(_me(request))


@router.post("/duty/on", response=DutyOut, summary="Go on duty; repeating it keeps the open shift")
def duty_on(request):
    user = _me(request)
    duty.go_on_duty(user)
    return _duty_state(user)


@router.post("/duty/off", response=DutyOut, summary="Go off duty; repeating it changes nothing")
def duty_off(request):
    user = _me(request)
    duty.go_off_duty(user)
    return _duty_state(user)


class PointIn(Schema):
    at: datetime
    lon: float
    lat: float
    accuracy: float | None = Field(None, ge=0)


class PositionsIn(Schema):
    points: list[PointIn]


@router.post(
    "/positions",
    summary="Positions of my track (WGS84), one or a queued batch of at most 500; 409 when off duty",
)
def positions(request, body: PositionsIn):
    user = _me(request)
    points = []
    for p in body.points:
        if p.at.tzinfo is None:
            raise Invalid("naive_time", _("A position's time must carry its time zone."), at=p.at.isoformat())
        points.append(duty.Point(at=p.at, lon=p.lon, lat=p.lat, accuracy=p.accuracy))
    return {"stored": duty.record_positions(user, points)}


@router.get("/types", summary="Matter types for the picker with pinyin keys; my frequent and recent first")
def types(request):
    return catalogue.picker_types(_me(request))


@router.get("/grids", summary="My responsibility grids as GeoJSON (WGS84)")
def my_grids(request):
    return grids.responsibility_geojson(_me(request))


class ReportIn(Schema):
    client_id: str = Field(..., min_length=8, max_length=64)
    type: str = ""
    component: str = ""
    lon: float | None = None
    lat: float | None = None
    crs: str = "wgs84"
    address: str = ""
    note: str = Field("", max_length=500)


def _type_name(code: str, component_code: str) -> str:
    if component_code:
        found = Component.objects.select_related("type").filter(code=component_code).first()
        return found.type.name if found else ""
    found = CatalogType.objects.filter(kind=CatalogKind.MATTER, code=code).first()
    return found.name if found else ""


def _report_kind(code: str, component_code: str) -> str:
    if component_code or catalogue.is_component_type(code[:2]):
        return Kind.COMPONENT
    return Kind.MATTER


def _case_out(case: Case, *, duplicate: bool) -> dict:
    return {
        "number": case.number,
        "state": case.state,
        "address": case.address,
        "grid": case.grid_code,
        "duplicate": duplicate,
    }


@router.post(
    "/reports",
    response={200: dict, 201: dict},
    summary="Report a problem (multipart: client_id, type, component, lon, lat, note, photos[]); "
    "a resend with the same client_id returns the first case with 200",
)
def report(request, data: Form[ReportIn], photos: File[list[UploadedFile]] = None):
    user = _me(request)
    photos = photos or []
    if not photos:
        raise Invalid("photo_required", _("Take at least one photo of the problem."))
    earlier = Case.objects.filter(
        reporter=user, source=Source.SUPERVISOR, external_ref=data.client_id
    ).first()
    if earlier is not None:
        return Status(200, _case_out(earlier, duplicate=True))
    case = services.report_case(
        user,
        source=Source.SUPERVISOR,
        kind=_report_kind(data.type, data.component),
        type_code=data.type,
        component_code=data.component,
        description=data.note.strip() or _type_name(data.type, data.component),
        lon=data.lon,
        lat=data.lat,
        crs=data.crs,
        photos=photos,
        address=data.address,
        external_ref=data.client_id,
    )
    return Status(201, _case_out(case, duplicate=False))


@router.get(
    "/tasks",
    summary="My 核实 and 核查 tasks; with since=<marker> an unchanged list answers {changed: false} only",
)
def task_list(request, since: str = ""):
    user = _me(request)
    mark = tasks.marker(user)
    if since and since == mark:
        return {"changed": False, "marker": mark}
    return {
        "changed": True,
        "marker": mark,
        "tasks": [tasks.present(c) for c in tasks.open_tasks(user)],
        "rework_reasons": tasks.rework_reasons(),
    }


def _answer(request, number: str, service, version: int, photos, **fields):
    """Answer a task through the case service; a resend of an answer already recorded (the
    reply was lost) gets that case back with 200 instead of a conflict."""
    user = _me(request)
    try:
        case = service(user, number, expected_version=version, photos=photos or [], **fields)
    except Conflict:
        if tasks.already_answered(user, number, service.__name__, version):
            return Status(200, _case_out(Case.objects.get(number=number), duplicate=True))
        raise
    return Status(201, _case_out(case, duplicate=False))


@router.post(
    "/tasks/{number}/verify",
    response={200: dict, 201: dict},
    summary="核实: confirmed or not found, with photos (multipart: version, confirmed, note, photos[])",
)
def verify(
    request,
    number: str,
    version: Form[int],
    confirmed: Form[bool],
    note: Form[str] = "",
    photos: File[list[UploadedFile]] = None,
):
    return _answer(request, number, services.verify, version, photos, confirmed=confirmed, note=note)


@router.post(
    "/tasks/{number}/check",
    response={200: dict, 201: dict},
    summary="核查: passed, or not passed with a rework reason; photos required "
    "(multipart: version, passed, reason, note, photos[])",
)
def check(
    request,
    number: str,
    version: Form[int],
    passed: Form[bool],
    reason: Form[str] = "",
    note: Form[str] = "",
    photos: File[list[UploadedFile]] = None,
):
    return _answer(
        request, number, services.check, version, photos, passed=passed, reason_code=reason, note=note
    )
