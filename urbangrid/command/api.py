"""/api/v1/command/: the layers, figures, replay and desk actions of the command centre. Case
details (photos, timeline, holder) come from /api/v1/cases/{number}; the live stream is
/command/stream/ (Server-Sent Events)."""

from datetime import date, datetime

from django.utils.translation import gettext_lazy as _
from ninja import Query, Router, Schema

from urbangrid.accounts import permissions
from urbangrid.core import clock
from urbangrid.core.errors import Invalid

from . import figures, queries, replay, services

router = Router(tags=["command"])


def _viewer(request):
    permissions.require(request.auth, "command.view")
    return request.auth


class LayerQuery(Schema):
    area: str = ""
    type: str = ""
    state: str = ""
    department: str = ""
    since: datetime | None = None
    until: datetime | None = None
    polygon: str = ""
    bbox: str = ""
    zoom: int = 13


def _filters(q: LayerQuery) -> queries.Filters:
    return queries.Filters.parse(q.area, q.type, q.state, q.department, q.since, q.until, q.polygon)


def _box(bbox: str):
    if not bbox:
        return None
    try:
        w, s, e, n = (float(v) for v in bbox.split(","))
    except ValueError as exc:
        raise Invalid("bad_bbox", _("bbox must be west,south,east,north.")) from exc
    return w, s, e, n


@router.get("/cases", summary="Live cases in view: points, or counted cells when too many")
def cases_layer(request, q: Query[LayerQuery]):
    user = _viewer(request)
    return queries.layer(user, _filters(q), _box(q.bbox), q.zoom, clock.now())


@router.get("/density", summary="Live cases counted per cell (the density layer)")
def density(request, q: Query[LayerQuery]):
    user = _viewer(request)
    return queries.density(user, _filters(q), q.zoom, clock.now())


@router.get("/supervisors", summary="Supervisors on duty with their last position")
def supervisors(request):
    return queries.supervisors(_viewer(request))


@router.get("/board", summary="Today's figures, top types, red and black lists, 7/30-day trends")
def board(request):
    return figures.board(_viewer(request), clock.now())


@router.get("/replay", summary="A past day: live cases with their state changes, and supervisors' tracks")
def replay_day(request, day: date):
    user = _viewer(request)
    return {
        "day": day.isoformat(),
        "cases": replay.cases_of_day(user, day),
        "tracks": replay.tracks(user, day),
    }


@router.get("/patrol", summary="Supervisors' tracks of a day and the responsibility grids they walked")
def patrol(request, day: date, supervisor: str = ""):
    user = _viewer(request)
    return {"day": day.isoformat(), "tracks": replay.tracks(user, day, supervisor)}


@router.get("/nearest", summary="On-duty supervisors nearest to a point")
def nearest(request, lon: float, lat: float):
    _viewer(request)
    return services.nearest_supervisors(lon, lat)


class DispatchIn(Schema):
    department: str
    version: int
    reason: str = ""
    note: str = ""


class UrgeIn(Schema):
    version: int
    note: str


class SendIn(Schema):
    version: int
    note: str = ""


def _done(case) -> dict:
    return {"number": case.number, "state": case.state, "version": case.version}


@router.post("/cases/{number}/dispatch", summary="Dispatch a case from the map")
def dispatch(request, number: str, body: DispatchIn):
    case = services.dispatch(
        request.auth,
        number,
        department=body.department,
        reason_code=body.reason,
        note=body.note,
        version=body.version,
    )
    return _done(case)


@router.post("/cases/{number}/urge", summary="Urge (督办) a case from the map")
def urge(request, number: str, body: UrgeIn):
    return _done(services.urge(request.auth, number, note=body.note, version=body.version))


@router.post(
    "/cases/{number}/send-nearest", summary="Send the case's 核实/核查 task to the nearest supervisor on duty"
)
def send_nearest(request, number: str, body: SendIn):
    return services.send_nearest_supervisor(request.auth, number, note=body.note, version=body.version)
