"""The component registry over HTTP: search, details, registration, status, photos, import,
and the map tiles the map page draws. Coordinates go in and out in the `crs` asked for."""

import numpy as np
import shapely
from django.db.models import Prefetch
from django.utils.translation import gettext_lazy as _
from ninja import File, Form, Router
from ninja import Status as Reply
from ninja.files import UploadedFile
from ninja.pagination import LimitOffsetPagination, paginate

from urbangrid.accounts import permissions
from urbangrid.accounts.models import Department
from urbangrid.core.errors import Invalid, PermissionDenied
from urbangrid.core.importing import read_features
from urbangrid.geo import crs as crs_module
from urbangrid.geo.models import Division

from . import maptiles, queries, services
from .models import Component, StatusChange
from .schemas import (
    ComponentDetail,
    ComponentItem,
    GeometryIn,
    ImportReportOut,
    PhotoOut,
    RegisterIn,
    RelocateIn,
    StatusIn,
    TileOut,
    UpdateIn,
)
from .standard import TABLE_2, standard_values

router = Router(tags=["components"])


def _viewer(request):
    # The registry is shared base data: reading it needs a staff role, not a data scope, so
    # the role check alone is enough (and spares the map's many tile requests a scope query).
    if not permissions.has_action(request.auth, "component.view"):
        raise PermissionDenied(
            "role_not_allowed", _("Your role does not allow this action."), action="component.view"
        )
    return request.auth


def _lonlat_out(lons, lats, crs: str):
    if not len(lons):
        return [], []
    out_lon, out_lat = crs_module.from_wgs84(
        np.asarray(lons, dtype=float), np.asarray(lats, dtype=float), crs
    )
    return [float(v) for v in out_lon], [float(v) for v in out_lat]


class _Page:
    """A lazily fetched list for the paginator: it counts, then fetches one page only."""

    def __init__(self, count, fetch) -> None:
        self._count, self._fetch = count, fetch

    def __len__(self) -> int:
        return self._count()

    def __getitem__(self, window: slice) -> list[dict]:
        return self._fetch(window.start or 0, window.stop)


ITEM_FIELDS = ("id", "code", "type__code", "type__name", "status", "lon", "lat", "grid_code")


def _items(rows, crs: str, distances: dict[int, float] | None = None) -> list[dict]:
    lons, lats = _lonlat_out([r[5] for r in rows], [r[6] for r in rows], crs)
    return [
        {
            "code": r[1],
            "type": r[2],
            "type_name": r[3],
            "status": r[4],
            "lon": lon,
            "lat": lat,
            "grid_code": r[7],
            "distance_m": round(distances[r[0]], 2) if distances is not None else None,
        }
        for r, lon, lat in zip(rows, lons, lats, strict=True)
    ]


@router.get(
    "",
    response=list[ComponentItem],
    summary="Search components: type, status, department (any role), area; near=lon,lat&radius=m sorts by distance",
)
@paginate(LimitOffsetPagination)
def list_components(
    request,
    type: str | None = None,
    status: str | None = None,
    department: str | None = None,
    area: str | None = None,
    near: str | None = None,
    radius: float = 500,
    crs: str = "wgs84",
):
    _viewer(request)
    crs = crs_module.parse(crs).value
    qs = queries.filter_components(
        Component.objects.all(), type=type, status=status, department=department, area=area
    )
    if near:
        lon, lat = queries.parse_point(near)
        lon, lat = crs_module.to_wgs84(lon, lat, crs)
        search = queries.NearSearch(qs, lon, lat, radius)

        def fetch(start, stop):
            page = dict(search.window(start, stop))
            rows = {r[0]: r for r in Component.objects.filter(id__in=page).values_list(*ITEM_FIELDS)}
            return _items([rows[pk] for pk in page], crs, page)

        return _Page(search.count, fetch)
    ordered = qs.order_by("code")
    return _Page(
        ordered.count, lambda start, stop: _items(list(ordered.values_list(*ITEM_FIELDS)[start:stop]), crs)
    )


def _dept(d: Department | None) -> dict | None:
    return {"code": d.code, "name": d.name, "uscc": d.uscc} if d else None


def _user_name(user) -> str | None:
    return (user.full_name or user.username) if user else None


def _detail(code: str, crs: str) -> dict:
    c = services.get_component(code)
    c = (
        Component.objects.select_related(
            "type", "competent_department", "owner_department", "maintainer_department"
        )
        .prefetch_related(
            "photos__uploaded_by",
            Prefetch(
                "status_changes", queryset=StatusChange.objects.select_related("actor").order_by("at", "id")
            ),
        )
        .get(pk=c.pk)
    )
    divisions = dict(
        Division.objects.filter(code__in=[c.street_code, c.community_code]).values_list("code", "name")
    )
    (lon,), (lat,) = _lonlat_out([c.lon], [c.lat], crs)
    geometry = crs_module.geometry_from_wgs84(c.geometry, crs)
    values = standard_values(c, divisions)
    return {
        "code": c.code,
        "old_code": c.old_code,
        "type": c.type.code,
        "type_name": c.type.name,
        "major_code": c.type.major_code,
        "major_name": c.type.major_name,
        "status": c.status,
        "admin_code": c.admin_code,
        "grid_code": c.grid_code,
        "street": {"code": c.street_code, "name": divisions.get(c.street_code, "")},
        "community": {"code": c.community_code, "name": divisions.get(c.community_code, "")},
        "competent_department": _dept(c.competent_department),
        "owner_department": _dept(c.owner_department),
        "maintainer_department": _dept(c.maintainer_department),
        "initial_date": c.initial_date,
        "change_date": c.change_date,
        "data_source": c.data_source,
        "note": c.note,
        "crs": crs,
        "lon": lon,
        "lat": lat,
        "geometry_type": c.geometry_type,
        "geometry": shapely.geometry.mapping(geometry),
        "attributes": c.attributes,
        "attribute_schema": c.type.attribute_schema,
        "standard_attributes": [{"abbr": a.abbr, "name": a.name, "value": values[a.abbr]} for a in TABLE_2],
        "photos": [
            {
                "id": p.pk,
                "url": p.image.url,
                "sha256": p.sha256,
                "caption": p.caption,
                "uploaded_at": p.uploaded_at,
                "uploaded_by": _user_name(p.uploaded_by),
            }
            for p in c.photos.all()
        ],
        "status_history": [
            {
                "from_status": s.from_status,
                "to_status": s.to_status,
                "reason": s.reason,
                "by": _user_name(s.actor),
                "at": s.at,
            }
            for s in c.status_changes.all()
        ],
        "created_at": c.created_at,
        "updated_at": c.updated_at,
    }


