"""The county's components (城市部件): street furniture placed along the roads, at junctions,
along the river and inside the grids by the rules of `furniture`, with the attributes a
component census records (status, departments, census date, data source).

Components stream out in batches, so the megacity's ten million never sit in memory at once.
The order is fixed by the seed, and so are the codes the registry hands out when importing.
"""

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, timedelta
from functools import cache, cached_property

import numpy as np
import shapely
from shapely.geometry import Point
from shapely.ops import substring

from . import furniture
from .county import County
from .gazetteer import Place, RoadSpace, offset_points, stations
from .responsibility import BY_TYPE
from .streams import stream

CENSUS = (date(2026, 1, 5), date(2026, 3, 20))  # the component census before the system went live
LATER = (date(2026, 4, 1), date(2026, 10, 31))  # installed since, and registered as they came
TELECOM_SHARE = {"dx": 0.4, "yd": 0.35, "lt": 0.25}
DATA_SOURCE = {"survey": 0.82, "topographic": 0.08, "base_gis": 0.08, "other": 0.02}


@dataclass
class ComponentSpec:
    type: str
    geometry: shapely.Geometry  # metres
    grid: int  # index into county.grids
    status: str
    competent: str
    owner: str
    maintainer: str
    initial_date: str  # YYYYMMDD
    data_source: str


