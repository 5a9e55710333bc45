"""Coordinate systems met at the edges: WGS84 (GPS), CGCS2000 (Chinese surveying), GCJ-02
(the obfuscated system every Chinese phone map SDK speaks: Amap, Tencent, Google China) and
BD-09 (Baidu, GCJ-02 obfuscated once more).

Inside UrbanGrid everything is WGS84. CGCS2000 and WGS84 differ by centimetres, below what
this system needs, so CGCS2000 is passed through unchanged.

The GCJ-02 and BD-09 formulas are the well-known public ones (the same constants as every
open-source converter). Their inverses have no closed form, so `to_wgs84` solves them by
fixed-point iteration to well below a centimetre. Outside mainland China GCJ-02 equals
WGS84, as the official SDKs do.

Every function takes scalars or numpy arrays (longitude first) and returns the same kind.
"""

import numpy as np
import shapely
from django.db import models
from django.utils.translation import gettext_lazy as _

from urbangrid.core.errors import Invalid


class CRS(models.TextChoices):
    WGS84 = "wgs84", _("WGS84 (GPS)")
    GCJ02 = "gcj02", _("GCJ-02 (Amap, Tencent and other Chinese phone maps)")
    BD09 = "bd09", _("BD-09 (Baidu)")
    CGCS2000 = "cgcs2000", _("CGCS2000 (treated as WGS84)")


class BadCRS(Invalid):
    default_code = "bad_crs"
    default_message = _("Unknown coordinate system; use wgs84, gcj02, bd09 or cgcs2000.")


_A = 6378245.0  # Krasovsky 1940 semi-major axis, as in the GCJ-02 formula
_EE = 0.00669342162296594323  # its first eccentricity squared
_X_PI = np.pi * 3000.0 / 180.0
# A 1e-10° step is about 0.01 mm: far below the sub-centimetre the inverses promise.
_EPSILON_DEG = 1e-10
_MAX_ITERATIONS = 30


def _out_of_china(lon, lat):
    return (lon < 72.004) | (lon > 137.8347) | (lat < 0.8293) | (lat > 55.8271)


def _shift_lat(x, y):
    r = -100.0 + 2.0 * x + 3.0 * y + 0.2 * y * y + 0.1 * x * y + 0.2 * np.sqrt(np.abs(x))
    r += (20.0 * np.sin(6.0 * x * np.pi) + 20.0 * np.sin(2.0 * x * np.pi)) * 2.0 / 3.0
    r += (20.0 * np.sin(y * np.pi) + 40.0 * np.sin(y / 3.0 * np.pi)) * 2.0 / 3.0
    r += (160.0 * np.sin(y / 12.0 * np.pi) + 320.0 * np.sin(y * np.pi / 30.0)) * 2.0 / 3.0
    return r


def _shift_lon(x, y):
    r = 300.0 + x + 2.0 * y + 0.1 * x * x + 0.1 * x * y + 0.1 * np.sqrt(np.abs(x))
    r += (20.0 * np.sin(6.0 * x * np.pi) + 20.0 * np.sin(2.0 * x * np.pi)) * 2.0 / 3.0
    r += (20.0 * np.sin(x * np.pi) + 40.0 * np.sin(x / 3.0 * np.pi)) * 2.0 / 3.0
    r += (150.0 * np.sin(x / 12.0 * np.pi) + 300.0 * np.sin(x / 30.0 * np.pi)) * 2.0 / 3.0
    return r


def _as_arrays(lon, lat):
    scalar = np.ndim(lon) == 0 and np.ndim(lat) == 0
    return np.asarray(lon, dtype=float), np.asarray(lat, dtype=float), scalar


def _result(lon, lat, scalar):
    if scalar:
        return float(lon), float(lat)
    return lon, lat


def _wgs84_to_gcj02(lon, lat):
    dlat = _shift_lat(lon - 105.0, lat - 35.0)
    dlon = _shift_lon(lon - 105.0, lat - 35.0)
    radlat = lat / 180.0 * np.pi
    magic = 1 - _EE * np.sin(radlat) ** 2
    sqrtmagic = np.sqrt(magic)
    dlat = (dlat * 180.0) / ((_A * (1 - _EE)) / (magic * sqrtmagic) * np.pi)
    dlon = (dlon * 180.0) / (_A / sqrtmagic * np.cos(radlat) * np.pi)
    outside = _out_of_china(lon, lat)
    return np.where(outside, lon, lon + dlon), np.where(outside, lat, lat + dlat)


