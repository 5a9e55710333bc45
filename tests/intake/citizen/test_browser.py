"""A citizen on a phone (390×844, touch): reports a problem with a photo and the position from
the phone, gets a receipt, follows it, sees the result and is not satisfied. Each page is kept
as a screenshot in test-artifacts/citizen-*.png."""

import io
import os

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from tests.browser import ARTEFACTS, phone_context
from tests.cases.conftest import photo
from tests.e2e.test_cases_loop import street_photo
from tests.intake.citizen.conftest import jpeg
from tests.org import build_org
from urbangrid.cases import services
from urbangrid.cases.models import Case, State
from urbangrid.intake.models import Receipt

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def org(small_county, clock):
    return build_org(small_county)


@pytest.fixture
def phone(chromium, live_server, org):
    lon, lat = org.west_point
    context = phone_context(chromium, live_server.url, lon, lat)
    page = context.new_page()
    yield page
    context.close()


def screenshot(page, name: str) -> None:
    """The whole page, as a phone user scrolls through it."""
    os.makedirs(ARTEFACTS, exist_ok=True)
    page.evaluate("window.scrollTo(0, 0)")  # a sticky header is drawn where the page was scrolled to
    page.screenshot(path=os.path.join(ARTEFACTS, f"{name}.png"), full_page=True)


def phone_jpeg(tmp_path, name, *, litter: bool) -> str:
    """A street photo as a phone saves it: JPEG with the place in its EXIF."""
    png = street_photo(tmp_path / f"{name}.png", litter=litter)
    exif = Image.Exif()
    exif[0x8825] = {1: "N", 2: (30.0, 0.0, 32.4), 3: "E", 4: (120.0, 0.0, 3.6)}
    path = tmp_path / f"{name}.jpg"
    Image.open(png).convert("RGB").save(path, "JPEG", exif=exif)
    return str(path)


def test_a_citizen_reports_follows_and_rates_on_a_phone(phone, org, tmp_path):
    page = phone
    page.goto("/citizen/")
    screenshot(page, "citizen-1-home")
    page.locator(".hero a.primary").tap()
    page.wait_for_selector("#report-map .leaflet-marker-icon")  # the phone's position is the pin
    assert page.input_value("input[name=lon]").startswith("120.001")

    # A text file instead of a photo: refused, the rest is kept.
    (tmp_path / "notes.txt").write_text("not a photo")
    page.set_input_files("input[name=photos]", str(tmp_path / "notes.txt"))
    page.locator("button.chip", has_text="暴露垃圾").tap()
    page.fill("textarea[name=description]", "路边垃圾堆了三天，有异味")
    page.fill("input[name=phone]", "13912345678")
    page.locator("#send-report").tap()
    page.wait_for_selector(".err")
    assert "notes.txt" in page.inner_text(".err")
    assert page.input_value("textarea[name=description]") == "路边垃圾堆了三天，有异味"
    assert page.input_value("input[name=phone]") == "13912345678"
    screenshot(page, "citizen-2-bad-photo-kept")

    page.set_input_files("input[name=photos]", phone_jpeg(tmp_path, "litter", litter=True))
    page.wait_for_selector(".thumbs img")
    page.locator("input[type=search]").first.fill("井盖")
    page.wait_for_selector(".results button")
    screenshot(page, "citizen-3-type-search")
    page.locator("button.chip", has_text="暴露垃圾").tap()
    page.locator("fieldset").nth(2).scroll_into_view_if_needed()
    screenshot(page, "citizen-4-form-filled")
    page.locator("#send-report").tap()
    page.wait_for_selector("#receipt-code")
    code = page.inner_text("#receipt-code").replace(" ", "")
    screenshot(page, "citizen-5-receipt")
    receipt = Receipt.objects.get(code=code)
    assert receipt.case.state == State.REPORTED and Case.objects.count() == 1

    # Later: the device remembers the report under "My reports".
    page.locator("nav.tabs a[href='/citizen/follow/']").tap()
    page.wait_for_selector(".mine a")
    screenshot(page, "citizen-6-my-reports")

    # The centre handles it; the citizen sees the result and is not satisfied.
    n = receipt.case.number
    services.accept(org.intake, n)
    services.verify(org.sup, n, confirmed=True, photos=[photo()])
    services.file_case(org.shift, n, meets_condition=True)
    services.dispatch(org.dispatcher, n, department=org.hws)
    with open(phone_jpeg(tmp_path, "clean", litter=False), "rb") as after:
        clean = SimpleUploadedFile("clean.jpg", after.read(), "image/jpeg")
    services.feedback(org.cleaner, n, note="垃圾已清运，地面已冲洗", photos=[clean])
    services.check(org.sup, n, passed=True, photos=[photo()])
    services.close(org.shift, n, meets_condition=True)

    page.fill("input[name=code]", code.lower())
    page.locator("#lookup").tap()
    page.wait_for_selector(".result .photos img")
    page.wait_for_function(
        "() => [...document.querySelectorAll('.result img')].every(i => i.naturalWidth > 0)"
    )
    assert page.locator(".status.stage-done").count() == 1
    screenshot(page, "citizen-7-done")
    page.locator("#unsatisfied").tap()
    page.fill("textarea[name=reason]", "旁边还有两袋没清走")
    screenshot(page, "citizen-8-unsatisfied")
    page.locator("#send-unsatisfied").tap()
    page.wait_for_selector(".rated")
    screenshot(page, "citizen-9-reopened")
    assert Case.objects.get(number=n).state == State.CLOSING

    page.locator("nav.tabs a[href='/citizen/map/']").tap()
    page.wait_for_selector("#public-map .leaflet-overlay-pane path.leaflet-interactive")
    page.wait_for_function("() => document.getElementById('map-count').textContent === '1'")
    screenshot(page, "citizen-10-map")


def test_jpeg_helper_keeps_gps():
    assert Image.open(io.BytesIO(jpeg())).getexif().get_ifd(0x8825)
