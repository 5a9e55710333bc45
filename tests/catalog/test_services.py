from decimal import Decimal

import pytest

from tests.factories import make_department
from urbangrid.audit.models import AuditRecord
from urbangrid.catalog import services
from urbangrid.catalog.attributes import clean_attributes, validate_schema
from urbangrid.catalog.models import CatalogType, TimeLimit
from urbangrid.core.errors import Conflict, Invalid, NotFound, PermissionDenied

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin(make_user):
    return make_user("admin")


def test_update_type_is_audited(admin):
    dept = make_department(code="water", name="自来水公司")
    services.update_type(admin, "matter", "01001", filing_condition=" 井盖缺失 ", default_department=dept)
    t = CatalogType.objects.get(kind="matter", code="01001")
    assert t.filing_condition == "井盖缺失" and t.default_department == dept
    record = AuditRecord.objects.get(action="catalog.update_type")
    assert record.target_id == "matter:01001"
    assert record.payload["changes"]["default_department"] == {"from": None, "to": "water"}


@pytest.mark.parametrize("role", ["supervisor", "shift_leader", "dispatcher", "leader", "disposer"])
def test_only_administrators_edit(make_user, role):
    with pytest.raises(PermissionDenied) as exc:
        services.update_type(make_user(role), "matter", "01001", closing_condition="x")
    assert exc.value.code == "role_not_allowed"
    with pytest.raises(PermissionDenied):
        services.set_time_limits(make_user(role), "matter", "01001", [])


def test_standard_identity_is_not_editable(admin):
    with pytest.raises(Invalid) as exc:
        services.update_type(admin, "component", "01037", name="灯")
    assert exc.value.code == "field_not_editable"
    with pytest.raises(NotFound):
        services.update_type(admin, "component", "06001", active=False)
    with pytest.raises(Invalid) as exc:
        services.update_type(admin, "matter", "06001", attribute_schema=[{"name": "x", "type": "string"}])
    assert exc.value.code == "schema_for_matter"
    with pytest.raises(Invalid) as exc:
        services.update_type(admin, "component", "01037", attribute_schema=[{"name": "Bad Name"}])
    assert exc.value.code == "bad_attribute_schema"


def test_set_time_limits_replaces_all_stages(admin):
    limits = [
        {"stage": 1, "stage_name": "警示", "value": "2", "unit": "natural_hours", "urgency": "urgent"},
        {"stage": 1, "stage_name": "修复", "value": 1.5, "unit": "work_days"},
        {"stage": 2, "stage_name": "复查", "value": 4, "unit": "work_hours"},
    ]
    services.set_time_limits(admin, "matter", "01037", limits)
    stored = list(
        TimeLimit.objects.filter(type__kind="matter", type__code="01037").values_list(
            "urgency", "stage", "value"
        )
    )
    assert stored == [
        ("normal", 1, Decimal("1.50")),
        ("normal", 2, Decimal("4.00")),
        ("urgent", 1, Decimal("2.00")),
    ]
    record = AuditRecord.objects.get(action="catalog.set_time_limits")
    assert record.payload["from"] == [
        {"urgency": "normal", "stage": 1, "stage_name": "处置", "value": "3.00", "unit": "work_days"}
    ]


@pytest.mark.parametrize(
    "limits",
    [
        [{"stage": 2, "value": 1, "unit": "work_days"}],
        [{"stage": 1, "value": 1}, {"stage": 1, "value": 2}],
        [{"stage": 1, "value": 0}],
        [{"stage": 1, "value": "soon"}],
        [{"stage": 1, "value": 1, "unit": "fortnights"}],
        [{"stage": 1, "value": 1, "urgency": "urgent"}],
        "4 hours",
    ],
    ids=["gap", "twice", "zero", "text", "unit", "urgent-alone", "not-a-list"],
)
def test_bad_time_limits_change_nothing(admin, limits):
    before = list(
        TimeLimit.objects.filter(type__code="06001", type__kind="matter").values_list("value", flat=True)
    )
    with pytest.raises(Invalid) as exc:
        services.set_time_limits(admin, "matter", "06001", limits)
    assert exc.value.code == "bad_time_limits"
    after = list(
        TimeLimit.objects.filter(type__code="06001", type__kind="matter").values_list("value", flat=True)
    )
    assert after == before


