"""Builders for component tests: points inside the small county, departments, registered
components and import features, all through the services."""

import numpy as np
import shapely

from tests.factories import SMALL_COUNTY, make_department
from urbangrid.accounts.models import Department
from urbangrid.components import services
from urbangrid.core.importing import Feature

C = SMALL_COUNTY
WEST, SOUTH = C["lon0"], C["lat0"]
EAST, NORTH = C["lon0"] + 8 * C["cell"], C["lat0"] + 4 * C["cell"]
# The first grid of the west street's north community (north-west corner of the county).
FIRST_GRID = "990101001001001"
IN_FIRST_GRID = (WEST + 0.001, NORTH - 0.001)
# The south-east corner grid: east street, south community.
IN_LAST_GRID = (EAST - 0.001, SOUTH + 0.001)


def department(code: str, name: str | None = None, **fields) -> Department:
    return make_department(code=code, name=name or f"部门{code}", **fields)


def register(actor, dept, type_code="01037", lon=IN_FIRST_GRID[0], lat=IN_FIRST_GRID[1], **fields):
    return services.register_component(
        actor,
        type_code=type_code,
        geometry=fields.pop("geometry", shapely.Point(lon, lat)),
        competent_department=dept,
        **fields,
    )


def random_points(n: int, seed: int = 1, margin: float = 0.0002) -> tuple[np.ndarray, np.ndarray]:
    """Points spread over the whole county, off its outer edge by `margin`."""
    rng = np.random.default_rng(seed)
    return (
        rng.uniform(WEST + margin, EAST - margin, n),
        rng.uniform(SOUTH + margin, NORTH - margin, n),
    )


def features(lons, lats, type_code="01037", department="lamps", **props) -> list[Feature]:
    return [
        Feature(
            i + 1, shapely.Point(lon, lat), {"type": type_code, "competent_department": department, **props}
        )
        for i, (lon, lat) in enumerate(zip(lons, lats, strict=True))
    ]


def tiny_png(width: int = 4, height: int = 3, rgb=(200, 40, 40)) -> bytes:
    """A real, displayable PNG of one colour."""
    import struct
    import zlib

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    raw = b"".join(b"\x00" + bytes(rgb) * width for _ in range(height))
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(raw))
        + chunk(b"IEND", b"")
    )


def counted_on_map() -> int:
    """Components the map's aggregate counts (its "everything" rows)."""
    from urbangrid.components.models import MapCell

    return sum(MapCell.objects.filter(type_code=MapCell.ALL).values_list("count", flat=True))
