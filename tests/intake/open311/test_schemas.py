"""Our own schemas are strict where the spec is: string codes, date-times with a zone,
required fields, collections as top-level arrays. A schema that accepts anything proves nothing."""

import jsonschema
import pytest
import xmlschema

from tests.intake.open311.conftest import json_schema, xml_schema

GOOD = {
    "service_request_id": "2026000001",
    "status": "open",
    "service_code": "06010",
    "requested_datetime": "2026-11-26T10:00:00+08:00",
}


@pytest.mark.parametrize(
    "bad",
    [
        {**GOOD, "service_code": 6010},  # the spec's 001 quirk: codes are strings
        {**GOOD, "requested_datetime": "2026-11-26T10:00:00"},  # no time zone
        {**GOOD, "status": "in_progress"},
        {k: v for k, v in GOOD.items() if k != "requested_datetime"},
    ],
)
def test_json_requests_schema_refuses_what_the_spec_forbids(bad):
    jsonschema.validate([GOOD], json_schema("requests"))
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate([bad], json_schema("requests"))
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(GOOD, json_schema("requests"))  # one request is still a list


@pytest.mark.parametrize(
    "fragment",
    [
        "<service_request_id>1</service_request_id><status>pending</status>",
        "<status>open</status>",
    ],
)
def test_xml_requests_schema_refuses_what_the_spec_forbids(fragment):
    doc = f"<service_requests><request>{fragment}</request></service_requests>"
    with pytest.raises(xmlschema.XMLSchemaValidationError):
        xml_schema("requests").validate(doc)


def test_errors_schema_wants_a_numeric_code_and_a_description():
    jsonschema.validate([{"code": 404, "description": "x"}], json_schema("errors"))
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate([{"code": "404"}], json_schema("errors"))
    with pytest.raises(xmlschema.XMLSchemaValidationError):
        xml_schema("errors").validate(
            "<errors><error><code>x</code><description>d</description></error></errors>"
        )
