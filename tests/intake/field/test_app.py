"""城管通 in a real browser on a phone-sized screen with the GPS at a point of the small county:
log in, report with a photo, answer a task, go on and off duty, queue reports without signal
and send them exactly once when the signal returns. Every screen is kept in test-artifacts/."""

import pytest

from tests.browser import PASSWORD, phone_context, screenshot
from tests.cases.conftest import org  # noqa: F401  (the small county's organisation)
from urbangrid.cases.models import Case, CasePhoto, State
from urbangrid.catalog.search import pinyin_keys
from urbangrid.intake.models import DutyShift, Position

from .conftest import checking_case, jpeg_bytes, verifying_case

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

GARBAGE = ("06010", "暴露垃圾")
PHOTO = {"name": "street.jpg", "mimeType": "image/jpeg", "buffer": jpeg_bytes(1200, 900)}


@pytest.fixture
def fast(settings):
    settings.URBANGRID = {**settings.URBANGRID, "FIELD_TASK_POLL_SECONDS": 1, "FIELD_POSITION_SECONDS": 1}


@pytest.fixture
def phone(chromium, live_server, org, fast):  # noqa: F811
    lon, lat = org.west_point
    context = phone_context(chromium, live_server.url, lon, lat)
    page = context.new_page()
    yield page
    context.close()


