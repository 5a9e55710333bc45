"""The case work screens over the Django test client: each page for each role, the refusals a
user sees (wrong role 403, other scope 403, unknown 404, someone first 409, bad input 422), and
every action form posting through to its service."""

import re
from datetime import timedelta

import pytest
from django.test import Client

from tests.cases.conftest import photo
from tests.cases.test_lifecycle import report, to_dispatching, to_disposing
from tests.factories import PASSWORD
from urbangrid.cases import services
from urbangrid.cases.models import Case, CaseAction, Request, State
from urbangrid.notify.models import Notification

pytestmark = pytest.mark.django_db

HX = {"HX-Request": "true"}


def browser(user) -> Client:
    client = Client()
    assert client.login(username=user.username, password=PASSWORD)
    return client


def html(response) -> str:
    return response.content.decode()


def text(response) -> str:
    """The page's visible text, tags stripped and blanks collapsed."""
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html(response)))


def act(user, case, action, data=None):
    """Post an action form over htmx with the case's current version."""
    body = {"version": Case.objects.get(pk=case.pk).version, **(data or {})}
    return browser(user).post(f"/cases/{case.number}/actions/{action}/", body, headers=HX)


def state(case) -> str:
    return Case.objects.get(pk=case.pk).state


def assert_done(response, case):
    assert response.status_code == 204, text(response)[:600]
    assert response["HX-Redirect"] in (f"/cases/{case.number}/", "/cases/")


# ---------------------------------------------------------------- the queue


def test_pages_need_a_login(db):
    for path in (
        "/cases/",
        "/cases/2026000001/",
        "/cases/report/",
        "/cases/requests/",
        "/cases/notifications/",
    ):
        response = Client().get(path)
        assert response.status_code == 302 and "/accounts/login/" in response["Location"], path


def test_each_role_sees_its_own_queue_first(org):
    o = org
    reported = report(o)
    filing = report(o, point=o.east_point)
    services.accept(o.intake, filing.number)
    verifying = filing  # east grid: its supervisor is sup_e
    dispatching = to_dispatching(o, report(o))
    disposing = to_disposing(o, report(o))
    expected = [
        (o.intake, "受理员", reported),
        (o.sup_e, "监督员", verifying),
        (o.dispatcher, "派遣员", dispatching),
        (o.cleaner, "处置人员", disposing),
    ]
    for user, tab, case in expected:
        page = browser(user).get("/cases/")
        assert page.status_code == 200
        active = re.search(r'class="tab active"[^>]*>(.*?)</a>', html(page), re.S).group(1)
        assert tab in active, (user, active)
        assert f"/cases/{case.number}/" in html(page), user
    intake_page = html(browser(o.intake).get("/cases/"))
    assert f"/cases/{dispatching.number}/" not in intake_page
    worker_page = html(browser(o.worker).get("/cases/"))  # 市政公司 has nothing: the case went to 环卫所
    assert f"/cases/{disposing.number}/" not in worker_page and "暂无待办案卷" in worker_page
    mine = browser(o.citizen).get("/cases/")
    assert "我的上报" in text(mine) and f"/cases/{reported.number}/" in html(mine)


def test_a_role_the_user_does_not_hold_is_refused(org):
    response = browser(org.intake).get("/cases/?role=dispatcher")
    assert response.status_code == 403 and "您不具备该角色" in text(response)


def test_queue_rows_show_what_an_operator_needs(org):
    o = org
    case = to_dispatching(o, report(o))
    page = text(browser(o.dispatcher).get("/cases/?role=dispatcher"))
    row = page[page.index(case.number) :]
    for shown in (
        "暴露垃圾",
        "城西路12号",
        "城西街道",
        "待派遣",
        "剩余",
        "公众举报",
        "环卫所",
        "类型默认责任部门",
    ):
        assert shown in row[:400], shown


