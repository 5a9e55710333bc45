"""The console in a real browser (1920×1080): a call announced by the telephony webhook pops up
on the open page with the caller's history; the operator answers, finds the place by address,
picks the type by pinyin initials and files the report. Screenshots in test-artifacts/."""

import json
import urllib.request

import pytest

from tests.browser import login, screenshot
from urbangrid.cases.models import CaseReporter, Source
from urbangrid.intake.models import ApiClient, Call

from .loop import close_case, hotline_report

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def announce(base_url, key, call_id, caller):
    req = urllib.request.Request(
        f"{base_url}/api/v1/intake/calls",
        data=json.dumps({"call_id": call_id, "caller": caller}).encode(),
        method="POST",
        headers={"Content-Type": "application/json", "X-Api-Key": key},
    )
    with urllib.request.urlopen(req, timeout=5) as resp:
        return resp.status


def test_an_incoming_call_pops_up_and_becomes_a_report(page, live_server, org, make_client):
    _tel, key = make_client(ApiClient.Kind.TELEPHONY)
    earlier = hotline_report(org, "13900001111")
    login(page, org.intake.username)
    page.goto("/hotline/")
    page.wait_for_selector("#ringing .quiet")
    screenshot(page, "hotline-console-idle")

    assert announce(live_server.url, key, "TEL-20261126-0001", "13900001111") == 201
    popup = page.locator("#ringing .ringing")
    popup.wait_for(timeout=2500)  # the console polls every second
    assert popup.locator(".caller").inner_text() == "13900001111"
    assert popup.get_by_text(earlier.number).is_visible()
    screenshot(page, "hotline-console-ringing")

    popup.locator("button.answer").click()
    page.wait_for_url("**/hotline/calls/TEL-20261126-0001/")
    page.wait_for_function("window.ugCaseMap !== undefined")
    page.fill("#address-q", "人民路5号")
    page.click("#address-go")
    page.locator("#address-hits .hit").first.click()
    page.wait_for_function("document.getElementById('located').textContent.includes('城西')")
    assert page.input_value("input[name=address]").startswith("人民路5号")
    page.fill(".type-search", "bllj")
    page.wait_for_function("document.querySelector('select[name=type]').value === '06010'")
    page.fill("textarea[name=description]", "人民路5号门口垃圾暴露，气味很大")
    page.fill("input[name=reporter_name]", "张先生")
    screenshot(page, "hotline-call-report")
    page.click("#report-form button[type=submit]")
    page.wait_for_url("**/hotline/")
    call = Call.objects.get(call_id="TEL-20261126-0001")
    assert call.outcome == Call.Outcome.REPORT and call.case.type.code == "06010"
    assert call.case.external_ref == "TEL-20261126-0001"
    assert abs(call.case.lon - 120.003) < 0.001
    assert CaseReporter.objects.get(case=call.case).phone == "13900001111"
    assert page.get_by_text(call.case.number).first.is_visible()
    screenshot(page, "hotline-console-after")


def test_the_directive_list_shows_time_left_and_overdue(page, org, clock):
    from datetime import timedelta

    from urbangrid.intake import directives

    for number, days in (("交办〔2026〕1号", 3), ("批示〔2026〕2号", 0.5)):
        directives.create(
            org.intake,
            source=Source.ASSIGNED,
            issuer="市数字城管中心",
            document_number=number,
            reply_due_at=clock.now() + timedelta(days=days),
            kind="matter",
            type_code="06010",
            description="请核查处理并回复",
            lon=org.west_point[0],
            lat=org.west_point[1],
        )
    clock.advance(timedelta(days=1))
    login(page, org.shift.username)
    page.goto("/hotline/directives/")
    assert page.locator("tr.overdue").count() == 1
    screenshot(page, "hotline-directives")
    page.goto("/hotline/directives/new/")
    page.wait_for_function("window.ugCaseMap !== undefined")
    screenshot(page, "hotline-directive-new")


def test_the_follow_up_desk_lists_due_calls(page, org, clock):
    from datetime import timedelta

    from urbangrid.intake import followup

    case = hotline_report(org, "13900006666")
    close_case(org, case.number)
    followup.schedule_due()
    clock.advance(timedelta(days=3))
    login(page, org.intake.username)
    page.goto("/hotline/follow-ups/")
    row = page.locator("tr[data-follow-up]")
    assert row.count() == 1 and "13900006666" in row.inner_text()
    screenshot(page, "hotline-follow-ups")
    row.locator("input[value=satisfied]").check()
    row.locator("button[type=submit]").click()
    page.wait_for_load_state("networkidle")
    assert page.locator("tr[data-follow-up]").count() == 0
