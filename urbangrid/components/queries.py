"""Finding components: filters by type, status, department and area, and the nearest ones to
a point. Every filter is an index range scan (see the indexes of Component); "near" scans the
few tile-key ranges that cover the circle and measures exact distances in numpy."""

import re
from dataclasses import dataclass

import numpy as np
from django.db.models import ExpressionWrapper, F, FloatField, Q, QuerySet
from django.utils.translation import gettext_lazy as _

from urbangrid.accounts.models import Department
from urbangrid.catalog.models import CatalogType, Kind
from urbangrid.core.errors import Invalid
from urbangrid.geo import tiles
from urbangrid.geo.measure import metres_per_degree

from .models import Status

MAX_RADIUS_M = 2000
AREA_RE = re.compile(r"^\d{6}(\d{3}){0,3}$")
NEAR_TILES = 16


@dataclass(frozen=True)
class TypeFilter:
    """A `type` parameter: 5-digit type codes and/or 2-digit major classes, comma-separated."""

    type_ids: frozenset[int]
    majors: frozenset[str]
    codes: frozenset[str]


def parse_types(value: str | None) -> TypeFilter | None:
    if not value or not value.strip():
        return None
    parts = [p.strip() for p in value.split(",") if p.strip()]
    if not all(p.isdigit() and len(p) in (2, 5) for p in parts):
        raise Invalid(
            "bad_type_filter", _("Give 5-digit type codes or 2-digit major classes, comma-separated.")
        )
    codes = frozenset(p for p in parts if len(p) == 5)
    majors = frozenset(p for p in parts if len(p) == 2)
    ids = CatalogType.objects.filter(kind=Kind.COMPONENT).filter(Q(code__in=codes) | Q(major_code__in=majors))
    return TypeFilter(frozenset(ids.values_list("id", flat=True)), majors, codes)


def parse_statuses(value: str | None) -> list[str] | None:
    if not value or not value.strip():
        return None
    statuses = [s.strip() for s in value.split(",") if s.strip()]
    bad = [s for s in statuses if s not in Status.values]
    if bad:
        raise Invalid("bad_status", _("Unknown component status."), status=bad)
    return statuses


def department_id(code: str | None) -> int | None:
    if not code or not code.strip():
        return None
    pk = Department.objects.filter(code=code.strip()).values_list("id", flat=True).first()
    if pk is None:
        raise Invalid("unknown_department", _("Unknown department."), department=code)
    return pk


def department_parts(dept: int) -> list[Q]:
    """Disjoint conditions whose union is "competent, owner or maintainer is `dept`". Each one
    is a range scan on its own (department, tile_key) index, which the OR of the three is not."""
    competent = Q(competent_department_id=dept)
    owner = Q(owner_department_id=dept)
    return [competent, owner & ~competent, Q(maintainer_department_id=dept) & ~competent & ~owner]


def area_range(area: str | None) -> tuple[str, str] | None:
    """Division codes are prefixes of grid codes, so an area is a range of grid codes."""
    if not area or not area.strip():
        return None
    area = area.strip()
    if not AREA_RE.match(area):
        raise Invalid("bad_area", _("An area is a district, street, community or grid code."), area=area)
    return area, area + ":"  # ":" sorts right after "9"


def filter_components(
    qs: QuerySet,
    *,
    type: str | None = None,
    status: str | None = None,
    department: str | None = None,
    area: str | None = None,
) -> QuerySet:
    types = parse_types(type)
    if types is not None:
        qs = qs.filter(type_id__in=types.type_ids)
    statuses = parse_statuses(status)
    if statuses is not None:
        qs = qs.filter(status__in=statuses)
    dept = department_id(department)
    if dept is not None:
        qs = qs.filter(
            Q(competent_department_id=dept) | Q(owner_department_id=dept) | Q(maintainer_department_id=dept)
        )
    bounds = area_range(area)
    if bounds is not None:
        qs = qs.filter(grid_code__gte=bounds[0], grid_code__lt=bounds[1])
    return qs