class ComponentGenerator:
    def __init__(self, county: County, plates: list[Place]) -> None:
        self.county = county
        self.plates = plates
        self.density = county.scale.component_density
        self.roads = county.network.roads
        self.space = RoadSpace(self.roads)
        self.zone = np.array([g.zone for g in county.grids])
        self.land_use = np.array([g.land_use for g in county.grids])
        self._groups = 0

    def batches(self, size: int = 50_000) -> Iterator[list[ComponentSpec]]:
        buffer: list[ComponentSpec] = []
        for type_code, geoms, grids in self.placements():
            buffer.extend(self._attributes(type_code, geoms, grids))
            while len(buffer) >= size:
                yield buffer[:size]
                buffer = buffer[size:]
        if buffer:
            yield buffer

    def placements(self) -> Iterator[tuple[str, list, np.ndarray]]:
        """(type, geometries in metres, grid indices) groups, in a fixed order."""
        yield from self._along_roads()
        yield from self._junctions()
        yield from self._guard_rails()
        yield from self._river()
        yield from self._door_plates()
        yield from self._landmark_sites()
        yield from self._per_grid()
        yield from self._green_spaces()

    # -- placement -------------------------------------------------------------------------

    def _keep(self, x, y, own_road: int, margin: float, zones=(), land_uses=(), wet=False):
        grid = self.county.grid_at(x, y)
        ok = grid >= 0
        if own_road >= 0:
            ok &= self.space.clear_of(x, y, own_road, margin)
        g = np.where(grid >= 0, grid, 0)
        if zones:
            ok &= np.isin(self.zone[g], zones)
        if land_uses:
            ok &= np.isin(self.land_use[g], land_uses)
        if not wet:
            ok &= self.zone[g] != "water"
        return ok, grid

    def _along_roads(self):
        seed = self.county.seed
        for r, rule in enumerate(furniture.ALONG_ROADS):
            for k, road in enumerate(self.roads):
                spacing = rule.spacing.get(road.kind)
                if spacing is None:
                    continue
                spacing /= self.density
                anchor = {
                    "centre": 0.0,
                    "kerb": road.half_width - furniture.SIDEWALK[road.kind],
                    "edge": road.half_width,
                }[rule.anchor]
                offset = anchor + rule.offset
                margin = -(offset - road.half_width) if offset > road.half_width else 0.5
                for side in {"both": (1, -1), "left": (1,), "right": (-1,)}[rule.sides]:
                    rng = stream(seed, "along", r, k, side)
                    d = stations(road.line, (0.85 * spacing, 1.15 * spacing), rng)
                    if not len(d):
                        continue
                    x, y = offset_points(road.line, d, side * offset)
                    ok, grid = self._keep(x, y, k, margin, rule.zones, rule.land_uses)
                    if ok.any():
                        yield rule.type, list(shapely.points(x[ok], y[ok])), grid[ok]

    @cached_property
    def junctions(self) -> list[tuple[Point, int, int]]:
        """Crossings of two roads other than lanes: (point, road a, road b)."""
        idx = [k for k, r in enumerate(self.roads) if r.kind != "lane"]
        tree = shapely.STRtree([self.roads[k].line for k in idx])
        out = []
        for a_pos, a in enumerate(idx):
            for b_pos in tree.query(self.roads[a].line, predicate="intersects"):
                if b_pos <= a_pos:
                    continue
                b = idx[int(b_pos)]
                for p in shapely.get_parts(shapely.intersection(self.roads[a].line, self.roads[b].line)):
                    if p.geom_type == "Point":
                        out.append((p, a, b))
        return out

    def _normal(self, road, p: Point) -> np.ndarray:
        d = road.line.project(p)
        ahead = road.line.interpolate(min(d + 1.0, road.line.length))
        behind = road.line.interpolate(max(d - 1.0, 0.0))
        t = np.array([ahead.x - behind.x, ahead.y - behind.y])
        t /= max(float(np.hypot(*t)), 1e-9)
        return np.array([-t[1], t[0]])

    def _junctions(self):
        rng = stream(self.county.seed, "junctions")
        by_type: dict[str, list[tuple[float, float]]] = {}
        for p, a, b in self.junctions:
            ra, rb = self.roads[a], self.roads[b]
            na, nb = self._normal(ra, p), self._normal(rb, p)
            base = np.array([p.x, p.y])

            def corner(sa, sb, extra=0.0, ra=ra, rb=rb, na=na, nb=nb, base=base):
                return tuple(
                    base + sa * na * (ra.half_width + 1.5 + extra) + sb * nb * (rb.half_width + 1.5 + extra)
                )

            kinds = {ra.kind, rb.kind}
            signals = "arterial" in kinds and kinds <= {"arterial", "secondary"}
            corners = [corner(sa, sb) for sa in (1, -1) for sb in (1, -1)]
            if signals:
                by_type.setdefault("02014", []).extend(
                    corner(sa, sb, 0.8) for sa in (1, -1) for sb in (1, -1)
                )
                by_type.setdefault("01015", []).append(corner(1, 1, 2.0))
                by_type.setdefault("01050", []).extend([corner(1, -1, 1.6), corner(-1, 1, 1.6)])
            if kinds & {"arterial", "secondary"}:
                by_type.setdefault("02034", []).extend(corners)
            by_type.setdefault("02012", []).extend([corner(1, 1, 0.4), corner(-1, -1, 0.4)])
            if kinds == {"arterial"} and rng.random() < 0.5:
                by_type.setdefault("02016", []).append(corner(-1, -1, 3.0))
            if kinds == {"arterial"} and rng.random() < 0.25:
                by_type.setdefault("02023", []).append(corner(1, -1, 4.0))
        for type_code, points in by_type.items():
            xy = np.array(points)
            ok, grid = self._keep(xy[:, 0], xy[:, 1], -1, 0.0)
            yield type_code, list(shapely.points(xy[ok])), grid[ok]

    def _runs(self, line, cuts: list[float], trim: float) -> list:
        """Stretches of a line between cut points, trimmed at both ends."""
        ends = [0.0, *sorted(cuts), line.length]
        return [
            substring(line, a + trim, b - trim)
            for a, b in zip(ends[:-1], ends[1:], strict=True)
            if b - a > 2 * trim + 20
        ]

    def _guard_rails(self):
        """交通护栏 along the old town's main roads, broken at every junction."""
        cuts: dict[int, list[float]] = {}
        for p, a, b in self.junctions:
            for k in (a, b):
                cuts.setdefault(k, []).append(self.roads[k].line.project(p))
        geoms, grids = [], []
        for k, road in enumerate(self.roads):
            if road.kind not in furniture.MAIN:
                continue
            kerb = road.half_width - furniture.SIDEWALK[road.kind] - 0.3
            for run in self._runs(road.line, cuts.get(k, []), 15.0):
                for side in (1, -1):
                    rail = shapely.offset_curve(run, side * kerb)
                    here = rail.representative_point()  # where the registry anchors a line
                    g = int(self.county.grid_at([here.x], [here.y])[0])
                    if g >= 0 and self.zone[g] == "old" and rail.geom_type == "LineString":
                        geoms.append(rail)
                        grids.append(g)
        if geoms:
            yield "02017", geoms, np.array(grids)

    def _river(self):
        net = self.county.network
        half = self.county.scale.river_width / 2
        crossings = [
            (k, p)
            for k, road in enumerate(self.roads)
            if road.kind != "lane"
            for p in shapely.get_parts(shapely.intersection(road.line, net.river_centre))
            if p.geom_type == "Point"
        ]
        bridges = []
        for k, p in crossings:
            road = self.roads[k]
            d = road.line.project(p)
            bridges.append(road.line.interpolate(min(d + 2.0, road.line.length)))
        if bridges:
            xy = shapely.get_coordinates(bridges)
            ok, grid = self._keep(xy[:, 0], xy[:, 1], -1, 0.0, wet=True)
            yield "02009", list(shapely.points(xy[ok])), grid[ok]
        for b, bank in enumerate(net.river_banks):
            px, py = offset_points(bank, np.array([bank.length / 2]), 5.0)
            landward = 1.0 if net.river_centre.distance(Point(px[0], py[0])) > half else -1.0
            for t, (type_code, spacing, offset) in enumerate(furniture.ALONG_RIVER):
                d = stations(bank, (0.9 * spacing, 1.1 * spacing), stream(self.county.seed, "river", b, t))
                if not len(d):
                    continue
                x, y = offset_points(bank, d, landward * offset)
                ok, grid = self._keep(x, y, -1, 0.0, wet=offset < 0)
                yield type_code, list(shapely.points(x[ok], y[ok])), grid[ok]
            cuts = [
                bank.project(p)
                for p in shapely.get_parts(
                    shapely.intersection(bank, shapely.MultiLineString([r.line for r in self.roads]))
                )
            ]
            rails = [shapely.offset_curve(run, landward * 1.5) for run in self._runs(bank, cuts, 10.0)]
            rails = [r for r in rails if r.geom_type == "LineString" and not r.is_empty]
            if rails:
                mid = shapely.get_coordinates(shapely.point_on_surface(rails))
                grid = self.county.grid_at(mid[:, 0], mid[:, 1])
                yield "01070", [r for r, g in zip(rails, grid, strict=True) if g >= 0], grid[grid >= 0]

    def _door_plates(self):
        if self.plates:
            xy = np.array([(p.point.x, p.point.y) for p in self.plates])
            grid = self.county.grid_at(xy[:, 0], xy[:, 1])
            ok = grid >= 0
            yield "02038", list(shapely.points(xy[ok])), grid[ok]

    def _landmark_sites(self):
        sites = {"05003": "加油站", "05009": ("鼓楼", "文庙")}
        for type_code, names in sites.items():
            points = [lm.point for lm in self.county.landmarks if lm.name.endswith(names)]
            if points:
                xy = shapely.get_coordinates(points)
                grid = self.county.grid_at(xy[:, 0], xy[:, 1])
                yield type_code, [p for p, g in zip(points, grid, strict=True) if g >= 0], grid[grid >= 0]

    def _per_grid(self):
        seed = self.county.seed
        for i, g in enumerate(self.county.grids):
            rng = stream(seed, "grid", g.code)
            hectares = g.polygon.area / 10_000
            counts = []
            for rule in furniture.PER_GRID:
                if rule.zones and g.zone not in rule.zones:
                    counts.append(0)
                    continue
                rate = rule.per_grid.get(g.land_use, rule.per_grid.get("*", 0.0))
                rate += hectares * rule.per_hectare.get(g.land_use, 0.0)
                counts.append(int(rng.poisson(rate * self.density)) if rate else 0)
            total = sum(counts)
            if not total:
                continue
            inner = g.polygon.buffer(-10.0)
            area = inner if inner.area > 0.2 * g.polygon.area else g.polygon
            points = _scatter(area, total, rng)
            start = 0
            for rule, n in zip(furniture.PER_GRID, counts, strict=True):
                if n:
                    yield rule.type, list(points[start : start + n]), np.full(n, i)
                    start += n

    def _green_spaces(self):
        """绿地 as polygons: each green grid's lawn, set back from its edges."""
        geoms, grids = [], []
        for i, g in enumerate(self.county.grids):
            if g.land_use == "green":
                lawn = g.polygon.buffer(-4.0)
                if lawn.geom_type == "Polygon" and lawn.area > 500:
                    geoms.append(lawn)
                    grids.append(i)
        if geoms:
            yield "04013", geoms, np.array(grids)

    # -- attributes ------------------------------------------------------------------------

    def _attributes(self, type_code: str, geoms: list, grids: np.ndarray) -> list[ComponentSpec]:
        n = len(geoms)
        if not n:
            return []
        self._groups += 1
        rng = stream(self.county.seed, "attributes", self._groups)
        statuses = rng.choice(_STATUSES, size=n, p=status_weights(type_code))
        later = rng.random(n) < 0.12
        census = _dates(rng, CENSUS, n)
        since = _dates(rng, LATER, n)
        initial = np.where(later, since, census)
        source = rng.choice(list(DATA_SOURCE), size=n, p=list(DATA_SOURCE.values()))
        telecom = rng.choice(list(TELECOM_SHARE), size=n, p=list(TELECOM_SHARE.values()))
        grid_list = self.county.grids
        out = []
        for j in range(n):
            grid = grid_list[int(grids[j])]
            competent, owner, maintainer = (_resolve(d, grid, str(telecom[j])) for d in BY_TYPE[type_code])
            out.append(
                ComponentSpec(
                    type_code,
                    geoms[j],
                    int(grids[j]),
                    str(statuses[j]),
                    competent,
                    owner,
                    maintainer,
                    str(initial[j]),
                    str(source[j]),
                )
            )
        return out


