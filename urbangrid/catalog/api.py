"""The catalogue, read-only: pickers in the field app and the intake desk search it by code,
name or pinyin initials."""

from django.db.models import Count, Prefetch
from django.utils.translation import gettext_lazy as _
from ninja import Router, Schema
from ninja.pagination import LimitOffsetPagination, paginate

from urbangrid.core.errors import Invalid

from . import search
from .models import CatalogType, Kind, TimeLimit
from .services import get_type

router = Router(tags=["catalog"])


class DepartmentRef(Schema):
    code: str
    name: str


class LimitOut(Schema):
    urgency: str
    stage: int
    stage_name: str
    value: float
    unit: str


class TypeOut(Schema):
    kind: str
    code: str
    name: str
    major_code: str
    major_name: str
    typical_department: str
    default_department: DepartmentRef | None
    is_local_extension: bool
    active: bool
    time_limits: list[LimitOut]


class TypeDetail(TypeOut):
    code_2013: str
    filing_condition: str
    closing_condition: str
    attribute_schema: list[dict]
    duplicate_radius_m: int
    duplicate_window_hours: int


class MajorOut(Schema):
    kind: str
    code: str
    name: str
    types: int


class MajorList(Schema):
    count: int
    items: list[MajorOut]


def _kind(kind: str | None) -> str | None:
    if kind in (None, ""):
        return None
    if kind not in Kind.values:
        raise Invalid("bad_kind", _("The kind is component or matter."), kind=kind)
    return kind


def _type_out(t: CatalogType) -> dict:
    dept = t.default_department
    return {
        "kind": t.kind,
        "code": t.code,
        "name": t.name,
        "major_code": t.major_code,
        "major_name": t.major_name,
        "typical_department": t.typical_department,
        "default_department": {"code": dept.code, "name": dept.name} if dept else None,
        "is_local_extension": t.is_local_extension,
        "active": t.active,
        "time_limits": [
            {
                "urgency": x.urgency,
                "stage": x.stage,
                "stage_name": x.stage_name,
                "value": float(x.value),
                "unit": x.unit,
            }
            for x in t.time_limits.all()
        ],
    }


def _types():
    return CatalogType.objects.select_related("default_department").prefetch_related(
        Prefetch("time_limits", queryset=TimeLimit.objects.order_by("urgency", "stage"))
    )


@router.get(
    "/types",
    response=list[TypeOut],
    summary="Catalogue types; q matches the code, the Chinese name or its pinyin (initials too)",
)
@paginate(LimitOffsetPagination)
def list_types(
    request,
    kind: str | None = None,
    major: str | None = None,
    q: str | None = None,
    include_inactive: bool = False,
):
    qs = _types()
    kind = _kind(kind)
    if kind:
        qs = qs.filter(kind=kind)
    if major:
        qs = qs.filter(major_code=major)
    if not include_inactive:
        qs = qs.filter(active=True)
    if q and q.strip():
        return [_type_out(t) for t in qs if search.matches(q, t.code, t.name)]
    return [_type_out(t) for t in qs]


@router.get("/types/{kind}/{code}", response=TypeDetail, summary="One type with its conditions and limits")
def type_detail(request, kind: str, code: str):
    t = get_type(_kind(kind) or "", code)
    t = _types().get(pk=t.pk)
    return {
        **_type_out(t),
        "code_2013": t.code_2013,
        "filing_condition": t.filing_condition,
        "closing_condition": t.closing_condition,
        "attribute_schema": t.attribute_schema,
        "duplicate_radius_m": t.duplicate_radius_m,
        "duplicate_window_hours": t.duplicate_window_hours,
    }


@router.get("/majors", response=MajorList, summary="Major classes with their number of active types")
def majors(request, kind: str | None = None):
    qs = CatalogType.objects.filter(active=True)
    kind = _kind(kind)
    if kind:
        qs = qs.filter(kind=kind)
    rows = (
        qs.values("kind", "major_code", "major_name")
        .annotate(types=Count("id"))
        .order_by("kind", "major_code", "major_name")
    )
    items = [
        {"kind": r["kind"], "code": r["major_code"], "name": r["major_name"], "types": r["types"]}
        for r in rows
    ]
    return {"count": len(items), "items": items}
