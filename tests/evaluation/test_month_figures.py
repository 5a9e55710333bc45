"""A closed month's figures (月结): stored by the jobs once the month is over, read by the ranking
instead of counting again, recounted while late records settle and then left standing."""

from datetime import date, datetime

import pytest
from django.core.management import CommandError, call_command

from tests.cases.conftest import org, photo  # noqa: F401
from tests.evaluation.test_indicators import NOV, SHANGHAI, scenario  # noqa: F401
from tests.evaluation.test_views import NOV_QUERY, client_for
from urbangrid.cases import jobs, services
from urbangrid.evaluation import figures
from urbangrid.evaluation.models import MonthFigures
from urbangrid.evaluation.ranking import evaluate

pytestmark = pytest.mark.django_db


def _department(kind_items, department):
    return next(i["indicators"] for i in kind_items if i["subject"]["id"] == department.pk)


def test_a_month_is_stored_once_it_is_over_and_read_instead_of_counted(scenario, clock, api_client):  # noqa: F811
    o = scenario
    assert figures.store_closed_months(clock.now()) == 6  # May–October: over, if empty
    assert not MonthFigures.objects.filter(month=date(2026, 11, 1)).exists()  # November is not over
    assert figures.counted_at(*NOV) is None
    nov = {"start": "2026-11-01", "end": "2026-12-01"}
    assert api_client(o.leader).get("/api/v1/evaluation/departments", nov).json()["counted_at"] is None

    clock.freeze(datetime(2026, 12, 1, 0, 10, tzinfo=SHANGHAI))
    assert jobs.run_once()["month_figures"] == 1
    stored = MonthFigures.objects.filter(month=date(2026, 11, 1))
    assert sorted(stored.values_list("kind", flat=True)) == sorted(figures.KINDS)
    assert figures.counted_at(*NOV) == clock.now()
    assert _department(evaluate("department", *NOV), o.szgs)["due"] == 2
    assert jobs.run_once()["month_figures"] == 0  # counted a minute ago

    # 作废 after the month: C4's disposal (due Mon 30th) is no longer a task of the department.
    services.cancel(o.shift, o.cases[3].number, reason_code="mistake", note="重复上报")
    assert figures.live("department", *NOV)[o.szgs.pk]["due"] == 1
    assert _department(evaluate("department", *NOV), o.szgs)["due"] == 2  # the stored figures
    page = client_for(o.leader).get("/evaluation/", NOV_QUERY).content.decode()
    assert "月结数据计算于 2026-12-01 00:10" in page
    body = api_client(o.leader).get("/api/v1/evaluation/departments", nov).json()
    assert body["counted_at"].startswith("2026-11-30T16:10:00")  # UTC
    assert next(i for i in body["items"] if i["subject"]["code"] == "szgs")["indicators"]["due"] == 2

    # An hour later, within the settling days, the jobs count the month again.
    clock.freeze(datetime(2026, 12, 1, 1, 10, tzinfo=SHANGHAI))
    assert jobs.run_once()["month_figures"] == 1
    assert _department(evaluate("department", *NOV), o.szgs)["due"] == 1
    # Once settled, one last count, and then the month stands.
    clock.freeze(datetime(2026, 12, 8, 9, 0, tzinfo=SHANGHAI))
    assert jobs.run_once()["month_figures"] == 1
    clock.freeze(datetime(2026, 12, 9, 9, 0, tzinfo=SHANGHAI))
    assert jobs.run_once()["month_figures"] == 0


def test_other_periods_are_always_counted(scenario, clock):  # noqa: F811
    o = scenario
    clock.freeze(datetime(2026, 12, 1, 0, 10, tzinfo=SHANGHAI))
    figures.store_closed_months(clock.now())
    services.cancel(o.shift, o.cases[3].number, reason_code="mistake", note="重复上报")
    to_the_30th = (NOV[0], datetime(2026, 11, 30, 23, 0, tzinfo=SHANGHAI))
    assert figures.month_of(*to_the_30th) is None
    assert _department(evaluate("department", *to_the_30th), o.szgs)["due"] == 1


def test_a_month_is_counted_again_by_hand_and_an_open_month_is_refused(scenario, clock):  # noqa: F811
    o = scenario
    clock.freeze(datetime(2026, 12, 20, 9, 0, tzinfo=SHANGHAI))
    figures.store_closed_months(clock.now())
    services.cancel(o.shift, o.cases[3].number, reason_code="mistake", note="重复上报")
    assert jobs.run_once()["month_figures"] == 0  # November has settled: the jobs leave it
    assert _department(evaluate("department", *NOV), o.szgs)["due"] == 2
    call_command("month_figures", "--month", "2026-11")
    assert _department(evaluate("department", *NOV), o.szgs)["due"] == 1
    with pytest.raises(CommandError):
        call_command("month_figures", "--month", "2026-12")
    with pytest.raises(CommandError):
        call_command("month_figures", "--month", "2026-13")