def test_filters_sorting_and_lights(org, clock):
    o = org
    old = report(o)
    clock.advance(timedelta(minutes=9))  # the intake limit is 10 minutes: old turns yellow
    newer = report(o, type_code="01001", kind="matter")
    client = browser(o.intake)

    def numbers(query):
        return re.findall(r'data-href="/cases/(\d+)/"', html(client.get("/cases/?role=intake&" + query)))

    assert numbers("") == [old.number, newer.number]  # least time left first
    assert numbers("order=new") == [newer.number, old.number]
    assert numbers("type=01001") == [newer.number]
    assert numbers("light=yellow") == [old.number]
    assert numbers("light=red") == []
    clock.advance(timedelta(minutes=5))
    assert numbers("light=red") == [old.number]
    page = client.get("/cases/?role=intake")
    assert "超时 4分钟" in text(page) and "剩余 5分钟" in text(page)
    tab = re.search(r'class="tab active"[^>]*>(.*?)</a>', html(page), re.S).group(1)
    assert re.search(r'class="count">2<', tab) and re.search(r'class="pill red"[^>]*>1<', tab)
    assert "pill yellow" not in tab  # the newer report has used half of its 10 minutes


def test_a_step_due_at_close_of_day_reads_overdue_at_night(org, clock):
    clock.advance(timedelta(hours=7, minutes=20))  # Thursday 17:20: ten working minutes end at 17:30
    case = report(org)
    assert case.step_due_at == clock.now() + timedelta(minutes=10)
    clock.advance(timedelta(hours=6))  # 23:20: no working time has run over, but the step is late
    page = text(browser(org.intake).get("/cases/?role=intake"))
    assert "超期" in page and "剩余 0分钟" not in page


def test_htmx_refresh_sends_the_table_and_fresh_tab_counts(org):
    o = org
    case = report(o)
    response = browser(o.intake).get("/cases/?role=intake", headers={**HX, "HX-Target": "queue-body"})
    body = html(response)
    assert response.status_code == 200 and "<html" not in body
    assert case.number in body and 'id="queue-tabs" class="tabs" hx-swap-oob="true"' in body


def test_bulk_dispatch_sends_each_case_to_its_suggestion(org):
    o = org
    a, b = to_dispatching(o, report(o)), to_dispatching(o, report(o))
    filing = report(o)  # not dispatchable: reported state
    client = browser(o.dispatcher)
    response = client.post(
        "/cases/bulk-dispatch/", {"numbers": [a.number, b.number, filing.number]}, headers=HX
    )
    assert response.status_code == 200
    page = text(response)
    assert f"{a.number}：已派遣至 环卫所" in page and f"{b.number}：已派遣至 环卫所" in page
    assert f"{filing.number}：案卷当前状态不允许此操作" in page
    assert state(a) == state(b) == State.DISPOSING and state(filing) == State.REPORTED
    nothing = client.post("/cases/bulk-dispatch/", {}, headers=HX)
    assert nothing.status_code == 422 and "请先勾选要派遣的案卷" in text(nothing)
    refused = browser(o.intake).post("/cases/bulk-dispatch/", {"numbers": [a.number]}, headers=HX)
    assert refused.status_code == 403


def test_bulk_dispatch_to_a_chosen_department(org):
    o = org
    case = to_dispatching(o, report(o))
    response = browser(o.dispatcher).post(
        "/cases/bulk-dispatch/", {"numbers": [case.number], "department": "szgs"}
    )
    assert response.status_code == 302 and response["Location"] == "/cases/?role=dispatcher"
    # Away from the suggestion without a reason: the service refuses, the case stays.
    assert state(case) == State.DISPATCHING
    unknown = browser(o.dispatcher).post(
        "/cases/bulk-dispatch/", {"numbers": [case.number], "department": "x"}, headers=HX
    )
    assert unknown.status_code == 422


# ---------------------------------------------------------------- the case page


