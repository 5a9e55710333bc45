"""The centre's posts (standards.md §5.2–5.4: 受理员, 值班长, 派遣员) on the hand-computed scenario
of test_indicators, and on the scenario extended by two late reports.

Step limits (cases migration 0003, working minutes): 受理 10, 核实 60, 立案 30, 派遣 30, 核查 60,
结案 30. Working calendar: 08:30–12:00 and 13:30–17:30.

In the scenario everything is done by intake1, shift1 and disp1 at the instant each step opens, so
all of it is on time:
  受理 (intake1): C1, C2, C5 (to_dispatching), C4, C3, C6 → 受理数 6; a 核实 was sent for the
    four public reports C1, C2, C4, C5 (C3 and C6 are the supervisor's own: straight to 立案).
    No supervisor was sent to a 核查 by hand → 核查按时派发率 None.
  立案 (shift1): C1, C2, C5, C4, C3 filed (C6 不予立案 is no filing) → 5, none cancelled;
    结案: C3, C1, C5, C2 → 4.
  派遣 (disp1): C1, C2, C3 → hws, C4, C5 → szgs → 5, none returned.

The extension (`more`), on Mon 30 after the scenario:
  C7, public, west, reported 11:30 (受理 due 11:40); intake1 accepts at 11:50 — late. sup verifies
    at 11:50; the 立案 step is due 13:50 (11:50–12:00, 13:30–13:50); shift1 files at 14:00 — late.
    The 派遣 step is due 14:30; disp1 dispatches to hws at 14:00 — on time. hws returns it at
    14:10 (回退: not theirs); the new 派遣 step is due 14:40; disp1 dispatches to szgs at 15:00 —
    late. szgs feeds back at 15:00: a 核查 step for sup, due 16:00; intake2 sends sup_e there by
    hand at 15:10 — on time. shift1 cancels C7 (作废) at 15:20.
  C8, public, west, reported 11:30; intake1 turns it down (不予受理) at 11:35.
"""

import re
from datetime import datetime

import pytest
from django.test import Client

from tests.cases.conftest import org, photo  # noqa: F401
from tests.cases.test_lifecycle import report
from tests.evaluation.test_indicators import NOV, SHANGHAI, _at, scenario  # noqa: F401
from urbangrid.cases import services
from urbangrid.evaluation import indicators
from urbangrid.evaluation.models import Scheme
from urbangrid.evaluation.ranking import evaluate
from urbangrid.evaluation.scoring import score

pytestmark = pytest.mark.django_db

NOV_API = {"start": "2026-11-01", "end": "2026-12-01"}
POSTS = {
    "intake": indicators.intake_indicators,
    "shift_leader": indicators.shift_leader_indicators,
    "dispatcher": indicators.dispatcher_indicators,
}


@pytest.fixture
def more(scenario, clock):  # noqa: F811
    o = scenario
    _at(clock, 30, 11, 30)
    c7 = report(o)
    c8 = report(o)
    _at(clock, 30, 11, 35)
    services.reject(o.intake, c8.number, reason_code="duplicate")
    _at(clock, 30, 11, 50)
    services.accept(o.intake, c7.number)
    services.verify(o.sup, c7.number, confirmed=True, photos=[photo()])
    _at(clock, 30, 14)
    services.file_case(o.shift, c7.number, meets_condition=True)
    services.dispatch(o.dispatcher, c7.number, department=o.hws)
    _at(clock, 30, 14, 10)
    services.return_case(o.cleaner, c7.number, reason_code="not_our_duty", note="该处属市政道路")
    _at(clock, 30, 15)
    services.dispatch(o.dispatcher, c7.number, department=o.szgs, reason_code="redispatch")
    services.feedback(o.worker, c7.number, note="已处置", photos=[photo()])
    _at(clock, 30, 15, 10)
    services.assign_supervisor(o.intake2, c7.number, supervisor=o.sup_e)
    _at(clock, 30, 15, 20)
    services.cancel(o.shift, c7.number, reason_code="mistake", note="录入错误")
    c7.refresh_from_db()
    c8.refresh_from_db()
    o.more = (c7, c8)
    return o


def test_posts_on_the_scenario(scenario):  # noqa: F811
    o = scenario
    intake = indicators.intake_indicators(*NOV)
    assert intake == {
        o.intake.pk: {
            "accepted": 6,
            "verify_sent": 4,
            "verify_sent_on_time": 4,
            "on_time_verify_send_rate": 100.0,
            "check_sent": 0,
            "check_sent_on_time": 0,
            "on_time_check_send_rate": None,
        }
    }
    # 受理数 6 is below the lowest band (301) → 0; (25·0 + 40·100) / 65 (核查 unrated) = 61.538 → C.
    assert score("intake", intake[o.intake.pk]) == (61.54, "C")
    shift = indicators.shift_leader_indicators(*NOV)
    assert shift == {
        o.shift.pk: {
            "filed": 5,
            "filed_on_time": 5,
            "on_time_filing_rate": 100.0,
            "cancelled": 0,
            "accurate_filing_rate": 100.0,
            "closed": 4,
            "closed_on_time": 4,
            "on_time_closing_rate": 100.0,
        }
    }
    assert score("shift_leader", shift[o.shift.pk]) == (100.0, "A")
    dispatch = indicators.dispatcher_indicators(*NOV)
    assert dispatch == {
        o.dispatcher.pk: {
            "dispatched": 5,
            "dispatched_on_time": 5,
            "on_time_dispatch_rate": 100.0,
            "returned": 0,
            "accurate_dispatch_rate": 100.0,
        }
    }
    # 派遣数 5 → 0; (20·0 + 40·100 + 40·100) / 100 = 80 → B.
    assert score("dispatcher", dispatch[o.dispatcher.pk]) == (80.0, "B")
    # October: nothing.
    october = (datetime(2026, 10, 1, tzinfo=SHANGHAI), NOV[0])
    assert all(f(*october) == {} for f in POSTS.values())


