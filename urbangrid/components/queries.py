"""Finding components: filters by type, status, department and area, and the nearest ones to
a point. Every filter is an index range scan (see the indexes of Component); "near" counts
the circle from the tile-key index and finds a page of the nearest in widening circles,
measuring distances in numpy exactly as the database would."""

import math
import re
from dataclasses import dataclass

import numpy as np
from django.db import connections
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
FIRST_RING_M = 100.0
COUNT_LEVELS = 3  # "near" counts tiles this many zooms finer than the covering ones at the edge


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


def _per_range_count_sql(
    qs: QuerySet, ranges: list[tuple[int, int]], name: str
) -> tuple[str, str, list, list]:
    """(common table expression, SELECT, its parameters, the SELECT's parameters) of the number of rows of `qs` with a tile key in one of `ranges`,
    each range counted by its own range scan: a subquery run once per row of a list of ranges
    (`name`, a common table expression). An OR of the ranges would be one bitmap scan that
    reads the table on PostgreSQL, and a UNION of a query per range costs more to plan than
    to run."""
    lo_mark, hi_mark = -(2**62) + 1, -(2**62) + 2
    one = qs.filter(tile_key__gte=lo_mark, tile_key__lt=hi_mark).order_by().values_list("tile_key")
    sql, params = one.query.sql_with_params()
    select, rest = sql.split(" FROM ", 1)
    pieces = rest.split("%s")
    if not select.startswith("SELECT ") or len(pieces) != len(params) + 1:
        raise AssertionError(f"cannot split {sql!r}")
    body, body_params = pieces[0], []
    for piece, param in zip(pieces[1:], params, strict=True):
        if param == lo_mark:
            body += f"{name}.lo"
        elif param == hi_mark:
            body += f"{name}.hi"
        else:
            body += "%s"
            body_params.append(param)
        body += piece
    values = ", ".join(["(%s, %s)"] * len(ranges))
    return (
        f"{name} (lo, hi) AS (VALUES {values})",
        f"SELECT COALESCE(SUM(n), 0) FROM (SELECT (SELECT COUNT(*) FROM {body}) AS n FROM {name}) AS per_{name}",
        [v for r in ranges for v in r],
        body_params,
    )


def count_in_ranges(*parts: tuple[QuerySet, list[tuple[int, int]]]) -> int:
    """How many rows of each `qs` have a tile key in one of its `ranges`, summed, in one query."""
    parts = tuple((qs, ranges) for qs, ranges in parts if ranges)
    if not parts:
        return 0
    built = [_per_range_count_sql(qs, ranges, f"ranges{i}") for i, (qs, ranges) in enumerate(parts)]
    sql = "WITH " + ", ".join(b[0] for b in built) + " SELECT " + " + ".join(f"({b[1]})" for b in built)
    params = [p for b in built for p in b[2]] + [p for b in built for p in b[3]]
    with connections[parts[0][0].db].cursor() as cur:
        cur.execute(sql, params)
        return int(cur.fetchone()[0])