def test_case_page_for_every_role_in_scope(org):
    o = org
    case = to_disposing(o, report(o))
    for user in (o.intake, o.shift, o.dispatcher, o.cleaner, o.leader, o.sup, o.citizen):
        response = browser(user).get(f"/cases/{case.number}/")
        assert response.status_code == 200, user
        page = text(response)
        assert case.number in page and "处置中" in page and "流程轨迹" in page and "环节时限" in page
    page = html(browser(o.cleaner).get(f"/cases/{case.number}/"))
    actions = set(re.findall(r'data-action="(\w+)"', page.split('id="case-actions"')[1].split("</nav>")[0]))
    assert actions == {"receive", "return", "request_extension", "request_suspend", "feedback"}
    config = re.search(r'id="case-map-config"[^>]*>(.*?)</script>', page).group(1)
    assert '"grid": "990101001001001"' in config


def test_reporter_phone_is_masked_except_for_the_centre(org):
    o = org
    case = report(o)
    assert "138****1234" in text(browser(o.dispatcher).get(f"/cases/{case.number}/"))
    assert "13812341234" in text(browser(o.intake).get(f"/cases/{case.number}/"))


def test_other_scope_is_403_and_unknown_is_404(org):
    o = org
    west = to_disposing(o, report(o))
    response = browser(o.sup_e).get(f"/cases/{west.number}/")
    assert response.status_code == 403 and "超出您的数据范围" in text(response)
    assert browser(o.worker).get(f"/cases/{west.number}/").status_code == 403
    assert browser(o.worker).get(f"/cases/{west.number}/actions/feedback/", headers=HX).status_code == 403
    assert browser(o.intake).get("/cases/2026999999/").status_code == 404
    assert browser(o.intake).get(f"/cases/{west.number}/actions/fly/").status_code == 404


def test_only_the_actions_allowed_now_open_a_form(org):
    o = org
    case = report(o)
    page = html(browser(o.intake).get(f"/cases/{case.number}/"))
    assert {"accept", "reject", "merge"} <= set(re.findall(r'data-action="(\w+)"', page))
    form = browser(o.intake).get(f"/cases/{case.number}/actions/accept/", headers=HX)
    assert (
        form.status_code == 200
        and 'name="supervisor"' in html(form)
        and 'name="version" value="1"' in html(form)
    )
    assert re.search(rf'<option value="{o.sup.pk}" selected>王监督', html(form))
    wrong_role = browser(o.dispatcher).get(f"/cases/{case.number}/actions/file/", headers=HX)
    assert wrong_role.status_code == 403 and "您的角色无权执行此操作" in text(wrong_role)
    assert "<form" not in html(wrong_role)
    wrong_state = browser(o.shift).get(f"/cases/{case.number}/actions/file/", headers=HX)
    assert wrong_state.status_code == 409 and "案卷当前状态不允许此操作" in text(wrong_state)
    full_page = browser(o.intake).get(f"/cases/{case.number}/actions/reject/")
    assert full_page.status_code == 200 and "<html" in html(full_page) and 'name="reason"' in html(full_page)


# ---------------------------------------------------------------- the loop through the forms


def test_the_whole_loop_through_the_forms(org):
    o = org
    case = report(o)
    assert_done(act(o.intake, case, "accept", {"supervisor": o.sup.pk, "note": "请核实"}), case)
    assert state(case) == State.VERIFYING
    assert_done(act(o.sup, case, "verify", {"confirmed": "1", "photos": [photo()]}), case)
    assert state(case) == State.FILING
    assert_done(
        act(o.shift, case, "file", {"meets_condition": "on", "type": "06010", "urgency": "normal"}), case
    )
    assert state(case) == State.DISPATCHING
    assert_done(act(o.dispatcher, case, "dispatch", {"department": "hws", "note": "尽快清运"}), case)
    assert Case.objects.get(pk=case.pk).department == o.hws
    assert_done(
        act(o.cleaner, case, "feedback", {"note": "已清运", "photos": [photo(), photo("b.png")]}), case
    )
    assert state(case) == State.CHECKING
    assert_done(act(o.sup, case, "check", {"passed": "1", "photos": [photo()]}), case)
    assert_done(act(o.shift, case, "close", {"meets_condition": "on"}), case)
    assert state(case) == State.CLOSED
    shift = browser(o.shift)
    version = Case.objects.get(pk=case.pk).version
    response = shift.post(f"/cases/{case.number}/actions/archive/", {"version": version})
    assert response.status_code == 302 and response["Location"] == f"/cases/{case.number}/"
    assert state(case) == State.ARCHIVED
    page = text(shift.get(f"/cases/{case.number}/"))
    assert f"操作成功（归档）：案卷 {case.number} 当前状态为“已归档”" in page
    actions = list(CaseAction.objects.filter(case=case).values_list("action", flat=True))
    assert actions == [
        "report",
        "accept",
        "verify",
        "file",
        "dispatch",
        "feedback",
        "check",
        "close",
        "archive",
    ]
    assert CaseAction.objects.get(case=case, action="dispatch").note == "尽快清运"
    assert Case.objects.get(pk=case.pk).photos.count() == 5
    trail = page[page.index("流程轨迹") :]
    assert trail.index("上报") < trail.index("受理") < trail.index("派遣") < trail.index("归档")


