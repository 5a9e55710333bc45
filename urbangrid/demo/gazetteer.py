"""The gazetteer (地名地址): named roads, door plates (门牌) and landmarks.

Door plates follow the usual Chinese rule: east-west roads are numbered from the west,
north-south roads from the north, radial avenues from the centre; odd numbers on the left of
that direction, even numbers on the right (左单右双), a plate every 20-40 m on each side.
A plate that would stand on another road's carriageway or in the river is left out and its
number goes to the next building.
"""

from dataclasses import dataclass, field

import numpy as np
import shapely
from shapely.geometry import Point
from shapely.ops import substring

from .county import County
from .network import Road
from .streams import stream

PLATE_SETBACK = 3.0  # metres behind the edge of the road


@dataclass
class Place:
    kind: str  # doorplate or landmark
    name: str
    road: str
    number: int | None
    point: Point  # metres
    aliases: list[str] = field(default_factory=list)


def stations(line, spacing: tuple[float, float], rng) -> np.ndarray:
    """Distances along a line, a random spacing apart within the given range."""
    lo, hi = spacing
    n = int(line.length / lo) + 2
    d = np.cumsum(rng.uniform(lo, hi, n)) - rng.uniform(0, lo)
    return d[(d > 0) & (d < line.length)]


def offset_points(line, distances: np.ndarray, offset: float) -> tuple[np.ndarray, np.ndarray]:
    """Points `offset` metres to the left of the line (negative: right) at the distances."""
    coords = np.asarray(line.coords)[:, :2]
    step = np.diff(coords, axis=0)
    length = np.hypot(step[:, 0], step[:, 1])
    keep = length > 1e-9
    coords = np.vstack([coords[:1], coords[1:][keep]])
    step, length = step[keep], length[keep]
    along = np.concatenate([[0.0], np.cumsum(length)])
    d = np.asarray(distances, dtype=float)
    x, y = np.interp(d, along, coords[:, 0]), np.interp(d, along, coords[:, 1])
    seg = np.clip(np.searchsorted(along, d, side="right") - 1, 0, len(step) - 1)
    tx, ty = step[seg, 0] / length[seg], step[seg, 1] / length[seg]
    return x - ty * offset, y + tx * offset


class RoadSpace:
    """Where the carriageways are, to keep plates and street furniture off other roads. Roads
    are cut into short pieces first: distance tests against a whole long road are slow."""

    PIECE = 200.0

    def __init__(self, roads: list[Road]) -> None:
        pieces, owner = [], []
        for k, road in enumerate(roads):
            n = max(1, int(road.line.length // self.PIECE))
            for i in range(n):
                pieces.append(substring(road.line, i * road.line.length / n, (i + 1) * road.line.length / n))
                owner.append(k)
        self.pieces = np.asarray(pieces, dtype=object)
        self.owner = np.asarray(owner)
        self.half = np.array([roads[k].half_width for k in owner])
        self.tree = shapely.STRtree(self.pieces)

    def clear_of(self, x: np.ndarray, y: np.ndarray, own: int, margin: float = 0.5) -> np.ndarray:
        """True where a point is off every carriageway but its own road's."""
        points = shapely.points(x, y)
        ok = np.ones(len(points), dtype=bool)
        if not len(points):
            return ok
        reach = float(self.half.max()) - min(margin, 0.0)
        i, j = self.tree.query(points, predicate="dwithin", distance=reach)
        keep = self.owner[j] != own
        i, j = i[keep], j[keep]
        if len(i):
            dist = shapely.distance(points[i], self.pieces[j])
            ok[i[dist < self.half[j] - margin]] = False
        return ok


def door_plates(county: County, space: RoadSpace) -> list[Place]:
    plates: list[Place] = []
    river = county.network.river
    shapely.prepare(river)
    for k, road in enumerate(county.network.roads):
        for side, first in ((1, 1), (-1, 2)):
            rng = stream(county.seed, "plates", road.name, side)
            d = stations(road.line, (20.0, 40.0), rng)
            x, y = offset_points(road.line, d, side * (road.half_width + PLATE_SETBACK))
            ok = (
                (county.grid_at(x, y) >= 0)
                & ~shapely.contains_xy(river, x, y)
                & space.clear_of(x, y, k, margin=-PLATE_SETBACK)
            )
            number = first
            for px, py, good in zip(x, y, ok, strict=True):
                if not good:
                    continue
                plates.append(Place("doorplate", f"{road.name}{number}号", road.name, number, Point(px, py)))
                number += 2
    return plates


def landmark_places(county: County) -> list[Place]:
    roads = [r for r in county.network.roads if r.kind != "lane"]
    tree = shapely.STRtree([r.line for r in roads])
    return [
        Place("landmark", lm.name, roads[int(tree.nearest(lm.point))].name, None, lm.point, lm.aliases)
        for lm in county.landmarks
    ]
