"""The shapes of the component API's requests and answers (django-ninja schemas)."""

from datetime import date, datetime

from ninja import Schema

from .models import DataSource, Status


class ComponentItem(Schema):
    code: str
    type: str
    type_name: str
    status: str
    lon: float
    lat: float
    grid_code: str
    distance_m: float | None = None


class DepartmentOut(Schema):
    code: str
    name: str
    uscc: str


class AreaOut(Schema):
    code: str
    name: str


class StandardAttribute(Schema):
    abbr: str
    name: str
    value: str


class PhotoOut(Schema):
    id: int
    url: str
    sha256: str
    caption: str
    uploaded_at: datetime
    uploaded_by: str | None


class StatusChangeOut(Schema):
    from_status: str
    to_status: str
    reason: str
    by: str | None
    at: datetime


class ComponentDetail(Schema):
    code: str
    old_code: str
    type: str
    type_name: str
    major_code: str
    major_name: str
    status: str
    admin_code: str
    grid_code: str
    street: AreaOut
    community: AreaOut
    competent_department: DepartmentOut | None
    owner_department: DepartmentOut | None
    maintainer_department: DepartmentOut | None
    initial_date: date
    change_date: date | None
    data_source: str
    note: str
    crs: str
    lon: float
    lat: float
    geometry_type: str
    geometry: dict
    attributes: dict
    attribute_schema: list[dict]
    standard_attributes: list[StandardAttribute]
    photos: list[PhotoOut]
    status_history: list[StatusChangeOut]
    created_at: datetime
    updated_at: datetime


class ClusterOut(Schema):
    lon: float
    lat: float
    count: int


class PointOut(Schema):
    code: str
    type: str
    type_name: str
    status: str
    lon: float
    lat: float


class TileOut(Schema):
    z: int
    x: int
    y: int
    mode: str
    count: int
    clusters: list[ClusterOut]
    points: list[PointOut]
    truncated: bool
    limit: int


class ImportReportOut(Schema):
    dry_run: bool
    ok: bool
    total: int
    created: int
    updated: int
    unchanged: int
    problems: list[dict]


class GeometryIn(Schema):
    geometry: dict | None = None
    lon: float | None = None
    lat: float | None = None
    crs: str = "wgs84"


class RegisterIn(GeometryIn):
    type: str
    competent_department: str | None = None
    owner_department: str | None = None
    maintainer_department: str | None = None
    initial_date: date | None = None
    data_source: str = DataSource.SURVEY
    note: str = ""
    attributes: dict = {}
    old_code: str = ""
    status: str = Status.INTACT


class UpdateIn(Schema):
    competent_department: str | None = None
    owner_department: str | None = None
    maintainer_department: str | None = None
    initial_date: date | None = None
    data_source: str | None = None
    note: str | None = None
    attributes: dict | None = None
    old_code: str | None = None


class RelocateIn(GeometryIn):
    reason: str = ""


class StatusIn(Schema):
    status: str
    reason: str