def merged_ranges(tile_list) -> list[tuple[int, int]]:
    """Key ranges of tiles, with neighbours that are contiguous on the Morton curve joined."""
    ranges = sorted(tiles.tile_key_range(*t) for t in tile_list)
    merged: list[list[int]] = []
    for lo, hi in ranges:
        if merged and merged[-1][1] == lo:
            merged[-1][1] = hi
        else:
            merged.append([lo, hi])
    return [(lo, hi) for lo, hi in merged]


def _scales(lat: float) -> tuple[float, float, float, float]:
    """Metres per degree of longitude and latitude at `lat`, and their rates of change per
    degree, so the scale at a pair's middle latitude is a linear expression SQL can compute."""
    step = 1e-3
    (mx0, my0), (mx1, my1), (mx2, my2) = (metres_per_degree(v) for v in (lat, lat - step, lat + step))
    return float(mx0), float(my0), float((mx2 - mx1) / (2 * step)), float((my2 - my1) / (2 * step))


def distances_m(lon: float, lat: float, lons: np.ndarray, lats: np.ndarray) -> np.ndarray:
    """Distances in metres from (lon, lat), with the ellipsoid's scale at each pair's middle
    latitude: within 2 km this is within millimetres of the geodesic distance."""
    mx, my, kx, ky = _scales(lat)
    half = (lats - lat) / 2.0
    return np.hypot((lons - lon) * (mx + kx * half), (lats - lat) * (my + ky * half))


def parse_point(text: str) -> tuple[float, float]:
    try:
        lon_text, lat_text = text.split(",")
        lon, lat = float(lon_text), float(lat_text)
    except (AttributeError, ValueError):
        raise Invalid("bad_point", _("A point is written lon,lat in degrees."), near=text) from None
    if not (-180 <= lon <= 180 and -85 <= lat <= 85):
        raise Invalid("bad_point", _("A point is written lon,lat in degrees."), near=text)
    return lon, lat


class NearSearch:
    """The components of `qs` within `radius_m` of a WGS84 point, nearest first. The distance
    test and the ordering run in the database, on the few tile-key ranges that cover the
    circle (one query: SQLite and PostgreSQL both OR index ranges together), so a page of the
    50 nearest costs an index scan, not a transfer of every component in a 2 km circle."""

    def __init__(self, qs: QuerySet, lon: float, lat: float, radius_m: float) -> None:
        if not (0 < radius_m <= MAX_RADIUS_M):
            raise Invalid(
                "bad_radius", _("The radius is more than 0 and at most %(max)d m.") % {"max": MAX_RADIUS_M}
            )
        self.lon, self.lat = lon, lat
        mx, my, kx, ky = _scales(lat)
        half = (F("lat") - lat) / 2.0
        dx = (F("lon") - lon) * (mx + kx * half)
        dy = (F("lat") - lat) * (my + ky * half)
        dlon, dlat = radius_m / mx, radius_m / my
        box = (lon - dlon, lat - dlat, lon + dlon, lat + dlat)
        in_ranges = Q()
        for lo, hi in merged_ranges(tiles.covering_tiles(*box, max_tiles=NEAR_TILES)):
            in_ranges |= Q(tile_key__gte=lo, tile_key__lt=hi)
        self.qs = (
            qs.filter(in_ranges, lon__gte=box[0], lon__lte=box[2], lat__gte=box[1], lat__lte=box[3])
            .alias(d2=ExpressionWrapper(dx * dx + dy * dy, output_field=FloatField()))
            .filter(d2__lte=radius_m * radius_m)
        )
        self._count: int | None = None

    def count(self) -> int:
        if self._count is None:
            self._count = self.qs.count()
        return self._count

    def window(self, start: int, stop: int) -> list[tuple[int, float]]:
        """(component id, distance in m) of the nearest ones, from `start` to `stop`."""
        rows = list(self.qs.order_by("d2", "id").values_list("id", "lon", "lat")[:stop])
        if len(rows) < stop:  # the whole result: no need to count it again
            self._count = len(rows)
        rows = rows[start:]
        if not rows:
            return []
        data = np.array([r[1:] for r in rows], dtype=float)
        dist = distances_m(self.lon, self.lat, data[:, 0], data[:, 1])
        return [(r[0], float(d)) for r, d in zip(rows, dist, strict=True)]
