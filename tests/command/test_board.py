"""The big screen's figures: today's counts by channel, filed, dispatched, closed, the on-time
rate and the overdue cases now, the top types and the 7/30-day trends."""

from datetime import timedelta

import pytest

from tests.command.conftest import report, to_disposing
from tests.command.test_replay import close_out

pytestmark = pytest.mark.django_db
API = "/api/v1/command"


def test_todays_figures_and_trends(org, clock, api_client):
    clock.freeze(clock.now() - timedelta(days=1))
    report(org)  # yesterday: in the trend, not in today's figures
    clock.freeze(clock.now() + timedelta(days=1))
    done = to_disposing(org, report(org))
    close_out(org, done)
    late = to_disposing(org, report(org, by=org.intake, source="hotline_12319", reporter_phone="13800000000"))
    report(org, by=org.sup, source="supervisor")
    board = api_client(org.leader).get(f"{API}/board").json()
    today = board["today"]
    channels = {c["source"]: c["n"] for c in today["channels"]}
    assert today["reported"] == 3 and channels["public"] == 1 and channels["hotline_12319"] == 1
    assert channels["supervisor"] == 1 and channels["video"] == 0
    assert today["filed"] == 2 and today["dispatched"] == 2 and today["closed"] == 1
    assert today["live"] == 3 and 0 <= today["on_time_rate"] <= 100
    assert board["top_types"][0] == {"code": "06010", "name": board["top_types"][0]["name"], "n": 4}
    assert board["trend7"]["reported"][-2:] == [1, 3] and len(board["trend30"]["days"]) == 30
    assert board["trend7"]["closed"][-1] == 1
    assert today["overdue"] == 1  # yesterday's report, never taken in
    clock.advance(timedelta(days=3))  # past the open cases' deadlines
    later = api_client(org.leader).get(f"{API}/board").json()["today"]
    assert later["overdue"] == 3 and later["reported"] == 0  # every live case, now late
    assert late.number in {c["number"] for c in api_client(org.leader).get(f"{API}/cases").json()["cases"]}
