"""The simulator drives the small county through the real services for a few simulated days."""

from collections import Counter
from datetime import timedelta

import pytest
from django.db import transaction

from tests.org import build_org
from urbangrid.audit import services as audit
from urbangrid.cases.models import Case, CaseAction, State
from urbangrid.core import clock
from urbangrid.demo.simulator import Simulator

pytestmark = pytest.mark.django_db


@pytest.fixture
def county_org(small_county, clock):
    return build_org(small_county)


def test_a_few_days_move_cases_through_every_stage(county_org):
    start = clock.now()
    sim = Simulator(reports_per_day=30, seed=7)
    stats = sim.run(start, start + timedelta(days=4), step_minutes=30)
    states = Counter(Case.objects.values_list("state", flat=True))
    assert stats["reported"] == Case.objects.count() >= 60
    assert states[State.ARCHIVED] + states[State.CLOSED] > 10, states
    assert states[State.DISPOSING] + states[State.CHECKING] + states[State.DISPATCHING] > 0, states
    assert not [k for k in stats if k.startswith("refused")], (
        stats
    )  # the simulator only takes allowed actions
    for case in Case.objects.all():
        assert case.version == CaseAction.objects.filter(case=case).count()
    assert audit.verify().ok


def test_same_seed_same_history(county_org, clock):
    start = clock.now()

    def history():
        with transaction.atomic():
            clock.freeze(start)
            Simulator(reports_per_day=20, seed=3).run(start, start + timedelta(days=1), step_minutes=30)
            rows = list(
                Case.objects.order_by("number").values_list(
                    "number", "state", "type__code", "grid_code", "lon"
                )
            )
            transaction.set_rollback(True)
        return rows

    first = history()
    assert len(first) > 5
    assert history() == first
