"""Following a report by its receipt, the public copies of photos (no EXIF), masked phone
numbers, and what the public map leaves out."""

import io

import pytest
from django.test import Client
from PIL import Image

from tests.cases.test_lifecycle import report
from tests.factories import ApiClient
from tests.intake.citizen.conftest import close_case, device_client, jpeg, receipt_code, send, upload
from urbangrid.accounts.privacy import mask_phone, phone_for
from urbangrid.cases import services
from urbangrid.cases.models import CasePhoto
from urbangrid.intake.models import Receipt

pytestmark = pytest.mark.django_db


def test_mask_phone(org):
    assert mask_phone("13812341234") == "138****1234"
    assert mask_phone("") == "" and mask_phone("12345") == "*****"
    assert phone_for(org.intake, "13812341234") == "13812341234"
    assert phone_for(org.shift, "13812341234") == "13812341234"
    assert phone_for(org.dispatcher, "13812341234") == "138****1234"


def test_the_receipt_page_shows_the_state_in_plain_words_and_the_phone_masked(org):
    client = device_client()
    location = send(client, org)["Location"]
    html = client.get(location).content.decode()
    assert "已收到，等待受理" in html
    assert "139****5678" in html and "13912345678" not in html
    code = receipt_code(send(client, org))
    # People type the number in lower case, with spaces or a dash.
    typed = f"{code[:5].lower()} -{code[5:]}"
    assert Client().get("/citizen/follow/", {"code": typed})["Location"] == f"/citizen/r/{code}/"
    unknown = Client().get("/citizen/follow/", {"code": "ABCDEFGHJK"})
    assert unknown.status_code == 404 and "没有该回执号对应的上报" in unknown.content.decode()
    api = Client().get(f"/citizen/api/receipts/{code}").json()
    assert api["phone"] == "139****5678" and api["stage"] == "received"


def test_a_closed_report_shows_what_was_done_with_the_after_photos_and_asks_for_a_rating(org):
    code = receipt_code(send(device_client(), org))
    receipt = Receipt.objects.get(code=code)
    close_case(org, receipt.case.number, note="垃圾已清运，地面已冲洗")
    html = Client().get(f"/citizen/r/{code}/").content.decode()
    assert "已办结" in html and "垃圾已清运，地面已冲洗" in html
    after = receipt.case.photos.get(stage=CasePhoto.Stage.DISPOSE)
    assert f"/citizen/r/{code}/photos/{after.pk}.jpg" in html
    assert "您对处理结果满意吗？" in html
    assert "环卫所" in html, "the responsible body is named"
    assert "hws1" not in html and "王监督" not in html, "the people who acted are not"
    rated = Client().post(f"/citizen/r/{code}/rate/", {"satisfied": "0", "reason": ""})
    assert rated.status_code == 422 and "不满意的原因" in rated.content.decode()
    rated = Client().post(f"/citizen/r/{code}/rate/", {"satisfied": "1"})
    assert rated.status_code == 302
    html = Client().get(rated["Location"]).content.decode()
    assert "感谢您的评价。" in html and "您对处理结果满意吗" not in html
    again = Client().post(f"/citizen/api/receipts/{code}/rating", {"satisfied": "1"})
    assert again.status_code == 409 and again.json()["code"] == "already_rated"


def test_a_merged_report_follows_the_case_it_was_merged_into(org):
    first = report(org)
    code = receipt_code(send(device_client(), org))
    receipt = Receipt.objects.get(code=code)
    services.merge(org.intake, receipt.case.number, into=first.number)
    services.accept(org.intake, first.number)
    html = Client().get(f"/citizen/r/{code}/").content.decode()
    assert "在您之前已有人反映同一问题" in html
    assert "已受理，正在现场核实" in html
    close_case_from_verifying(org, first.number)
    api = Client().get(f"/citizen/api/receipts/{code}").json()
    assert api["stage"] == "done" and api["merged"] and api["may_rate"]
    assert len(api["after_photos"]) == 1
    rated = Client().post(f"/citizen/api/receipts/{code}/rating", {"satisfied": "0", "reason": "还是很脏"})
    assert rated.status_code == 200 and rated.json()["status"] == "已重新办理，正在复查"
    first.refresh_from_db()
    assert first.state == "closing", "the case it was merged into is reopened"


