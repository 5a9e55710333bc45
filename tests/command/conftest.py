"""The small county with its organisation, and cases brought to the states the desk acts on."""

import pytest

from tests.cases.conftest import photo
from tests.cases.test_lifecycle import report
from tests.org import build_org
from urbangrid.cases import services
from urbangrid.intake import duty

__all__ = ["report", "to_dispatching", "to_disposing", "walk"]


@pytest.fixture(autouse=True)
def _fresh_board_cache():
    # The board is cached per scope and clock bucket; tests freeze the clock at the same moment.
    from django.core.cache import cache

    cache.clear()


@pytest.fixture
def org(small_county, clock):
    return build_org(small_county)


def to_dispatching(o, case):
    """Accepted, verified by the grid's own supervisor (west or east), filed."""
    services.accept(o.intake, case.number)
    case.refresh_from_db()
    services.verify(case.assignee, case.number, confirmed=True, photos=[photo()])
    services.file_case(o.shift, case.number, meets_condition=True)
    case.refresh_from_db()
    return case


def to_disposing(o, case, department=None):
    to_dispatching(o, case)
    services.dispatch(o.dispatcher, case.number, department=department or o.hws)
    case.refresh_from_db()
    return case


def walk(user, *points, clock=None):
    """Put a supervisor on duty and record their positions, (lon, lat) each at the clock's now."""
    from urbangrid.core.clock import now

    duty.go_on_duty(user)
    return duty.record_positions(user, [duty.Point(now(), lon, lat) for lon, lat in points])