def open_app(page, username="sup_w"):
    """Open /field/: the login page comes first and leads back to the app."""
    page.goto("/field/")
    page.wait_for_url("**/accounts/login/?next=/field/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url("**/field/")
    page.wait_for_selector("body[data-ready='1']")


def fill_report(page, *, search=None, photo=PHOTO):
    code, name = GARBAGE
    page.click("[data-tab=report]")
    page.fill("#type-search", search or pinyin_keys(name)[0])
    page.click(f"#type-list [data-type='{code}']")
    page.set_input_files("#report-photos", files=[photo])
    page.wait_for_selector("#report-thumbs img")


def outbox_statuses(page):
    return page.locator("#outbox-list li").evaluate_all("els => els.map(e => e.dataset.status)")


def test_report_with_a_photo_from_the_phone(phone, org):  # noqa: F811
    open_app(phone)
    phone.wait_for_selector("#main-map path.leaflet-interactive")
    screenshot(phone, "field-map")
    code, name = GARBAGE
    fill_report(phone)
    assert phone.locator("#type-chosen span").inner_text().startswith(name)
    phone.wait_for_selector("#report-place:has-text('990101001001001')")
    phone.fill("#report-note", "路边垃圾堆放")
    screenshot(phone, "field-report")
    phone.click("#report-submit")
    phone.wait_for_selector("#toast.good")
    case = Case.objects.get()
    assert (case.source, case.type.code, case.reporter, case.description) == (
        "supervisor",
        code,
        org.sup,
        "路边垃圾堆放",
    )
    assert case.grid_code == "990101001001001" and case.external_ref
    stored = case.photos.get(stage=CasePhoto.Stage.REPORT).image
    assert stored.name.endswith(".jpeg")  # resized on the phone: always a JPEG
    assert case.number in phone.locator("#toast").inner_text()
    screenshot(phone, "field-reported")
    # The type just used comes first the next time, marked as frequent.
    phone.reload()
    phone.wait_for_selector("body[data-ready='1']")
    phone.click("[data-tab=report]")
    assert phone.locator("#type-list li").first.locator("button").get_attribute("data-type") == code
    assert phone.locator("#type-list li").first.locator(".tag").count() == 1


def test_reports_made_without_signal_are_sent_once_when_it_returns(phone, org):  # noqa: F811
    open_app(phone)
    phone.evaluate("navigator.serviceWorker.ready.then(() => true)")
    phone.context.set_offline(True)
    for note in ("第一处垃圾", "第二处垃圾"):
        fill_report(phone)
        phone.fill("#report-note", note)
        phone.click("#report-submit")
        phone.wait_for_selector("#toast:not([hidden])")
    phone.click("[data-tab=outbox]")
    phone.wait_for_function("document.querySelectorAll('#outbox-list li').length === 2")
    assert outbox_statuses(phone) == ["pending", "pending"]
    assert phone.locator("#net").get_attribute("data-online") == "0"
    assert phone.locator("#outbox-count").inner_text() == "2"
    screenshot(phone, "field-outbox-offline")
    assert Case.objects.count() == 0
    # The app itself opens without signal: the service worker keeps its shell.
    phone.reload()
    phone.click("[data-tab=outbox]")
    phone.wait_for_function("document.querySelectorAll('#outbox-list li').length === 2")
    phone.context.set_offline(False)
    phone.wait_for_function("document.querySelectorAll('#outbox-list li').length === 0", timeout=20000)
    assert sorted(Case.objects.values_list("description", flat=True)) == ["第一处垃圾", "第二处垃圾"]
    refs = list(Case.objects.values_list("external_ref", flat=True))
    assert len(set(refs)) == 2 and all(refs)
    assert phone.evaluate("window.ugField.outbox.list().then(l => l.length)") == 0
    assert phone.locator("#outbox-empty").is_visible()
    # Sending again (a reply lost on the way) does not make a third case.
    phone.evaluate("window.ugField.outbox.flush()")
    assert Case.objects.count() == 2


def test_a_refused_report_stays_with_the_servers_message_until_fixed(phone, org):  # noqa: F811
    open_app(phone)
    broken = {"name": "broken.jpg", "mimeType": "image/jpeg", "buffer": b"not a picture at all"}
    fill_report(phone, search="bl", photo=broken)
    phone.click("#report-submit")
    phone.click("[data-tab=outbox]")
    card = phone.locator("#outbox-list li[data-status=refused]")
    card.wait_for()
    assert card.locator(".error").inner_text()  # the server's own words
    assert phone.locator("#outbox-count.bad").count() == 1
    assert Case.objects.count() == 0
    # It stays however often it is looked at, until the supervisor fixes it: a good photo in,
    # the unreadable one out, and send again.
    phone.wait_for_timeout(1500)
    assert outbox_statuses(phone) == ["refused"]
    card.locator("input[type=file]").set_input_files(files=[PHOTO])
    phone.wait_for_function("window.ugField.outbox.list().then(l => l[0].photos.length === 2)")
    screenshot(phone, "field-outbox-refused")
    card.locator(".thumbs figure button").first.click()
    phone.wait_for_function("window.ugField.outbox.list().then(l => l[0].photos.length === 1)")
    card.locator("button.resend").click()
    phone.wait_for_function("document.querySelectorAll('#outbox-list li').length === 0", timeout=15000)
    assert Case.objects.count() == 1 and Case.objects.get().photos.count() == 1


def test_a_verification_task_arrives_and_is_answered_with_a_photo(phone, org):  # noqa: F811
    open_app(phone)
    case = verifying_case(org)
    phone.click("[data-tab=tasks]")
    phone.wait_for_selector(f"#task-list li[data-number='{case.number}']", timeout=10000)
    assert phone.locator("#task-count").inner_text() == "1"
    card = phone.locator(f"#task-list li[data-number='{case.number}']")
    amap = card.locator("a.button").first.get_attribute("href")
    assert amap.startswith("https://uri.amap.com/marker?position=120.001,30.009")
    assert card.locator("a.button").nth(1).get_attribute("href").startswith("geo:30.009,120.001")
    screenshot(phone, "field-tasks")
    card.locator("button.primary").click()
    card.locator("form.answer input[type=file]").set_input_files(files=[PHOTO])
    card.locator("form.answer .thumbs img").wait_for()
    card.locator("form.answer textarea").fill("现场属实")
    screenshot(phone, "field-task-answer")
    card.locator("form.answer button[type=submit]").click()
    phone.wait_for_selector("#toast.good")
    case.refresh_from_db()
    assert case.state == State.FILING
    assert case.photos.filter(stage=CasePhoto.Stage.VERIFY).count() == 1
    assert case.actions.get(action="verify").note == "现场属实"
    phone.wait_for_selector("#no-tasks:visible")


def test_a_failed_check_needs_a_reason_and_sends_the_case_back(phone, org):  # noqa: F811
    case = checking_case(org)
    open_app(phone)
    phone.click("[data-tab=tasks]")
    card = phone.locator(f"#task-list li.check[data-number='{case.number}']")
    card.locator("button.primary").click()
    reason = card.locator("form.answer select[name=reason]")
    assert not reason.is_visible()  # only a failed check has a reason
    card.locator("form.answer input[value='0']").check()
    reason.select_option("incomplete")
    card.locator("form.answer button[type=submit]").click()
    assert card.locator("form.answer .error").is_visible()  # a photo is required either way
    card.locator("form.answer input[type=file]").set_input_files(files=[PHOTO])
    card.locator("form.answer .thumbs img").wait_for()
    assert not card.locator("form.answer .error").is_visible()
    screenshot(phone, "field-check-failed")
    card.locator("form.answer button[type=submit]").click()
    phone.wait_for_selector("#toast.good")
    case.refresh_from_db()
    assert case.state == State.DISPOSING and case.rework_count == 1
    assert case.actions.get(action="check").reason.code == "incomplete"


def test_on_duty_the_phone_sends_its_track(phone, org, clock):  # noqa: F811
    clock.reset()  # the phone's clock is the real one
    open_app(phone)
    phone.click("#duty")
    phone.wait_for_selector("#duty[data-on='1']")
    phone.wait_for_function("true", timeout=100)
    for _ in range(40):
        if Position.objects.filter(user=org.sup).count() >= 2:
            break
        phone.wait_for_timeout(250)
    points = list(Position.objects.filter(user=org.sup))
    assert len(points) >= 2 and points[0].grid_code == "990101001001001"
    assert phone.locator("#duty-line").is_visible()
    screenshot(phone, "field-on-duty")
    phone.click("#duty")
    phone.wait_for_selector("#duty[data-on='0']")
    assert DutyShift.objects.get(user=org.sup).ended_at is not None


def test_other_roles_get_a_clear_refusal(phone, org):  # noqa: F811
    phone.goto("/field/")
    phone.fill("input[name=username]", "intake1")
    phone.fill("input[name=password]", PASSWORD)
    phone.click("button[type=submit]")
    phone.wait_for_url("**/field/")
    assert phone.locator(".refusal[data-code=supervisors_only]").is_visible()
    screenshot(phone, "field-refused")
    assert phone.request.get("/api/v1/field/tasks").status == 403
    phone.click(".refusal button[type=submit]")
    phone.wait_for_url("**/accounts/login/?next=/field/")
    phone.fill("input[name=username]", "sup_w")
    phone.fill("input[name=password]", PASSWORD)
    phone.click("button[type=submit]")
    phone.wait_for_selector("body[data-ready='1']")
