"""Web-Mercator tile keys on a plain B-tree.

Every point gets a 48-bit Morton key of its zoom-24 tile (about 2.4 m at the equator). All
points inside any tile (z, x, y) with z <= 24 then have keys in one contiguous range, so a
map tile or a "near" query is a few range scans on an ordinary index, on SQLite and
PostgreSQL alike. Coarser cells are the same key shifted right by 2 bits per zoom level.
"""

import math

import numpy as np

KEY_ZOOM = 24
MAX_LAT = 85.05112878


def lonlat_to_tile(lon: float, lat: float, z: int) -> tuple[int, int]:
    lat = max(-MAX_LAT, min(MAX_LAT, lat))
    n = 1 << z
    x = int((lon + 180.0) / 360.0 * n)
    s = math.sin(math.radians(lat))
    y = int((0.5 - math.log((1 + s) / (1 - s)) / (4 * math.pi)) * n)
    return min(max(x, 0), n - 1), min(max(y, 0), n - 1)


def tile_bounds(z: int, x: int, y: int) -> tuple[float, float, float, float]:
    """(min_lon, min_lat, max_lon, max_lat) of a tile."""
    n = 1 << z

    def lat_of(ty: int) -> float:
        return math.degrees(math.atan(math.sinh(math.pi * (1 - 2 * ty / n))))

    return x / n * 360.0 - 180.0, lat_of(y + 1), (x + 1) / n * 360.0 - 180.0, lat_of(y)


def _spread2(v):
    """Put a zero bit between the low 24 bits of v (an int or an int64 array)."""
    v = v & 0xFFFFFF
    v = (v | (v << 16)) & 0x0000FFFF0000FFFF
    v = (v | (v << 8)) & 0x00FF00FF00FF00FF
    v = (v | (v << 4)) & 0x0F0F0F0F0F0F0F0F
    v = (v | (v << 2)) & 0x3333333333333333
    v = (v | (v << 1)) & 0x5555555555555555
    return v


def morton(x: int, y: int) -> int:
    """Interleave x (even bits) and y (odd bits)."""
    return _spread2(x) | (_spread2(y) << 1)


def point_key(lon: float, lat: float) -> int:
    x, y = lonlat_to_tile(lon, lat, KEY_ZOOM)
    return morton(x, y)


def tile_key_range(z: int, x: int, y: int) -> tuple[int, int]:
    """Half-open range [lo, hi) of point keys inside tile (z, x, y)."""
    if not 0 <= z <= KEY_ZOOM:
        raise ValueError("zoom out of range")
    shift = 2 * (KEY_ZOOM - z)
    lo = morton(x, y) << shift
    return lo, lo + (1 << shift)


def cell_of(key: int, z: int) -> int:
    """The zoom-z cell key (its Morton code at zoom z) containing a point key."""
    return key >> (2 * (KEY_ZOOM - z))


def cell_tile(cell: int, z: int) -> tuple[int, int]:
    """Tile (x, y) at zoom z of a zoom-z cell key."""
    x = y = 0
    for bit in range(z):
        x |= ((cell >> (2 * bit)) & 1) << bit
        y |= ((cell >> (2 * bit + 1)) & 1) << bit
    return x, y


def point_keys(lons: np.ndarray, lats: np.ndarray) -> np.ndarray:
    """Vectorised point_key for bulk imports."""
    lats = np.clip(lats, -MAX_LAT, MAX_LAT)
    n = float(1 << KEY_ZOOM)
    xs = np.clip(((lons + 180.0) / 360.0 * n).astype(np.int64), 0, (1 << KEY_ZOOM) - 1)
    s = np.sin(np.radians(lats))
    ys = np.clip(
        ((0.5 - np.log((1 + s) / (1 - s)) / (4 * np.pi)) * n).astype(np.int64), 0, (1 << KEY_ZOOM) - 1
    )

    return _spread2(xs) | (_spread2(ys) << 1)


def covering_tiles(min_lon: float, min_lat: float, max_lon: float, max_lat: float, max_tiles: int = 4):
    """The few tiles, at the finest zoom that needs at most `max_tiles`, that cover a box."""
    for z in range(KEY_ZOOM, -1, -1):
        x0, y0 = lonlat_to_tile(min_lon, max_lat, z)
        x1, y1 = lonlat_to_tile(max_lon, min_lat, z)
        if (x1 - x0 + 1) * (y1 - y0 + 1) <= max_tiles:
            return [(z, x, y) for x in range(x0, x1 + 1) for y in range(y0, y1 + 1)]
    return [(0, 0, 0)]


def key_ranges_for_box(
    min_lon: float, min_lat: float, max_lon: float, max_lat: float
) -> list[tuple[int, int]]:
    return [tile_key_range(*t) for t in covering_tiles(min_lon, min_lat, max_lon, max_lat)]
