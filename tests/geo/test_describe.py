"""Point → the description a person on the street understands."""

import pytest

from urbangrid.geo import geocoding
from urbangrid.geo.describe import compass, describe


@pytest.mark.parametrize(
    ("dx", "dy", "word"),
    [
        (10, 0, "东"),
        (10, 10, "东北"),
        (0, 10, "北"),
        (-10, 10, "西北"),
        (-10, 0, "西"),
        (-10, -10, "西南"),
        (0, -10, "南"),
        (10, -10, "东南"),
        (10, 3, "东"),
    ],
)
def test_eight_compass_words(dx, dy, word):
    assert compass(dx, dy) == word


def test_near_an_intersection(small_gazetteer):
    # 0.0003° east (≈ 29 m) and 0.0003° north (≈ 33 m) of 人民路 × 建设路.
    assert describe(120.0053, 30.0053) == "人民路与建设路交叉口东北约40米"


def test_at_an_intersection(small_gazetteer):
    assert describe(120.00502, 30.00501) == "人民路与建设路交叉口"


def test_near_a_door_plate_away_from_intersections(small_gazetteer):
    assert describe(120.010, 30.0052) == "人民路19号附近"


def test_near_a_landmark(small_gazetteer):
    # 0.0008° (≈ 89 m) north of the hospital, far from roads with door plates.
    assert describe(120.012, 30.0078) == "县人民医院北约90米"


def test_else_the_community_and_grid(small_gazetteer):
    assert describe(120.0185, 30.0015) == "城东南社区 990101002002008 网格"


def test_without_a_gazetteer_the_grid_still_describes_the_place(small_county):
    assert describe(120.001, 30.009) == "城西北社区 990101001001001 网格"


def test_far_outside_is_an_error(small_gazetteer):
    with pytest.raises(geocoding.OutsideJurisdiction):
        describe(121.0, 31.0)
