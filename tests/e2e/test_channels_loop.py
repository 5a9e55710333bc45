"""The closed loop through the new channels, every human step on its own page: a citizen reports
with a photo from the citizens' app on a phone; the intake operator accepts at the centre's desk;
the grid's supervisor verifies in the field app (the task arrives by poll, answered with a
photo); the shift leader files, the dispatcher dispatches, the sanitation office feeds back with
a photo after the work; the supervisor checks in the field app; the shift leader closes; the
citizen looks the report up by its receipt number, sees the result with the photo after the
work and rates it satisfied. Each step is kept as test-artifacts/loop-*.png."""

from datetime import timedelta
from pathlib import Path

import pytest

from tests.browser import phone_context, screenshot
from tests.cases.conftest import org  # noqa: F401  (the small county's organisation)
from tests.e2e.test_cases_loop import _act, _login_as, _open_case, _submit, street_photo
from tests.intake.citizen.test_browser import phone_jpeg
from tests.intake.field.test_app import fast, open_app  # noqa: F401  (fast: polls every second)
from urbangrid.cases.models import Case, CasePhoto, State
from urbangrid.intake.models import FollowUp, Receipt

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

TASK_WAIT_MS = 15000  # a poll a second; the slack is for a machine shared with other runs


@pytest.fixture
def phones(chromium, live_server, org, fast):  # noqa: F811
    """Opens phones (390×844, touch) whose GPS stands in the west street's first grid."""
    lon, lat = org.west_point
    contexts = []

    def open_phone():
        context = phone_context(chromium, live_server.url, lon, lat)
        contexts.append(context)
        return context.new_page()

    yield open_phone
    for context in contexts:
        context.close()


def _photo_file(path) -> dict:
    """A photo as the file picker hands it to the field app's camera input."""
    return {"name": "street.png", "mimeType": "image/png", "buffer": Path(path).read_bytes()}


def _answer_task(phone, number, task, photo, note):
    """The task arrives on the supervisor's phone by itself; answered 'yes' with a photo."""
    card = phone.locator(f"#task-list li.{task}[data-number='{number}']")
    card.wait_for(timeout=TASK_WAIT_MS)
    phone.wait_for_selector(f"#toast.news:has-text('{number}')")  # "New task: … <number>"
    assert phone.locator("#task-count").inner_text() == "1"
    card.locator("button.primary").click()
    card.locator("form.answer input[type=file]").set_input_files(files=[_photo_file(photo)])
    card.locator("form.answer .thumbs img").wait_for()
    card.locator("form.answer textarea").fill(note)
    return card


def _send_answer(phone, card):
    card.locator("form.answer button[type=submit]").click()
    phone.wait_for_selector("#toast.good")
    phone.wait_for_selector("#no-tasks:visible")


def _image_loaded(page, selector):
    page.wait_for_function(
        "s => [...document.querySelectorAll(s)].every(i => i.complete && i.naturalWidth > 0)", arg=selector
    )