def test_local_types_use_9xx_codes(admin, make_user):
    t = services.add_local_type(
        admin, "matter", "06901", "共享电动车乱停放", "06", closing_condition="已清理"
    )
    assert t.is_local_extension and t.major_name == "市容环境类" and t.closing_condition == "已清理"
    services.update_type(admin, "matter", "06901", name="共享电单车乱停放")
    assert CatalogType.objects.get(kind="matter", code="06901").name == "共享电单车乱停放"
    with pytest.raises(Conflict):
        services.add_local_type(admin, "matter", "06901", "重复", "06")
    for code, major, kind in (
        ("06101", "06", "not_local_code"),
        ("07901", "06", "bad_code"),
        ("0690", "06", "bad_code"),
    ):
        with pytest.raises(Invalid) as exc:
            services.add_local_type(admin, "matter", code, "x", major)
        assert exc.value.code == kind
    with pytest.raises(Invalid) as exc:
        services.add_local_type(admin, "matter", "11901", "x", "11")
    assert exc.value.code == "unknown_major"
    new_class = services.add_local_type(admin, "matter", "11901", "电梯困人", "11", major_name="地方事项类")
    assert new_class.major_name == "地方事项类"
    with pytest.raises(PermissionDenied):
        services.add_local_type(make_user("shift_leader"), "matter", "06902", "x", "06")


def test_assign_default_departments_by_suggestion(admin):
    power = make_department(code="power", name="供电公司")
    changed = services.assign_default_departments(admin, {"供电企业": power})
    suggested = CatalogType.objects.filter(typical_department="供电企业")
    assert changed == suggested.count() > 10
    assert set(suggested.values_list("default_department", flat=True)) == {power.pk}
    with pytest.raises(Invalid) as exc:
        services.assign_default_departments(admin, {"供电局": power})
    assert exc.value.code == "unknown_suggestion" and exc.value.detail["unknown"] == ["供电局"]


class TestAttributes:
    SCHEMA = validate_schema(
        [
            {"name": "material", "type": "choice", "choices": ["铸铁", "复合材料"], "required": True},
            {"name": "heads", "type": "integer"},
            {"name": "height_m", "type": "number"},
            {"name": "sorted", "type": "boolean"},
            {"name": "planted", "type": "date"},
            {"name": "species", "type": "string"},
        ]
    )

    def test_text_is_converted(self):
        cleaned, errors = clean_attributes(
            self.SCHEMA,
            {
                "material": "铸铁",
                "heads": "3",
                "height_m": "7.5",
                "sorted": "是",
                "planted": "20200315",
                "species": " 香樟 ",
            },
        )
        assert not errors
        assert cleaned == {
            "material": "铸铁",
            "heads": 3,
            "height_m": 7.5,
            "sorted": True,
            "planted": "2020-03-15",
            "species": "香樟",
        }

    def test_every_bad_value_is_named(self):
        _, errors = clean_attributes(
            self.SCHEMA,
            {"heads": "2.5", "height_m": "tall", "sorted": "maybe", "planted": "2020-02-30", "colour": "red"},
        )
        assert set(errors) == {"material", "heads", "height_m", "sorted", "planted", "colour"}

    @pytest.mark.parametrize(
        "schema",
        [
            [{"name": "a", "type": "colour"}],
            [{"name": "a", "type": "choice"}],
            [{"name": "a"}, {"name": "a"}],
            [{"name": "note"}],
            [{"label": "no name"}],
            {"name": "a"},
        ],
        ids=["type", "no-choices", "twice", "reserved", "no-name", "not-a-list"],
    )
    def test_bad_schemas(self, schema):
        with pytest.raises(Invalid):
            validate_schema(schema)
