"""The shapes of the geography API's answers. Geometries and points go out in the `crs` the
request asked for, which the handler leaves on the request (`request.geo_output`)."""

from datetime import datetime

from ninja import Schema

from . import crs as crs_mod
from .models import UnitGrid
from .shapes import geojson


def shape_out(geom, context) -> dict:
    crs, simplify_m = context["request"].geo_output
    return geojson(geom, crs, simplify_m)


def point_out(lon: float, lat: float, crs) -> tuple[float, float]:
    x, y = crs_mod.from_wgs84(lon, lat, crs)
    return round(x, 7), round(y, 7)


class AreaOut(Schema):
    code: str
    name: str


class GridRef(Schema):
    code: str


class LocateOut(Schema):
    grid: GridRef
    community: AreaOut
    street: AreaOut
    district: AreaOut
    description: str | None = None


class BatchIn(Schema):
    points: list[tuple[float, float]]
    crs: str = "wgs84"
    describe: bool = False


class DescribeOut(Schema):
    description: str


class CandidateOut(Schema):
    label: str
    kind: str
    lon: float
    lat: float
    score: float
    road: str | None
    number: int | None
    note: str
    location: LocateOut | None


class GeocodeOut(Schema):
    count: int
    items: list[CandidateOut]


class DepartmentRef(Schema):
    code: str
    name: str


class GridVersionOut(Schema):
    valid_from: datetime
    valid_to: datetime | None
    area_m2: float
    land_use: str
    management_level: str
    responsible_department: str | None
    geometry: dict

    @staticmethod
    def resolve_responsible_department(obj):
        return obj.responsible_department.code if obj.responsible_department else None

    @staticmethod
    def resolve_geometry(obj, context):
        return shape_out(obj.geometry, context)


class GridOut(Schema):
    code: str
    community: AreaOut
    street: AreaOut
    district: AreaOut
    area_m2: float
    land_use: str
    land_use_name: str
    management_level: str
    management_level_name: str
    responsible_department: DepartmentRef | None
    valid_from: datetime
    geometry: dict

    @staticmethod
    def resolve_land_use_name(obj):
        return obj.get_land_use_display()

    @staticmethod
    def resolve_management_level_name(obj):
        return obj.get_management_level_display()

    @staticmethod
    def resolve_geometry(obj, context):
        return shape_out(obj.geometry, context)


class GridDetailOut(GridOut):
    centroid: tuple[float, float]
    history: list[GridVersionOut]

    @staticmethod
    def resolve_centroid(obj, context):
        return point_out(obj.centroid_lon, obj.centroid_lat, context["request"].geo_output[0])

    @staticmethod
    def resolve_history(obj):
        return list(
            UnitGrid.objects.filter(code=obj.code)
            .select_related("responsible_department")
            .order_by("valid_from", "pk")
        )


class DivisionOut(Schema):
    code: str
    name: str
    level: int
    parent: str | None
    area_m2: float
    geometry: dict | None

    @staticmethod
    def resolve_parent(obj):
        return obj.code[:-3] if obj.parent_id else None

    @staticmethod
    def resolve_geometry(obj, context):
        if context["request"].geo_output is None:
            return None
        return shape_out(obj.geometry, context)


class DivisionDetailOut(DivisionOut):
    children: list[AreaOut]

    @staticmethod
    def resolve_children(obj):
        return list(obj.children.order_by("code"))


class RoadOut(Schema):
    name: str
    kind: str
    aliases: list[str]
    geometry: dict

    @staticmethod
    def resolve_geometry(obj, context):
        return shape_out(obj.geometry, context)


class PlaceOut(Schema):
    kind: str
    name: str
    road: str | None
    number: int | None
    aliases: list[str]
    lon: float
    lat: float

    @staticmethod
    def resolve_road(obj):
        return obj.road.name if obj.road_id else None

    @staticmethod
    def resolve_lon(obj, context):
        return point_out(obj.lon, obj.lat, context["request"].geo_output[0])[0]

    @staticmethod
    def resolve_lat(obj, context):
        return point_out(obj.lon, obj.lat, context["request"].geo_output[0])[1]


class ImportOut(Schema):
    dry_run: bool
    ok: bool
    total: int
    created: int
    updated: int
    unchanged: int
    retired: int
    tolerance_m2: float
    problems: list[dict]
