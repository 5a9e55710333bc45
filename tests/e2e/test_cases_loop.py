"""The closed loop in a real browser: a newcomer logs in as each role in turn and carries one case
from report to archive; the dispatcher's desk (bulk dispatch, someone acting first) and the
department's request for more time with the shift leader's decision. Every page is kept as a
1920×1080 screenshot in test-artifacts/."""

import struct
import zlib
from datetime import timedelta

import pytest

from tests.browser import login, screenshot
from tests.cases.conftest import org, photo  # noqa: F401  (org: the unit tests' county and organisation)
from urbangrid.cases import services
from urbangrid.cases.models import Case, Request, State

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def street_photo(path, *, litter: bool) -> str:
    """A 320×240 PNG of a pavement beside a road, with a pile of rubbish or without."""
    w, h = 320, 240
    rows = []
    for y in range(h):
        row = bytearray([0])
        for x in range(w):
            if y > 150:
                rgb = (88, 92, 98)  # asphalt
            elif y > 140:
                rgb = (200, 200, 196)  # kerb
            else:
                rgb = (176, 160, 140) if (x // 20 + y // 20) % 2 else (186, 170, 150)  # paving
            if litter and (x - 160) ** 2 / 70**2 + (y - 110) ** 2 / 30**2 <= 1:
                rgb = (120, 84, 40) if (x * 7 + y * 3) % 11 else (230, 230, 220)
            row += bytes(rgb)
        rows.append(bytes(row))

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    png = b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", w, h, 8, 2, 0, 0, 0))
    png += chunk(b"IDAT", zlib.compress(b"".join(rows))) + chunk(b"IEND", b"")
    path.write_bytes(png)
    return str(path)


def _login_as(page, username):
    """The next person at the desk: the last one's session goes, then the helper logs in and
    waits until the login form has really been left."""
    page.context.clear_cookies()
    login(page, username)
    page.wait_for_url(lambda url: "/accounts/login/" not in url)


def _map_point(page, lon, lat):
    x, y = page.evaluate(
        "([lat, lon]) => { const p = window.ugCaseMap.latLngToContainerPoint([lat, lon]); return [p.x, p.y]; }",
        [lat, lon],
    )
    box = page.locator("#case-map").bounding_box()
    return box["x"] + x, box["y"] + y


def _open_case(page, number, role=None):
    page.goto("/cases/" + (f"?role={role}" if role else ""))
    page.locator(f"tr[data-href='/cases/{number}/']").click()
    page.wait_for_url(f"**/cases/{number}/")
    page.wait_for_selector("path.case-grid")


def _act(page, action):
    page.click(f"#case-actions [data-action={action}]")
    page.wait_for_selector(f"#action-panel [data-panel={action}] form")


def _submit(page, number, label):
    page.click("#action-panel form button[type=submit]")
    page.wait_for_url(f"**/cases/{number}/")
    page.wait_for_selector(f"#case-head .state:text-is('{label}')")


def _state(number):
    return Case.objects.get(number=number).state


def test_a_newcomer_carries_a_case_from_report_to_archive(org, page, tmp_path, clock):  # noqa: F811
    o = org
    before = street_photo(tmp_path / "before.png", litter=True)
    after = street_photo(tmp_path / "after.png", litter=False)

    # A citizen reports rubbish on the pavement, pointing at the map.
    _login_as(page, "citizen1")
    page.goto("/cases/report/")
    assert page.locator("select[name=source] option").all_inner_texts() == ["公众举报"]
    page.fill(".type-search", "暴露垃圾")
    page.wait_for_function("document.querySelector('select[name=type]').value === '06010'")
    page.fill("textarea[name=description]", "人行道上堆放大量生活垃圾，影响通行")
    page.wait_for_selector("path.ug-street")
    page.evaluate("window.ugCaseMap.setView([30.009, 120.001], 17)")
    page.wait_for_timeout(300)
    page.mouse.click(*_map_point(page, *o.west_point))
    page.wait_for_function("document.getElementById('located').textContent.includes('990101001001001')")
    page.set_input_files("input[name=photos]", before)
    screenshot(page, "cases-report-desk")
    page.click("#report-form button[type=submit]")
    page.wait_for_url("**/cases/2026*/")
    number = page.url.rstrip("/").rsplit("/", 1)[-1]
    assert page.locator("#case-head .state").inner_text() == "待受理"
    assert "已上报" in page.locator(".messages").inner_text()
    assert page.locator("#case-actions a").count() == 0  # a citizen only follows the case
    case = Case.objects.get(number=number)
    assert case.grid_code == "990101001001001" and case.photos.count() == 1

    clock.advance(timedelta(minutes=4))
    # The intake operator finds it first in the queue and accepts it; the grid's supervisor is preset.
    _login_as(page, "intake1")
    page.goto("/cases/")
    assert page.locator(".tab.active").inner_text().startswith("受理员")
    row = page.locator(f"tr[data-href='/cases/{number}/']")
    assert "暴露垃圾" in row.inner_text() and "公众举报" in row.inner_text() and "剩余" in row.inner_text()
    screenshot(page, "cases-queue-intake")
    _open_case(page, number)
    screenshot(page, "cases-page-reported")
    _act(page, "accept")
    assert page.locator("select[name=supervisor] option:checked").inner_text().startswith("王监督")
    screenshot(page, "cases-accept-form")
    _submit(page, number, "待核实")
    assert "操作成功（受理）" in page.locator(".messages").inner_text()

    clock.advance(timedelta(minutes=25))
    # The supervisor verifies on the spot with a photo.
    _login_as(page, "sup_w")
    _open_case(page, number, "supervisor")
    page.set_viewport_size({"width": 412, "height": 915})  # on the phone, in the street
    _act(page, "verify")
    page.check("input[name=confirmed][value='1']")
    page.set_input_files("input[name=photos]", before)
    page.fill("textarea[name=note]", "现场核实属实")
    page.locator("#action-panel").scroll_into_view_if_needed()
    screenshot(page, "cases-verify-phone")
    _submit(page, number, "待立案")
    page.set_viewport_size({"width": 1920, "height": 1080})

    clock.advance(timedelta(minutes=40))
    # The shift leader files it against the type's condition; forgetting the box is refused.
    _login_as(page, "shift1")
    _open_case(page, number, "shift_leader")
    _act(page, "file")
    panel = page.locator("#action-panel")
    assert "立案条件" in panel.inner_text() and panel.locator(".panel-aside a.thumb").count() == 2
    page.click("#action-panel form button[type=submit]")
    page.wait_for_selector("#action-panel .notice.error")
    assert "符合立案条件" in panel.locator(".notice.error").inner_text()
    assert _state(number) == State.FILING
    page.check("input[name=meets_condition]")
    screenshot(page, "cases-file-form")
    _submit(page, number, "待派遣")

    clock.advance(timedelta(minutes=12))
    # The dispatcher sees the suggested department and dispatches there.
    _login_as(page, "disp1")
    page.goto("/cases/?role=dispatcher")
    assert "环卫所" in page.locator(f"tr[data-href='/cases/{number}/']").inner_text()
    _open_case(page, number, "dispatcher")
    _act(page, "dispatch")
    assert page.locator("select[name=department]").input_value() == "hws"
    assert "依据：类型默认责任部门" in page.locator("#action-panel .panel-aside").inner_text()
    screenshot(page, "cases-dispatch-form")
    _submit(page, number, "处置中")

    clock.advance(timedelta(minutes=20))
    # The sanitation office signs for the task, and later feeds back with a photo after disposal.
    _login_as(page, "hws1")
    page.goto("/cases/")
    assert page.locator(".tab.active").inner_text().startswith("处置人员")
    _open_case(page, number)
    _act(page, "receive")
    page.click("#action-panel form button[type=submit]")
    page.wait_for_selector("#case-timeline tr.act-receive")
    assert page.locator("#case-timeline tr.act-receive b").inner_text() == "签收"
    assert page.locator("#case-actions [data-action=receive]").count() == 0
    assert _state(number) == State.DISPOSING
    clock.advance(timedelta(minutes=130))
    page.reload()
    _act(page, "feedback")
    page.set_input_files("input[name=photos]", after)
    page.fill("textarea[name=note]", "已清运完毕")
    _submit(page, number, "待核查")

    clock.advance(timedelta(minutes=35))
    # The supervisor checks on the spot.
    _login_as(page, "sup_w")
    _open_case(page, number, "supervisor")
    _act(page, "check")
    page.check("input[name=passed][value='1']")
    page.set_input_files("input[name=photos]", after)
    _submit(page, number, "待结案")

    clock.advance(timedelta(minutes=20))
    # The shift leader closes against the closing condition, with before and after side by side, and archives.
    _login_as(page, "shift1")
    _open_case(page, number, "shift_leader")
    _act(page, "close")
    aside = page.locator("#action-panel .panel-aside")
    assert "结案条件" in aside.inner_text() and aside.locator("a.thumb").count() == 4
    page.check("input[name=meets_condition]")
    screenshot(page, "cases-close-form")
    _submit(page, number, "已结案")
    _act(page, "archive")
    _submit(page, number, "已归档")

    trail = page.locator("#case-timeline tbody tr")
    assert trail.count() == 10
    assert trail.nth(4).inner_text().split("\t")[1] == "派遣"
    assert trail.nth(5).inner_text().split("\t")[1] == "签收"
    assert page.locator(".photo-stages a.thumb").count() == 4
    page.locator(".photo-stages a.thumb").first.click()
    page.wait_for_selector("#lightbox:not([hidden])")
    screenshot(page, "cases-lightbox")
    page.keyboard.press("Escape")
    screenshot(page, "cases-page-archived")
    assert _state(number) == State.ARCHIVED


def _to_dispatching(o, point=None, type_code="06010", address="城西路8号", description="路边垃圾堆积"):
    lon, lat = point or o.west_point
    case = services.report_case(
        o.citizen,
        source="public",
        kind="matter",
        type_code=type_code,
        description=description,
        lon=lon,
        lat=lat,
        photos=[photo()],
        address=address,
    )
    case = services.accept(o.intake, case.number)
    services.verify(case.assignee, case.number, confirmed=True, photos=[photo()])
    services.file_case(o.shift, case.number, meets_condition=True)
    return case.number


def test_dispatcher_desk_bulk_dispatch_and_someone_acting_first(org, page, clock):  # noqa: F811
    o = org
    late = _to_dispatching(o, o.east_point, "01001", "城东路3号人行道", "供水井盖破损下沉")
    clock.advance(timedelta(minutes=26))  # the dispatch limit is 30 minutes: this one runs out first
    first = _to_dispatching(o)
    second = _to_dispatching(o, (120.0071, 30.0012), "06012", "城西路南段", "道路不洁，散落泥沙")
    third = _to_dispatching(o, (120.0032, 30.0061), address="建设路与城西路交叉口")
    clock.advance(timedelta(minutes=6))
    _login_as(page, "disp1")
    page.goto("/cases/?role=dispatcher")
    assert "超时" in page.locator(f"tr[data-href='/cases/{late}/']").inner_text()
    for number in (first, second):
        page.check(f"input[name=numbers][value='{number}']")
    assert "(2)" in page.locator("#bulk-form button[type=submit]").inner_text()
    assert "市政公司" in page.locator(f"tr[data-href='/cases/{late}/']").inner_text()  # 井盖 → its default
    screenshot(page, "cases-queue-dispatcher")
    page.click("#bulk-form button[type=submit]")
    page.wait_for_selector(".bulk-results")
    results = page.locator(".bulk-results").inner_text()
    # Each to its own suggestion: the type's department, or the street by territorial fallback.
    assert f"{first}：已派遣至 环卫所" in results and f"{second}：已派遣至 城西街道办事处" in results
    assert _state(first) == _state(second) == State.DISPOSING
    assert page.locator(f"tr[data-href='/cases/{first}/']").count() == 0
    screenshot(page, "cases-bulk-dispatched")

    # A new case arrives: the queue refreshes itself (every 30 s, or at once on a case event).
    fresh = _to_dispatching(o, (120.0045, 30.0072), "06036", "城西路22号门前", "店外乱堆杂物")
    page.evaluate("htmx.trigger(document.body, 'case-changed')")
    page.wait_for_selector(f"tr[data-href='/cases/{fresh}/']")
    assert page.locator(".tab.active .count").inner_text() == "3"

    # Another dispatcher dispatches the third case while this one has the form open.
    _open_case(page, third, "dispatcher")
    _act(page, "dispatch")
    services.dispatch(o.dispatcher2, third, department=o.hws)
    page.click("#action-panel form button[type=submit]")
    page.wait_for_selector("#action-panel .notice.error")
    assert "案卷当前状态不允许此操作" in page.locator("#action-panel .notice.error").inner_text()
    assert page.locator("#case-head .state").inner_text() == "处置中"
    assert page.locator("#case-actions [data-action=dispatch]").count() == 0
    screenshot(page, "cases-conflict-409")


def test_department_asks_for_more_time_and_the_shift_leader_decides(org, page):  # noqa: F811
    o = org
    number = _to_dispatching(o)
    services.dispatch(o.dispatcher, number, department=o.hws)
    _login_as(page, "hws1")
    _open_case(page, number)
    _act(page, "request_extension")
    page.select_option("select[name=reason]", "weather")
    page.fill("input[name=extra_value]", "4")
    page.fill("textarea[name=note]", "连续降雨，清运车辆无法作业")
    page.click("#action-panel form button[type=submit]")
    page.wait_for_url(f"**/cases/{number}/")
    assert "申请延期" in page.locator(".messages").inner_text()
    assert "待审批" in page.locator(".request.status-pending").inner_text()

    _login_as(page, "shift1")
    page.goto("/cases/requests/")
    row = page.locator("table.requests tbody tr").first
    assert (
        number in row.inner_text()
        and "受天气影响" in row.inner_text()
        and "延长 4 工作时" in row.inner_text()
    )
    screenshot(page, "cases-requests")
    row.locator("button.danger").click()  # declining needs an opinion
    page.wait_for_selector(".decision-msg .error")
    assert "说明" in page.locator(".decision-msg").inner_text()
    row.locator("input[name=note]").fill("同意延期")
    row.locator("button.primary").click()
    page.wait_for_selector("table.requests tr.empty")
    assert Request.objects.get(case__number=number).status == Request.Status.APPROVED
    case = Case.objects.get(number=number)
    assert case.extension_count == 1
    page.goto(f"/cases/{number}/")
    assert "已批准" in page.locator(".request").first.inner_text()
    screenshot(page, "cases-page-extended")
