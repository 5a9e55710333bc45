"""Road intersections, door plates and landmarks in local metres, for "what is near this
point" questions: the place descriptions of `describe`."""

import numpy as np
import shapely

from .measure import local_metres
from .models import Place, Road

ROAD_RANK = {Road.Kind.ARTERIAL: 0, Road.Kind.SECONDARY: 1, Road.Kind.BRANCH: 2, Road.Kind.LANE: 3}
# Crossing points of one pair of roads closer than this are one intersection.
SAME_INTERSECTION_M = 15.0


class NearbyIndex:
    """Built from the gazetteer's roads and places; the higher-class road is named first in
    an intersection, as Chinese place names have it (主干道 before 支路)."""

    def __init__(self, roads: list[Road], places: list[Place]) -> None:
        lons = [p.lon for p in places] + [r.min_lon for r in roads] + [r.max_lon for r in roads]
        lats = [p.lat for p in places] + [r.min_lat for r in roads] + [r.max_lat for r in roads]
        self.origin = (float(np.mean(lons)), float(np.mean(lats))) if lons else (0.0, 0.0)
        plates = [p for p in places if p.kind == Place.Kind.DOORPLATE]
        marks = [p for p in places if p.kind == Place.Kind.LANDMARK]
        self.doorplate_names = [p.name for p in plates]
        self.doorplate_tree, self.doorplate_xy = self._tree([p.lon for p in plates], [p.lat for p in plates])
        self.landmark_names = [p.name for p in marks]
        self.landmark_tree, self.landmark_xy = self._tree([p.lon for p in marks], [p.lat for p in marks])
        self.intersection_names, ilons, ilats = self._intersections(roads)
        self.intersection_tree, self.intersection_xy = self._tree(ilons, ilats)

    def project(self, lon, lat):
        return local_metres(lon, lat, *self.origin)

    def _tree(self, lons, lats):
        x, y = self.project(np.asarray(lons, dtype=float), np.asarray(lats, dtype=float))
        xy = np.column_stack([x, y]) if len(lons) else np.zeros((0, 2))
        return shapely.STRtree(shapely.points(xy)) if len(xy) else None, xy

    def _intersections(self, roads: list[Road]):
        if len(roads) < 2:
            return [], [], []
        lines = np.array([r.geometry for r in roads], dtype=object)
        pairs = shapely.STRtree(lines).query(lines, predicate="intersects")
        keep = pairs[0] < pairs[1]
        names, lons, lats = [], [], []
        for a, b in zip(pairs[0][keep], pairs[1][keep], strict=True):
            ra, rb = roads[a], roads[b]
            if ra.name == rb.name:
                continue
            first, second = sorted((ra, rb), key=lambda r: (ROAD_RANK.get(r.kind, 9), r.name))
            crossing = shapely.intersection(ra.geometry, rb.geometry)
            pts = shapely.get_parts(crossing)
            pts = [p if p.geom_type == "Point" else p.representative_point() for p in pts]
            kept: list[tuple[float, float]] = []
            for p in pts:
                x, y = self.project(p.x, p.y)
                if all(np.hypot(x - kx, y - ky) > SAME_INTERSECTION_M for kx, ky in kept):
                    kept.append((x, y))
                    names.append((first.name, second.name))
                    lons.append(p.x)
                    lats.append(p.y)
        return names, lons, lats

    @staticmethod
    def _nearest(tree, xy, x: float, y: float, radius_m: float):
        if tree is None:
            return None
        hits = tree.query_nearest(shapely.Point(x, y), max_distance=radius_m)
        if not len(hits):
            return None
        i = int(hits[0])
        return i, float(xy[i, 0] - x), float(xy[i, 1] - y)

    def nearest_intersection(self, x: float, y: float, radius_m: float):
        """(names of the two roads, dx, dy) of the intersection nearest to local point (x, y)
        within radius_m, offsets pointing from the point to the intersection; or None."""
        hit = self._nearest(self.intersection_tree, self.intersection_xy, x, y, radius_m)
        return (self.intersection_names[hit[0]], *hit[1:]) if hit else None

    def nearest_doorplate(self, x: float, y: float, radius_m: float):
        hit = self._nearest(self.doorplate_tree, self.doorplate_xy, x, y, radius_m)
        return (self.doorplate_names[hit[0]], *hit[1:]) if hit else None

    def nearest_landmark(self, x: float, y: float, radius_m: float):
        hit = self._nearest(self.landmark_tree, self.landmark_xy, x, y, radius_m)
        return (self.landmark_names[hit[0]], *hit[1:]) if hit else None
