import numpy as np
from hypothesis import given
from hypothesis import strategies as st

from urbangrid.geo import tiles

lons = st.floats(min_value=73.0, max_value=135.0)
lats = st.floats(min_value=18.0, max_value=54.0)


def _slow_morton(x: int, y: int) -> int:
    out = 0
    for bit in range(24):
        out |= ((x >> bit) & 1) << (2 * bit)
        out |= ((y >> bit) & 1) << (2 * bit + 1)
    return out


@given(st.integers(0, (1 << 24) - 1), st.integers(0, (1 << 24) - 1))
def test_morton_interleaves_all_24_bits(x, y):
    assert tiles.morton(x, y) == _slow_morton(x, y)
    assert tiles.cell_tile(tiles.morton(x, y), 24) == (x, y)


@given(lons, lats, st.integers(0, 24))
def test_a_point_lies_in_the_key_range_of_its_tile_at_every_zoom(lon, lat, z):
    key = tiles.point_key(lon, lat)
    x, y = tiles.lonlat_to_tile(lon, lat, z)
    lo, hi = tiles.tile_key_range(z, x, y)
    assert lo <= key < hi
    assert tiles.cell_of(key, z) == tiles.morton(x, y)


@given(lons, lats, st.floats(0.00001, 0.05), st.floats(0.00001, 0.05))
def test_box_ranges_cover_every_point_of_the_box(lon, lat, dlon, dlat):
    ranges = tiles.key_ranges_for_box(lon - dlon, lat - dlat, lon + dlon, lat + dlat)
    assert 1 <= len(ranges) <= 4
    for px, py in [(lon, lat), (lon - dlon, lat - dlat), (lon + dlon, lat + dlat), (lon - dlon, lat + dlat)]:
        key = tiles.point_key(px, py)
        assert any(lo <= key < hi for lo, hi in ranges)


def test_vectorised_keys_match_scalar_keys():
    rng = np.random.default_rng(3)
    lo, la = rng.uniform(100, 125, 1000), rng.uniform(20, 45, 1000)
    assert list(tiles.point_keys(lo, la)) == [tiles.point_key(a, b) for a, b in zip(lo, la, strict=True)]