def test_posts_with_late_steps_a_return_and_a_cancellation(more):
    o = more
    intake = indicators.intake_indicators(*NOV)
    # intake1: 受理数 6 + C7 + C8 (不予受理) = 8; 核实 sent for C1, C2, C4, C5, C7 = 5, C7 late
    # → 4/5 = 80 %. Score (25·0 + 40·80) / 65 = 49.23 → D.
    assert intake[o.intake.pk] == {
        "accepted": 8,
        "verify_sent": 5,
        "verify_sent_on_time": 4,
        "on_time_verify_send_rate": 80.0,
        "check_sent": 0,
        "check_sent_on_time": 0,
        "on_time_check_send_rate": None,
    }
    assert score("intake", intake[o.intake.pk]) == (49.23, "D")
    # intake2: sent sup_e to C7's 核查 at 15:10, before the step's deadline 16:00 → 1/1.
    # 受理数 0 is scored (0) beside the rate: (25·0 + 35·100) / 60 = 58.33 → D.
    assert intake[o.intake2.pk] == {
        "accepted": 0,
        "verify_sent": 0,
        "verify_sent_on_time": 0,
        "on_time_verify_send_rate": None,
        "check_sent": 1,
        "check_sent_on_time": 1,
        "on_time_check_send_rate": 100.0,
    }
    assert score("intake", intake[o.intake2.pk]) == (58.33, "D")
    shift = indicators.shift_leader_indicators(*NOV)
    # shift1: 立案 6 (C7 late) → 5/6 = 83.33 %; C7 cancelled after filing → (6 − 1)/6 = 83.33 %;
    # 结案 4/4. Score (25·83.33 + 40·83.33 + 35·100) / 100 = 89.1645 → 89.16 → B.
    assert shift[o.shift.pk] == {
        "filed": 6,
        "filed_on_time": 5,
        "on_time_filing_rate": 83.33,
        "cancelled": 1,
        "accurate_filing_rate": 83.33,
        "closed": 4,
        "closed_on_time": 4,
        "on_time_closing_rate": 100.0,
    }
    assert score("shift_leader", shift[o.shift.pk]) == (89.16, "B")
    dispatch = indicators.dispatcher_indicators(*NOV)
    # disp1: 派遣 5 + C7 → hws (on time, returned) + C7 → szgs (late) = 7; on time 6/7 = 85.71 %;
    # returned 1 → (7 − 1)/7 = 85.71 %. Score (20·0 + 40·85.71 + 40·85.71) / 100 = 68.57 → C.
    assert dispatch[o.dispatcher.pk] == {
        "dispatched": 7,
        "dispatched_on_time": 6,
        "on_time_dispatch_rate": 85.71,
        "returned": 1,
        "accurate_dispatch_rate": 85.71,
    }
    assert score("dispatcher", dispatch[o.dispatcher.pk]) == (68.57, "C")
    # Up to Mon 15:00 (exclusive) C7 was neither returned-and-redispatched nor cancelled:
    # the period's end decides what "later" covers.
    before = (NOV[0], datetime(2026, 11, 30, 14, 5, tzinfo=SHANGHAI))
    assert indicators.dispatcher_indicators(*before)[o.dispatcher.pk]["returned"] == 0
    assert indicators.shift_leader_indicators(*before)[o.shift.pk]["cancelled"] == 0


def test_ranking_lists_every_holder_of_the_post(more):
    ranked = evaluate("intake", *NOV)
    assert [(i["subject"]["code"], i["score"], i["grade"], i["rank"]) for i in ranked] == [
        ("intake2", 58.33, "D", 1),
        ("intake1", 49.23, "D", 2),
    ]
    ranked = evaluate("dispatcher", *NOV)
    # disp2 did nothing: listed, with no score and no rank (an empty count is not scored alone).
    assert [(i["subject"]["code"], i["score"], i["rank"]) for i in ranked] == [
        ("disp1", 68.57, 1),
        ("disp2", None, None),
    ]
    assert ranked[1]["indicators"]["dispatched"] == 0


