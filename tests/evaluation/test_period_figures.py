"""A closed month's, quarter's or year's figures: stored by the jobs once the period is over, read
by the ranking instead of counting again, recounted while late records settle and then left
standing; other periods are always counted."""

import io
from datetime import date, datetime

import pytest
from django.core.management import CommandError, call_command
from openpyxl import load_workbook
from pypdf import PdfReader

from tests.cases.conftest import org, photo  # noqa: F401
from tests.evaluation.test_bulletin import MONTH
from tests.evaluation.test_indicators import NOV, SHANGHAI, scenario  # noqa: F401
from tests.evaluation.test_views import NOV_QUERY, client_for
from urbangrid.cases import jobs, services
from urbangrid.evaluation import figures
from urbangrid.evaluation.models import PeriodFigures
from urbangrid.evaluation.ranking import evaluate

pytestmark = pytest.mark.django_db

NOV_API = {"start": "2026-11-01", "end": "2026-12-01"}
Q4 = (datetime(2026, 10, 1, tzinfo=SHANGHAI), datetime(2027, 1, 1, tzinfo=SHANGHAI))


def _due(department, start, end):
    items = evaluate("department", start, end)
    return next(i["indicators"]["due"] for i in items if i["subject"]["id"] == department.pk)


def _cancel_c4(o):
    """作废 after November: C4's disposal (due Mon 30th) is no longer a task of the department."""
    services.cancel(o.shift, o.cases[3].number, reason_code="mistake", note="重复上报")


def test_a_month_is_stored_once_it_is_over_and_read_instead_of_counted(scenario, clock, api_client):  # noqa: F811
    o = scenario
    # Over by Mon 30 Nov: May–October, 2025-Q4–2026-Q3, 2024 and 2025 (empty, but over).
    assert figures.store_closed_periods(clock.now(), at_most=None) == 12
    assert not PeriodFigures.objects.filter(start=date(2026, 11, 1)).exists()  # November is not over
    assert figures.counted_at(*NOV) is None
    assert api_client(o.leader).get("/api/v1/evaluation/departments", NOV_API).json()["counted_at"] is None

    clock.freeze(datetime(2026, 12, 1, 0, 10, tzinfo=SHANGHAI))
    assert jobs.run_once()["period_figures"] == 1
    stored = PeriodFigures.objects.filter(start=date(2026, 11, 1), end=date(2026, 12, 1))
    assert sorted(stored.values_list("kind", flat=True)) == sorted(figures.KINDS)
    assert figures.counted_at(*NOV) == clock.now()
    assert _due(o.szgs, *NOV) == 2
    assert jobs.run_once()["period_figures"] == 0  # counted a minute ago

    _cancel_c4(o)
    assert figures.live("department", *NOV)[o.szgs.pk]["due"] == 1
    assert _due(o.szgs, *NOV) == 2  # the stored figures
    page = client_for(o.leader).get("/evaluation/", NOV_QUERY).content.decode()
    assert "期末结算数据，计算于 2026-12-01 00:10" in page
    body = api_client(o.leader).get("/api/v1/evaluation/departments", NOV_API).json()
    assert body["counted_at"].startswith("2026-11-30T16:10:00")  # UTC
    assert next(i for i in body["items"] if i["subject"]["code"] == "szgs")["indicators"]["due"] == 2

    # An hour later, within the settling days, the jobs count the month again.
    clock.freeze(datetime(2026, 12, 1, 1, 10, tzinfo=SHANGHAI))
    assert jobs.run_once()["period_figures"] == 1
    assert _due(o.szgs, *NOV) == 1
    # Once settled, one last count, and then the month stands.
    clock.freeze(datetime(2026, 12, 8, 9, 0, tzinfo=SHANGHAI))
    assert jobs.run_once()["period_figures"] == 1
    clock.freeze(datetime(2026, 12, 9, 9, 0, tzinfo=SHANGHAI))
    assert jobs.run_once()["period_figures"] == 0


