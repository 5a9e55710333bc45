"""The evaluation of November 2026 on a scenario small enough to compute by hand, built through
the real case services on the moving clock.

Working calendar (default): 08:30–12:00 and 13:30–17:30 (7.5 working hours a day), Saturday and
Sunday off. Thu 2026-11-26 is the clock fixture's start; Fri 27 works; Sat 28 / Sun 29 are off;
Mon 30 works. Limits: 06010 (暴露垃圾) 4 working hours → dispatched Thu 10:00, due Thu 15:30
(10:00–12:00 = 2 h, 13:30–15:30 = 2 h); 01001 (manhole) 2 working days = 15 working hours →
dispatched Thu 10:00, due Mon 10:00 (Thu 6 h + Fri 7.5 h + Mon 08:30–10:00 1.5 h); 核实 and 核查
60 working minutes.

Cases (sup = west supervisor, sup_e = east; hws = 环卫所, szgs = 市政公司):
  C1 public, west, 06010 → hws: 反馈 Thu 11:30 (on time, 1.5 h), 核查 Thu 11:30 passed, 结案.
  C2 public, west, 06010 → hws: 反馈 Mon 10:00 across the weekend (late: due Thu 15:30;
     working time Thu 6 h + Fri 7.5 h + Mon 1.5 h = 15 h), 核查 Mon 11:30 (late: due 11:00), 结案.
  C3 sup's own report, west, 06010 → hws: 反馈 Thu 11:00 (on time, 1 h), 核查 failed → 返工:
     a new disposal step from Thu 11:00, due 16:30; 反馈 Thu 14:00 (on time, 1.5 h: 11:00–12:00
     and 13:30–14:00), 核查 passed Thu 14:00, 结案.
  C4 public, east, 01001 → szgs: never fed back; due Mon 10:00, open at the period's end.
  C5 public, west, 01001 → szgs: 反馈 Mon 09:00 (on time across the weekend: 14 working hours
     of 15, though 71 wall-clock hours), 核查 Mon 09:30 (on time, due 10:00), 结案.
  C6 sup's own report, west: 不予立案 (an invalid report).
"""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from tests.cases.conftest import org, photo  # noqa: F401  (org: the case tests' county and organisation)
from tests.cases.test_lifecycle import report, to_dispatching
from urbangrid.cases import services
from urbangrid.evaluation import indicators
from urbangrid.evaluation.ranking import evaluate
from urbangrid.evaluation.scoring import score

pytestmark = pytest.mark.django_db

SHANGHAI = ZoneInfo("Asia/Shanghai")

NOV = (datetime(2026, 11, 1, tzinfo=SHANGHAI), datetime(2026, 12, 1, tzinfo=SHANGHAI))


def _at(clock, day, hour, minute=0):
    clock.freeze(datetime(2026, 11, day, hour, minute, tzinfo=SHANGHAI))


def _done(o, case, by):
    services.feedback(by, case.number, note="已处置", photos=[photo()])


def _check_and_close(o, case, checker, passed=True):
    services.check(
        checker, case.number, passed=passed, photos=[photo()], reason_code="" if passed else "incomplete"
    )
    if passed:
        services.close(o.shift, case.number, meets_condition=True)


