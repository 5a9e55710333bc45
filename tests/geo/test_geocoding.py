import numpy as np
import pytest

from tests.factories import SMALL_COUNTY
from urbangrid.geo import geocoding


def test_point_resolves_to_grid_community_street_district(small_county):
    # Inside the first grid of the west street's north community (north-west corner of the county).
    lon, lat = SMALL_COUNTY["lon0"] + 0.001, SMALL_COUNTY["lat0"] + 4 * SMALL_COUNTY["cell"] - 0.001
    loc = geocoding.locate(lon, lat)
    assert loc.grid_code == "990101001001001"
    assert loc.community.code == "990101001001" and loc.community.name == "城西北社区"
    assert loc.street.name == "城西街道" and loc.district.code == "990101"


def test_outside_point_is_an_error_not_a_wrong_grid(small_county):
    with pytest.raises(geocoding.OutsideJurisdiction) as exc:
        geocoding.locate(121.0, 31.0)
    assert exc.value.status == 422 and exc.value.code == "outside_jurisdiction"


def test_batch_matches_single_lookups(small_county):
    rng = np.random.default_rng(7)
    c = SMALL_COUNTY
    lons = rng.uniform(c["lon0"] - 0.002, c["lon0"] + 8 * c["cell"] + 0.002, 500)
    lats = rng.uniform(c["lat0"] - 0.002, c["lat0"] + 4 * c["cell"] + 0.002, 500)
    batch = geocoding.locate_many(lons, lats)
    for lon, lat, got in zip(lons, lats, batch, strict=True):
        try:
            single = geocoding.locate(lon, lat).grid_code
        except geocoding.OutsideJurisdiction:
            single = None
        assert (got.grid_code if got else None) == single
    assert any(b is None for b in batch) and any(b is not None for b in batch)