class NearSearch:
    """The components of `qs` within `radius_m` of a WGS84 point, nearest first.

    The result is the components inside the box of the circle (scale at the centre's latitude)
    whose squared distance `d2` (scale at each pair's middle latitude) is at most radius²,
    ordered by (d2, id). Counting runs in the database. A page of the nearest is found in
    widening circles: a circle of radius r < radius is fetched (id, lon, lat of the tile-key
    ranges that cover a box a little larger than its own), d2 is computed in numpy with the
    very operations the database uses, and once `stop` components lie within r they are the
    nearest `stop` of the whole result: any other one is farther than r. So a page of the 50
    nearest in a 2 km circle reads a few hundred rows, not the 30,000 in the circle."""

    # A circle's box is widened by this much, so every point within r lies inside it although
    # the longitude scale at a pair's middle latitude differs a little from the centre's one
    # (by < 0.2 % within 2 km, even at 85°).
    BOX_MARGIN = 1.05
    FIRST_RING_POINTS = 4  # a wider circle is aimed at this many times the components needed

    def __init__(self, qs: QuerySet, lon: float, lat: float, radius_m: float) -> None:
        if not (0 < radius_m <= MAX_RADIUS_M):
            raise Invalid(
                "bad_radius", _("The radius is more than 0 and at most %(max)d m.") % {"max": MAX_RADIUS_M}
            )
        self.lon, self.lat, self.radius = lon, lat, float(radius_m)
        self.scales = mx, my, kx, ky = _scales(lat)
        half = (F("lat") - lat) / 2.0
        dx = (F("lon") - lon) * (mx + kx * half)
        dy = (F("lat") - lat) * (my + ky * half)
        self.box = self._box(self.radius)
        self.base = qs
        d2 = ExpressionWrapper(dx * dx + dy * dy, output_field=FloatField())
        # The whole result as one queryset: the definition, which count() and window() answer
        # faster (tests compare them with it).
        self.qs = self._in_box(qs, self.box).alias(d2=d2).filter(d2__lte=self.radius * self.radius)
        self._d2 = d2
        self._count: int | None = None

    def _box(self, r: float) -> tuple[float, float, float, float]:
        mx, my = self.scales[:2]
        dlon, dlat = r / mx, r / my
        return self.lon - dlon, self.lat - dlat, self.lon + dlon, self.lat + dlat

    @staticmethod
    def _ranges(box: tuple[float, float, float, float]) -> list[tuple[int, int]]:
        return merged_ranges(tiles.covering_tiles(*box, max_tiles=NEAR_TILES))

    @classmethod
    def _in_box(cls, qs: QuerySet, box: tuple[float, float, float, float]) -> QuerySet:
        in_ranges = Q()
        for lo, hi in cls._ranges(box):
            in_ranges |= Q(tile_key__gte=lo, tile_key__lt=hi)
        return qs.filter(in_ranges, lon__gte=box[0], lon__lte=box[2], lat__gte=box[1], lat__lte=box[3])

    def d2(self, lons, lats):
        """The database's d2 expression, operation for operation, so values agree to the bit."""
        mx, my, kx, ky = self.scales
        half = (lats - self.lat) / 2.0
        dx = (lons - self.lon) * (mx + kx * half)
        dy = (lats - self.lat) * (my + ky * half)
        return dx * dx + dy * dy

    def _tiles_split(self) -> tuple[list[tuple[int, int, int]], list[tuple[int, int, int]]]:
        """The covering tiles, refined COUNT_LEVELS zooms deeper where the circle's edge
        crosses them: (tiles wholly inside the circle and its box, tiles on the edge). Tiles
        wholly outside are left out. "Wholly inside" holds with a centimetre to spare: d2 is
        convex in lon and in lat, so its largest value over a tile is at a corner."""
        r = self.radius
        inner2, outer = (r - 0.01) ** 2, r * 1.01 + 1.0
        west, south, east, north = self.box
        eps = 1e-9  # degrees, far more than the error of tile bounds
        mx, my = self.scales[:2]
        inside, edge = [], []
        todo = list(tiles.covering_tiles(*self.box, max_tiles=NEAR_TILES))
        finest = min(todo[0][0] + COUNT_LEVELS, tiles.KEY_ZOOM)
        while todo:
            z, x, y = todo.pop()
            w, s, e, n = tiles.tile_bounds(z, x, y)
            if w > east + eps or e < west - eps or s > north + eps or n < south - eps:
                continue
            near_lon, near_lat = min(max(self.lon, w), e), min(max(self.lat, s), n)
            if math.hypot((near_lon - self.lon) * mx, (near_lat - self.lat) * my) > outer:
                continue
            in_box = w >= west + eps and e <= east - eps and s >= south + eps and n <= north - eps
            if in_box and max(self.d2(lo, la) for lo in (w, e) for la in (s, n)) <= inner2:
                inside.append((z, x, y))
            elif z < finest:
                todo.extend((z + 1, 2 * x + dx, 2 * y + dy) for dx in (0, 1) for dy in (0, 1))
            else:
                edge.append((z, x, y))
        return inside, edge

    def count(self) -> int:
        """Counted in the database in one query per kind of tile: the components of the key
        ranges wholly inside the circle are counted as they are, only those on its edge are
        measured; either way each range is an index-only range scan."""
        if self._count is None:
            inside, edge = self._tiles_split()
            box = self.box
            measured = (
                self.base.filter(lon__gte=box[0], lon__lte=box[2], lat__gte=box[1], lat__lte=box[3])
                .alias(d2=self._d2)
                .filter(d2__lte=self.radius * self.radius)
            )
            self._count = count_in_ranges((self.base, merged_ranges(inside)), (measured, merged_ranges(edge)))
        return self._count

    def _ring(self, r: float) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """(ids, d2, lon/lat rows) of the result's components within r of the point."""
        if r >= self.radius:
            qs, r = self._in_box(self.base, self.box), self.radius
        else:
            wide = self._box(r * self.BOX_MARGIN)
            box = (
                max(wide[0], self.box[0]),
                max(wide[1], self.box[1]),
                min(wide[2], self.box[2]),
                min(wide[3], self.box[3]),
            )
            qs = self._in_box(self.base, box)
        rows = np.array(list(qs.values_list("id", "lon", "lat").order_by()), dtype=float).reshape(-1, 3)
        d2 = self.d2(rows[:, 1], rows[:, 2])
        keep = d2 <= r * r
        return rows[keep, 0].astype(np.int64), d2[keep], rows[keep, 1:]

    def window(self, start: int, stop: int) -> list[tuple[int, float]]:
        """(component id, distance in m) of the nearest ones, from `start` to `stop`."""
        if stop <= start:
            return []
        # Start small; each wider circle is aimed, at the density seen so far, at
        # FIRST_RING_POINTS × stop components, so one or two queries usually suffice.
        r = min(self.radius, FIRST_RING_M)
        while True:
            ids, d2, lonlat = self._ring(r)
            if len(ids) >= stop or r >= self.radius:
                break
            # Widen to the radius that should hold enough at the density seen so far.
            grow = math.sqrt(self.FIRST_RING_POINTS * stop / max(len(ids), 1))
            r = min(self.radius, r * min(max(grow, 1.5), 8.0))
        if r >= self.radius and len(ids) < stop:  # the whole result: no need to count it again
            self._count = len(ids)
        order = np.lexsort((ids, d2))[start:stop]
        if not len(order):
            return []
        dist = distances_m(self.lon, self.lat, lonlat[order, 0], lonlat[order, 1])
        return [(int(i), float(d)) for i, d in zip(ids[order], dist, strict=True)]
