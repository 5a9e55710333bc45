"""Lengths and areas in metres for WGS84 geometries.

Areas come from the Lambert cylindrical equal-area projection of the WGS84 ellipsoid: in it
a shape's plane area is its area on the ellipsoid, so whole arrays of polygons are measured
with one vectorised transform. (Edges count as straight in that projection; for shapes a few
kilometres across this differs from geodesic edges by less than 0.01 %, and grid areas add
up exactly to their community's.)

Checks against a tolerance and distances for place descriptions work on small shapes, where
a local scale factor at the shape's latitude is exact to parts per million.
"""

import math

import numpy as np
import shapely

_A = 6378137.0
_F = 1 / 298.257223563
_E2 = _F * (2 - _F)
_E = math.sqrt(_E2)
_RAD = math.pi / 180.0


def _authalic_y(lat_deg: np.ndarray) -> np.ndarray:
    """Northing of the cylindrical equal-area projection: a·q(φ)/2."""
    s = np.sin(np.radians(lat_deg))
    q = (1 - _E2) * (s / (1 - _E2 * s * s) - np.log((1 - _E * s) / (1 + _E * s)) / (2 * _E))
    return _A * q / 2


def _equal_area(xy: np.ndarray) -> np.ndarray:
    return np.column_stack([_A * np.radians(xy[:, 0]), _authalic_y(xy[:, 1])])


def areas_m2(geoms) -> np.ndarray:
    """Areas in m² of an array of WGS84 polygons on the ellipsoid."""
    geoms = np.asarray(geoms, dtype=object)
    if not len(geoms):
        return np.zeros(0)
    return shapely.area(shapely.transform(geoms, _equal_area))


def area_m2(geom: shapely.Geometry) -> float:
    """Area in m² of one WGS84 polygon on the ellipsoid."""
    return float(areas_m2([geom])[0])


def metres_per_degree(lat):
    """(metres per degree of longitude, metres per degree of latitude) at latitude `lat`
    (scalar or array), from the ellipsoid's radii of curvature."""
    s = np.sin(np.radians(lat))
    w = np.sqrt(1 - _E2 * s * s)
    prime_vertical = _A / w
    meridional = _A * (1 - _E2) / w**3
    return prime_vertical * np.cos(np.radians(lat)) * _RAD, meridional * _RAD


def local_areas_m2(geoms) -> np.ndarray:
    """Approximate areas in m² of small WGS84 shapes (an array), scaled at each one's mid-latitude."""
    geoms = np.asarray(geoms, dtype=object)
    if not len(geoms):
        return np.zeros(0)
    bounds = shapely.bounds(geoms)  # NaN for empty shapes, whose area is 0 anyway
    lat = (bounds[:, 1] + bounds[:, 3]) / 2
    mx, my = metres_per_degree(np.nan_to_num(lat))
    return shapely.area(geoms) * mx * my


def local_metres(lon, lat, lon0: float, lat0: float):
    """Planar coordinates in metres of WGS84 (lon, lat) around the origin (lon0, lat0):
    east and north offsets, good to a fraction of a percent within tens of kilometres."""
    mx, my = metres_per_degree(lat0)
    return (np.asarray(lon) - lon0) * mx, (np.asarray(lat) - lat0) * my