@pytest.fixture
def scenario(org, clock):  # noqa: F811
    o = org
    # Thu 10:00: everything reported, taken in and dispatched at once.
    c1 = report(o)
    c2 = report(o)
    c3 = report(o, by=o.sup, source="supervisor")
    c4 = report(o, point=o.east_point, type_code="01001")
    c5 = report(o, type_code="01001")
    c6 = report(o, by=o.sup, source="supervisor")
    for case in (c1, c2, c5):
        to_dispatching(o, case)
    services.accept(o.intake, c4.number)  # the east grid's supervisor verifies C4
    services.verify(o.sup_e, c4.number, confirmed=True, photos=[photo()])
    services.file_case(o.shift, c4.number, meets_condition=True)
    services.accept(o.intake, c3.number)
    services.file_case(o.shift, c3.number, meets_condition=True)
    services.accept(o.intake, c6.number)
    services.not_file(o.shift, c6.number, reason_code="below_condition", note="不属实")
    for case in (c1, c2, c3):
        services.dispatch(o.dispatcher, case.number, department=o.hws)
    for case in (c4, c5):
        services.dispatch(o.dispatcher, case.number, department=o.szgs)
    _at(clock, 26, 11)
    _done(o, c3, o.cleaner)
    _check_and_close(o, c3, o.sup, passed=False)  # 返工: a new disposal step from 11:00
    _at(clock, 26, 11, 30)
    _done(o, c1, o.cleaner)
    _check_and_close(o, c1, o.sup)
    _at(clock, 26, 14)
    _done(o, c3, o.cleaner)
    _check_and_close(o, c3, o.sup)
    _at(clock, 30, 9)
    _done(o, c5, o.worker)
    _at(clock, 30, 9, 30)
    _check_and_close(o, c5, o.sup)
    _at(clock, 30, 10)
    _done(o, c2, o.cleaner)
    _at(clock, 30, 11, 30)
    _check_and_close(o, c2, o.sup)
    for case in (c1, c2, c3, c4, c5, c6):
        case.refresh_from_db()
    o.cases = (c1, c2, c3, c4, c5, c6)
    return o


def test_departments(scenario):
    o = scenario
    got = indicators.department_indicators(*NOV)
    # hws: four disposal steps due in November (C1, C2, C3 before and after 返工), all fed back;
    # three by the deadline (C2 late) → 按期处置率 3/4 = 75 %; one (C3's first) sent back by a
    # failed 核查 → 返工率 1/4 = 25 %; working hours 1.5 + 15 + 1 + 1.5 = 19 → mean 4.75.
    assert got[o.hws.pk] == {
        "due": 4,
        "done": 4,
        "disposal_rate": 100.0,
        "on_time": 3,
        "on_time_rate": 75.0,
        "late": 1,
        "reworked": 1,
        "rework_rate": 25.0,
        "overdue_open": 0,
        "avg_hours": 4.75,
    }
    # szgs: C4 and C5 due Mon 10:00; only C5 done (on time, 14 working hours); C4 is past its
    # deadline and open at the period's end.
    assert got[o.szgs.pk] == {
        "due": 2,
        "done": 1,
        "disposal_rate": 50.0,
        "on_time": 1,
        "on_time_rate": 50.0,
        "late": 0,
        "reworked": 0,
        "rework_rate": 0.0,
        "overdue_open": 1,
        "avg_hours": 14.0,
    }
    # Scores (30 处置率 + 50 按期处置率 + 20 (100 − 返工率)) / 100:
    # hws (30·100 + 50·75 + 20·75) / 100 = 82.5 → B; szgs (30·50 + 50·50 + 20·100) / 100 = 60 → C.
    assert score("department", got[o.hws.pk]) == (82.5, "B")
    assert score("department", got[o.szgs.pk]) == (60.0, "C")
    ranked = evaluate("department", *NOV)
    assert [(i["subject"]["code"], i["score"], i["grade"], i["grade_label"], i["rank"]) for i in ranked] == [
        ("hws", 82.5, "B", "良", 1),
        ("szgs", 60.0, "C", "中", 2),
    ]


def test_overdue_open_depends_on_the_period_end(scenario):
    o = scenario
    # Up to Mon 09:00 neither szgs step was due (both Mon 10:00) nor overdue: szgs is absent.
    early = indicators.department_indicators(NOV[0], datetime(2026, 11, 30, 9, tzinfo=SHANGHAI))
    assert o.szgs.pk not in early
    # At Mon 10:00:01 C4 was overdue; C2 (hws, due Thu 15:30, fed back Mon 10:00) was not open.
    later = indicators.department_indicators(NOV[0], datetime(2026, 11, 30, 10, 0, 1, tzinfo=SHANGHAI))
    assert later[o.szgs.pk]["overdue_open"] == 1
    # At Fri 27 08:00 C2's step was open and overdue (due Thu 15:30).
    friday = indicators.department_indicators(NOV[0], datetime(2026, 11, 27, 8, tzinfo=SHANGHAI))
    assert friday[o.hws.pk]["overdue_open"] == 1
    # October had nothing.
    assert indicators.department_indicators(datetime(2026, 10, 1, tzinfo=SHANGHAI), NOV[0]) == {}