def test_the_bulletin_of_a_stored_month_says_when_its_figures_were_counted(scenario, clock, api_client):  # noqa: F811
    o = scenario
    clock.freeze(datetime(2026, 12, 1, 0, 10, tzinfo=SHANGHAI))
    figures.store_closed_periods(clock.now(), at_most=None)
    clock.freeze(datetime(2026, 12, 2, 9, 0, tzinfo=SHANGHAI))
    client = api_client(o.leader)
    sheet = load_workbook(io.BytesIO(client.get("/api/v1/evaluation/bulletin.xlsx", MONTH).content)).active
    rows = {r[0]: r[1] for r in sheet.iter_rows(values_only=True) if r and r[0]}
    assert (rows["生成时间"], rows["数据计算时间"]) == ("2026-12-02 09:00", "2026-12-01 00:10")
    pdf = PdfReader(io.BytesIO(client.get("/api/v1/evaluation/bulletin.pdf", MONTH).content))
    assert "月结数据计算于 2026-12-01 00:10" in pdf.pages[0].extract_text().replace("\n", "")


def test_a_quarter_and_a_year_are_stored_when_they_are_over(scenario, clock):  # noqa: F811
    o = scenario
    clock.freeze(datetime(2026, 12, 20, 9, 0, tzinfo=SHANGHAI))
    figures.store_closed_periods(clock.now(), at_most=None)
    assert figures.counted_at(*Q4) is None
    clock.freeze(datetime(2027, 1, 1, 0, 10, tzinfo=SHANGHAI))
    # December, 2026-Q4 and 2026: one a pass, so that the other jobs never wait for all three.
    assert [jobs.run_once()["period_figures"] for _pass in range(4)] == [1, 1, 1, 0]
    assert figures.counted_at(*Q4) == clock.now()
    year = (datetime(2026, 1, 1, tzinfo=SHANGHAI), datetime(2027, 1, 1, tzinfo=SHANGHAI))
    assert figures.counted_at(*year) == clock.now()
    _cancel_c4(o)
    assert _due(o.szgs, *Q4) == _due(o.szgs, *year) == 2  # stored
    assert figures.live("department", *Q4)[o.szgs.pk]["due"] == 1


def test_figures_of_another_counting_are_neither_read_nor_kept(scenario, clock):  # noqa: F811
    o = scenario
    clock.freeze(datetime(2026, 12, 20, 9, 0, tzinfo=SHANGHAI))
    figures.store_closed_periods(clock.now(), at_most=None)
    _cancel_c4(o)
    assert _due(o.szgs, *NOV) == 2  # stored
    PeriodFigures.objects.filter(start=date(2026, 11, 1)).update(version="0:an-older-release")
    assert figures.counted_at(*NOV) is None
    assert _due(o.szgs, *NOV) == 1  # counted now
    assert jobs.run_once()["period_figures"] == 1
    assert figures.counted_at(*NOV) == clock.now()
    assert set(PeriodFigures.objects.values_list("version", flat=True)) == {figures.VERSION}


def test_other_periods_are_always_counted(scenario, clock):  # noqa: F811
    o = scenario
    clock.freeze(datetime(2026, 12, 1, 0, 10, tzinfo=SHANGHAI))
    figures.store_closed_periods(clock.now(), at_most=None)
    _cancel_c4(o)
    to_the_30th = (NOV[0], datetime(2026, 11, 30, 23, 0, tzinfo=SHANGHAI))
    two_months = (datetime(2026, 10, 1, tzinfo=SHANGHAI), NOV[1])  # not a quarter
    for period in (to_the_30th, two_months):
        assert figures.stored_span(*period) is None
        assert _due(o.szgs, *period) == 1


def test_a_period_is_counted_again_by_hand_and_an_open_one_is_refused(scenario, clock):  # noqa: F811
    o = scenario
    clock.freeze(datetime(2026, 12, 20, 9, 0, tzinfo=SHANGHAI))
    figures.store_closed_periods(clock.now(), at_most=None)
    _cancel_c4(o)
    assert jobs.run_once()["period_figures"] == 0  # November has settled: the jobs leave it
    assert _due(o.szgs, *NOV) == 2
    call_command("period_figures", "--period", "2026-11")
    assert _due(o.szgs, *NOV) == 1
    for open_or_malformed in ("2026-12", "2026-Q4", "2026", "2026-13", "2026-Q5", "next"):
        with pytest.raises(CommandError):
            call_command("period_figures", "--period", open_or_malformed)
