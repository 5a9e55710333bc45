"""Reporting from the citizen app: what enters the system, duplicates, refusals that keep the
form, the place check and the rate limits."""

import io
import json
import os
from datetime import timedelta

import pytest
from django.conf import settings
from django.test import override_settings
from PIL import Image

from tests.intake.citizen.conftest import DEVICE, device_client, form_data, jpeg, receipt_code, send, upload
from urbangrid.cases.models import Case, CasePhoto, CaseReporter, Source, State
from urbangrid.intake.models import Receipt
from urbangrid.intake.receipts import ALPHABET, LENGTH

pytestmark = pytest.mark.django_db


def urbangrid(**changes):
    return override_settings(URBANGRID={**settings.URBANGRID, **changes})


def test_a_report_waits_for_intake_as_a_public_report_and_gives_a_receipt(org):
    response = send(device_client(), org, photos=[upload()])
    code = receipt_code(response)
    assert len(code) == LENGTH and set(code) <= set(ALPHABET)
    receipt = Receipt.objects.get(code=code)
    case = receipt.case
    assert (case.state, case.source, case.type.code) == (State.REPORTED, Source.PUBLIC, "06010")
    assert case.reporter.username == "citizen-app" and not case.reporter.has_usable_password()
    reporter = CaseReporter.objects.get(case=case)
    assert reporter.user is None and reporter.phone == "13912345678", "replies go to the phone"
    assert receipt.device_id == DEVICE and receipt.phone == "13912345678"
    assert case.photos.filter(stage=CasePhoto.Stage.REPORT).count() == 1
    page = device_client().get(response["Location"])
    assert code[:5] in page.content.decode() and page.status_code == 200


def test_a_component_type_is_reported_as_a_component_problem(org):
    code = receipt_code(send(device_client(), org, type_code="01023"))
    assert Receipt.objects.get(code=code).case.kind == "component"


def test_a_double_tap_or_a_resend_makes_one_report(org):
    client = device_client()
    data = form_data(org)
    first = client.post("/citizen/report/", data)
    again = client.post("/citizen/report/", data)
    assert receipt_code(first) == receipt_code(again)
    assert Case.objects.count() == 1
    other = device_client("device-bbbbbbbb").post("/citizen/report/", data)
    assert other.status_code == 409 and Case.objects.count() == 1, "another device cannot claim the receipt"


@pytest.mark.parametrize(
    "name,data,expected",
    [
        ("notes.txt", b"just some text, not a photo", "不是可识别的照片"),
        ("broken.jpg", jpeg()[:200], "不是可识别的照片"),
        ("fake.png", b"\x89PNG\r\n\x1a\n" + b"\x00" * 100, "不是可识别的照片"),
    ],
)
def test_a_bad_photo_is_refused_and_the_rest_of_the_report_is_kept(org, name, data, expected):
    response = send(
        device_client(), org, photos=[upload(name, data)], description="井盖缺了一角", address="人民路5号"
    )
    assert response.status_code == 422
    html = response.content.decode()
    assert expected in html and name in html
    assert "井盖缺了一角" in html and "人民路5号" in html and "13912345678" in html
    assert str(org.west_point[0]) in html, "the chosen place is kept"
    assert Case.objects.count() == 0 and Receipt.objects.count() == 0


@urbangrid(CITIZEN_MAX_PHOTO_MB=1)
def test_a_photo_over_the_size_limit_is_refused(org):
    big = Image.frombytes("RGB", (700, 700), os.urandom(700 * 700 * 3))  # noise does not compress
    out = io.BytesIO()
    big.save(out, "PNG")
    assert out.tell() > 1024 * 1024
    response = send(device_client(), org, photos=[upload("big.png", out.getvalue(), "image/png")])
    assert response.status_code == 422 and "超过 1 MB" in response.content.decode()


def test_a_place_outside_the_county_is_refused_with_a_message_that_says_so(org):
    response = send(device_client(), org, lon="121.5", lat="31.2")
    assert response.status_code == 422
    assert "不在服务范围内" in response.content.decode()
    assert Case.objects.count() == 0


def test_missing_type_place_or_description_are_named(org):
    response = send(device_client(), org, type_code="", lon="", lat="", description="")
    html = response.content.decode()
    assert response.status_code == 422
    assert "请选择问题类型。" in html and "请简要描述问题。" in html
    response = send(device_client(), org, lon="", lat="")
    assert response.status_code == 422 and "请提供位置" in response.content.decode()
    response = send(device_client(), org, phone="12345")
    assert response.status_code == 422 and "11 位手机号码" in response.content.decode()


@urbangrid(CITIZEN_REPORTS_PER_HOUR=2)
def test_a_device_is_limited_and_told_so(org, clock):
    client = device_client()
    for _ in range(2):
        receipt_code(send(client, org, phone=""))
    refused = send(client, org, phone="")
    assert refused.status_code == 429
    assert "已上报 2 次" in refused.content.decode()
    assert "路边垃圾堆了三天" in refused.content.decode(), "the report is kept for later"
    clock.advance(timedelta(minutes=61))
    receipt_code(send(client, org, phone=""))


@urbangrid(CITIZEN_REPORTS_PER_HOUR=2)
def test_a_phone_number_is_limited_across_devices(org):
    receipt_code(send(device_client("device-11111111"), org))
    receipt_code(send(device_client("device-22222222"), org))
    assert send(device_client("device-33333333"), org).status_code == 429
    receipt_code(send(device_client("device-33333333"), org, phone="13800000000"))


@urbangrid(CITIZEN_REPORTS_PER_HOUR=1)
def test_the_api_answers_429_with_retry_after(org):
    client = device_client()
    first = client.post("/citizen/api/reports", form_data(org))
    assert first.status_code == 201 and first.json()["status"]
    second = client.post("/citizen/api/reports", form_data(org))
    assert second.status_code == 429
    assert second.json()["code"] == "rate_limited" and second["Retry-After"] == "3600"


def test_the_api_reports_refusals_with_codes(org):
    client = device_client()
    outside = client.post("/citizen/api/reports", form_data(org, lon="100", lat="20"))
    assert outside.status_code == 422 and outside.json()["code"] == "outside_county"
    bad = client.post("/citizen/api/reports", {**form_data(org), "photos": [upload("x.jpg", b"nope")]})
    assert bad.status_code == 422 and bad.json()["code"] == "bad_photo"
    no_device = device_client("").post("/citizen/api/reports", form_data(org))
    assert no_device.status_code == 422 and no_device.json()["code"] == "bad_device"


def test_the_form_page_gives_a_device_id_and_a_fresh_submission_id(org):
    client = device_client("")
    del client.cookies["ug_device"]
    page = client.get("/citizen/report/")
    assert page.status_code == 200 and len(page.cookies["ug_device"].value) >= 16
    html = page.content.decode()
    assert 'name="submission_id"' in html and "暴露垃圾" in html


def test_the_page_helpers_search_types_and_draw_the_county(org):
    client = device_client()
    found = client.get("/citizen/types.json", {"q": "井盖"}).json()["items"]
    assert found and all("井盖" in t["name"] for t in found)
    assert client.get("/citizen/types.json", {"q": ""}).json()["items"] == []
    areas = client.get("/citizen/areas.json").json()["features"]
    assert {f["properties"]["name"] for f in areas} >= {"测试县", "城西街道", "城东街道"}
    assert client.get("/citizen/geocode.json", {"q": ""}).json()["items"] == []
    manifest = client.get("/citizen/manifest.webmanifest")
    assert manifest["Content-Type"] == "application/manifest+json"
    assert json.loads(manifest.content)["display"] == "standalone"
