"""The ranking page's charts: street trends, problem types and channels of the cases filed in
the period, within the viewer's scope; drawn by ECharts in Chromium."""

from datetime import datetime

import pytest
from django.test import Client

from tests.browser import login, screenshot
from tests.cases.conftest import org  # noqa: F401
from tests.evaluation.test_indicators import NOV, SHANGHAI, scenario  # noqa: F401
from tests.factories import PASSWORD
from urbangrid.accounts.permissions import Scope
from urbangrid.evaluation import charts


@pytest.mark.django_db
def test_types_and_channels_of_the_filed_cases(scenario):  # noqa: F811
    everything = Scope(everything=True)
    # C1–C5 filed in November (C6 was not filed): three 暴露垃圾, two manholes; four public reports.
    assert [(t["code"], t["value"]) for t in charts.problem_types(*NOV, everything)] == [
        ("06010", 3),
        ("01001", 2),
    ]
    assert [(c["code"], c["value"]) for c in charts.channels(*NOV, everything)] == [
        ("public", 4),
        ("supervisor", 1),
    ]
    december = (NOV[1], datetime(2027, 1, 1, tzinfo=SHANGHAI))
    assert charts.problem_types(*december, everything) == [] and charts.channels(*december, everything) == []


@pytest.mark.django_db
def test_a_department_leader_sees_only_the_departments_cases(scenario):  # noqa: F811
    szgs_only = Scope(department_ids=frozenset({scenario.szgs.pk}))
    assert [(t["code"], t["value"]) for t in charts.problem_types(*NOV, szgs_only)] == [("01001", 2)]
    assert charts.channels(*NOV, Scope()) == []  # a scope with nothing in it


@pytest.mark.django_db
def test_the_page_carries_the_chart_data(scenario, clock):  # noqa: F811
    o = scenario
    client = Client()
    assert client.login(username=o.leader.username, password=PASSWORD)
    page = client.get("/evaluation/", {"period": "month", "month": "2026-11"})
    trend = page.context["area_trend"]
    assert trend["months"] == ["2026-06", "2026-07", "2026-08", "2026-09", "2026-10", "2026-11"]
    west = next(s for s in trend["series"] if s["filed"][-1] == 4)  # C1, C2, C3, C5
    # C2's disposal was late: 3 of 4 closed on time (C1, C3, C5).
    assert west["data"][-1] == 75.0 and west["data"][0] is None
    html = page.content.decode()
    assert 'id="types-data"' in html and 'id="channels-data"' in html


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_the_charts_are_drawn(scenario, clock, page):  # noqa: F811
    o = scenario
    clock.freeze(datetime(2026, 12, 2, 10, tzinfo=SHANGHAI))
    login(page, o.leader.username)
    page.goto(
        page.url.split("/", 3)[0]
        + "//"
        + page.url.split("/", 3)[2]
        + "/evaluation/?period=month&month=2026-11"
    )
    for chart in ("#trend-chart", "#area-trend-chart", "#types-chart", "#channels-chart"):
        page.wait_for_selector(f"{chart} canvas")
    names = page.evaluate("window.ugTypesChart.getOption().yAxis[0].data")
    assert names[-1] == "暴露垃圾"  # the most frequent at the top
    pie = page.evaluate("window.ugChannelsChart.getOption().series[0].data.map(d => d.value)")
    assert pie == [4, 1]
    page.locator(".chart-grid").scroll_into_view_if_needed()
    screenshot(page, "evaluation-charts")
