"""Components for one web-map tile (z, x, y): clusters at low zoom, points at high zoom.

A tile is one contiguous range of tile keys (geo.tiles), so every answer is one index range
scan. Low zooms sum the MapCell aggregate (per cell and type) into about 8×8 clusters per
tile, each placed at the mean position of its components; a filter MapCell cannot answer (a
status, a department) groups the matching components directly on the (status|department,
tile_key) indexes; the department ones carry every column such a tile filters and sums, so
it reads the index alone.
From zoom 17, or earlier where a tile holds few components, the answer is the points.
Removed components are left out unless the status filter asks for them.
"""

from django.db.models import Count, F, Q, Sum
from django.utils.translation import gettext_lazy as _

from urbangrid.core.errors import Invalid
from urbangrid.geo import tiles

from .models import Component, MapCell, Status
from .queries import department_id, department_parts, parse_statuses, parse_types

POINT_ZOOM = 17
MAX_ZOOM = 22
MAX_POINTS = 2000
# Below POINT_ZOOM a tile this sparse is answered with points, so every component is clickable.
SPARSE_ZOOM = 15
SPARSE_POINTS = 200
CLUSTER_LEVELS = 3  # 2**3 × 2**3 clusters per tile
CELL_SHIFT = 2 * (tiles.KEY_ZOOM - MapCell.CELL_ZOOM)


def _check_tile(z: int, x: int, y: int) -> None:
    if not (0 <= z <= MAX_ZOOM and 0 <= x < (1 << z) and 0 <= y < (1 << z)):
        raise Invalid("bad_tile", _("No such map tile."), z=z, x=x, y=y)


def _component_filters(types, statuses, dept) -> list[Q]:
    """The filter as disjoint parts, one query each (see queries.department_parts)."""
    q = Q()
    if types is not None:
        q &= Q(type_id__in=types.type_ids)
    q &= Q(status__in=statuses) if statuses is not None else ~Q(status=Status.REMOVED)
    return [q] if dept is None else [q & part for part in department_parts(dept)]


def _clusters(groups: dict) -> tuple[list[dict], int]:
    clusters = [{"lon": lo / n, "lat": la / n, "count": n} for n, lo, la in groups.values() if n > 0]
    return clusters, sum(c["count"] for c in clusters)


def _merge(groups: dict, rows) -> None:
    for r in rows:
        n, lo, la = groups.get(r["g"], (0, 0.0, 0.0))
        groups[r["g"]] = (n + r["n"], lo + r["lon"], la + r["lat"])


def _cell_keys(types) -> list[str]:
    """The MapCell keys whose rows add up to the filter: everything, classes, types (a type
    inside a requested class is already in the class row)."""
    if types is None:
        return [MapCell.ALL]
    return sorted(types.majors | {c for c in types.codes if c[:2] not in types.majors})


def _cluster_from_cells(lo: int, hi: int, level: int, types) -> tuple[list[dict], int]:
    qs = MapCell.objects.filter(
        type_code__in=_cell_keys(types), cell__gte=lo >> CELL_SHIFT, cell__lt=hi >> CELL_SHIFT
    )
    groups: dict = {}
    _merge(
        groups,
        qs.annotate(g=F("cell") / (1 << (2 * (MapCell.CELL_ZOOM - level))))
        .values("g")
        .annotate(n=Sum("count"), lon=Sum("lon_sum"), lat=Sum("lat_sum"))
        .order_by(),
    )
    return _clusters(groups)


def _cluster_components(lo: int, hi: int, level: int, parts: list[Q]) -> tuple[list[dict], int]:
    groups: dict = {}
    for part in parts:
        _merge(
            groups,
            Component.objects.filter(part, tile_key__gte=lo, tile_key__lt=hi)
            .annotate(g=F("tile_key") / (1 << (2 * (tiles.KEY_ZOOM - level))))
            .values("g")
            .annotate(n=Count("*"), lon=Sum("lon"), lat=Sum("lat"))
            .order_by(),
        )
    return _clusters(groups)


def _points(lo: int, hi: int, parts: list[Q]) -> tuple[list[dict], int]:
    rows = []
    for part in parts:
        rows.extend(
            Component.objects.filter(part, tile_key__gte=lo, tile_key__lt=hi)
            .order_by("tile_key", "id")
            .values_list("tile_key", "id", "code", "type__code", "type__name", "status", "lon", "lat")[
                : MAX_POINTS + 1
            ]
        )
    rows.sort()
    points = [
        {"code": c, "type": t, "type_name": n, "status": s, "lon": lon, "lat": lat}
        for _key, _id, c, t, n, s, lon, lat in rows[:MAX_POINTS]
    ]
    if len(rows) <= MAX_POINTS:
        return points, len(rows)
    total = sum(Component.objects.filter(part, tile_key__gte=lo, tile_key__lt=hi).count() for part in parts)
    return points, total


def tile(
    z: int,
    x: int,
    y: int,
    *,
    type: str | None = None,
    status: str | None = None,
    department: str | None = None,
) -> dict:
    _check_tile(z, x, y)
    lo, hi = tiles.tile_key_range(z, x, y)
    types, statuses, dept = parse_types(type), parse_statuses(status), department_id(department)
    parts = _component_filters(types, statuses, dept)
    answer = {"z": z, "x": x, "y": y, "clusters": [], "points": [], "truncated": False, "limit": MAX_POINTS}
    if z < POINT_ZOOM:
        level = min(z + CLUSTER_LEVELS, MapCell.CELL_ZOOM)
        if statuses is None and dept is None:
            clusters, total = _cluster_from_cells(lo, hi, level, types)
        else:
            clusters, total = _cluster_components(lo, hi, level, parts)
        if not (z >= SPARSE_ZOOM and total <= SPARSE_POINTS):
            return {**answer, "mode": "clusters", "count": total, "clusters": clusters}
    points, total = _points(lo, hi, parts)
    return {**answer, "mode": "points", "count": total, "points": points, "truncated": total > len(points)}
