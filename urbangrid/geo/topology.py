"""Topology of polygon layers: overlaps between polygons, gaps left inside a region, and
parts lying outside their container, each measured in m² so a tolerance can absorb the
slivers every real GIS file carries.

The functions take numpy arrays of valid WGS84 polygons and work on whole arrays at once
(an STRtree finds candidate pairs), because a megacity has tens of thousands of grids.
"""

from dataclasses import dataclass

import numpy as np
import shapely

from .measure import local_areas_m2

_POLYGON_TYPES = (shapely.GeometryType.POLYGON, shapely.GeometryType.MULTIPOLYGON)
# 1e-9° is about 0.1 mm: a shape read back from an export is the same shape.
SAME_SHAPE_DEG = 1e-9


@dataclass(frozen=True)
class Overlap:
    first: int
    second: int
    area_m2: float


@dataclass(frozen=True)
class Gap:
    area_m2: float
    lon: float
    lat: float


def overlaps(geoms: np.ndarray, check: np.ndarray, tolerance_m2: float = 0.0) -> list[Overlap]:
    """Pairs of polygons whose interiors share more than `tolerance_m2`, where at least one
    is among the indices `check`. Each pair comes once, with `first` in `check`."""
    check = np.asarray(check, dtype=np.int64)
    if not len(check) or len(geoms) < 2:
        return []
    tree = shapely.STRtree(geoms)
    pairs = tree.query(geoms[check], predicate="intersects")
    first, second = check[pairs[0]], pairs[1]
    checked = np.zeros(len(geoms), dtype=bool)
    checked[check] = True
    keep = (first != second) & ~(checked[second] & (second < first))
    first, second = first[keep], second[keep]
    # Neighbours share edges; only pairs whose interiors meet need the costly intersection.
    inner = ~shapely.touches(geoms[first], geoms[second])
    first, second = first[inner], second[inner]
    areas = local_areas_m2(shapely.intersection(geoms[first], geoms[second]))
    big = areas > tolerance_m2
    return [
        Overlap(int(a), int(b), float(s)) for a, b, s in zip(first[big], second[big], areas[big], strict=True)
    ]


def gaps(
    region: shapely.Geometry, parts: np.ndarray, tolerance_m2: float, *, disjoint: bool = False
) -> list[Gap]:
    """The pieces of `region` that no polygon of `parts` covers, larger than `tolerance_m2`.

    `disjoint`: the parts are known not to overlap at all. Then the area they cover inside
    the region tells at once whether any gap can exceed the tolerance, and the costly union
    (seconds for a megacity) is only drawn for regions that do have one."""
    if disjoint and len(parts):
        inside = local_areas_m2(parts) - area_outside(parts, np.full(len(parts), region, dtype=object))
        if local_areas_m2([region])[0] - inside.sum() <= tolerance_m2:
            return []
    covered = shapely.union_all(parts) if len(parts) else shapely.Polygon()
    rest = shapely.get_parts(shapely.difference(region, covered))
    rest = rest[np.isin(shapely.get_type_id(rest), _POLYGON_TYPES)]
    areas = local_areas_m2(rest)
    found = []
    for piece, area in zip(rest, areas, strict=True):
        if area > tolerance_m2:
            point = piece.representative_point()
            found.append(Gap(float(area), point.x, point.y))
    return sorted(found, key=lambda g: -g.area_m2)


def area_outside(geoms: np.ndarray, containers: np.ndarray) -> np.ndarray:
    """For each polygon, the m² of it lying outside its container (same position)."""
    result = np.zeros(len(geoms))
    if not len(geoms):
        return result
    shapely.prepare(containers)
    inside = shapely.covers(containers, geoms)
    idx = np.flatnonzero(~inside)
    if len(idx):
        result[idx] = local_areas_m2(shapely.difference(geoms[idx], containers[idx]))
    return result


def best_container(geom: shapely.Geometry, containers: np.ndarray, tree: shapely.STRtree) -> int | None:
    """Index of the container sharing the most area with `geom`, or None if none touches it."""
    candidates = tree.query(geom, predicate="intersects")
    if not len(candidates):
        return None
    shared = local_areas_m2(shapely.intersection(containers[candidates], geom))
    best = int(np.argmax(shared))
    return int(candidates[best]) if shared[best] > 0 else None


def same_shapes(first, second) -> np.ndarray:
    """Pairwise: is each shape the same as its partner, whatever vertex it starts from?"""
    first = shapely.normalize(np.asarray(first, dtype=object))
    second = shapely.normalize(np.asarray(second, dtype=object))
    return shapely.equals_exact(first, second, tolerance=SAME_SHAPE_DEG)
