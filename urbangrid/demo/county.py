"""The geography of the synthetic county: divisions, unit grids and landmark sites, in metres.

Blocks are the faces of the road network. Streets (and, at city scale, districts) are grown on
the superblocks between major roads, communities on the blocks of their street, so every
boundary follows a road or the river. Blocks are then cut into pieces of about the zone's
target area; too-small pieces join a neighbour in the same community; the rest are the unit
grids, numbered west→east, north→south inside their community.
"""

import math
from dataclasses import dataclass, field
from functools import cached_property

import numpy as np
import shapely
from shapely.geometry import Point, Polygon

from . import names
from .frame import LocalFrame
from .landmarks import LANDMARKS, LandmarkSpec
from .network import Network, draw_network, faces
from .partition import apportion, cut_lines, grow, merge_small, serial_order, shared_edges
from .roadnames import name_roads
from .scales import Scale
from .streams import stream

# Workload of a square metre by zone, for balancing streets, communities and patrol areas.
ZONE_WEIGHT = {"old": 2.5, "new": 1.0, "industrial": 0.35, "riverside": 0.5, "water": 0.15}
SMALL_GRID = 0.4  # pieces under this share of the zone's target area join a neighbour


@dataclass
class Division:
    code: str
    name: str
    level: int  # 1 district, 2 street, 3 community
    parent: str | None
    polygon: Polygon  # metres


@dataclass
class Grid:
    code: str
    community: str
    street: str
    polygon: Polygon  # metres
    zone: str
    land_use: str
    management_level: str
    responsible: str  # community, street, parks or water: who answers for the grid (责任主体)
    lon: float = 0.0  # centroid
    lat: float = 0.0


@dataclass
class Landmark:
    spec: LandmarkSpec
    name: str
    aliases: list[str]
    point: Point  # metres


@dataclass
class County:
    scale: Scale
    seed: int
    frame: LocalFrame
    network: Network
    divisions: list[Division]
    grids: list[Grid]
    landmarks: list[Landmark]
    # grid code → neighbouring grid code → length of the shared boundary (m)
    neighbours: dict[str, dict[str, float]] = field(default_factory=dict, repr=False)

    @property
    def district(self) -> Division:
        return self.divisions[0]

    def by_level(self, level: int) -> list[Division]:
        return [d for d in self.divisions if d.level == level]

    @cached_property
    def grid_tree(self) -> shapely.STRtree:
        return shapely.STRtree([g.polygon for g in self.grids])

    def grid_at(self, x: np.ndarray, y: np.ndarray) -> np.ndarray:
        """Index of the grid holding each point (metres), -1 outside the town."""
        points = shapely.points(np.asarray(x, dtype=float), np.asarray(y, dtype=float))
        out = np.full(len(points), -1, dtype=np.int64)
        hits = self.grid_tree.query(points, predicate="intersects")
        out[hits[0][::-1]] = hits[1][::-1]
        return out


def generate(scale: Scale, seed: int = 1) -> County:
    frame = LocalFrame(scale.lon0, scale.lat0)
    net = draw_network(scale, seed)
    name_roads(net)
    lines = net.lines()
    blocks = [f for f in faces(lines) if net.outline.contains(f.representative_point())]
    block_sb = _within(blocks, [s.polygon for s in net.superblocks])
    zone = [net.superblocks[s].zone for s in block_sb]
    block_xy = shapely.get_coordinates(shapely.centroid(blocks))
    block_weight = np.array([b.area * ZONE_WEIGHT[z] for b, z in zip(blocks, zone, strict=True)])

    community_of_block = _grow_hierarchy(scale, seed, net, blocks, block_sb, block_xy, block_weight)
    landmarks, special = _place_landmarks(scale, net, blocks, zone, block_xy)

    targets = {
        "old": scale.grid_target_old,
        "new": scale.grid_target_new,
        "industrial": scale.grid_target_industrial,
        "riverside": scale.grid_target_riverside,
        "water": scale.grid_target_riverside,
    }
    cuts = [c for b, z in zip(blocks, zone, strict=True) for c in cut_lines(b, targets[z])]
    pieces = [f for f in faces(lines + cuts) if net.outline.contains(f.representative_point())]
    piece_block = _within(pieces, blocks)
    piece_community = [community_of_block[b] for b in piece_block]
    piece_adj = shared_edges(pieces)
    roots = merge_small(
        [p.area for p in pieces],
        piece_community,
        piece_adj,
        [SMALL_GRID * targets[zone[b]] for b in piece_block],
    )
    groups: dict[int, list[int]] = {}
    for i, r in enumerate(roots):
        groups.setdefault(r, []).append(i)

    county_divisions = _divisions(scale, seed, net, pieces, piece_community, groups)
    grids = _grids(scale, seed, frame, net, pieces, piece_block, zone, special, groups, county_divisions)
    code_of_piece = {
        i: grid.code for grid, members in zip(grids, groups.values(), strict=True) for i in members
    }
    neighbours: dict[str, dict[str, float]] = {g.code: {} for g in grids}
    for i, adjacent in piece_adj.items():
        for j, length in adjacent.items():
            a, b = code_of_piece[i], code_of_piece[j]
            if a != b:
                neighbours[a][b] = neighbours[a].get(b, 0.0) + length
    grids.sort(key=lambda g: g.code)
    return County(scale, seed, frame, net, county_divisions, grids, landmarks, neighbours)