def _gcj02_to_bd09(lon, lat):
    z = np.sqrt(lon * lon + lat * lat) + 0.00002 * np.sin(lat * _X_PI)
    theta = np.arctan2(lat, lon) + 0.000003 * np.cos(lon * _X_PI)
    return z * np.cos(theta) + 0.0065, z * np.sin(theta) + 0.006


def _bd09_to_gcj02_estimate(lon, lat):
    x, y = lon - 0.0065, lat - 0.006
    z = np.sqrt(x * x + y * y) - 0.00002 * np.sin(y * _X_PI)
    theta = np.arctan2(y, x) - 0.000003 * np.cos(x * _X_PI)
    return z * np.cos(theta), z * np.sin(theta)


def _invert(forward, lon, lat, start):
    """Solve forward(x) = (lon, lat) for x by fixed-point iteration from `start`. The
    forward maps shift by a few hundred metres at most and vary slowly, so each step gains
    about three orders of magnitude."""
    x, y = start
    for _step in range(_MAX_ITERATIONS):
        fx, fy = forward(x, y)
        dx, dy = fx - lon, fy - lat
        x, y = x - dx, y - dy
        if np.all(np.abs(dx) < _EPSILON_DEG) and np.all(np.abs(dy) < _EPSILON_DEG):
            break
    return x, y


def wgs84_to_gcj02(lon, lat):
    lon, lat, scalar = _as_arrays(lon, lat)
    return _result(*_wgs84_to_gcj02(lon, lat), scalar)


def gcj02_to_wgs84(lon, lat):
    lon, lat, scalar = _as_arrays(lon, lat)
    return _result(*_invert(_wgs84_to_gcj02, lon, lat, (lon, lat)), scalar)


def gcj02_to_bd09(lon, lat):
    lon, lat, scalar = _as_arrays(lon, lat)
    return _result(*_gcj02_to_bd09(lon, lat), scalar)


def bd09_to_gcj02(lon, lat):
    lon, lat, scalar = _as_arrays(lon, lat)
    return _result(*_invert(_gcj02_to_bd09, lon, lat, _bd09_to_gcj02_estimate(lon, lat)), scalar)


def wgs84_to_bd09(lon, lat):
    return gcj02_to_bd09(*wgs84_to_gcj02(lon, lat))


def bd09_to_wgs84(lon, lat):
    return gcj02_to_wgs84(*bd09_to_gcj02(lon, lat))


def _identity(lon, lat):
    lon, lat, scalar = _as_arrays(lon, lat)
    return _result(lon, lat, scalar)


_TO_WGS84 = {
    CRS.WGS84: _identity,
    CRS.CGCS2000: _identity,
    CRS.GCJ02: gcj02_to_wgs84,
    CRS.BD09: bd09_to_wgs84,
}
_FROM_WGS84 = {
    CRS.WGS84: _identity,
    CRS.CGCS2000: _identity,
    CRS.GCJ02: wgs84_to_gcj02,
    CRS.BD09: wgs84_to_bd09,
}


def parse(crs) -> CRS:
    """The CRS named by `crs` (case-insensitive), or BadCRS."""
    try:
        return CRS(str(crs or "").strip().lower())
    except ValueError:
        raise BadCRS(crs=str(crs)) from None


def to_wgs84(lon, lat, crs):
    """Convert (lon, lat) given in `crs` to WGS84."""
    return _TO_WGS84[parse(crs)](lon, lat)


def from_wgs84(lon, lat, crs):
    """Convert WGS84 (lon, lat) to `crs`."""
    return _FROM_WGS84[parse(crs)](lon, lat)


def _transform_geometry(geom, convert):
    def coords(xy: np.ndarray) -> np.ndarray:
        x, y = convert(xy[:, 0], xy[:, 1])
        return np.column_stack([x, y])

    return shapely.transform(geom, coords)


def geometry_to_wgs84(geom, crs):
    """A shapely geometry (or array of them) given in `crs`, converted to WGS84."""
    crs = parse(crs)
    if crs in (CRS.WGS84, CRS.CGCS2000):
        return geom
    return _transform_geometry(geom, _TO_WGS84[crs])


def geometry_from_wgs84(geom, crs):
    """A WGS84 shapely geometry (or array of them) converted to `crs`."""
    crs = parse(crs)
    if crs in (CRS.WGS84, CRS.CGCS2000):
        return geom
    return _transform_geometry(geom, _FROM_WGS84[crs])