def test_filing_corrects_the_type_and_urgency(org):
    o = org
    case = report(o)
    services.accept(o.intake, case.number)
    services.verify(o.sup, case.number, confirmed=True, photos=[photo()])
    form = html(browser(o.shift).get(f"/cases/{case.number}/actions/file/", headers=HX))
    assert "立案条件" in form and '<option value="06010" selected>' in form
    assert_done(
        act(o.shift, case, "file", {"meets_condition": "on", "type": "06011", "urgency": "urgent"}), case
    )
    fresh = Case.objects.get(pk=case.pk)
    assert fresh.type.code == "06011" and fresh.urgency == "urgent"


def test_service_refusals_are_shown_beside_the_form(org):
    o = org
    case = report(o)
    no_reason = act(o.intake, case, "reject", {"note": "重复"})
    assert (
        no_reason.status_code == 422
        and "请选择原因" in text(no_reason)
        and 'name="reason"' in html(no_reason)
    )
    services.accept(o.intake, case.number)
    no_photo = act(o.sup, case, "verify", {"confirmed": "1"})
    assert no_photo.status_code == 422 and "照片" in text(no_photo)
    not_image = act(o.sup, case, "verify", {"confirmed": "1", "photos": [photo("x.png", b"not an image")]})
    assert not_image.status_code == 422 and "JPEG" in text(not_image)
    services.verify(o.sup, case.number, confirmed=True, photos=[photo()])
    unchecked = act(o.shift, case, "file", {"type": "06010", "urgency": "normal"})
    assert unchecked.status_code == 422 and "立案条件" in text(unchecked)
    services.file_case(o.shift, case.number, meets_condition=True)
    elsewhere = act(o.dispatcher, case, "dispatch", {"department": "szgs"})
    assert elsewhere.status_code == 422 and "请选择原因" in text(elsewhere)
    assert_done(
        act(o.dispatcher, case, "dispatch", {"department": "szgs", "reason": "better_department"}), case
    )
    no_note = act(o.worker, case, "return", {"reason": "not_our_duty"})
    assert no_note.status_code == 422 and "不属于本单位" in text(no_note)
    bad_number = act(o.worker, case, "request_extension", {"reason": "weather", "extra_value": "abc"})
    assert bad_number.status_code == 422 and "extra_value" in html(bad_number)
    assert state(case) == State.DISPOSING


def test_wrong_role_posting_is_403_and_changes_nothing(org):
    o = org
    case = to_dispatching(o, report(o))
    response = act(o.intake, case, "dispatch", {"department": "hws"})
    assert response.status_code == 403 and "您的角色无权执行此操作" in text(response)
    assert state(case) == State.DISPATCHING
    outside = act(o.sup_e, to_disposing(o, report(o)), "feedback", {"note": "x", "photos": [photo()]})
    assert outside.status_code == 403


