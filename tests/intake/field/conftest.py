"""Fixtures for the field app: the small county's organisation (tests/org.py), a supervisor's
API client, generated photos and cases waiting for the supervisor's verification or check."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image, ImageDraw

from tests.cases.conftest import photo
from tests.factories import ApiClient
from tests.org import build_org
from urbangrid.cases import services


def jpeg_bytes(width=320, height=240) -> bytes:
    """A street photo's stand-in: a grey road with a brown heap on it."""
    img = Image.new("RGB", (width, height), (176, 160, 140))
    draw = ImageDraw.Draw(img)
    draw.rectangle([0, height * 2 // 3, width, height], fill=(88, 92, 98))
    draw.ellipse([width // 3, height // 3, width * 2 // 3, height * 2 // 3], fill=(120, 84, 40))
    out = io.BytesIO()
    img.save(out, "JPEG", quality=80)
    return out.getvalue()


def jpeg(name="p.jpg"):
    return SimpleUploadedFile(name, jpeg_bytes(), content_type="image/jpeg")


@pytest.fixture
def org(small_county, clock):
    return build_org(small_county)


@pytest.fixture
def sup_api(org):
    return ApiClient(org.sup)


def public_report(o, point=None, description="人行道上堆放生活垃圾"):
    lon, lat = point or o.west_point
    return services.report_case(
        o.citizen,
        source="public",
        kind="matter",
        type_code="06010",
        description=description,
        lon=lon,
        lat=lat,
        photos=[photo()],
    )


def verifying_case(o, point=None):
    """A citizen's report, accepted: it waits for the grid's supervisor to verify it."""
    case = public_report(o, point)
    services.accept(o.intake, case.number)
    case.refresh_from_db()
    return case


def checking_case(o, point=None):
    """A case the department has handled: it waits for the grid's supervisor to check it."""
    case = verifying_case(o, point)
    supervisor = case.assignee
    services.verify(supervisor, case.number, confirmed=True, photos=[photo()])
    services.file_case(o.shift, case.number, meets_condition=True)
    services.dispatch(o.dispatcher, case.number, department=o.hws)
    services.feedback(o.cleaner, case.number, note="已清运", photos=[photo()])
    case.refresh_from_db()
    return case