@pytest.mark.parametrize("fixture", ["scenario", "more"])
def test_every_post_count_is_its_list(fixture, request):
    request.getfixturevalue(fixture)
    for kind, compute in POSTS.items():
        values = compute(*NOV)
        assert values
        for subject, row in values.items():
            for indicator, count in indicators.BEHIND[kind].items():
                assert set(indicators.BEHIND[kind]) == set(row)
                if indicator != count:
                    continue
                steps = indicators.steps_behind(kind, indicator, subject, *NOV)
                found = (
                    steps if steps is not None else indicators.cases_behind(kind, indicator, subject, *NOV)
                )
                assert found.count() == row[indicator], (kind, subject, indicator)


def test_the_lists_hold_the_right_cases(more):
    o = more
    c1, c2, c3, c4, c5, c6 = o.cases
    c7, c8 = o.more

    def numbers(kind, indicator, user):
        return sorted(
            indicators.cases_behind(kind, indicator, user.pk, *NOV).values_list("number", flat=True)
        )

    assert numbers("intake", "accepted", o.intake) == sorted(c.number for c in (*o.cases, c7, c8))
    assert numbers("intake", "verify_sent", o.intake) == sorted(c.number for c in (c1, c2, c4, c5, c7))
    assert numbers("intake", "verify_sent_on_time", o.intake) == sorted(c.number for c in (c1, c2, c4, c5))
    assert numbers("intake", "check_sent_on_time", o.intake2) == [c7.number]
    assert numbers("shift_leader", "cancelled", o.shift) == [c7.number]
    assert numbers("shift_leader", "accurate_filing_rate", o.shift) == sorted(
        c.number for c in (c1, c2, c3, c4, c5, c7)
    )
    assert numbers("dispatcher", "returned", o.dispatcher) == [c7.number]
    steps = indicators.steps_behind("dispatcher", "dispatched_on_time", o.dispatcher.pk, *NOV)
    assert steps.count() == 6 and steps.filter(case=c7).count() == 1  # C7's late re-dispatch is out
    assert indicators.steps_behind("intake", "accepted", o.intake.pk, *NOV) is None


def test_scheme_rows_of_the_posts():
    weights = dict(Scheme.objects.filter(subject_kind__in=POSTS).values_list("subject_kind", "weights"))
    assert weights == {
        "intake": {"accepted": 25, "on_time_verify_send_rate": 40, "on_time_check_send_rate": 35},
        "shift_leader": {"on_time_filing_rate": 25, "accurate_filing_rate": 40, "on_time_closing_rate": 35},
        "dispatcher": {"dispatched": 20, "on_time_dispatch_rate": 40, "accurate_dispatch_rate": 40},
    }
    assert "[I]" in Scheme.objects.get(subject_kind="intake").note


@pytest.mark.parametrize(
    ("count", "points"),
    [(0, 0), (300, 0), (301, 60), (500, 60), (501, 75), (1201, 90), (2000, 90), (2001, 100)],
)
def test_count_bands(count, points):
    # A rate of 100 beside the count: (20·points + 40·100) / 60 shows the count's band.
    got, _grade = score("dispatcher", {"dispatched": count, "on_time_dispatch_rate": 100.0})
    assert got == round((20 * points + 4000) / 60, 2)


def test_api_returns_the_posts(more, api_client):
    o = more
    client = api_client(o.leader)
    for path, code in (("intake", "intake1"), ("shift_leaders", "shift1"), ("dispatchers", "disp1")):
        resp = client.get(f"/api/v1/evaluation/{path}", NOV_API)
        assert resp.status_code == 200, resp.content
        assert code in [i["subject"]["code"] for i in resp.json()["items"]]
    body = client.get("/api/v1/evaluation/shift_leaders", NOV_API).json()
    assert body["items"][0]["indicators"]["accurate_filing_rate"] == 83.33


@pytest.mark.parametrize("path", ["intake", "shift_leaders", "dispatchers"])
@pytest.mark.parametrize("who", ["intake", "dispatcher", "shift", "sup", "cleaner", "citizen"])
def test_other_roles_are_refused(org, api_client, who, path):  # noqa: F811
    resp = api_client(getattr(org, who)).get(f"/api/v1/evaluation/{path}", NOV_API)
    assert resp.status_code == 403 and resp.json()["code"] == "role_not_allowed"


def test_the_page_and_the_drill_down(more):
    o = more
    c = Client()
    c.force_login(o.leader)
    resp = c.get("/evaluation/", {"period": "month", "month": "2026-11"})
    assert resp.status_code == 200
    html = resp.content.decode()
    for kind in POSTS:
        assert f'id="ranking-{kind}"' in html
    assert "受理员" in html and "准确派遣率" in html
    resp = c.get(
        "/evaluation/cases/",
        {"kind": "dispatcher", "subject": o.dispatcher.pk, "indicator": "returned", **NOV_API},
    )
    assert resp.status_code == 200
    page = resp.content.decode()
    assert re.search(r'id="behind-total">1<', page)
    assert re.findall(r'<a href="/cases/(\d+)/">', page) == [o.more[0].number]
    resp = c.get(
        "/evaluation/cases/", {"kind": "intake", "subject": o.intake.pk, "indicator": "accepted", **NOV_API}
    )
    assert re.search(r'id="behind-total">8<', resp.content.decode())
