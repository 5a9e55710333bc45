import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from urbangrid.geo import crs

# Published results of the public formulas (wandergis/coordtransform, test/app.js), for the
# point (116.404, 39.915) near Tiananmen.
BEIJING = (116.404, 39.915)
BEIJING_WGS84_TO_GCJ02 = (116.41024449916938, 39.91640428150164)
BEIJING_GCJ02_TO_BD09 = (116.41036949371029, 39.92133699351021)
# That library's one-step BD-09 → GCJ-02 inverse; ours iterates, so it agrees to ~5 cm.
BEIJING_BD09_TO_GCJ02 = (116.39762729119315, 39.90865673957631)
# Beijing railway station as Baidu publishes it: GCJ-02 (116.42703, 39.90245) → BD-09 (116.43351, 39.90851).
STATION_GCJ02, STATION_BD09 = (116.42703, 39.90245), (116.43351, 39.90851)

CENTIMETRE_DEG = 1e-7  # about 1.1 cm of latitude


def test_wgs84_to_gcj02_matches_the_published_value():
    assert crs.wgs84_to_gcj02(*BEIJING) == pytest.approx(BEIJING_WGS84_TO_GCJ02, abs=1e-12)


def test_gcj02_to_bd09_matches_the_published_values():
    assert crs.gcj02_to_bd09(*BEIJING) == pytest.approx(BEIJING_GCJ02_TO_BD09, abs=1e-12)
    assert crs.gcj02_to_bd09(*STATION_GCJ02) == pytest.approx(STATION_BD09, abs=1e-5)


def test_bd09_to_gcj02_agrees_with_the_one_step_inverse_and_is_exact():
    back = crs.bd09_to_gcj02(*BEIJING)
    assert back == pytest.approx(BEIJING_BD09_TO_GCJ02, abs=5e-7)
    assert crs.gcj02_to_bd09(*back) == pytest.approx(BEIJING, abs=CENTIMETRE_DEG / 100)


def test_gcj02_shift_is_hundreds_of_metres_in_china_and_nothing_abroad():
    lon, lat = crs.wgs84_to_gcj02(*BEIJING)
    assert 300 < abs(lon - BEIJING[0]) * 85_000 + abs(lat - BEIJING[1]) * 111_000 < 1_500
    assert crs.wgs84_to_gcj02(2.35, 48.85) == (2.35, 48.85)  # Paris
    assert crs.to_wgs84(2.35, 48.85, "gcj02") == (2.35, 48.85)


china = st.tuples(st.floats(73.7, 134.9), st.floats(18.2, 53.5))


@settings(max_examples=300, deadline=None)
@given(china, st.sampled_from(["gcj02", "bd09", "cgcs2000", "wgs84"]))
def test_round_trip_is_sub_centimetre(point, system):
    there = crs.from_wgs84(*point, system)
    back = crs.to_wgs84(*there, system)
    assert back == pytest.approx(point, abs=CENTIMETRE_DEG)


def test_vectorised_equals_scalar():
    rng = np.random.default_rng(3)
    lons, lats = rng.uniform(100, 125, 200), rng.uniform(20, 45, 200)
    for system in crs.CRS.values:
        vx, vy = crs.to_wgs84(lons, lats, system)
        assert isinstance(vx, np.ndarray) and vx.shape == lons.shape
        for i in (0, 57, 199):
            assert (vx[i], vy[i]) == pytest.approx(crs.to_wgs84(lons[i], lats[i], system), abs=1e-12)


def test_cgcs2000_is_treated_as_wgs84():
    assert crs.to_wgs84(120.1, 30.2, "cgcs2000") == (120.1, 30.2)
    assert crs.from_wgs84(120.1, 30.2, "CGCS2000") == (120.1, 30.2)


@pytest.mark.parametrize("bad", ["gcj-02", "", None, "epsg:4326", "baidu"])
def test_unknown_crs_is_rejected_with_a_code(bad):
    with pytest.raises(crs.BadCRS) as exc:
        crs.to_wgs84(120.0, 30.0, bad)
    assert exc.value.code == "bad_crs" and exc.value.status == 422


def test_geometries_convert_vertex_by_vertex():
    import shapely

    box = shapely.box(120.0, 30.0, 120.01, 30.01)
    there = crs.geometry_from_wgs84(box, "bd09")
    assert there.geom_type == "Polygon" and there.bounds[0] > 120.005  # shifted east by ~1 km
    back = crs.geometry_to_wgs84(there, "bd09")
    assert shapely.equals_exact(back, box, tolerance=CENTIMETRE_DEG)
