"""Cutting the town into divisions and unit grids without gaps or overlaps.

Every polygon comes out of one `polygonize` of noded lines, so neighbours share their edges
vertex for vertex; grouping faces (a community is a set of blocks, a grid a set of faces)
only ever unions polygons that already share edges. Nothing is clipped or buffered after
the noding, which is what would open slivers.
"""

import heapq
import math
from collections import defaultdict

import numpy as np
import shapely
from shapely.geometry import LineString, Polygon

ROW_HEIGHT_M = 100.0  # grid serials run west→east in rows of this height, rows north→south


def shared_edges(polys: list[Polygon]) -> dict[int, dict[int, float]]:
    """For each polygon, its neighbours and the length of boundary they share. Works because
    neighbours from one polygonize have identical vertices along their common edges."""
    rings, owner = [], []
    for i, p in enumerate(polys):
        for ring in (p.exterior, *p.interiors):
            rings.append(ring)
            owner.append(i)
    coords, ring_of = shapely.get_coordinates(rings, return_index=True)
    same = ring_of[1:] == ring_of[:-1]
    a, b = coords[:-1][same], coords[1:][same]
    who = np.asarray(owner)[ring_of[:-1][same]]
    qa, qb = np.round(a * 1000).astype(np.int64), np.round(b * 1000).astype(np.int64)
    swap = (qa[:, 0] > qb[:, 0]) | ((qa[:, 0] == qb[:, 0]) & (qa[:, 1] > qb[:, 1]))
    lo, hi = np.where(swap[:, None], qb, qa), np.where(swap[:, None], qa, qb)
    _, inverse = np.unique(np.column_stack([lo, hi]), axis=0, return_inverse=True)
    inverse = inverse.ravel()
    order = np.argsort(inverse, kind="stable")
    inv, who, length = inverse[order], who[order], np.hypot(*(b - a).T)[order]
    pair = inv[1:] == inv[:-1]
    adj: dict[int, dict[int, float]] = defaultdict(dict)
    for i, j, w in zip(who[:-1][pair], who[1:][pair], length[:-1][pair], strict=True):
        if i != j:
            i, j = int(i), int(j)
            adj[i][j] = adj[i].get(j, 0.0) + float(w)
            adj[j][i] = adj[j].get(i, 0.0) + float(w)
    return adj


def apportion(total: int, weights: list[float]) -> list[int]:
    """Split `total` into integer parts proportional to the weights, each at least 1."""
    if total < len(weights):
        raise ValueError("fewer parts than groups")
    s = sum(weights)
    raw = [total * w / s for w in weights]
    parts = [max(1, math.floor(r)) for r in raw]
    by_remainder = sorted(range(len(raw)), key=lambda i: (raw[i] - parts[i], -i), reverse=True)
    k = 0
    while sum(parts) < total:
        parts[by_remainder[k % len(parts)]] += 1
        k += 1
    while sum(parts) > total:
        i = max((i for i in range(len(parts)) if parts[i] > 1), key=lambda i: parts[i] - raw[i])
        parts[i] -= 1
    return parts


def _centres(xy: np.ndarray, weight: np.ndarray, n: int, rng) -> np.ndarray:
    """Weighted k-means centres (k-means++ start, a few Lloyd rounds)."""
    centres = [xy[int(rng.choice(len(xy), p=weight / weight.sum()))]]
    for _ in range(1, n):
        d2 = np.min([np.sum((xy - c) ** 2, axis=1) for c in centres], axis=0) * weight
        centres.append(xy[int(rng.choice(len(xy), p=d2 / d2.sum()))] if d2.sum() > 0 else xy[0])
    centres = np.asarray(centres, dtype=float)
    for _ in range(20):
        label = np.argmin(((xy[:, None, :] - centres[None]) ** 2).sum(axis=2), axis=1)
        for k in range(n):
            mask = label == k
            if mask.any():
                centres[k] = np.average(xy[mask], axis=0, weights=weight[mask])
    return centres


