"""The big screen, the command desk and the patrol view in a real browser at 1920×1080, with
screenshots kept as artefacts (test-artifacts/command_*.png) to look at."""

from datetime import timedelta

import pytest

from tests.browser import login, screenshot
from tests.cases.conftest import photo
from tests.command.conftest import report, to_dispatching, to_disposing, walk
from tests.org import build_org
from urbangrid.cases import services
from urbangrid.cases.models import Case, State
from urbangrid.command import stream
from urbangrid.core import clock
from urbangrid.intake import duty

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def county(small_county):
    o = build_org(small_county)
    grids = small_county["grids"]
    for i, grid in enumerate(grids[::3]):
        case = report(o, point=(grid.centroid_lon, grid.centroid_lat), type_code=("06010", "01001")[i % 2])
        if i % 3 == 1:
            to_dispatching(o, case)
        elif i % 3 == 2:
            to_disposing(o, case, department=o.hws if i % 2 == 0 else o.szgs)
    walk(o.sup, (grids[1].centroid_lon, grids[1].centroid_lat))
    walk(o.sup_e, (grids[-2].centroid_lon, grids[-2].centroid_lat))
    o.grids = grids
    return o


@pytest.fixture(autouse=True)
def _streams_end_with_the_test(page, monkeypatch):
    # A stream notices a closed browser at its next keep-alive line: make that soon, and close
    # the page's streams before the test database is flushed under the server's threads.
    monkeypatch.setattr(stream, "HEARTBEAT_S", 0.2)
    yield
    page.goto("about:blank")
    page.wait_for_timeout(600)


def _settle(page):
    page.wait_for_timeout(1500)  # charts animate, labels place themselves


def test_the_big_screen_shows_the_live_county_and_moves_on_its_own(page, county):
    o = county
    login(page, o.leader.username)
    page.goto("/command/screen/")
    page.wait_for_function("window.ugScreen && window.ugScreen.cases.markers.size >= 8")
    page.wait_for_function("window.ugScreen.people.markers.size === 2")
    page.wait_for_function("document.getElementById('scr-status').dataset.live === '1'")
    page.wait_for_function("document.querySelectorAll('#scr-today .scr-tile').length === 6")
    _settle(page)
    screenshot(page, "command_screen_1920")
    # A new report and a supervisor's step appear without a reload, within two seconds.
    grid = o.grids[4]
    case = report(o, point=(grid.centroid_lon + 0.0002, grid.centroid_lat))
    page.wait_for_function(f"window.ugScreen.cases.markers.has('{case.number}')", timeout=2000)
    duty.record_positions(o.sup, [duty.Point(clock.now(), grid.centroid_lon, grid.centroid_lat)])
    page.wait_for_function(
        f"Math.abs(window.ugScreen.people.markers.get('sup_w').getLatLng().lat - {grid.centroid_lat}) < 1e-6",
        timeout=2000,
    )
    # A click on a case opens its card: photo, timeline and holder.
    page.evaluate(f"window.ugScreen.cases.markers.get('{case.number}').fire('click')")
    page.wait_for_selector(".cmd-card .cmd-photos img")
    assert case.number in page.locator(".cmd-card h3").inner_text()
    _settle(page)
    screenshot(page, "command_screen_card")


def test_the_big_screen_fills_a_4k_display(chromium, live_server, county):
    context = chromium.new_context(
        viewport={"width": 3840, "height": 2160},
        locale="zh-CN",
        timezone_id="Asia/Shanghai",
        base_url=live_server.url,
    )
    page = context.new_page()
    try:
        login(page, county.leader.username)
        page.goto("/command/screen/")
        page.wait_for_function("window.ugScreen && window.ugScreen.cases.markers.size >= 8")
        size = page.evaluate("parseFloat(getComputedStyle(document.documentElement).fontSize)")
        assert size == 32  # everything laid out in rem doubles
        _settle(page)
        screenshot(page, "command_screen_3840")
    finally:
        context.close()


