"""The geography API: locating points, grids and divisions with their geometry, address
search, place descriptions, the gazetteer layers of the map, and imports.

Every endpoint that takes or returns coordinates has a `crs` parameter (wgs84, gcj02, bd09,
cgcs2000; default wgs84): input is converted to WGS84 at once and output back at the end.
"""

from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from ninja import File, Query, Router
from ninja.files import UploadedFile
from ninja.pagination import LimitOffsetPagination, paginate

from urbangrid.accounts import permissions
from urbangrid.core.errors import Invalid, NotFound
from urbangrid.core.importing import read_features

from . import crs as crs_mod
from . import gazetteer, geocoding, services
from .describe import describe as describe_point
from .gazetteer_checks import read_gazetteer
from .models import Division, Place, Road, UnitGrid
from .schemas import (
    BatchIn,
    DescribeOut,
    DivisionDetailOut,
    DivisionOut,
    GeocodeOut,
    GridDetailOut,
    GridOut,
    ImportOut,
    LocateOut,
    PlaceOut,
    RoadOut,
    point_out,
)

router = Router(tags=["geo"])

MAX_BATCH_POINTS = 10_000
MAX_SIMPLIFY_M = 200.0


def _location(loc: geocoding.Location, description: str | None = None) -> dict:
    return {
        "grid": {"code": loc.grid_code},
        "community": {"code": loc.community.code, "name": loc.community.name},
        "street": {"code": loc.street.code, "name": loc.street.name},
        "district": {"code": loc.district.code, "name": loc.district.name},
        "description": description,
    }


def _bbox(bbox: str | None, crs) -> tuple[float, float, float, float] | None:
    if not bbox:
        return None
    try:
        min_lon, min_lat, max_lon, max_lat = (float(v) for v in bbox.split(","))
    except ValueError:
        raise Invalid("bad_bbox", _("bbox is min_lon,min_lat,max_lon,max_lat.")) from None
    if min_lon > max_lon or min_lat > max_lat:
        raise Invalid("bad_bbox", _("bbox is min_lon,min_lat,max_lon,max_lat."))
    xs, ys = crs_mod.to_wgs84([min_lon, max_lon, min_lon, max_lon], [min_lat, min_lat, max_lat, max_lat], crs)
    return float(min(xs)), float(min(ys)), float(max(xs)), float(max(ys))


def _in_bbox(qs, box):
    if box is None:
        return qs
    min_lon, min_lat, max_lon, max_lat = box
    return qs.filter(min_lon__lte=max_lon, max_lon__gte=min_lon, min_lat__lte=max_lat, max_lat__gte=min_lat)


def _output(request, crs, simplify_m: float = 0.0) -> None:
    """Remember how list items are to be drawn; their schema resolvers read it."""
    if not 0 <= simplify_m <= MAX_SIMPLIFY_M:
        raise Invalid("bad_simplify", _("simplify_m must lie between 0 and 200."), max=MAX_SIMPLIFY_M)
    request.geo_output = (crs_mod.parse(crs), simplify_m)


# ---------------------------------------------------------------- locating


@router.get("/locate", response=LocateOut, summary="Point → unit grid, community, street, district")
def locate(request, lon: float, lat: float, crs: str = "wgs84"):
    wlon, wlat = crs_mod.to_wgs84(lon, lat, crs)
    loc = geocoding.locate(wlon, wlat)
    return _location(loc, describe_point(wlon, wlat))


@router.post(
    "/locate/batch",
    response=list[LocateOut | None],
    summary="Many points (at most 10,000) → their locations; null for a point outside",
)
def locate_batch(request, body: BatchIn):
    if len(body.points) > MAX_BATCH_POINTS:
        raise Invalid(
            "too_many_points",
            _("At most 10,000 points can be located in one call."),
            count=len(body.points),
            max=MAX_BATCH_POINTS,
        )
    if not body.points:
        return []
    lons, lats = zip(*body.points, strict=True)
    wlons, wlats = crs_mod.to_wgs84(list(lons), list(lats), body.crs)
    found = geocoding.locate_many(wlons, wlats)
    return [
        _location(loc, describe_point(x, y) if body.describe else None) if loc else None
        for loc, x, y in zip(found, wlons, wlats, strict=True)
    ]


@router.get(
    "/describe",
    response=DescribeOut,
    summary="Point → a description of the place (人民路与建设路交叉口东北约40米)",
)
def describe(request, lon: float, lat: float, crs: str = "wgs84"):
    wlon, wlat = crs_mod.to_wgs84(lon, lat, crs)
    return {"description": describe_point(wlon, wlat)}


@router.get(
    "/geocode", response=GeocodeOut, summary="Address text → candidate places with their grid, best first"
)
def geocode(request, q: str, limit: int = Query(10, ge=1, le=50), crs: str = "wgs84"):
    crs = crs_mod.parse(crs)
    items = []
    for c in gazetteer.search(q, limit):
        lon, lat = point_out(c.lon, c.lat, crs)
        items.append(
            {
                "label": c.label,
                "kind": c.kind,
                "lon": lon,
                "lat": lat,
                "score": round(c.score, 3),
                "road": c.road,
                "number": c.number,
                "note": c.note,
                "location": _location(c.location) if c.location else None,
            }
        )
    return {"count": len(items), "items": items}


