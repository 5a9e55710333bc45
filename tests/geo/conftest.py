import pytest
from django.utils import translation

from tests.factories import small_county_features
from urbangrid.accounts.models import Role
from urbangrid.geo import services as geo


@pytest.fixture(autouse=True)
def _chinese():
    """Users read Chinese; some other test may have left another language active."""
    with translation.override("zh-hans"):
        yield


@pytest.fixture
def county_divisions(db):
    """The small county's divisions, without any grids yet."""
    divisions, _grids = small_county_features()
    geo.import_divisions(None, divisions)


@pytest.fixture
def grid_features():
    """A fresh copy of the small county's 32 grid features, to break in a test."""
    return small_county_features()[1]


@pytest.fixture
def admin_user(make_user):
    return make_user(Role.ADMIN)


@pytest.fixture
def small_gazetteer(small_county):
    from tests.geo.small_gazetteer import build_small_gazetteer

    build_small_gazetteer()
    return small_county