def test_areas(scenario):
    o = scenario
    c1, c2, c3, c4, c5, c6 = o.cases
    west, east = c1.street_code, c4.street_code
    got = indicators.area_indicators(*NOV, "street")
    # West: C1, C2, C3, C5 filed (C6 not filed) and all closed; C2's disposal was late → 按期结案
    # 3/4 = 75 %; C1, C2, C5 reported by the public → 监督举报率 3/4 = 75 %.
    assert got[west] == {
        "filed": 4,
        "closed": 4,
        "closure_rate": 100.0,
        "on_time_closed": 3,
        "on_time_closure_rate": 75.0,
        "public": 3,
        "public_share": 75.0,
    }
    # East: C4 filed, not closed, reported by the public.
    assert got[east] == {
        "filed": 1,
        "closed": 0,
        "closure_rate": 0.0,
        "on_time_closed": 0,
        "on_time_closure_rate": 0.0,
        "public": 1,
        "public_share": 100.0,
    }
    # (10 (100 − 75) + 30·100 + 40·75) / 80 = 6250 / 80 = 78.125 → 78.13 (half up) → B;
    # 立案数 has weight 0 (no score curve in any source). East: 0 → E.
    assert score("street", got[west]) == (78.13, "B")
    assert score("street", got[east]) == (0.0, "E")
    communities = indicators.area_indicators(*NOV, "community")
    assert communities[c1.community_code]["filed"] == 4 and communities[c4.community_code]["filed"] == 1


def test_supervisors(scenario):
    o = scenario
    got = indicators.supervisor_indicators(*NOV)
    # sup: reported C3 and C6, C3 filed → 有效上报率 1/2 = 50 %. 核实 of C1, C2, C5 (Thu 10:00,
    # due 11:00) all on time. 核查: C3 (failed, Thu 11:00), C1 (Thu 11:30), C3 (Thu 14:00),
    # C5 (Mon 09:30) on time, C2 (Mon 11:30, due 11:00) late → 4/5 = 80 %. 漏报: the public
    # reports C1, C2, C5 sup confirmed → 3 / (1 valid + 3) = 75 %.
    assert got[o.sup.pk] == {
        "reported": 2,
        "valid": 1,
        "valid_rate": 50.0,
        "verify_due": 3,
        "verify_on_time": 3,
        "on_time_verify_rate": 100.0,
        "check_due": 5,
        "check_on_time": 4,
        "on_time_check_rate": 80.0,
        "missed": 3,
        "missed_rate": 75.0,
    }
    # sup_e: verified C4 on time; no own reports; C4 is a miss → 漏报率 100 %.
    assert got[o.sup_e.pk] == {
        "reported": 0,
        "valid": 0,
        "valid_rate": None,
        "verify_due": 1,
        "verify_on_time": 1,
        "on_time_verify_rate": 100.0,
        "check_due": 0,
        "check_on_time": 0,
        "on_time_check_rate": None,
        "missed": 1,
        "missed_rate": 100.0,
    }
    # (40·50 + 20 (100 − 75) + 20·100 + 20·80) / 100 = 61 → C; sup_e: (20·0 + 20·100) / 40 = 50 → D.
    assert score("supervisor", got[o.sup.pk]) == (61.0, "C")
    assert score("supervisor", got[o.sup_e.pk]) == (50.0, "D")


def test_bad_period_is_refused():
    start = datetime(2026, 11, 1, tzinfo=SHANGHAI)
    with pytest.raises(ValueError):
        indicators.department_indicators(start, start)
    with pytest.raises(ValueError):
        indicators.area_indicators(start.replace(tzinfo=None), start + timedelta(days=1))
