"""Fixtures for the citizen app: the small county's organisation, photos with and without EXIF,
a report sent through the page, and a case walked to closing."""

import io
import uuid

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from PIL import Image

from tests.cases.conftest import photo
from tests.org import build_org
from urbangrid.cases import services

DEVICE = "device-aaaaaaaa"


def jpeg(size=(64, 48), exif_gps=True, colour=(200, 80, 40)) -> bytes:
    """A JPEG as phones make them: with the place it was taken in its EXIF (GPS IFD)."""
    image = Image.new("RGB", size, colour)
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"  # Make
    exif[0x0110] = "Model X"  # Model
    if exif_gps:
        exif[0x8825] = {1: "N", 2: (30.0, 0.0, 32.4), 3: "E", 4: (120.0, 0.0, 3.6)}
    out = io.BytesIO()
    image.save(out, "JPEG", exif=exif)
    return out.getvalue()


def upload(name="p.jpg", data=None, content_type="image/jpeg"):
    return SimpleUploadedFile(name, jpeg() if data is None else data, content_type=content_type)


def device_client(device=DEVICE) -> Client:
    client = Client()
    client.cookies["ug_device"] = device
    return client


def form_data(o, **over):
    lon, lat = o.west_point
    data = {
        "submission_id": uuid.uuid4().hex,
        "type_code": "06010",
        "description": "路边垃圾堆了三天",
        "lon": str(lon),
        "lat": str(lat),
        "address": "城西路12号",
        "phone": "13912345678",
    }
    data.update(over)
    return {k: v for k, v in data.items() if v is not None}


def send(client, o, photos=(), **over):
    data = form_data(o, **over)
    if photos:
        data["photos"] = list(photos)
    return client.post("/citizen/report/", data)


def receipt_code(response) -> str:
    assert response.status_code == 302, response.content.decode()[:2000]
    return response["Location"].split("/r/")[1].split("/")[0]


def close_case(o, number, note="垃圾已清运"):
    """Accept, verify, file, dispatch, feed back with a photo, check and close."""
    services.accept(o.intake, number)
    services.verify(o.sup, number, confirmed=True, photos=[photo()])
    services.file_case(o.shift, number, meets_condition=True)
    services.dispatch(o.dispatcher, number, department=o.hws)
    services.feedback(o.cleaner, number, note=note, photos=[upload("after.jpg")])
    services.check(o.sup, number, passed=True, photos=[photo()])
    services.close(o.shift, number, meets_condition=True)


@pytest.fixture
def org(small_county, clock):
    return build_org(small_county)
