"""Fixtures for case tests: the small county with its organisation (tests/org.py) and photos."""

import base64

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from tests.org import build_org

# A valid 1×1 PNG; the services check the file signature, not the extension.
PNG = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg=="
)


def photo(name="p.png", data=PNG):
    return SimpleUploadedFile(name, data, content_type="image/png")


@pytest.fixture
def org(small_county, clock):
    return build_org(small_county)
