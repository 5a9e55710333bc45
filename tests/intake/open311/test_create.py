"""POST requests: a request becomes a case reported by the client's service account, with a
token kept for tokens/; every refusal in the spec's shape and with the spec's status."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from PIL import Image

from tests.intake.open311.conftest import AMOUNT, BASE, WEST, jpeg_with_gps
from urbangrid.audit.models import AuditRecord
from urbangrid.cases.models import Case, CasePhoto, CaseReporter
from urbangrid.catalog.models import CatalogType
from urbangrid.intake import clients
from urbangrid.intake.models import ApiClient, ServiceRequestToken


def first(body, fmt="json"):
    return (body if fmt == "json" else body.get("request") or body.get("error"))[0]


@pytest.mark.parametrize("fmt", ["xml", "json"])
def test_post_creates_a_public_case_on_behalf_of_the_reporter(o311, client_and_key, fmt):
    client, _key = client_and_key
    body = o311.report(
        fmt=fmt,
        description="人行道上堆放生活垃圾",
        first_name="张",
        last_name="三",
        phone="13812345678",
        email="zhang@example.com",
    )
    number = first(body, fmt)["service_request_id"]
    assert "token" not in first(body, fmt)  # the id, never both
    case = Case.objects.get(number=number)
    assert (case.source, case.state, case.type.code) == ("public", "reported", "06010")
    assert case.reporter == client.account and case.description == "人行道上堆放生活垃圾"
    reporter = CaseReporter.objects.get(case=case)
    assert (reporter.user, reporter.name, reporter.phone) == (None, "张 三", "13812345678")
    token = ServiceRequestToken.objects.get(case=case, client=client)
    assert AuditRecord.objects.filter(action="open311.request", target_id=number).exists()
    assert o311.both(f"tokens/{token.token}", "tokens") == [
        {"service_request_id": number, "token": token.token}
    ]


def test_unknown_token_is_404(o311):
    o311.both("tokens/nosuchtoken", "tokens", expect=404)


def test_address_string_is_placed_by_the_gazetteer(o311):
    body = o311.report(where={}, address_string="人民路10号")
    case = Case.objects.get(number=first(body)["service_request_id"])
    assert (case.lon, case.lat) == pytest.approx((120.005, 30.00495))
    assert case.address == "人民路10号" and case.description == "暴露垃圾"  # the service names the problem


@pytest.mark.parametrize("fmt", ["xml", "json"])
def test_api_key_missing_wrong_inactive_or_of_another_kind_is_403(o311, org, fmt):
    _machine, machine_key = clients.create_client(None, name="视频", kind=ApiClient.Kind.MACHINE)
    off, off_key = clients.create_client(None, name="停用", kind=ApiClient.Kind.OPEN311)
    ApiClient.objects.filter(pk=off.pk).update(active=False)
    for key in ("", "not-a-key", machine_key, off_key):
        assert first(o311.report(403, fmt, api_key=key), fmt)["code"] == 403
    assert not Case.objects.exists()


@pytest.mark.parametrize(
    ("where", "data", "status", "words"),
    [
        (WEST, {"service_code": "99999"}, 404, "99999"),
        (WEST, {"service_code": ""}, 400, "service_code"),
        ({}, {}, 400, "lat 和 long"),
        ({}, {"lat": "abc", "long": "120.001"}, 400, "lat"),
        ({}, {"lat": "95", "long": "120.001"}, 400, "lat"),
        ({}, {"address_string": "火星路1号"}, 400, "火星路1号"),
        ({}, {"address_id": "A-17"}, 400, "address_id"),
        (WEST, {"description": "长" * 4001}, 400, "4000"),
        (WEST, {"description": "长" * 2001}, 400, "2000"),
        (WEST, {"jurisdiction_id": "elsewhere.cn"}, 404, "elsewhere.cn"),
    ],
)
def test_bad_requests_are_refused_and_nothing_is_created(o311, where, data, status, words):
    for fmt in ("xml", "json"):
        assert words in first(o311.report(status, fmt, where=where, **data), fmt)["description"]
    assert not Case.objects.exists()


def test_a_position_outside_the_county_says_so(o311):
    error = first(o311.report(400, where={"lat": "31.2", "long": "121.5"}))
    assert error["code"] == 400 and "辖区" in error["description"]
    assert not Case.objects.exists()


def test_resend_with_the_same_idempotency_key_gets_the_same_case(o311, org):
    ids = [
        first(o311.report(headers={"Idempotency-Key": key}))["service_request_id"]
        for key in ("k-1", "k-1", "k-2")
    ]
    assert ids[0] == ids[1] != ids[2]
    assert Case.objects.count() == 2 and ServiceRequestToken.objects.count() == 2
    # FixMyStreet's own report id works as the key too; a second client's key space is its own.
    fms = {"attribute[fixmystreet_id]": "4711"}
    _client, key2 = clients.create_client(None, name="另一个应用", kind=ApiClient.Kind.OPEN311)
    a, b, c = o311.report(**fms), o311.report(**fms), o311.report(api_key=key2, **fms)
    assert a == b and c != a
    o311.report(400, external_id="x" * 65)


def test_resend_without_a_key_is_a_second_report(o311):
    o311.report(device_id="phone-1")
    o311.report(device_id="phone-1")
    assert Case.objects.count() == 2  # one phone sends many reports: its id is no idempotency key


def test_multipart_media_is_attached_and_served_without_exif(o311):
    photo = jpeg_with_gps()
    assert Image.open(photo).getexif()  # the original carries the GPS tag
    photo.seek(0)
    case = Case.objects.get(number=first(o311.report(**{"media[]": photo}))["service_request_id"])
    assert case.photos.filter(stage=CasePhoto.Stage.REPORT).count() == 1
    (item,) = o311.both(f"requests/{case.number}", "requests")
    assert item["media_url"].startswith("http://testserver/open311/v2/media/")
    resp = o311.http.get(item["media_url"].removeprefix("http://testserver"))
    assert resp.status_code == 200 and resp["Content-Type"] == "image/jpeg"
    served = Image.open(io.BytesIO(resp.content))
    assert served.size == (64, 48) and not served.getexif()
    again = o311.http.get(
        item["media_url"].removeprefix("http://testserver"), headers={"If-None-Match": resp["ETag"]}
    )
    assert again.status_code == 304
    assert o311.http.get(f"{BASE}media/{'0' * 64}").status_code == 404


def test_a_file_that_is_not_an_image_is_refused(o311):
    fake = SimpleUploadedFile("evil.jpg", b"#!/bin/sh\necho hi\n", content_type="image/jpeg")
    assert "JPEG" in first(o311.report(400, media=fake))["description"]
    assert not Case.objects.exists()


def test_too_many_photos_are_refused(o311):
    o311.report(400, **{"media[]": [jpeg_with_gps(f"p{i}.jpg") for i in range(7)]})
    assert not Case.objects.exists()


def test_attributes_of_the_definition_are_checked_and_kept_in_the_case(o311):
    CatalogType.objects.filter(kind="matter", code="06010").update(attribute_schema=AMOUNT)
    assert "amount" in first(o311.report(400))["description"]
    assert "amount" in first(o311.report(400, **{"attribute[amount]": "很多"}))["description"]
    body = o311.report(
        description="垃圾",
        **{"attribute[amount]": "大量", "attribute[report_url]": "https://fms.example/r/1"},
    )
    assert Case.objects.get(number=first(body)["service_request_id"]).description == "垃圾\n数量: 大量"


def test_an_unknown_component_code_is_refused(o311):
    assert (
        first(o311.report(400, service_code="01001", **{"attribute[component_code]": "NOPE"}))["code"] == 400
    )
    assert not Case.objects.exists()


def test_rate_limit_per_key(o311, settings):
    settings.URBANGRID = {**settings.URBANGRID, "OPEN311_RATE_PER_MINUTE": 2}
    o311.report()
    o311.report()
    assert first(o311.report(429))["code"] == 429
    assert Case.objects.count() == 2


def test_post_needs_no_csrf_token(o311):
    resp = Client(enforce_csrf_checks=True).post(
        BASE + "requests.json", {"api_key": o311.key, "service_code": "06010", **WEST}
    )
    assert resp.status_code == 200
