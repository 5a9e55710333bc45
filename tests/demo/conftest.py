import pytest

from urbangrid.demo.county import generate
from urbangrid.demo.scales import SCALES


@pytest.fixture(scope="session")
def tiny_county():
    """The county in miniature, as the generator draws it (nothing in the database)."""
    return generate(SCALES["tiny"], seed=1)
