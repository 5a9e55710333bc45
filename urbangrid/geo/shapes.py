"""Geometries on their way out: converted to the caller's coordinate system, simplified to
what a map at the caller's zoom can show, and rounded to a centimetre to keep JSON small."""

import json

import shapely

from . import crs as crs_mod
from .measure import metres_per_degree

# 1e-7° is about 1 cm.
PRECISION_DEG = 1e-7


def geojson(geom: shapely.Geometry, crs="wgs84", simplify_m: float = 0.0) -> dict:
    if simplify_m > 0:
        lat = (geom.bounds[1] + geom.bounds[3]) / 2
        tolerance = simplify_m / float(metres_per_degree(lat)[1])
        geom = shapely.simplify(geom, tolerance, preserve_topology=True)
    geom = crs_mod.geometry_from_wgs84(geom, crs)
    return json.loads(shapely.to_geojson(shapely.set_precision(geom, PRECISION_DEG)))