# ---------------------------------------------------------------- unit grids


def _grids():
    return UnitGrid.objects.filter(valid_to__isnull=True).select_related(
        "community", "street", "district", "responsible_department"
    )


@router.get("/grids", response=list[GridOut], summary="Current unit grids in a box, a community or a street")
@paginate(LimitOffsetPagination)
def grids(
    request,
    bbox: str | None = None,
    community: str | None = None,
    street: str | None = None,
    crs: str = "wgs84",
    simplify_m: float = 0.0,
):
    _output(request, crs, simplify_m)
    qs = _in_bbox(_grids(), _bbox(bbox, crs))
    if community:
        qs = qs.filter(community__code=community)
    if street:
        qs = qs.filter(street__code=street)
    return qs.order_by("code")


@router.get("/grids/{code}", response=GridDetailOut, summary="A unit grid: current version and its history")
def grid(request, code: str, crs: str = "wgs84"):
    _output(request, crs)
    found = _grids().filter(code=code).first()
    if found is None:
        raise NotFound("unknown_grid", _("No current unit grid has this code."), grid=code)
    return found


# ---------------------------------------------------------------- divisions


LEVELS = {
    "district": Division.Level.DISTRICT,
    "street": Division.Level.STREET,
    "community": Division.Level.COMMUNITY,
}


@router.get("/divisions", response=list[DivisionOut], summary="Districts, streets and communities")
@paginate(LimitOffsetPagination)
def divisions(
    request,
    level: str | None = None,
    parent: str | None = None,
    with_geometry: bool = True,
    crs: str = "wgs84",
    simplify_m: float = 0.0,
):
    _output(request, crs, simplify_m)
    if not with_geometry:
        request.geo_output = None
    qs = Division.objects.all()
    if level:
        found = LEVELS.get(level) or (
            int(level) if level.isdigit() and int(level) in Division.Level.values else None
        )
        if found is None:
            raise Invalid("bad_level", _("level is district, street or community (or 1, 2, 3)."), level=level)
        qs = qs.filter(level=found)
    if parent:
        qs = qs.filter(parent__code=parent)
    return qs.order_by("code")


@router.get(
    "/divisions/{code}", response=DivisionDetailOut, summary="A division with its geometry and children"
)
def division(request, code: str, crs: str = "wgs84"):
    _output(request, crs)
    found = Division.objects.filter(code=code).first()
    if found is None:
        raise NotFound("unknown_division", _("No division has this code."), division=code)
    return found


# ---------------------------------------------------------------- gazetteer layers


@router.get("/roads", response=list[RoadOut], summary="Gazetteer roads in a box (a map layer)")
@paginate(LimitOffsetPagination)
def roads(request, bbox: str | None = None, crs: str = "wgs84", simplify_m: float = 0.0):
    _output(request, crs, simplify_m)
    return _in_bbox(Road.objects.all(), _bbox(bbox, crs)).order_by("name")


@router.get("/places", response=list[PlaceOut], summary="Door plates and landmarks in a box")
@paginate(LimitOffsetPagination)
def places(request, bbox: str | None = None, kind: str | None = None, crs: str = "wgs84"):
    _output(request, crs)
    qs = Place.objects.select_related("road")
    box = _bbox(bbox, crs)
    if box:
        qs = qs.filter(Q(lon__gte=box[0]) & Q(lon__lte=box[2]) & Q(lat__gte=box[1]) & Q(lat__lte=box[3]))
    if kind:
        if kind not in Place.Kind.values:
            raise Invalid("bad_kind", _("kind is doorplate or landmark."), kind=kind)
        qs = qs.filter(kind=kind)
    return qs.order_by("kind", "name", "pk")


# ---------------------------------------------------------------- imports


@router.post(
    "/import/{kind}",
    response=ImportOut,
    summary="Import divisions, unit grids or the gazetteer (GeoJSON, GeoPackage, zipped Shapefile, CSV)",
)
def import_file(
    request,
    kind: str,
    file: File[UploadedFile],
    dry_run: bool = False,
    crs: str = "wgs84",
    tolerance_m2: float = Query(services.DEFAULT_TOLERANCE_M2, ge=0),
):
    # Refuse before reading the upload: a file is no business of someone who may not import.
    permissions.require(request.auth, "geo.import")
    if kind == "divisions":
        report = services.import_divisions(
            request.auth, read_features(file), dry_run=dry_run, crs=crs, tolerance_m2=tolerance_m2
        )
    elif kind == "grids":
        report = services.import_grids(
            request.auth, read_features(file), dry_run=dry_run, crs=crs, tolerance_m2=tolerance_m2
        )
    elif kind == "gazetteer":
        report = services.import_gazetteer(request.auth, *read_gazetteer(file), dry_run=dry_run, crs=crs)
    else:
        raise NotFound("unknown_import", _("Import divisions, grids or gazetteer."), kind=kind)
    return report.as_dict()