def test_a_citizens_report_goes_round_the_loop_through_the_channels(org, page, phones, tmp_path, clock):  # noqa: F811
    litter = phone_jpeg(tmp_path, "litter", litter=True)
    clean = street_photo(tmp_path / "clean.png", litter=False)
    heap = street_photo(tmp_path / "heap.png", litter=True)

    # The supervisor is out in the street with the field app open: nothing to do yet.
    field = phones()
    open_app(field, "sup_w")
    field.click("[data-tab=tasks]")
    field.wait_for_selector("#no-tasks:visible")

    # A citizen reports rubbish on the pavement from the phone, with a photo and the phone's position.
    citizen = phones()
    citizen.goto("/citizen/")
    citizen.locator(".hero a.primary").tap()
    citizen.wait_for_selector("#report-map .leaflet-marker-icon")
    assert citizen.input_value("input[name=lon]").startswith("120.001")
    citizen.set_input_files("input[name=photos]", litter)
    citizen.wait_for_selector(".thumbs img")
    citizen.locator("button.chip", has_text="暴露垃圾").tap()
    assert citizen.locator("button.chip.on").inner_text() == "暴露垃圾"
    citizen.fill("textarea[name=description]", "人行道上堆了一大堆生活垃圾，两天没人清")
    citizen.fill("input[name=phone]", "13912345678")
    citizen.locator("fieldset").first.scroll_into_view_if_needed()
    screenshot(citizen, "loop-01-citizen-report")
    citizen.locator("#send-report").tap()
    citizen.wait_for_selector("#receipt-code")
    code = citizen.inner_text("#receipt-code").replace(" ", "")
    assert len(code) == 10
    assert citizen.locator(".status.stage-received").count() == 1
    screenshot(citizen, "loop-02-citizen-receipt")
    receipt = Receipt.objects.select_related("case").get(code=code)
    number = receipt.case.number
    assert receipt.case.state == State.REPORTED and receipt.case.source == "public"

    clock.advance(timedelta(minutes=4))
    # The intake operator finds the public report in the queue, sees its photo and accepts it.
    _login_as(page, "intake1")
    page.goto("/cases/")
    row = page.locator(f"tr[data-href='/cases/{number}/']")
    assert "暴露垃圾" in row.inner_text() and "公众举报" in row.inner_text()
    _open_case(page, number)
    assert page.locator(".photo-stages a.thumb").count() == 1
    _image_loaded(page, ".photo-stages img")
    screenshot(page, "loop-03-desk-reported")
    _act(page, "accept")
    assert page.locator("select[name=supervisor] option:checked").inner_text().startswith("王监督")
    _submit(page, number, "待核实")

    clock.advance(timedelta(minutes=20))
    # On the supervisor's phone the verification task arrives; answered on the spot with a photo.
    card = _answer_task(field, number, "verify", heap, "现场核实属实")
    assert "暴露垃圾" in card.locator(".what").inner_text()
    screenshot(field, "loop-04-field-verify")
    _send_answer(field, card)
    screenshot(field, "loop-05-field-verified")
    assert Case.objects.get(number=number).state == State.FILING

    clock.advance(timedelta(minutes=10))
    # The shift leader files it, the dispatcher sends it to the sanitation office.
    _login_as(page, "shift1")
    _open_case(page, number, "shift_leader")
    _act(page, "file")
    assert page.locator("#action-panel .panel-aside a.thumb").count() == 2  # report + verification
    page.check("input[name=meets_condition]")
    screenshot(page, "loop-06-desk-file")
    _submit(page, number, "待派遣")
    clock.advance(timedelta(minutes=10))
    _login_as(page, "disp1")
    _open_case(page, number, "dispatcher")
    _act(page, "dispatch")
    assert page.locator("select[name=department]").input_value() == "hws"
    _submit(page, number, "处置中")

    # Meanwhile the citizen looks: the report is being handled.
    citizen.reload()
    assert citizen.locator(".status.stage-in_hand").count() == 1
    assert "环卫所" in citizen.locator("ol.timeline").inner_text()
    screenshot(citizen, "loop-07-citizen-in-hand")

    clock.advance(timedelta(minutes=15))
    # The sanitation office signs for it and, after the work, feeds back with a photo.
    _login_as(page, "hws1")
    _open_case(page, number)
    _act(page, "receive")
    page.click("#action-panel form button[type=submit]")
    page.wait_for_selector("#case-timeline tr.act-receive")
    clock.advance(timedelta(minutes=90))
    page.reload()
    _act(page, "feedback")
    page.set_input_files("input[name=photos]", clean)
    page.fill("textarea[name=note]", "垃圾已清运，地面已冲洗")
    screenshot(page, "loop-08-desk-feedback")
    _submit(page, number, "待核查")

    clock.advance(timedelta(minutes=25))
    # The check task arrives on the supervisor's phone; passed, with a photo of the clean pavement.
    card = _answer_task(field, number, "check", clean, "已清理干净")
    screenshot(field, "loop-09-field-check")
    _send_answer(field, card)
    assert Case.objects.get(number=number).state == State.CLOSING

    clock.advance(timedelta(minutes=15))
    # The shift leader closes with before and after side by side.
    _login_as(page, "shift1")
    _open_case(page, number, "shift_leader")
    _act(page, "close")
    assert page.locator("#action-panel .panel-aside a.thumb").count() == 4
    page.check("input[name=meets_condition]")
    _submit(page, number, "已结案")
    assert [t.split("\n")[0] for t in page.locator(".photo-stages figcaption").all_inner_texts()] == [
        "上报",
        "核实",
        "处置后",
        "核查",
    ]
    assert page.locator(".photo-stages figcaption small").all_inner_texts() == ["1", "1", "1", "1"]
    trail = [row.split("\t") for row in page.locator("#case-timeline tbody tr").all_inner_texts()]
    assert [r[1] for r in trail] == [
        "上报",
        "受理",
        "核实",
        "立案",
        "派遣",
        "签收",
        "处置反馈",
        "核查",
        "结案",
    ]
    assert trail[2][2] == trail[7][2] == "王监督"  # both answered from the field app
    screenshot(page, "loop-10-desk-closed")

    clock.advance(timedelta(hours=2))
    # The citizen looks the report up by its receipt number: done, with the photo after the work.
    citizen.goto("/citizen/follow/")
    citizen.fill("input[name=code]", code.lower())
    citizen.locator("#lookup").tap()
    citizen.wait_for_url(f"**/citizen/r/{code}/")
    citizen.wait_for_selector(".result .photos img")
    _image_loaded(citizen, ".result .photos img, .photos.own img")
    assert citizen.locator(".status.stage-done").count() == 1
    assert f"{code[:5]} {code[5:]}" in citizen.locator(".status").inner_text()
    assert citizen.inner_text("#plain-status") in ("Done", "已办结")  # the msgid until translated
    assert "垃圾已清运，地面已冲洗" in citizen.locator(".result").inner_text()
    after = Case.objects.get(number=number).photos.get(stage=CasePhoto.Stage.DISPOSE)
    assert citizen.locator(".result .photos img").count() == 1
    assert citizen.get_attribute(".result .photos img", "src").endswith(f"/photos/{after.pk}.jpg")
    citizen.locator("section.rate").scroll_into_view_if_needed()
    screenshot(citizen, "loop-11-citizen-done")
    citizen.locator("#satisfied").tap()
    citizen.wait_for_selector(".rated")
    assert citizen.locator(".alert.ok").count() == 1 and citizen.locator("#satisfied").count() == 0
    screenshot(citizen, "loop-12-citizen-rated")

    # What is kept: one public case, closed, with its photos from every stage and the rating.
    case = Case.objects.get()
    assert (case.number, case.source, case.state) == (number, "public", State.CLOSED)
    stages = set(case.photos.values_list("stage", flat=True))
    assert stages == {"report", "verify", "dispose", "check"}
    follow_up = FollowUp.objects.get()
    assert (follow_up.case_id, follow_up.channel, follow_up.result) == (case.pk, "app", "satisfied")
    assert follow_up.done_at is not None and follow_up.phone == "13912345678"
