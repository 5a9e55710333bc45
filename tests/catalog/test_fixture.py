"""The catalogue every database gets from the data migration."""

import csv
from collections import Counter
from decimal import Decimal

import pytest

from urbangrid.catalog import seed
from urbangrid.catalog.attributes import validate_schema
from urbangrid.catalog.models import CatalogType, TimeLimit

pytestmark = pytest.mark.django_db


def _limits(kind, code):
    return [
        (t.urgency, t.stage, t.stage_name, t.value, t.unit)
        for t in TimeLimit.objects.filter(type__kind=kind, type__code=code).order_by("urgency", "stage")
    ]


def test_the_standard_tables_are_complete():
    counts = Counter(CatalogType.objects.values_list("kind", "major_code"))
    assert sum(v for (k, _), v in counts.items() if k == "component") == 153
    assert sum(v for (k, _), v in counts.items() if k == "matter") == 250
    assert (
        counts[("component", "01")] == 76 and counts[("matter", "06")] == 51 and counts[("matter", "10")] == 2
    )
    for absent in ("01016", "05001", "06031", "07005", "09007"):
        assert not CatalogType.objects.filter(code=absent).exists()
    assert CatalogType.objects.get(kind="component", code="01001").name == "供水井盖"
    assert CatalogType.objects.get(kind="matter", code="01001").name == "供水井盖异常"
    assert not CatalogType.objects.filter(is_local_extension=True).exists()


def test_the_fixture_is_the_shipped_csv():
    with seed.CATALOGUE_FILE.open(encoding="utf-8") as fh:
        rows = {(r["kind"], r["code"]): r["name"] for r in csv.DictReader(fh)}
    assert rows == {(t.kind, t.code): t.name for t in CatalogType.objects.all()}


def test_2013_codes_map_to_the_new_ones():
    assert CatalogType.objects.get(kind="component", code="01001").code_2013 == "0101"
    assert CatalogType.objects.get(kind="component", code="01013").code_2013 == "0113"
    assert CatalogType.objects.get(kind="matter", code="06036").code_2013 == "0136"
    assert CatalogType.objects.get(kind="matter", code="09010").code_2013 == "0410"
    assert CatalogType.objects.exclude(code_2013="").count() == 13 + 14


def test_time_limits_from_the_sources():
    assert _limits("matter", "06001") == [
        ("normal", 1, "停工", Decimal("4.00"), "work_hours"),
        ("normal", 2, "处罚", Decimal("7.00"), "work_days"),
        ("normal", 3, "拆除", Decimal("20.00"), "work_days"),
    ]
    assert _limits("matter", "06010") == [("normal", 1, "清理", Decimal("4.00"), "work_hours")]
    assert _limits("matter", "06012") == [("normal", 1, "保洁", Decimal("2.00"), "work_hours")]
    assert _limits("matter", "04013")[0][3:] == (Decimal("5.00"), "work_days")


def test_class_defaults_and_urgent_variants():
    # A matter without rows of its own gets its class default.
    assert _limits("matter", "06002") == [("normal", 1, "处置", Decimal("2.00"), "work_days")]
    assert _limits("matter", "01037") == [("normal", 1, "处置", Decimal("3.00"), "work_days")]
    # Safety-critical types add an urgent variant counted in natural hours.
    assert ("urgent", 1, "设置警示并补盖", Decimal("2.00"), "natural_hours") in _limits("matter", "01001")
    assert ("urgent", 1, "抢修", Decimal("2.00"), "natural_hours") in _limits("matter", "02014")
    # A component type shares its "异常" matter's limits, for cases filed the 2013 way.
    assert _limits("component", "01001") == _limits("matter", "01001")
    without = CatalogType.objects.filter(kind="matter").exclude(time_limits__urgency="normal")
    assert not without.exists()


def test_default_conditions_for_common_types():
    cover = CatalogType.objects.get(kind="matter", code="01002")
    assert "井盖缺失" in cover.filing_condition and "井盖恢复完好" in cover.closing_condition
    assert "规划许可" in CatalogType.objects.get(kind="matter", code="06001").filing_condition
    assert CatalogType.objects.exclude(filing_condition="").filter(kind="matter").count() > 40


def test_shipped_attribute_schemas_are_valid():
    schemas = CatalogType.objects.filter(kind="component").exclude(attribute_schema=[])
    assert schemas.count() >= 25
    for t in schemas:
        assert validate_schema(t.attribute_schema) == t.attribute_schema
    assert not CatalogType.objects.filter(kind="matter").exclude(attribute_schema=[]).exists()


def test_loading_again_keeps_assigned_departments(make_user):
    from tests.factories import make_department

    lamp = CatalogType.objects.get(kind="component", code="01037")
    lamp.default_department = make_department(code="lights")
    lamp.save()
    seed.load(CatalogType, TimeLimit)
    lamp.refresh_from_db()
    assert lamp.default_department.code == "lights"
    assert TimeLimit.objects.filter(type=lamp).count() == 1
