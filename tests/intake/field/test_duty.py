"""The duty service: on and off duty (上岗/下岗), the track the phone sends, and what the
command centre reads back (who is on duty, a day's track for replay)."""

from datetime import timedelta

import pytest

from urbangrid.audit.models import AuditRecord
from urbangrid.core.errors import Conflict, Invalid, PermissionDenied
from urbangrid.intake import duty
from urbangrid.intake.models import DutyShift, Position

pytestmark = pytest.mark.django_db


def pt(clock, lon, lat, seconds_ago=0, accuracy=8.0):
    return duty.Point(at=clock.now() - timedelta(seconds=seconds_ago), lon=lon, lat=lat, accuracy=accuracy)


def test_on_duty_twice_is_one_shift_and_one_audit_record(org, clock):
    first = duty.go_on_duty(org.sup)
    clock.advance(timedelta(minutes=1))
    again = duty.go_on_duty(org.sup)
    assert again.pk == first.pk and again.started_at == first.started_at
    assert DutyShift.objects.filter(user=org.sup).count() == 1
    assert AuditRecord.objects.filter(action="field.on_duty", actor=org.sup).count() == 1


def test_off_duty_twice_ends_the_shift_once(org, clock):
    duty.go_on_duty(org.sup)
    clock.advance(timedelta(hours=2))
    ended = duty.go_off_duty(org.sup)
    assert ended.ended_at == clock.now()
    assert duty.go_off_duty(org.sup) is None
    assert duty.current_shift(org.sup) is None
    assert AuditRecord.objects.filter(action="field.off_duty", actor=org.sup).count() == 1


def test_only_supervisors_go_on_duty(org):
    for user in (org.intake, org.citizen, org.worker):
        with pytest.raises(PermissionDenied):
            duty.go_on_duty(user)
    assert not DutyShift.objects.exists()


def test_positions_off_duty_are_refused_with_409(org, clock):
    with pytest.raises(Conflict) as err:
        duty.record_positions(org.sup, [pt(clock, *org.west_point)])
    assert err.value.code == "not_on_duty"
    assert not Position.objects.exists()


def test_positions_are_stored_with_their_grid(org, clock):
    duty.go_on_duty(org.sup)
    outside = (121.5, 31.2)  # in no grid of the county: kept, without a grid
    stored = duty.record_positions(org.sup, [pt(clock, *org.west_point, 30), pt(clock, *outside)])
    assert stored == 2
    grids = list(Position.objects.order_by("at").values_list("grid_code", flat=True))
    assert grids == ["990101001001001", ""]


def test_a_queued_batch_from_without_signal_is_stored_in_order(org, clock):
    duty.go_on_duty(org.sup)
    clock.advance(timedelta(minutes=20))
    lon, lat = org.west_point
    batch = [pt(clock, lon + i * 0.0001, lat, seconds_ago=30 * (40 - i)) for i in range(40)]
    assert duty.record_positions(org.sup, list(reversed(batch))) == 40
    track = duty.track(org.sup, clock.now() - timedelta(hours=1), clock.now() + timedelta(hours=1))
    assert [p.lon for p in track] == [p.lon for p in batch]


def test_points_from_before_the_shift_are_skipped(org, clock):
    duty.go_on_duty(org.sup)
    old = pt(clock, *org.west_point, seconds_ago=3600)
    assert duty.record_positions(org.sup, [old, pt(clock, *org.west_point)]) == 1


def test_a_point_far_in_the_future_is_a_broken_clock(org, clock):
    duty.go_on_duty(org.sup)
    lon, lat = org.west_point
    slightly_ahead = duty.Point(at=clock.now() + timedelta(minutes=2), lon=lon, lat=lat)
    assert duty.record_positions(org.sup, [slightly_ahead]) == 1
    with pytest.raises(Invalid) as err:
        duty.record_positions(org.sup, [duty.Point(at=clock.now() + timedelta(hours=1), lon=lon, lat=lat)])
    assert err.value.code == "position_in_future"


@pytest.mark.parametrize("lon,lat", [(181, 30), (120, -91), (float("nan"), 30)])
def test_impossible_coordinates_are_refused_and_nothing_is_stored(org, clock, lon, lat):
    duty.go_on_duty(org.sup)
    with pytest.raises(Invalid) as err:
        duty.record_positions(org.sup, [pt(clock, *org.west_point), pt(clock, lon, lat)])
    assert err.value.code == "bad_position"
    assert not Position.objects.exists()


def test_too_many_points_at_once(org, clock):
    duty.go_on_duty(org.sup)
    with pytest.raises(Invalid) as err:
        duty.record_positions(org.sup, [pt(clock, *org.west_point)] * (duty.MAX_POINTS_PER_CALL + 1))
    assert err.value.code == "too_many_points"


def test_on_duty_now_shows_the_last_position(org, clock):
    duty.go_on_duty(org.sup)
    duty.go_on_duty(org.sup_e)
    duty.record_positions(org.sup, [pt(clock, 120.0011, 30.009, 60), pt(clock, *org.west_point)])
    rows = {r["user"]: r for r in duty.on_duty_now()}
    assert set(rows) == {"sup_w", "sup_e"}
    assert (rows["sup_w"]["lon"], rows["sup_w"]["lat"]) == org.west_point
    assert rows["sup_e"]["lon"] is None  # on duty, no fix yet
    duty.go_off_duty(org.sup_e)
    assert [r["user"] for r in duty.on_duty_now()] == ["sup_w"]


def test_track_is_one_users_points_in_the_window(org, clock):
    duty.go_on_duty(org.sup)
    duty.go_on_duty(org.sup_e)
    duty.record_positions(org.sup, [pt(clock, *org.west_point, 120), pt(clock, *org.west_point)])
    duty.record_positions(org.sup_e, [pt(clock, *org.east_point)])
    track = duty.track(org.sup, clock.now() - timedelta(seconds=60), clock.now() + timedelta(seconds=1))
    assert len(track) == 1 and track[0].user == org.sup
