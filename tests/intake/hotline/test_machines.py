"""Machine sources: an event with evidence files becomes a video-source case once, its
evidence stored by content with the digest, images shown as photos; bad files are refused."""

import hashlib

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from urbangrid.cases.models import Case, CasePhoto, Source
from urbangrid.intake.models import ApiClient, Evidence

pytestmark = pytest.mark.django_db

URL = "/api/v1/intake/machine-reports"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
MP4 = b"\x00\x00\x00\x18ftypmp42" + b"\x00" * 64


@pytest.fixture
def machine(make_client):
    return make_client(ApiClient.Kind.MACHINE)


def send(client, key, files=(), **fields):
    data = {
        "event_id": "EV-1",
        "device_id": "CAM-017",
        "type_code": "06010",
        "lon": "120.001",
        "lat": "30.009",
        "description": "",
        **fields,
    }
    if files:
        data["evidence"] = list(files)
    return client.post(URL, data, headers={"X-Api-Key": key})


def test_an_event_with_evidence_becomes_one_case(client, machine, org):
    _m, key = machine
    resp = send(
        client,
        key,
        [SimpleUploadedFile("a.png", PNG, "image/png"), SimpleUploadedFile("clip.mp4", MP4, "video/mp4")],
    )
    assert resp.status_code == 201, resp.content
    body = resp.json()
    case = Case.objects.get(number=body["number"])
    assert case.source == Source.VIDEO and case.external_ref == "EV-1" and "CAM-017" in case.description
    digests = {e["sha256"]: e["content_type"] for e in body["evidence"]}
    assert digests == {
        hashlib.sha256(PNG).hexdigest(): "image/png",
        hashlib.sha256(MP4).hexdigest(): "video/mp4",
    }
    clip = Evidence.objects.get(content_type="video/mp4")
    assert clip.device_id == "CAM-017" and clip.file.name.endswith(f"{clip.sha256}.mp4")
    assert clip.file.read() == MP4
    assert CasePhoto.objects.filter(case=case).count() == 1  # the image, not the clip
    again = send(client, key, [SimpleUploadedFile("a.png", PNG, "image/png")])
    assert again.status_code == 200 and again.json()["number"] == body["number"]
    assert Evidence.objects.count() == 2


def test_a_file_that_is_no_image_or_clip_is_refused(client, machine, org):
    _m, key = machine
    resp = send(client, key, [SimpleUploadedFile("evil.jpg", b"MZ\x90\x00 not an image", "image/jpeg")])
    assert resp.status_code == 422
    assert resp.json()["code"] == "bad_evidence" and resp.json()["name"] == "evil.jpg"
    assert not Case.objects.exists() and not Evidence.objects.exists()


def test_too_many_files_and_a_place_outside_are_refused(client, machine, org):
    _m, key = machine
    many = [SimpleUploadedFile(f"{i}.png", PNG, "image/png") for i in range(7)]
    assert send(client, key, many).json()["code"] == "too_many_files"
    resp = send(client, key, lon="121.5", lat="31.2")
    assert resp.status_code == 422 and resp.json()["code"] == "outside_jurisdiction"
    assert send(client, key, type_code="99999").json()["code"] == "unknown_type"
    assert not Case.objects.exists()


def test_only_machine_keys_are_accepted(client, make_client, org):
    _t, key = make_client(ApiClient.Kind.TRANSFER_12345)
    assert send(client, key).status_code == 401
    assert send(client, "").status_code == 401