def test_someone_else_acting_first_gives_409_with_the_fresh_state(org):
    o = org
    case = to_dispatching(o, report(o))
    seen = Case.objects.get(pk=case.pk).version
    services.dispatch(o.dispatcher2, case.number, department=o.hws)
    response = browser(o.dispatcher).post(
        f"/cases/{case.number}/actions/dispatch/", {"version": seen, "department": "hws"}, headers=HX
    )
    assert response.status_code == 409
    body = html(response)
    assert "案卷当前状态不允许此操作" in text(response) and "“处置中”" in text(response)
    assert 'id="case-head" class="case-head" hx-swap-oob="true" data-state="disposing"' in body
    assert "<form" not in body.split('id="case-head"')[0]  # no second chance on a stale form
    full_page = browser(o.dispatcher).post(
        f"/cases/{case.number}/actions/dispatch/", {"version": seen, "department": "hws"}
    )
    assert (
        full_page.status_code == 409
        and "<html" in html(full_page)
        and "案卷当前状态不允许此操作" in text(full_page)
    )


def test_stale_version_in_the_same_state_is_409(org):
    o = org
    case = to_disposing(o, report(o))
    seen = Case.objects.get(pk=case.pk).version
    services.urge(o.leader, case.number, note="抓紧处理")
    response = browser(o.cleaner).post(
        f"/cases/{case.number}/actions/feedback/",
        {"version": seen, "note": "已清运", "photos": [photo()]},
        headers=HX,
    )
    assert response.status_code == 409 and "案卷已被他人修改" in text(response)
    # Still possible: a fresh form with the new version is offered beside the message.
    assert f'name="version" value="{seen + 1}"' in html(response)
    assert state(case) == State.DISPOSING


def test_claim_shows_the_holder_and_blocks_other_operators(org):
    o = org
    case = report(o)
    assert_done(browser(o.intake).post(f"/cases/{case.number}/actions/claim/", headers=HX), case)
    mine = text(browser(o.intake).get(f"/cases/{case.number}/"))
    assert "您正在处理" in mine and "释放" in mine
    other = browser(o.intake2).get(f"/cases/{case.number}/")
    page = text(other)
    assert f"{o.intake} 正在处理" in page and 'data-action="accept"' not in html(other)
    assert "其他坐席正在处理此案卷" in page
    blocked = act(o.intake2, case, "accept")
    assert blocked.status_code == 409 and "另一位工作人员正在处理此案卷" in text(blocked)
    queue = text(browser(o.intake2).get("/cases/"))
    assert f"{o.intake} 处理中" in queue
    assert_done(browser(o.intake).post(f"/cases/{case.number}/actions/release/", headers=HX), case)
    assert 'data-action="accept"' in html(browser(o.intake2).get(f"/cases/{case.number}/"))


# ---------------------------------------------------------------- requests and the ledger


def test_extension_request_and_the_shift_leaders_decision(org):
    o = org
    case = to_disposing(o, report(o))
    due = Case.objects.get(pk=case.pk).disposal_due_at
    assert_done(
        act(
            o.cleaner,
            case,
            "request_extension",
            {"reason": "weather", "extra_value": "4", "extra_unit": "work_hours"},
        ),
        case,
    )
    twice = act(
        o.cleaner,
        case,
        "request_extension",
        {"reason": "weather", "extra_value": "4", "extra_unit": "work_hours"},
    )
    assert twice.status_code == 409 and "该案卷已有待审批的申请" in text(twice)
    page = browser(o.shift).get("/cases/requests/")
    assert page.status_code == 200
    assert case.number in text(page) and "受天气影响" in text(page) and "延长 4 工作时" in text(page)
    assert "待审批申请 1" in text(browser(o.shift).get("/cases/"))
    req = Request.objects.get(case=case)
    decide = f"/cases/{case.number}/actions/decide_request/"
    declined = browser(o.shift).post(decide, {"request": req.pk, "approve": "0", "inline": "1"}, headers=HX)
    assert (
        declined.status_code == 422
        and "请说明不批准的理由" in text(declined)
        and "<section" not in html(declined)
    )
    approved = browser(o.shift).post(
        decide,
        {"request": req.pk, "approve": "1", "note": "同意", "inline": "1", "next": "/cases/requests/"},
        headers=HX,
    )
    assert approved.status_code == 204 and approved["HX-Redirect"] == "/cases/requests/"
    fresh = Case.objects.get(pk=case.pk)
    assert fresh.extension_count == 1 and fresh.disposal_due_at > due
    assert "暂无待您审批的申请" in text(browser(o.shift).get("/cases/requests/"))
    assert 'data-action="decide_request"' not in html(browser(o.shift).get(f"/cases/{case.number}/"))
    again = browser(o.shift).post(decide, {"request": req.pk, "approve": "1"}, headers=HX)
    assert again.status_code == 409 and "该申请已审批" in text(again)