def test_replaying_yesterday_on_the_big_screen(page, county):
    o = county
    yesterday = clock.now() - timedelta(days=1)
    clock.clock.travel_to(yesterday.replace(hour=2))  # 10:00 Shanghai
    try:
        report(o, point=(o.grids[7].centroid_lon, o.grids[7].centroid_lat))
    finally:
        clock.clock.reset()
    login(page, o.leader.username)
    page.goto("/command/screen/")
    page.wait_for_function("window.ugScreen && window.ugScreen.cases.markers.size >= 8")
    page.fill("#replay-day", yesterday.date().isoformat())
    page.click("#replay-go")
    page.wait_for_selector("#replay-slider:not([hidden])")
    page.fill("#replay-slider", str(11 * 60))
    page.dispatch_event("#replay-slider", "input")
    assert page.evaluate("document.body.dataset.replayShown") == "1"
    page.fill("#replay-slider", str(9 * 60))
    page.dispatch_event("#replay-slider", "input")
    assert page.evaluate("document.body.dataset.replayShown") == "0"  # not yet reported at 09:00
    page.fill("#replay-slider", str(11 * 60))
    page.dispatch_event("#replay-slider", "input")
    _settle(page)
    screenshot(page, "command_screen_replay")
    page.click("#replay-back")
    page.wait_for_function("window.ugScreen.cases.markers.size >= 9")


def test_dispatching_and_sending_a_supervisor_from_the_desk(page, county):
    o = county
    waiting = Case.objects.filter(state=State.DISPATCHING).order_by("number").first()
    checking = to_disposing(o, report(o, point=(o.grids[-1].centroid_lon, o.grids[-1].centroid_lat)))
    services.feedback(o.cleaner, checking.number, note="已处置", photos=[photo()])
    login(page, o.dispatcher.username)
    page.goto("/command/")
    page.wait_for_function("window.ugDesk && window.ugDesk.cases.markers.size >= 8")
    page.select_option("select[name=state]", "dispatching")
    page.click("#desk-apply")
    page.wait_for_function(
        "[...window.ugDesk.cases.markers.values()].every((m) => m.caseData.state === 'dispatching')"
    )
    page.evaluate(f"window.ugDesk.cases.markers.get('{waiting.number}').fire('click')")
    item = page.locator(f"#desk-selection li[data-number='{waiting.number}']")
    item.locator("select[name=department]").select_option("hws" if waiting.type.code == "06010" else "szgs")
    _settle(page)
    screenshot(page, "command_desk")
    item.locator("button[data-act=dispatch]").click()
    page.wait_for_selector("#desk-result.ok")
    waiting.refresh_from_db()
    assert waiting.state == State.DISPOSING
    # A dispatcher has no button to send supervisors; the shift leader draws an area around the
    # east street's last grid and sends the check to the nearest supervisor on duty.
    assert page.locator("button[data-act=send]").count() == 0
    page.context.clear_cookies()  # log the dispatcher out
    login(page, o.shift.username)
    page.goto("/command/")
    page.wait_for_function("window.ugDesk && window.ugDesk.cases.markers.size >= 8")
    page.select_option("select[name=state]", "")
    page.click("#desk-apply")
    lon, lat = o.grids[-1].centroid_lon, o.grids[-1].centroid_lat
    d = 0.0015
    page.evaluate(
        f"window.ugDesk.setPolygon([[{lon - d},{lat - d}],[{lon + d},{lat - d}],[{lon + d},{lat + d}],[{lon - d},{lat + d}]])"
    )
    item = page.locator(f"#desk-selection li[data-number='{checking.number}']")
    item.locator("button[data-act=send]").click()
    page.wait_for_selector("#desk-result.ok")
    assert "李监督" in page.locator("#desk-result").inner_text()  # standing two grids away
    checking.refresh_from_db()
    assert checking.assignee == o.sup_e
    _settle(page)
    screenshot(page, "command_desk_area")


def test_the_patrol_view_shows_todays_walks(page, county):
    o = county
    login(page, o.shift.username)
    page.goto("/command/patrol/")
    page.wait_for_function("document.body.dataset.tracks === '2'")
    assert "李监督" in page.locator("#patrol-table").inner_text()
    _settle(page)
    screenshot(page, "command_patrol")


def test_disposal_staff_cannot_open_the_command_pages(page, county):
    login(page, county.worker.username)
    for path in ("/command/", "/command/screen/", "/command/patrol/"):
        assert page.goto(path).status == 403, path
