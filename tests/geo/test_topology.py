import numpy as np
import pytest
import shapely

from urbangrid.geo import topology
from urbangrid.geo.measure import area_m2, areas_m2

REGION = shapely.box(120.0, 30.0, 120.004, 30.002)


def cells(skip=()):
    """A 4 × 2 lattice of 0.001° cells over REGION, leaving out the indices in `skip`."""
    boxes = [
        shapely.box(120.0 + i * 0.001, 30.0 + j * 0.001, 120.0 + (i + 1) * 0.001, 30.0 + (j + 1) * 0.001)
        for j in range(2)
        for i in range(4)
    ]
    return np.array([b for k, b in enumerate(boxes) if k not in skip], dtype=object)


@pytest.mark.parametrize("disjoint", [False, True])
def test_gap_where_a_cell_is_missing(disjoint):
    found = topology.gaps(REGION, cells(skip={5}), 1.0, disjoint=disjoint)
    assert len(found) == 1
    assert found[0].area_m2 == pytest.approx(area_m2(cells()[5]), rel=1e-6)
    assert shapely.box(120.001, 30.001, 120.002, 30.002).contains(shapely.Point(found[0].lon, found[0].lat))


@pytest.mark.parametrize("disjoint", [False, True])
def test_no_gap_in_a_full_cover_even_with_t_junctions(disjoint):
    # The two southern cells on the west merged into one wide cell: its north edge has no
    # vertex where the cells above it meet (a T-junction, common in real files).
    parts = list(cells(skip={0, 1}))
    parts.append(shapely.box(120.0, 30.0, 120.002, 30.001))
    assert topology.gaps(REGION, np.array(parts, dtype=object), 1.0, disjoint=disjoint) == []


def test_overlaps_once_per_pair_with_their_area():
    parts = cells()
    parts[0] = shapely.box(120.0, 30.0, 120.0015, 30.001)  # half into its east neighbour
    found = topology.overlaps(parts, np.arange(len(parts)), 1.0)
    assert [(o.first, o.second) for o in found] == [(0, 1)]
    assert found[0].area_m2 == pytest.approx(area_m2(parts[0]) / 3, rel=1e-3)
    assert topology.overlaps(cells(), np.arange(8), 0.0) == []  # shared edges are no overlap


def test_areas_on_the_ellipsoid():
    # 0.001° × 0.001° at 30° N: 96.49 m × 110.85 m (WGS84 radii of curvature).
    assert area_m2(cells()[0]) == pytest.approx(96.49 * 110.85, rel=1e-3)
    assert areas_m2(cells()).sum() == pytest.approx(area_m2(REGION), rel=1e-9)