def test_requests_page_is_for_deciders_only(org):
    assert browser(org.dispatcher).get("/cases/requests/").status_code == 403
    assert browser(org.cleaner).get("/cases/requests/").status_code == 403
    assert browser(org.leader).get("/cases/requests/").status_code == 200


def test_suspend_needs_the_leader_and_the_dispatcher_resumes(org):
    o = org
    case = to_disposing(o, report(o))
    assert_done(act(o.cleaner, case, "request_suspend", {"reason": "funding", "note": "需专项资金"}), case)
    req = Request.objects.get(case=case)
    assert case.number not in text(browser(o.shift).get("/cases/requests/"))  # 挂账 is the leader's
    page = browser(o.leader).get(f"/cases/{case.number}/")
    assert f'data-request="{req.pk}"' in html(page)
    assert_done(act(o.leader, case, "decide_request", {"request": req.pk, "approve": "1"}), case)
    assert state(case) == State.SUSPENDED
    page = text(browser(o.dispatcher).get(f"/cases/{case.number}/"))
    assert "已挂账，计时暂停" in page and "恢复处置" in page
    assert "计时暂停" in text(browser(o.dispatcher).get("/cases/?role=dispatcher"))
    assert_done(act(o.dispatcher, case, "resume", {"note": "资金已到位"}), case)
    assert state(case) == State.DISPOSING


def test_return_rework_cancel_and_urge(org):
    o = org
    case = to_disposing(o, report(o))
    assert_done(act(o.cleaner, case, "return", {"reason": "not_our_duty", "note": "应由市政公司处置"}), case)
    assert state(case) == State.DISPATCHING
    assert "已被部门回退 1 次" in text(
        browser(o.dispatcher).get(f"/cases/{case.number}/actions/dispatch/", headers=HX)
    )
    services.dispatch(o.dispatcher, case.number, department=o.szgs, reason_code="better_department")
    # The page returns where it was asked to, but never off the site.
    assert_done(act(o.leader, case, "urge", {"note": "今日内完成", "next": "https://evil.example/"}), case)
    assert Notification.objects.filter(user=o.worker, kind="urged").exists()
    no_note = act(o.leader, case, "urge", {"note": ""})
    assert no_note.status_code == 422
    services.feedback(o.worker, case.number, note="done", photos=[photo()])
    services.check(o.sup, case.number, passed=True, photos=[photo()])
    assert_done(act(o.shift, case, "rework", {"reason": "incomplete", "note": "仍有残留"}), case)
    fresh = Case.objects.get(pk=case.pk)
    assert fresh.state == State.DISPOSING and fresh.rework_count == 1
    assert_done(act(o.shift, case, "cancel", {"reason": "mistake", "note": "录入错误"}), case)
    assert state(case) == State.CANCELLED


def test_duplicates_side_by_side_and_merge(org):
    o = org
    first = report(o)
    second = report(o, point=(o.west_point[0] + 0.0001, o.west_point[1]))
    page = browser(o.intake).get(f"/cases/{second.number}/")
    body = html(page)
    assert "疑似重复案卷" in text(page) and f'data-number="{first.number}"' in body and "相距" in text(page)
    assert body.count('class="thumb"') >= 2  # this case's photo beside the earlier one's
    link = f"/cases/{second.number}/actions/merge/?into={first.number}"
    assert link in body
    form = html(browser(o.intake).get(link, headers=HX))
    assert f'name="into" value="{first.number}"' in form
    assert_done(act(o.intake, second, "merge", {"into": first.number}), second)
    assert state(second) == State.MERGED
    into_itself = act(o.intake, first, "merge", {"into": first.number})
    assert into_itself.status_code == 422
    assert second.number in text(browser(o.intake).get(f"/cases/{first.number}/"))


