"""The catalogue in the Django admin (应用维护): every save goes through the services."""

import pytest
from django.test import Client

from urbangrid.audit.models import AuditRecord
from urbangrid.catalog.models import CatalogType, TimeLimit

pytestmark = pytest.mark.django_db


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _change_data(t: CatalogType, extra_limits=(), **overrides) -> dict:
    limits = list(t.time_limits.order_by("urgency", "stage"))
    data = {
        "default_department": t.default_department_id or "",
        "filing_condition": t.filing_condition,
        "closing_condition": t.closing_condition,
        "attribute_schema": "[]",
        "duplicate_radius_m": t.duplicate_radius_m,
        "duplicate_window_hours": t.duplicate_window_hours,
        "active": "on",
        "time_limits-TOTAL_FORMS": len(limits) + len(extra_limits),
        "time_limits-INITIAL_FORMS": len(limits),
        "time_limits-MIN_NUM_FORMS": 0,
        "time_limits-MAX_NUM_FORMS": 1000,
        "_save": "保存",
    }
    rows = [
        {
            "id": x.pk,
            "urgency": x.urgency,
            "stage": x.stage,
            "stage_name": x.stage_name,
            "value": x.value,
            "unit": x.unit,
        }
        for x in limits
    ]
    for i, row in enumerate([*rows, *extra_limits]):
        for key, value in row.items():
            data[f"time_limits-{i}-{key}"] = value
        data[f"time_limits-{i}-type"] = t.pk
    data.update(overrides)
    return data


def test_admin_changes_conditions_and_adds_an_urgent_stage(make_user):
    t = CatalogType.objects.get(kind="matter", code="06010")
    urgent = {
        "urgency": "urgent",
        "stage": 1,
        "stage_name": "紧急清理",
        "value": "2",
        "unit": "natural_hours",
    }
    resp = _client(make_user("admin")).post(
        f"/admin/catalog/catalogtype/{t.pk}/change/",
        _change_data(t, [urgent], filing_condition="主干道暴露垃圾"),
    )
    assert resp.status_code == 302, resp.content.decode()[:2000]
    t.refresh_from_db()
    assert t.filing_condition == "主干道暴露垃圾"
    assert list(t.time_limits.values_list("urgency", "stage_name")) == [
        ("normal", "清理"),
        ("urgent", "紧急清理"),
    ]
    actions = set(AuditRecord.objects.values_list("action", flat=True))
    assert {"catalog.update_type", "catalog.set_time_limits"} <= actions


def test_bad_stages_are_shown_and_nothing_changes(make_user):
    t = CatalogType.objects.get(kind="matter", code="06010")
    gap = {"urgency": "normal", "stage": 3, "stage_name": "x", "value": "1", "unit": "work_days"}
    resp = _client(make_user("admin")).post(
        f"/admin/catalog/catalogtype/{t.pk}/change/", _change_data(t, [gap])
    )
    assert resp.status_code == 200 and "1, 2, 3" in resp.content.decode()
    assert TimeLimit.objects.filter(type=t).count() == 1
    assert not AuditRecord.objects.filter(action__startswith="catalog.").exists()


def test_admin_adds_a_local_type(make_user):
    client = _client(make_user("admin"))
    data = {
        "kind": "matter",
        "code": "09901",
        "name": "占道晾晒农作物",
        "major_code": "09",
        "major_name": "街面秩序类",
        "attribute_schema": "[]",
        "duplicate_radius_m": 50,
        "duplicate_window_hours": 72,
        "active": "on",
        "time_limits-TOTAL_FORMS": 1,
        "time_limits-INITIAL_FORMS": 0,
        "time_limits-MIN_NUM_FORMS": 0,
        "time_limits-MAX_NUM_FORMS": 1000,
        "time_limits-0-urgency": "normal",
        "time_limits-0-stage": 1,
        "time_limits-0-stage_name": "清理",
        "time_limits-0-value": "1",
        "time_limits-0-unit": "work_days",
    }
    assert client.post("/admin/catalog/catalogtype/add/", data).status_code == 302
    local = CatalogType.objects.get(kind="matter", code="09901")
    assert local.is_local_extension and local.time_limits.get().stage_name == "清理"
    refused = client.post("/admin/catalog/catalogtype/add/", {**data, "code": "09101"})
    assert (
        refused.status_code == 200
        and not CatalogType.objects.filter(code="09101", name="占道晾晒农作物").exists()
    )


def test_staff_without_the_admin_role_are_kept_out(make_user):
    staff = make_user("shift_leader", is_staff=True)
    assert _client(staff).get("/admin/catalog/catalogtype/").status_code == 403


def test_changelist_filters_and_search(make_user):
    client = _client(make_user("admin"))
    resp = client.get("/admin/catalog/catalogtype/", {"major": "06", "kind__exact": "matter", "q": "垃圾"})
    page = resp.content.decode()
    assert resp.status_code == 200 and "暴露垃圾" in page and "供水井盖" not in page
