"""The shape of the town: an irregular outline, a meandering river and a road network.

Roads come in two families, east-west and north-south. All roads of a family are translates
of one gently bending curve, placed on a lattice of slots 1/16 of the arterial spacing apart,
so roads of one family never come close to each other. The slot decides the road's rank:
every 16th slot an arterial, every 8th a secondary road (both run through the whole town and
cross the river on bridges), every 4th a branch road, and in the dense old town every 2nd a
branch road and the odd slots lanes (巷). Radial avenues and the two riverside roads break the
lattice. Branch roads and lanes are drawn only inside the zones that have them (old town, new
districts, industrial park), so the old town gets small blocks and the new districts wide ones.
"""

import math
from dataclasses import dataclass, field

import numpy as np
import shapely
from shapely.geometry import LineString, Point, Polygon
from shapely.ops import substring

from .scales import Scale
from .streams import stream

ROAD_WIDTH = {"arterial": 40.0, "secondary": 24.0, "branch": 16.0, "lane": 6.0}
RIVERSIDE_SETBACK = 30.0  # metres of embankment park between the river bank and its road
OVERSHOOT = 1.0  # roads run this far past their ends, so noding always splits the faces they meet
SAMPLE_STEP = 25.0  # metres between the vertices of a curved road

# Which zone-level roads each zone has, per family.
ZONE_LEVELS = {
    "old": {"ew": ("br4", "br8", "lane"), "ns": ("br4", "br8")},
    "new": {"ew": ("br4",), "ns": ("br4",)},
    "industrial": {"ew": ("br4",), "ns": ()},
}
LEVEL_KIND = {
    "arterial": "arterial",
    "diagonal": "arterial",
    "secondary": "secondary",
    "riverside": "secondary",
    "br4": "branch",
    "br8": "branch",
    "lane": "lane",
}


@dataclass
class Road:
    level: str  # arterial, diagonal, secondary, riverside, br4, br8, lane
    family: str  # ew, ns, radial, river
    line: LineString  # metres; east-west roads run west→east, north-south ones north→south
    order: float  # position across its family, for naming from the centre outwards
    name: str = ""
    aliases: list[str] = field(default_factory=list)

    @property
    def kind(self) -> str:
        return LEVEL_KIND[self.level]

    @property
    def half_width(self) -> float:
        return ROAD_WIDTH[self.kind] / 2


@dataclass
class Superblock:
    polygon: Polygon
    zone: str  # old, new, industrial, riverside, water


@dataclass
class Network:
    outline: Polygon
    radius: float  # of the circle with the outline's area
    river: Polygon  # the water surface
    river_centre: LineString
    river_banks: list[LineString]
    roads: list[Road]
    superblocks: list[Superblock]

    def lines(self) -> list[LineString]:
        """Every line that cuts the town into blocks."""
        return [
            self.outline.exterior,
            *self.river_banks,
            *clip(self.river_centre, self.outline.buffer(OVERSHOOT)),
            *(r.line for r in self.roads),
        ]


class Wave:
    """A smooth bend shared by every road of a family: offset(t) = tilt·t + Σ a·sin(2πt/λ + φ)."""

    def __init__(self, rng, amplitude: float, wavelength: float) -> None:
        self.tilt = float(rng.uniform(-0.04, 0.04))
        self.terms = [
            (amplitude * float(rng.uniform(0.6, 1.0)), wavelength * float(rng.uniform(0.8, 1.2)), 0.0),
            (amplitude * float(rng.uniform(0.2, 0.4)), wavelength * float(rng.uniform(0.3, 0.4)), 0.0),
        ]
        self.terms = [(a, w, float(rng.uniform(0, 2 * math.pi))) for a, w, _ in self.terms]

    def __call__(self, t: np.ndarray) -> np.ndarray:
        out = self.tilt * t
        for a, w, phase in self.terms:
            out = out + a * np.sin(2 * math.pi * t / w + phase)
        return out

    @property
    def reach(self) -> float:
        return sum(a for a, _, _ in self.terms)


def draw_outline(rng, area_m2: float, aspect: float, n: int = 180) -> Polygon:
    """A star-shaped, lobed outline of the given area, stretched east-west."""
    theta = np.linspace(0, 2 * math.pi, n, endpoint=False)
    r = np.ones(n)
    for k in range(2, 7):
        r += rng.uniform(0.02, 0.07) / math.sqrt(k - 1) * np.cos(k * theta + rng.uniform(0, 2 * math.pi))
    r *= 1 + rng.normal(0, 0.006, n)
    x, y = r * np.cos(theta) * math.sqrt(aspect), r * np.sin(theta) / math.sqrt(aspect)
    poly = Polygon(np.column_stack([x, y]))
    k = math.sqrt(area_m2 / poly.area)
    return Polygon(np.column_stack([x * k, y * k]))