def grow(
    members: list[int], adj: dict[int, dict[int, float]], xy: np.ndarray, weight: np.ndarray, n: int, rng
) -> dict[int, int]:
    """Split connected `members` into n connected regions of similar weight, each grown from a
    seed near a k-means centre by taking the nearest free neighbour: member → region index."""
    if n <= 1 or len(members) <= 1:
        return dict.fromkeys(members, 0)
    member_set = set(members)
    idx = np.asarray(members)
    centres = _centres(xy[idx], weight[idx], n, rng)
    region: dict[int, int] = {}
    for k, c in enumerate(centres):
        free = [m for m in members if m not in region]
        seed = min(free, key=lambda m: (float(np.sum((xy[m] - c) ** 2)), m))
        region[seed] = k
    load = [float(weight[s]) for s in sorted(region, key=region.get)]
    frontier: list[list] = [[] for _ in range(n)]

    def push(m: int, k: int) -> None:
        for nb in adj.get(m, {}):
            if nb in member_set and nb not in region:
                heapq.heappush(frontier[k], (float(np.sum((xy[nb] - centres[k]) ** 2)), nb))

    for m, k in region.items():
        push(m, k)
    queue = [(load[k], k) for k in range(n)]
    heapq.heapify(queue)
    while queue:
        _, k = heapq.heappop(queue)
        while frontier[k] and frontier[k][0][1] in region:
            heapq.heappop(frontier[k])
        if not frontier[k]:
            continue
        _, m = heapq.heappop(frontier[k])
        region[m] = k
        load[k] += float(weight[m])
        push(m, k)
        heapq.heappush(queue, (load[k], k))
    for m in members:  # only reachable when members are not connected
        if m not in region:
            region[m] = int(np.argmin(((centres - xy[m]) ** 2).sum(axis=1)))
    return region


def cut_lines(block: Polygon, target: float) -> list[LineString]:
    """Lines cutting a block into about area/target near-square pieces, along and across its
    long axis. They overshoot the block by a centimetre so that noding splits it for sure."""
    n = round(block.area / target)
    if n < 2:
        return []
    rect = np.asarray(block.minimum_rotated_rectangle.exterior.coords)[:4]
    e1, e2 = rect[1] - rect[0], rect[2] - rect[1]
    if np.hypot(*e1) < np.hypot(*e2):
        e1, e2 = e2, e1
    length, width = np.hypot(*e1), np.hypot(*e2)
    u, v = e1 / length, e2 / width
    across = max(1, round(math.sqrt(n * width / length)))
    along = max(1, round(n / across))
    centre = np.asarray(block.minimum_rotated_rectangle.centroid.coords[0])
    region = block.buffer(0.01)
    lines = []
    for count, axis, span_axis, size, span in ((along, u, v, length, width), (across, v, u, width, length)):
        for i in range(1, count):
            offset = (i / count - 0.5) * size
            mid = centre + axis * offset
            reach = span / 2 + 5
            line = LineString([mid - span_axis * reach, mid + span_axis * reach])
            lines.extend(p for p in shapely.get_parts(line.intersection(region)) if p.length > 0.5)
    return lines


def merge_small(areas: list[float], group: list[int], adj, minimum: list[float]) -> list[int]:
    """Merge faces smaller than their minimum, smallest first, into the neighbour of the same
    group (community) with which they share the longest edge. Returns each face's root."""
    n = len(areas)
    parent = list(range(n))
    size = list(areas)
    nbrs = {i: dict(adj.get(i, {})) for i in range(n)}
    heap = [(areas[i], i) for i in range(n) if areas[i] < minimum[i]]
    heapq.heapify(heap)
    while heap:
        area, r = heapq.heappop(heap)
        if parent[r] != r or size[r] != area:
            continue
        candidates = {nb: w for nb, w in nbrs[r].items() if group[nb] == group[r]}
        if not candidates:
            continue
        best = max(candidates, key=lambda k: (candidates[k], -k))
        parent[r] = best
        size[best] += size[r]
        for nb, w in nbrs.pop(r).items():
            if nb == best:
                continue
            nbrs[best][nb] = nbrs[best].get(nb, 0.0) + w
            nbrs[nb].pop(r, None)
            nbrs[nb][best] = nbrs[nb].get(best, 0.0) + w
        nbrs[best].pop(r, None)
        if size[best] < minimum[best]:
            heapq.heappush(heap, (size[best], best))

    def root(i: int) -> int:
        while parent[i] != i:
            i = parent[i]
        return i

    return [root(i) for i in range(n)]


def serial_order(lons: np.ndarray, lats: np.ndarray, north: float) -> list[int]:
    """Indices in serial order: rows of ROW_HEIGHT_M from the north edge southwards, and
    west→east inside a row (GB/T 30428.1 numbering of unit grids inside a community)."""
    rows = row_of(lats, north)
    return sorted(range(len(lons)), key=lambda i: (rows[i], lons[i], -lats[i]))


def row_of(lats, north: float) -> np.ndarray:
    return np.floor((north - np.asarray(lats)) * 111_320.0 / ROW_HEIGHT_M).astype(int)
