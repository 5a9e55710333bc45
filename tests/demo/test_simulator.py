"""The simulator drives the small county through the real services for a few simulated days."""

import time
from collections import Counter
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.db import connection, transaction

from tests.org import build_org
from urbangrid.audit import services as audit
from urbangrid.cases.models import Case, CaseAction, State
from urbangrid.core import clock
from urbangrid.demo.simulator import Simulator, start_in_background

SHANGHAI = ZoneInfo("Asia/Shanghai")

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


@pytest.mark.skipif(
    connection.vendor == "sqlite",
    reason="the in-memory SQLite test database locks whole tables across threads",
)
@pytest.mark.django_db(transaction=True)
def test_the_live_simulator_reports_on_its_own_thread(small_county):
    build_org(small_county)
    # A running clock (not frozen) on a Thursday morning, as the demo server has.
    clock.clock.travel_to(datetime(2026, 11, 26, 10, 0, tzinfo=SHANGHAI))
    thread = start_in_background(reports_per_day=200_000, interval=0.1)
    try:
        deadline = time.monotonic() + 20
        while not Case.objects.exists() and time.monotonic() < deadline:
            time.sleep(0.2)
    finally:
        thread.stop.set()
        thread.join(5)
        clock.clock.reset()
    case = Case.objects.order_by("id").first()
    assert case is not None, "the simulator reported nothing"
    assert CaseAction.objects.filter(case=case, action="report").exists()
    assert not thread.is_alive()


def test_supervisors_patrol_their_grids_in_working_hours(county_org, clock):
    from urbangrid.intake.models import DutyShift, Position

    start = clock.now()  # Thursday 10:00
    sim = Simulator(reports_per_day=10, seed=5)
    sim.run(start, start + timedelta(hours=4), step_minutes=20)  # over the lunch break
    own = {"sup_w": "990101001", "sup_e": "990101002"}
    for username, street in own.items():
        points = Position.objects.filter(user__username=username).order_by("at")
        assert points.count() > 15, username
        walked = {p.grid_code for p in points if p.grid_code}
        assert walked and all(code.startswith(street) for code in walked), (username, walked)
        gaps = {(b.at - a.at).total_seconds() for a, b in zip(points, points[1:], strict=False)}
        assert max(gaps) >= 60 * 60  # nobody walked through the lunch break
    shifts = DutyShift.objects.filter(user=county_org.sup)
    assert shifts.count() == 2 and shifts.filter(ended_at__isnull=True).count() == 1
    sim.run(clock.now(), clock.now() + timedelta(hours=6), step_minutes=20)  # into the evening
    assert not DutyShift.objects.filter(ended_at__isnull=True).exists()


def test_patrols_leave_the_case_history_unchanged(county_org, clock):
    start = clock.now()

    def history(patrol):
        with transaction.atomic():
            clock.freeze(start)
            sim = Simulator(reports_per_day=20, seed=3)
            sim.patrol = patrol
            sim.run(start, start + timedelta(hours=12), step_minutes=30)
            rows = list(Case.objects.order_by("number").values_list("number", "state", "lon"))
            transaction.set_rollback(True)
        return rows

    assert history(True) == history(False)