_STATUSES = ["intact", "damaged", "lost", "abandoned", "removed", "occupied"]


def status_weights(type_code: str) -> list[float]:
    """About 95 % intact; lost only for what can be carried off, abandoned mostly for kiosks."""
    damaged, removed = 0.04, 0.002
    lost = 0.008 if type_code in furniture.MOVABLE else 0.0
    abandoned = furniture.ABANDONED_OFTEN.get(type_code, 0.004)
    occupied = 0.02 if type_code in furniture.OCCUPIABLE else 0.0
    intact = 1.0 - damaged - removed - lost - abandoned - occupied
    return [intact, damaged, lost, abandoned, removed, occupied]


@cache
def _days(span: tuple[date, date]) -> np.ndarray:
    return np.array(
        [(span[0] + timedelta(days=d)).strftime("%Y%m%d") for d in range((span[1] - span[0]).days + 1)]
    )


def _dates(rng, span: tuple[date, date], n: int) -> np.ndarray:
    days = _days(span)
    return days[rng.integers(0, len(days), size=n)]


def _resolve(department: str, grid, telecom: str) -> str:
    if department == "@telecom":
        return telecom
    if department == "@street":
        return grid.street
    if department == "@community":
        return grid.community
    return department


def _scatter(polygon, n: int, rng) -> np.ndarray:
    """n random points inside a polygon (rejection sampling in its bounds)."""
    min_x, min_y, max_x, max_y = polygon.bounds
    shapely.prepare(polygon)
    found: list[np.ndarray] = []
    need = n
    while need > 0:
        k = 3 * need + 8
        x, y = rng.uniform(min_x, max_x, k), rng.uniform(min_y, max_y, k)
        inside = shapely.contains_xy(polygon, x, y)
        pts = shapely.points(x[inside], y[inside])[:need]
        found.append(pts)
        need -= len(pts)
    return np.concatenate(found)