def _within(polys: list[Polygon], containers: list[Polygon]) -> list[int]:
    """For each polygon, the container holding its representative point."""
    points = shapely.point_on_surface(polys)
    hits = shapely.STRtree(containers).query(points, predicate="within")
    out = np.full(len(polys), -1, dtype=np.int64)
    out[hits[0]] = hits[1]
    if (out < 0).any():
        raise RuntimeError("a face lies in no container")
    return [int(i) for i in out]


def _grow_hierarchy(scale, seed, net, blocks, block_sb, block_xy, block_weight) -> list[tuple[int, int, int]]:
    """(district, street, community) indices of every block."""
    sbs = [s.polygon for s in net.superblocks]
    sb_xy = shapely.get_coordinates(shapely.centroid(sbs))
    sb_weight = np.zeros(len(sbs))
    np.add.at(sb_weight, block_sb, block_weight)
    sb_adj = shared_edges(sbs)
    block_adj = shared_edges(blocks)
    all_sb = list(range(len(sbs)))
    district_of = grow(all_sb, sb_adj, sb_xy, sb_weight, len(scale.district_codes), stream(seed, "districts"))
    district_members = _members(district_of, len(scale.district_codes))
    street_counts = apportion(scale.streets, [sum(sb_weight[m]) for m in district_members])
    street_of_sb: dict[int, tuple[int, int]] = {}
    for d, members in enumerate(district_members):
        local = grow(members, sb_adj, sb_xy, sb_weight, street_counts[d], stream(seed, "streets", d))
        for sb, s in local.items():
            street_of_sb[sb] = (d, s)
    streets = sorted(set(street_of_sb.values()))
    street_blocks = {s: [b for b, sb in enumerate(block_sb) if street_of_sb[sb] == s] for s in streets}
    community_counts = apportion(
        scale.communities, [float(block_weight[street_blocks[s]].sum()) for s in streets]
    )
    out: list[tuple[int, int, int]] = [(-1, -1, -1)] * len(blocks)
    for s, count in zip(streets, community_counts, strict=True):
        local = grow(
            street_blocks[s], block_adj, block_xy, block_weight, count, stream(seed, "communities", s)
        )
        for b, c in local.items():
            out[b] = (s[0], s[1], c)
    return out


def _members(assignment: dict[int, int], n: int) -> list[list[int]]:
    out: list[list[int]] = [[] for _ in range(n)]
    for item, k in sorted(assignment.items()):
        out[k].append(item)
    return out


def _place_landmarks(scale, net, blocks, zone, block_xy) -> tuple[list[Landmark], dict[int, Landmark]]:
    landmarks: list[Landmark] = []
    special: dict[int, Landmark] = {}
    for spec in LANDMARKS:
        target = np.array(spec.where) * net.radius
        candidates = [
            b
            for b in range(len(blocks))
            if zone[b] in spec.zones
            and blocks[b].area >= spec.min_area
            and not (spec.land_use and b in special)
        ]
        if not candidates:
            continue
        b = min(candidates, key=lambda b: (float(np.sum((block_xy[b] - target) ** 2)), b))
        name = spec.name
        if scale.multi_district and name.startswith("县"):
            name = "市" + name[1:]
        aliases = list(spec.aliases)
        if name[0] in "县市":
            aliases.append(scale.place_name + name[1:])
        lm = Landmark(spec, name, aliases, blocks[b].representative_point())
        landmarks.append(lm)
        if spec.land_use:
            special[b] = lm
    return landmarks, special


def _divisions(scale, seed, net, pieces, piece_community, groups) -> list[Division]:
    """Districts, streets and communities as unions of their grids' pieces, named and coded."""
    by_community: dict[tuple[int, int, int], list[int]] = {}
    for i, c in enumerate(piece_community):
        by_community.setdefault(c, []).append(i)
    community_poly = {c: shapely.unary_union([pieces[i] for i in idx]) for c, idx in by_community.items()}
    street_keys = sorted({c[:2] for c in community_poly})
    street_poly = {
        s: shapely.unary_union([p for c, p in community_poly.items() if c[:2] == s]) for s in street_keys
    }
    district_poly = {
        d: shapely.unary_union([p for s, p in street_poly.items() if s[0] == d])
        for d in range(len(scale.district_codes))
    }
    divisions: list[Division] = []
    book = names.NameBook()
    street_book = _street_names(scale, street_poly)
    for d, code in enumerate(scale.district_codes):
        divisions.append(Division(code, scale.district_names[d], 1, None, district_poly[d]))
        streets = [s for s in street_keys if s[0] == d]
        # The street holding the old town is 001; the others clockwise from north.
        streets.sort(key=lambda s: (not street_poly[s].contains(Point(0, 0)), _bearing(street_poly[s])))
        for s_serial, s in enumerate(streets, start=1):
            s_code = f"{code}{s_serial:03d}"
            divisions.append(Division(s_code, street_book[s], 2, code, street_poly[s]))
            communities = [c for c in community_poly if c[:2] == s]
            order = _reading_order([community_poly[c] for c in communities], row=500.0)
            for c_serial, k in enumerate(order, start=1):
                c = communities[k]
                name = book.take([n + "社区" for n in names.COMMUNITIES], names.composed_names(("社区",)))
                divisions.append(Division(f"{s_code}{c_serial:03d}", name, 3, s_code, community_poly[c]))
    return divisions


