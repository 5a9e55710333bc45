"""The leader's monthly ranking in Chromium: the default period is the last full month; the leader
clicks a department's 超期未处置 count and gets exactly those cases. Screenshots in test-artifacts/."""

from datetime import datetime

import pytest

from tests.browser import login, screenshot
from tests.cases.conftest import org  # noqa: F401
from tests.evaluation.test_indicators import SHANGHAI, scenario  # noqa: F401

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_leader_clicks_the_overdue_count(scenario, clock, page):  # noqa: F811
    o = scenario
    c4 = o.cases[3]
    clock.freeze(datetime(2026, 12, 2, 10, tzinfo=SHANGHAI))  # November is now the last full month
    login(page, o.leader.username)
    page.click(".mainnav a:text-is('考核评价')")
    page.wait_for_url("**/evaluation/")
    page.wait_for_selector("#trend-chart canvas")
    assert page.locator("#period-form input[name=month]").input_value() == "2026-11"
    row = page.locator("#ranking-department tr[data-subject=szgs]")
    assert row.locator("td.num").first.inner_text() == "2"
    assert "C 中" in row.inner_text()
    overdue = row.locator("td[data-indicator=overdue_open] a")
    assert overdue.inner_text() == "1"
    screenshot(page, "evaluation-ranking")
    overdue.click()
    page.wait_for_url("**/evaluation/cases/**")
    assert page.locator("#behind-total").inner_text() == "1"
    links = page.locator("table.behind tbody a")
    assert links.all_inner_texts() == [c4.number]
    assert "超期未处置数" in page.locator(".crumbs").inner_text()
    screenshot(page, "evaluation-overdue-cases")
    links.first.click()
    page.wait_for_url(f"**/cases/{c4.number}/")
