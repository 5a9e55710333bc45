"""Discovery, the service list and service definitions: both formats, schema-valid, and the
spec's errors for an unknown service, a wrong jurisdiction and a wrong format suffix."""

import pytest
from django.test import Client

from tests.intake.open311.conftest import AMOUNT, BASE, official_validator
from urbangrid.catalog.models import CatalogType


def test_discovery_names_this_endpoint_and_both_formats(anonymous):
    body = anonymous.both("discovery", "discovery")
    (endpoint,) = body["endpoints"]
    assert endpoint["url"] == "http://testserver/open311/v2/"
    assert endpoint["specification"] == "http://wiki.open311.org/GeoReport_v2"
    assert set(endpoint["formats"]) == {"text/xml", "application/json"}


def test_root_redirects_to_discovery(db):
    resp = Client().get(BASE)
    assert resp.status_code == 302 and resp["Location"].endswith("/open311/v2/discovery.xml")


def test_services_are_the_active_matter_types_with_string_codes(org, anonymous):
    CatalogType.objects.filter(kind="matter", code="09006").update(active=False)
    services = anonymous.both("services", "services")
    codes = [s["service_code"] for s in services]
    assert "01001" in codes and "06010" in codes and "09006" not in codes
    assert all(isinstance(c, str) for c in codes)
    manhole = next(s for s in services if s["service_code"] == "01001")
    assert manhole["service_name"] == "供水井盖异常" and manhole["group"] == "市政公用设施类"
    assert manhole["metadata"] is True  # a component problem asks for the component's code
    official_validator("services.json").validate(services)


def test_xml_service_list_uses_service_elements(org, anonymous):
    body = anonymous.get("services", "xml", "services")
    assert any(s["service_code"] == "01001" for s in body["service"])


def test_service_definition_lists_the_types_attributes(org, anonymous):
    smell = {"name": "smell", "label": "有异味", "type": "boolean"}
    CatalogType.objects.filter(kind="matter", code="06010").update(attribute_schema=[*AMOUNT, smell])
    body = anonymous.both("services/06010", "service_definition")
    assert body["service_code"] == "06010"
    amount, smell = body["attributes"]
    assert (
        amount["code"] == "amount" and amount["datatype"] == "singlevaluelist" and amount["required"] is True
    )
    assert [v["key"] for v in amount["values"]] == ["少量", "大量"]
    assert smell["datatype"] == "singlevaluelist" and [v["key"] for v in smell["values"]] == ["true", "false"]
    assert next(s for s in anonymous.both("services", "services") if s["service_code"] == "06010")["metadata"]
    official_validator("service-definition.json").validate(body)


def test_component_problem_asks_for_the_component_code(org, anonymous):
    body = anonymous.both("services/01001", "service_definition")
    assert [a["code"] for a in body["attributes"]] == ["component_code"]
    assert body["attributes"][0]["required"] is False


@pytest.mark.parametrize("fmt", ["xml", "json"])
def test_unknown_service_code_is_404(org, anonymous, fmt):
    body = anonymous.get("services/99999", fmt, "service_definition", expect=404)
    errors = body if fmt == "json" else body["error"]
    assert errors[0]["code"] == 404 and "99999" in errors[0]["description"]


@pytest.mark.parametrize("fmt", ["xml", "json"])
def test_wrong_jurisdiction_is_404_and_the_right_one_works(org, anonymous, fmt, settings):
    settings.URBANGRID = {**settings.URBANGRID, "OPEN311_JURISDICTION": "test.county.gov.cn"}
    anonymous.get("services", fmt, "services", expect=404, jurisdiction_id="other.gov.cn")
    anonymous.get("services", fmt, "services", jurisdiction_id="test.county.gov.cn")
    anonymous.get("services", fmt, "services")  # one jurisdiction: the parameter may be left out


@pytest.mark.parametrize("path", ["services.html", "services", "discovery.csv"])
def test_bad_format_suffix_is_a_400_in_xml(db, anonymous, path):
    resp = anonymous.http.get(BASE + path)
    anonymous.check(resp, "xml", "errors", 400)
    assert ".xml 或 .json" in resp.content.decode()


def test_method_not_offered_is_an_error_in_the_spec_shape(db, anonymous):
    resp = anonymous.http.post(BASE + "services.json")
    body = anonymous.check(resp, "json", "errors", 405)
    assert body[0]["code"] == 405