def _bearing(poly) -> float:
    """Clockwise angle from north of a polygon's centroid seen from the town centre."""
    c = poly.centroid
    return math.degrees(math.atan2(c.x, c.y)) % 360


def _reading_order(polys, row: float) -> list[int]:
    """North→south rows, west→east inside a row (the order serials are handed out in)."""
    c = shapely.get_coordinates(shapely.centroid(polys))
    north = max(p.bounds[3] for p in polys)
    return sorted(range(len(polys)), key=lambda i: (math.floor((north - c[i, 1]) / row), c[i, 0]))


def _street_names(scale, street_poly) -> dict:
    book = names.NameBook()
    out = {}
    for s in sorted(street_poly, key=lambda s: (not street_poly[s].contains(Point(0, 0)), s)):
        poly = street_poly[s]
        if poly.contains(Point(0, 0)):
            direction = "centre"
        else:
            b = _bearing(poly)
            direction = ("north", "east", "south", "west")[int(((b + 45) % 360) // 90)]
        out[s] = book.take(
            names.STREETS_BY_DIRECTION[direction] + names.STREETS_EXTRA, names.composed_names(("街道",))
        )
    return out


def _grids(scale, seed, frame, net, pieces, piece_block, zone, special, groups, divisions) -> list[Grid]:
    communities = [d for d in divisions if d.level == 3]
    community_tree = shapely.STRtree([d.polygon for d in communities])
    roads = net.roads
    arterial = shapely.STRtree([r.line for r in roads if r.kind == "arterial"])
    major = shapely.STRtree([r.line for r in roads if r.kind in ("arterial", "secondary")])
    rng = stream(seed, "land-use")
    polys = [shapely.unary_union([pieces[i] for i in members]) for members in groups.values()]
    main_piece = [max(members, key=lambda i: pieces[i].area) for members in groups.values()]
    polys_wgs = frame.to_wgs84(np.array(polys, dtype=object))
    centroids = shapely.get_coordinates(shapely.centroid(polys_wgs))
    reps = shapely.point_on_surface(polys)
    owner = community_tree.query(reps, predicate="within")
    community_of = dict(zip(owner[0].tolist(), owner[1].tolist(), strict=True))
    on_arterial = set(arterial.query(polys, predicate="dwithin", distance=1.0)[0].tolist())
    on_major = set(major.query(polys, predicate="dwithin", distance=1.0)[0].tolist())

    grids: list[Grid] = []
    for i, poly in enumerate(polys):
        block = piece_block[main_piece[i]]
        z = zone[block]
        c = poly.centroid
        remote = math.hypot(c.x, c.y) / net.radius
        land_use = _land_use(z, special.get(block), i in on_arterial, i in on_major, remote, rng)
        level = _management_level(z, land_use, i in on_arterial, remote)
        responsible = {"residential": "community", "other": "community", "green": "parks", "water": "water"}
        community = communities[community_of[i]]
        grids.append(
            Grid(
                "",
                community.code,
                community.parent or "",
                poly,
                z,
                land_use,
                level,
                responsible.get(land_use, "street"),
                float(centroids[i, 0]),
                float(centroids[i, 1]),
            )
        )
    by_community: dict[str, list[Grid]] = {}
    for g in grids:
        by_community.setdefault(g.community, []).append(g)
    for community in communities:
        members = by_community[community.code]
        north = float(frame.lonlat(*np.asarray(community.polygon.exterior.coords).T)[1].max())
        order = serial_order(np.array([g.lon for g in members]), np.array([g.lat for g in members]), north)
        for serial, k in enumerate(order, start=1):
            members[k].code = f"{community.code}{serial:03d}"
    return grids


def _land_use(zone, landmark, on_arterial, on_major, remote, rng) -> str:
    if landmark is not None:
        return landmark.spec.land_use
    if zone == "water":
        return "water"
    if zone == "riverside":
        return "green"
    if zone == "industrial":
        return "industrial"
    if zone == "old":
        return "commercial" if on_major else "residential"
    if on_arterial and remote < 0.6:
        return "commercial"
    if remote > 0.9 and rng.random() < 0.35:
        return "other"
    return "residential"


def _management_level(zone, land_use, on_arterial, remote) -> str:
    if zone == "old" or on_arterial or land_use in ("commercial", "public", "road"):
        return "key"
    if land_use in ("industrial", "water", "other") or remote > 0.85:
        return "general"
    return "ordinary"