def close_case_from_verifying(org, number):
    services.verify(org.sup, number, confirmed=True, photos=[upload()])
    services.file_case(org.shift, number, meets_condition=True)
    services.dispatch(org.dispatcher, number, department=org.hws)
    services.feedback(org.cleaner, number, note="已清理", photos=[upload("after.jpg")])
    services.check(org.sup, number, passed=True, photos=[upload()])
    services.close(org.shift, number, meets_condition=True)


def test_public_copies_of_photos_carry_no_exif(org):
    code = receipt_code(send(device_client(), org, photos=[upload("with-gps.jpg")]))
    photo = Receipt.objects.get(code=code).case.photos.get()
    with photo.image.open("rb") as f:
        assert Image.open(f).getexif().get_ifd(0x8825), "the original keeps its GPS as evidence"
    response = Client().get(f"/citizen/r/{code}/photos/{photo.pk}.jpg")
    assert response.status_code == 200 and response["Content-Type"] == "image/jpeg"
    copy = Image.open(io.BytesIO(b"".join(response.streaming_content)))
    assert copy.format == "JPEG" and copy.size == (64, 48)
    assert not copy.getexif() and "exif" not in copy.info
    assert b"PhoneMaker" not in b"".join(
        Client().get(f"/citizen/r/{code}/photos/{photo.pk}.jpg").streaming_content
    )


def test_a_photo_opens_only_through_a_receipt_that_may_see_it(org):
    mine = receipt_code(send(device_client(), org, photos=[upload()]))
    other = receipt_code(send(device_client(), org, photos=[upload(data=jpeg(colour=(10, 200, 10)))]))
    other_photo = Receipt.objects.get(code=other).case.photos.get()
    assert Client().get(f"/citizen/r/{mine}/photos/{other_photo.pk}.jpg").status_code == 404
    assert Client().get(f"/citizen/r/ABCDEFGHJK/photos/{other_photo.pk}.jpg").status_code == 404
    verify_photo = report(org)
    services.accept(org.intake, verify_photo.number)
    services.verify(org.sup, verify_photo.number, confirmed=True, photos=[upload()])
    staff_photo = verify_photo.photos.get(stage=CasePhoto.Stage.VERIFY)
    assert Client().get(f"/citizen/r/{mine}/photos/{staff_photo.pk}.jpg").status_code == 404


def test_operators_see_the_number_only_when_they_call_back(org):
    code = receipt_code(send(device_client(), org))
    number = Receipt.objects.get(code=code).case.number
    for user, shown in ((org.intake, "13912345678"), (org.dispatcher, "139****5678")):
        reporters = ApiClient(user).get(f"/api/v1/cases/{number}").json()["reporters"]
        assert [r["phone"] for r in reporters] == [shown]


def test_the_public_map_shows_coarse_accepted_non_sensitive_reports_only(org):
    accepted = receipt_code(send(device_client(), org, description="张三家门口的垃圾"))
    services.accept(org.intake, Receipt.objects.get(code=accepted).case.number)
    receipt_code(send(device_client(), org))  # not accepted yet: not shown
    noise = report(org, type_code="06028")  # noise: points at a neighbour
    services.accept(org.intake, noise.number)
    data = Client().get("/citizen/map.json").json()["items"]
    assert len(data) == 1
    item = data[0]
    assert set(item) == {"lon", "lat", "type", "stage", "state", "day"}
    assert item["type"] == "暴露垃圾" and item["lon"] == round(org.west_point[0], 3)
    body = Client().get("/citizen/map.json").content.decode()
    assert "张三" not in body and "139" not in body
    page = Client().get("/citizen/map/")
    assert page.status_code == 200 and "public-map" in page.content.decode()