def clip(line: LineString, region) -> list[LineString]:
    parts = shapely.get_parts(shapely.intersection(line, region))
    return [p for p in parts if p.geom_type == "LineString" and p.length > 1.0]


def extend(line: LineString, by: float) -> LineString:
    """The line lengthened at both ends along its end segments."""
    coords = np.asarray(line.coords)

    def moved(end, inner):
        d = end - inner
        return end + d / np.hypot(*d) * by

    coords[0], coords[-1] = moved(coords[0], coords[1]), moved(coords[-1], coords[-2])
    return LineString(coords)


def faces(lines) -> list[Polygon]:
    """The polygons the lines cut the plane into (lines are noded first)."""
    noded = shapely.unary_union(shapely.MultiLineString([list(ln.coords) for ln in lines]))
    return list(shapely.get_parts(shapely.polygonize(shapely.get_parts(noded))))


def _level(slot: int) -> str:
    for step, level in ((16, "arterial"), (8, "secondary"), (4, "br4"), (2, "br8")):
        if slot % step == 0:
            return level
    return "lane"


class _Family:
    """The lattice of one road family: slot positions and the curve through each."""

    def __init__(self, seed: int, name: str, spacing: float, wave: Wave, span: tuple[float, float], reach):
        self.seed, self.name, self.fine, self.wave = seed, name, spacing / 16, wave
        self.span = span  # along the road, with margin
        lo, hi = reach
        self.slots = range(math.floor(lo / self.fine), math.ceil(hi / self.fine) + 1)

    def position(self, slot: int) -> float:
        jitter = float(np.clip(stream(self.seed, "slot", self.name, slot).normal(0, 0.1), -0.3, 0.3))
        return (slot + jitter) * self.fine

    def line(self, slot: int) -> LineString:
        t = np.arange(self.span[0], self.span[1] + SAMPLE_STEP, SAMPLE_STEP)
        across = self.position(slot) + self.wave(t)
        if self.name == "ew":
            return LineString(np.column_stack([t, across]))
        return LineString(np.column_stack([across, t])[::-1])


def _oriented(line: LineString, family: str, centre: Point) -> LineString:
    (x0, y0), (x1, y1) = line.coords[0], line.coords[-1]
    flip = {
        "ew": x1 < x0,
        "river": x1 < x0,
        "ns": y1 > y0,
        "radial": centre.distance(Point(x1, y1)) < centre.distance(Point(x0, y0)),
    }[family]
    return shapely.reverse(line) if flip else line