@router.get(
    "/tiles/{z}/{x}/{y}",
    response=TileOut,
    summary="Components of one map tile (WGS84): clusters below zoom 17 (or where a tile is dense), points above",
)
def map_tile(
    request,
    z: int,
    x: int,
    y: int,
    type: str | None = None,
    status: str | None = None,
    department: str | None = None,
):
    _viewer(request)
    return maptiles.tile(z, x, y, type=type, status=status, department=department)


@router.post(
    "/import",
    response=ImportReportOut,
    summary="Import a GeoJSON, GeoPackage, zipped Shapefile or CSV file; dry_run=true only lists the problems",
)
def import_file(request, file: File[UploadedFile], dry_run: bool = False, crs: str = "wgs84"):
    permissions.require(request.auth, "component.import")
    features = read_features(file)
    return services.import_components(request.auth, features, dry_run=dry_run, crs=crs).as_dict()


@router.get(
    "/{code}", response=ComponentDetail, summary="One component by its 17-digit (or 16-digit 2013) code"
)
def component_detail(request, code: str, crs: str = "wgs84"):
    _viewer(request)
    return _detail(code, crs_module.parse(crs).value)


def _geometry(body: GeometryIn):
    """A WGS84 shapely geometry from GeoJSON or lon/lat in the body's crs."""
    if body.geometry is not None:
        try:
            geom = shapely.geometry.shape(body.geometry)
        except (ValueError, TypeError, AttributeError, KeyError, IndexError, shapely.errors.GEOSException):
            raise Invalid("bad_geometry", _("The geometry is not valid GeoJSON.")) from None
    elif body.lon is not None and body.lat is not None:
        geom = shapely.Point(body.lon, body.lat)
    else:
        raise Invalid("bad_geometry", _("Give a GeoJSON geometry or lon and lat."))
    return crs_module.geometry_to_wgs84(geom, body.crs)


def _department(code: str | None) -> Department | None:
    if not code:
        return None
    dept = Department.objects.filter(code=code).first()
    if dept is None:
        raise Invalid("unknown_department", _("Unknown department."), department=code)
    return dept


@router.post(
    "", response={201: ComponentDetail}, summary="Register a component; its 17-digit code is assigned"
)
def register(request, body: RegisterIn):
    component = services.register_component(
        request.auth,
        type_code=body.type,
        geometry=_geometry(body),
        competent_department=_department(body.competent_department),
        owner_department=_department(body.owner_department),
        maintainer_department=_department(body.maintainer_department),
        initial_date=body.initial_date,
        data_source=body.data_source,
        note=body.note,
        attributes=body.attributes,
        old_code=body.old_code,
        status=body.status,
    )
    return Reply(201, _detail(component.code, crs_module.parse(body.crs).value))


@router.patch(
    "/{code}", response=ComponentDetail, summary="Change departments, dates, source, note or attributes"
)
def update(request, code: str, body: UpdateIn):
    given = body.model_dump(exclude_unset=True)
    for key in ("competent_department", "owner_department", "maintainer_department"):
        if key in given:
            given[key] = _department(given[key])
    component = services.update_component(request.auth, code, **given)
    return _detail(component.code, "wgs84")


@router.post("/{code}/location", response=ComponentDetail, summary="Move a component within its county")
def move(request, code: str, body: RelocateIn):
    component = services.relocate(request.auth, code, _geometry(body), body.reason)
    return _detail(component.code, crs_module.parse(body.crs).value)


@router.post("/{code}/status", response=ComponentDetail, summary="Record a new status with its reason")
def set_status(request, code: str, body: StatusIn):
    component = services.change_status(request.auth, code, body.status, body.reason)
    return _detail(component.code, "wgs84")


@router.post("/{code}/photos", response={201: PhotoOut}, summary="Attach a photo (multipart: file, caption)")
def upload_photo(request, code: str, file: File[UploadedFile], caption: Form[str] = ""):
    photo = services.add_photo(request.auth, code, file, caption)
    return Reply(
        201,
        {
            "id": photo.pk,
            "url": photo.image.url,
            "sha256": photo.sha256,
            "caption": photo.caption,
            "uploaded_at": photo.uploaded_at,
            "uploaded_by": _user_name(photo.uploaded_by),
        },
    )
