import pytest
from django.utils import translation

from tests.org import build_org
from urbangrid.intake import clients
from urbangrid.intake.models import ApiClient


@pytest.fixture(autouse=True)
def _chinese():
    with translation.override("zh-hans"):
        yield


@pytest.fixture
def org(small_county, clock):
    from tests.geo.small_gazetteer import build_small_gazetteer

    build_small_gazetteer()
    return build_org(small_county)


@pytest.fixture
def make_client(org):
    """An API client of a kind and its raw key."""

    def make(kind, callback_url=""):
        return clients.create_client(None, name=f"{kind} system", kind=kind, callback_url=callback_url)

    return make


@pytest.fixture
def telephony(make_client):
    return make_client(ApiClient.Kind.TELEPHONY)
