"""An Open311 world: the small county and its organisation, the gazetteer, an Open311 client
with its raw key, and helpers that fetch a resource in both formats and check each answer
against our XML and JSON schemas."""

import io
import json
from pathlib import Path

import jsonschema
import pytest
import xmlschema
from django.core.cache import cache
from django.test import Client
from PIL import Image

from tests.geo.small_gazetteer import build_small_gazetteer
from tests.org import build_org
from urbangrid.intake import clients
from urbangrid.intake.models import ApiClient

SCHEMAS = Path(__file__).parent / "schemas"
BASE = "/open311/v2/"
WEST = {"lat": "30.009", "long": "120.001"}
# A service definition with a required list attribute.
AMOUNT = [
    {"name": "amount", "label": "数量", "type": "choice", "required": True, "choices": ["少量", "大量"]}
]


OFFICIAL = Path("/work/shared/reference/open311-schemas")


def official_validator(name: str):
    """The open311/schema-validation schema `name`, with its sibling files for $ref."""
    referencing = pytest.importorskip("referencing")
    if not OFFICIAL.exists():
        pytest.skip("the official Open311 schemas are not on this machine")
    resources = {
        p.name: referencing.Resource.from_contents(
            json.loads(p.read_text()), default_specification=referencing.jsonschema.DRAFT7
        )
        for p in OFFICIAL.glob("*.json")
    }
    registry = referencing.Registry().with_resources(resources.items())
    return jsonschema.Draft7Validator(resources[name].contents, registry=registry)


def json_schema(name: str) -> dict:
    return json.loads((SCHEMAS / f"{name}.json").read_text())


def xml_schema(name: str) -> xmlschema.XMLSchema:
    return xmlschema.XMLSchema(str(SCHEMAS / f"{name}.xsd"))


class Open311:
    """A machine client of /open311/v2/ that checks every answer against the schemas."""

    def __init__(self, key: str = "") -> None:
        self.http = Client()
        self.key = key

    def get(self, resource: str, fmt: str, schema: str, expect: int = 200, **query):
        resp = self.http.get(f"{BASE}{resource}.{fmt}", query)
        return self.check(resp, fmt, schema, expect)

    def post(self, resource: str, fmt: str, schema: str, expect: int = 200, key=True, headers=None, **data):
        if key and "api_key" not in data:
            data["api_key"] = self.key
        resp = self.http.post(f"{BASE}{resource}.{fmt}", data, headers=headers or {})
        return self.check(resp, fmt, schema, expect)

    def check(self, resp, fmt: str, schema: str, expect: int):
        assert resp.status_code == expect, resp.content.decode()[:500]
        if expect >= 400:
            schema = "errors"
        if fmt == "json":
            assert resp["Content-Type"].startswith("application/json")
            body = resp.json()
            jsonschema.validate(body, json_schema(schema), format_checker=jsonschema.FormatChecker())
            return body
        assert resp["Content-Type"].startswith("text/xml")
        text = resp.content.decode()
        assert text.startswith('<?xml version="1.0" encoding="utf-8"?>')
        xml_schema(schema).validate(text)
        return xml_schema(schema).to_dict(text)

    def report(self, expect: int = 200, fmt: str = "json", headers=None, where=WEST, **data):
        """POST requests: 06010 (暴露垃圾) at a point in the west street unless told otherwise."""
        data = {"service_code": "06010", **where, **data}
        return self.post("requests", fmt, "request_created", expect, headers=headers, **data)

    def both(self, resource: str, schema: str, expect: int = 200, **query):
        """The JSON answer, after checking that the XML one validates too."""
        self.get(resource, "xml", schema, expect, **query)
        return self.get(resource, "json", schema, expect, **query)


@pytest.fixture(autouse=True)
def _fresh_rate_limits():
    """The clock stands still and SQLite reuses rolled-back ids: without this, every test's
    client would share one per-minute request budget."""
    cache.clear()


@pytest.fixture
def org(small_county, clock):
    o = build_org(small_county)
    build_small_gazetteer()
    return o


@pytest.fixture
def client_and_key(org):
    return clients.create_client(None, name="随手拍", kind=ApiClient.Kind.OPEN311)


@pytest.fixture
def o311(client_and_key):
    return Open311(client_and_key[1])


@pytest.fixture
def anonymous(db):
    return Open311()


def jpeg_with_gps(name="photo.jpg", size=(64, 48)) -> io.BytesIO:
    """A JPEG whose EXIF carries a GPS position and a camera model, as phones write them."""
    img = Image.new("RGB", size, (200, 30, 30))
    exif = Image.Exif()
    exif[0x0110] = "PhoneModel X"  # Model
    exif[0x8825] = {1: "N", 2: (30.0, 0.0, 30.0), 3: "E", 4: (120.0, 0.0, 5.0)}  # GPSInfo
    out = io.BytesIO()
    img.save(out, "JPEG", exif=exif)
    out.seek(0)
    out.name = name
    return out
