"""Replaying a past day: the cases live that day with their states through it, the supervisors'
tracks, and the patrol view's coverage of their responsibility grids."""

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from tests.cases.conftest import photo
from tests.command.conftest import report, to_disposing, walk
from urbangrid.cases import services
from urbangrid.intake import duty

pytestmark = pytest.mark.django_db
SHANGHAI = ZoneInfo("Asia/Shanghai")
API = "/api/v1/command"
DAY = date(2026, 11, 24)


def at(hour, minute=0, day=DAY):
    return datetime(day.year, day.month, day.day, hour, minute, tzinfo=SHANGHAI)


def close_out(org, case):
    services.feedback(org.cleaner, case.number, note="已处置", photos=[photo()])
    services.check(org.sup, case.number, passed=True, photos=[photo()])
    services.close(org.shift, case.number, meets_condition=True)


def states(item):
    return [
        (datetime.fromisoformat(t).astimezone(SHANGHAI).strftime("%d %H:%M"), s) for t, s in item["states"]
    ]


def test_a_past_day_shows_each_case_with_its_states_through_the_day(org, clock, api_client):
    clock.freeze(at(9, day=DAY - timedelta(days=1)))
    done_before = to_disposing(org, report(org))
    close_out(org, done_before)  # closed the day before: not on the map that day
    carried = report(org, point=org.east_point)  # reported the day before, still open
    clock.freeze(at(9))
    moving = report(org)
    clock.freeze(at(11))
    to_disposing(org, moving)
    clock.freeze(at(15, 30))
    close_out(org, moving)
    clock.freeze(at(10, day=DAY + timedelta(days=1)))
    next_day = report(org)  # the next day: not yet on the map
    body = api_client(org.leader).get(f"{API}/replay", {"day": DAY.isoformat()}).json()
    found = {c["number"]: c for c in body["cases"]}
    assert set(found) == {carried.number, moving.number}
    assert states(found[carried.number]) == [("24 00:00", "reported")]
    assert states(found[moving.number]) == [
        ("24 09:00", "reported"),
        ("24 11:00", "verifying"),
        ("24 11:00", "filing"),
        ("24 11:00", "dispatching"),
        ("24 11:00", "disposing"),
        ("24 15:30", "checking"),
        ("24 15:30", "closing"),
        ("24 15:30", "closed"),
    ]
    # The next day the carried case is still there (from the day's start); the closed one is gone.
    later = api_client(org.leader).get(f"{API}/replay", {"day": "2026-11-25"}).json()
    assert {c["number"] for c in later["cases"]} == {carried.number, next_day.number}


def test_a_replay_keeps_the_viewers_scope(org, clock, api_client):
    clock.freeze(at(9))
    cleaning = to_disposing(org, report(org))
    manhole = to_disposing(org, report(org, type_code="01001"), department=org.szgs)
    clock.freeze(at(10, day=DAY + timedelta(days=1)))
    body = api_client(org.szgs_leader).get(f"{API}/replay", {"day": DAY.isoformat()}).json()
    assert [c["number"] for c in body["cases"]] == [manhole.number]
    assert cleaning.number in {
        c["number"] for c in api_client(org.shift).get(f"{API}/replay", {"day": DAY}).json()["cases"]
    }
    assert api_client(org.shift).get(f"{API}/replay", {"day": "yesterday"}).status_code == 422


def test_tracks_and_grid_coverage_of_a_day(org, clock, api_client, small_county):
    west_grids = [g for g in small_county["grids"] if g.code.startswith(small_county["streets"][0].code)]
    first, second = west_grids[0], west_grids[1]
    clock.freeze(at(8, 30))
    walk(org.sup, (first.centroid_lon, first.centroid_lat))
    for seconds in (30, 60, 1800):  # a point within a minute of the last kept one is thinned out
        clock.freeze(at(8, 30) + timedelta(seconds=seconds))
        duty.record_positions(org.sup, [duty.Point(clock.now(), second.centroid_lon, second.centroid_lat)])
    clock.freeze(at(17, 30))
    duty.go_off_duty(org.sup)
    clock.freeze(at(10, day=DAY + timedelta(days=1)))
    body = api_client(org.shift).get(f"{API}/patrol", {"day": DAY.isoformat()}).json()
    (track,) = body["tracks"]
    assert track["user"] == "sup_w" and track["walked"] == sorted([first.code, second.code])
    assert track["coverage"] == round(100 * 2 / len(west_grids), 1)
    assert [p[0][11:16] for p in track["points"]] == ["00:30", "00:31", "01:00"]  # UTC, thinned
    assert track["km"] > 0
    replay = api_client(org.shift).get(f"{API}/replay", {"day": DAY.isoformat()}).json()
    assert replay["tracks"][0]["user"] == "sup_w"
    # Another day: no walk; another viewer's scope: the sanitation office's leader sees none.
    assert api_client(org.shift).get(f"{API}/patrol", {"day": "2026-11-23"}).json()["tracks"] == []
    assert api_client(org.szgs_leader).get(f"{API}/patrol", {"day": DAY.isoformat()}).json()["tracks"] == []