# ---------------------------------------------------------------- the report desk


def test_hotline_seat_reports_a_call(org):
    o = org
    client = browser(o.intake)
    form = html(client.get("/cases/report/"))
    assert 'value="hotline_12319"' in form and 'name="reporter_phone"' in form and "<optgroup" in form
    data = {
        "source": "hotline_12319",
        "kind": "matter",
        "type": "06010",
        "urgency": "normal",
        "description": "来电反映路口垃圾堆积",
        "lon": o.west_point[0],
        "lat": o.west_point[1],
        "reporter_name": "张先生",
        "reporter_phone": "13900001111",
        "external_ref": "12345-0001",
        "photos": [photo()],
    }
    response = client.post("/cases/report/", data)
    case = Case.objects.get(description="来电反映路口垃圾堆积")
    assert response.status_code == 302 and response["Location"] == f"/cases/{case.number}/"
    assert case.source == "hotline_12319" and case.external_ref == "12345-0001" and case.address
    assert case.reporters.get().phone == "13900001111"
    page = text(client.get(response["Location"]))
    assert f"案卷 {case.number} 已上报" in page and "张先生" in page


def test_citizen_reports_from_their_only_channel(org):
    o = org
    client = browser(o.citizen)
    form = html(client.get("/cases/report/"))
    assert re.findall(r'<option value="(\w+)"', form.split('name="source"')[1].split("</select>")[0]) == [
        "public"
    ]
    assert 'name="reporter_phone"' not in form
    base = {
        "kind": "matter",
        "type": "06010",
        "urgency": "normal",
        "description": "垃圾",
        "lon": 120.001,
        "lat": 30.009,
    }
    hotline = client.post("/cases/report/", {**base, "source": "hotline_12319"})
    assert hotline.status_code == 422 and not Case.objects.exists()
    outside = client.post("/cases/report/", {**base, "source": "public", "lon": 121.5, "lat": 31.2})
    assert outside.status_code == 422 and "辖区" in text(outside) and not Case.objects.exists()
    assert 'value="121.5"' in html(outside)  # the point is kept for correction
    no_text = client.post("/cases/report/", {**base, "source": "public", "description": " "})
    assert no_text.status_code == 422 and "请描述问题" in text(no_text)
    ok = client.post("/cases/report/", {**base, "source": "public", "photos": [photo()]}, headers=HX)
    assert ok.status_code == 204 and Case.objects.get().reporter == o.citizen


def test_report_desk_is_refused_to_roles_that_do_not_report(org):
    response = browser(org.cleaner).get("/cases/report/")
    assert response.status_code == 403 and "您的角色无权执行此操作" in text(response)


# ---------------------------------------------------------------- notifications


def test_notifications_are_counted_listed_and_then_read(org):
    o = org
    case = report(o)
    services.accept(o.intake, case.number)
    client = browser(o.citizen)
    badge = html(client.get("/cases/notifications/badge/"))
    assert re.search(r'class="count">1<', badge) and 'hx-trigger="every 30s' in badge
    page = client.get("/cases/notifications/")
    assert (
        "已受理" in text(page) and 'class="unread"' in html(page) and f"/cases/{case.number}/" in html(page)
    )
    assert not Notification.objects.filter(user=o.citizen, read_at__isnull=True).exists()
    assert 'class="count"' not in html(client.get("/cases/notifications/badge/"))
    assert 'class="unread"' not in html(client.get("/cases/notifications/"))


def test_the_dispatcher_queue_does_not_query_per_row(org):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from tests.cases.test_lifecycle import to_dispatching

    o = org
    client = browser(o.dispatcher)

    def queries_for_page() -> int:
        with CaptureQueriesContext(connection) as ctx:
            assert client.get("/cases/?role=dispatcher").status_code == 200
        return len(ctx.captured_queries)

    to_dispatching(o, report(o))
    to_dispatching(o, report(o, type_code="01001", kind="matter"))
    two = queries_for_page()
    for _ in range(4):
        to_dispatching(o, report(o))
    assert queries_for_page() == two