def draw_network(scale: Scale, seed: int) -> Network:
    rng = stream(seed, "outline")
    outline = draw_outline(rng, scale.area_km2 * 1e6, scale.aspect)
    radius = math.sqrt(outline.area / math.pi)
    centre = Point(0, 0)
    min_x, min_y, max_x, max_y = outline.bounds
    margin = 2 * scale.arterial_spacing
    spacing = scale.arterial_spacing
    inside = outline.buffer(OVERSHOOT)

    ew_wave = Wave(stream(seed, "wave", "ew"), 0.03 * spacing, 2.6 * spacing)
    ns_wave = Wave(stream(seed, "wave", "ns"), 0.03 * spacing, 2.4 * spacing)
    ew = _Family(
        seed,
        "ew",
        spacing,
        ew_wave,
        (min_x - margin, max_x + margin),
        (min_y - ew_wave.reach - margin, max_y + ew_wave.reach + margin),
    )
    ns = _Family(
        seed,
        "ns",
        spacing,
        ns_wave,
        (min_y - margin, max_y + margin),
        (min_x - ns_wave.reach - margin, max_x + ns_wave.reach + margin),
    )

    # The river: between the central arterial and the next one to the south.
    rr = stream(seed, "river")
    t = np.arange(min_x - margin, max_x + margin + SAMPLE_STEP, SAMPLE_STEP)
    river_wave = [
        (scale.meander * float(rr.uniform(0.7, 1.0)), 1.4 * spacing * float(rr.uniform(0.9, 1.3))),
        (scale.meander * float(rr.uniform(0.2, 0.35)), 0.6 * spacing * float(rr.uniform(0.9, 1.3))),
    ]
    river_y = -spacing / 2 + ew_wave(t)
    for a, w in river_wave:
        river_y = river_y + a * np.sin(2 * math.pi * t / w + float(rr.uniform(0, 2 * math.pi)))
    river_centre = LineString(np.column_stack([t, river_y]))
    half_w = scale.river_width / 2
    river = shapely.intersection(river_centre.buffer(half_w, cap_style="flat"), outline)
    banks = [b for side in (1, -1) for b in clip(shapely.offset_curve(river_centre, side * half_w), inside)]
    riverside_gap = half_w + RIVERSIDE_SETBACK

    roads: list[Road] = []

    def add(level, family, line, order, region=inside):
        for part in clip(line, region):
            roads.append(Road(level, family, _oriented(part, family, centre), order))

    # Global roads: arterials and secondaries, except where the river takes a secondary's place.
    for fam in (ew, ns):
        for slot in fam.slots:
            level = _level(slot)
            if level not in ("arterial", "secondary"):
                continue
            line = fam.line(slot)
            if fam.name == "ew" and line.distance(river_centre) < riverside_gap + 0.12 * spacing:
                continue
            add(level, fam.name, line, fam.position(slot))
    for side, offset in ((1, riverside_gap), (-1, -riverside_gap)):
        add("riverside", "river", shapely.offset_curve(river_centre, offset), side * riverside_gap)
    for k in range(scale.diagonals):
        bearing = math.radians(-40 + 90 * k + float(stream(seed, "diagonal", k).uniform(-8, 8)))
        start = scale.old_town_radius * radius * 1.05
        end = 3 * radius
        line = LineString(
            [
                (start * math.cos(bearing), start * math.sin(bearing)),
                (end * math.cos(bearing), end * math.sin(bearing)),
            ]
        ).segmentize(SAMPLE_STEP)
        add("diagonal", "radial", line, float(k))

    major_lines = [outline.exterior, *banks, *clip(river_centre, inside), *(r.line for r in roads)]
    superblocks = [
        Superblock(f, _zone(f, scale, radius, river_centre, half_w, riverside_gap, seed))
        for f in faces(major_lines)
        if outline.contains(f.representative_point())
    ]

    # Zone roads: branch roads and lanes, clipped to the zones that have them.
    for fam in (ew, ns):
        for level in ("br4", "br8", "lane"):
            zones = [z for z, levels in ZONE_LEVELS.items() if level in levels[fam.name]]
            blocks = [s.polygon for s in superblocks if s.zone in zones]
            if not blocks:
                continue
            region = shapely.unary_union(blocks).buffer(OVERSHOOT)
            for slot in fam.slots:
                if _level(slot) == level:
                    add(level, fam.name, fam.line(slot), fam.position(slot), region)
    _cut_lanes(roads, seed)
    return Network(outline, radius, river, river_centre, banks, roads, superblocks)


def _zone(face, scale, radius, river_centre, half_w, riverside_gap, seed) -> str:
    d = river_centre.distance(face.representative_point())
    if d < half_w:
        return "water"
    if d < riverside_gap:
        return "riverside"
    c = face.centroid
    r = math.hypot(c.x, c.y)
    if r < scale.old_town_radius * radius:
        return "old"
    bearing = math.degrees(math.atan2(c.y, c.x))
    half_angle = 38 / math.sqrt(scale.industrial_sectors)
    for k in range(scale.industrial_sectors):
        centre_bearing = -25 + 150 * k + float(stream(seed, "industry", k).uniform(-10, 10))
        if r > 0.5 * radius and abs((bearing - centre_bearing + 180) % 360 - 180) < half_angle:
            return "industrial"
    return "new"


def _cut_lanes(roads: list[Road], seed: int) -> None:
    """Lanes run between two north-south roads of the old town; some are missing and some end
    blind (死胡同), as in any old town."""
    cross = shapely.STRtree([r.line for r in roads if r.family in ("ns", "radial")])
    cross_lines = [r.line for r in roads if r.family in ("ns", "radial")]
    kept: list[Road] = []
    for road in roads:
        if road.level != "lane":
            kept.append(road)
            continue
        rng = stream(seed, "lane", round(road.order, 3), round(road.line.coords[0][0], 1))
        cuts = sorted(
            road.line.project(p)
            for i in cross.query(road.line, predicate="intersects")
            for p in shapely.get_parts(shapely.intersection(road.line, cross_lines[i]))
            if p.geom_type == "Point"
        )
        ends = [0.0, *cuts, road.line.length]
        for a, b in zip(ends[:-1], ends[1:], strict=True):
            if b - a < 40 or rng.random() < 0.3:
                continue
            start = a - OVERSHOOT if a > 0 else a
            stop = b + OVERSHOOT if b < road.line.length else b
            if rng.random() < 0.15:  # a blind lane from one end
                stop = start + (stop - start) * float(rng.uniform(0.4, 0.7))
            kept.append(Road("lane", "ew", substring(road.line, start, stop), road.order))
    roads[:] = kept
