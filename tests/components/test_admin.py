"""The registry in the Django admin (应用维护): saves go through the services."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from tests.components.builders import IN_FIRST_GRID, IN_LAST_GRID, department, register
from urbangrid.audit.models import AuditRecord
from urbangrid.catalog.models import CatalogType
from urbangrid.components.models import Component, ComponentPhoto, StatusChange

pytestmark = pytest.mark.django_db

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32
INLINES = {"photos": 0, "status_changes": 0}


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _inline_data(initial: dict) -> dict:
    data = {}
    for prefix, count in initial.items():
        data.update(
            {
                f"{prefix}-TOTAL_FORMS": count,
                f"{prefix}-INITIAL_FORMS": count,
                f"{prefix}-MIN_NUM_FORMS": 0,
                f"{prefix}-MAX_NUM_FORMS": 1000,
            }
        )
    return data


def _change_data(c: Component, **overrides) -> dict:
    data = {
        "status": c.status,
        "status_reason": "",
        "point_lon": c.lon,
        "point_lat": c.lat,
        "competent_department": c.competent_department_id,
        "owner_department": c.owner_department_id or "",
        "maintainer_department": c.maintainer_department_id or "",
        "initial_date": c.initial_date.isoformat(),
        "data_source": c.data_source,
        "note": c.note,
        "attributes": "{}",
        "old_code": c.old_code,
        **_inline_data(INLINES),
    }
    data.update(overrides)
    return data


@pytest.fixture
def admin(make_user):
    return make_user("admin")


@pytest.fixture
def lamp(small_county, admin):
    return register(admin, department("lamps", "路灯所"))


def test_adding_registers_and_assigns_the_code(small_county, admin, clock):
    lamps = department("lamps", "路灯所")
    data = {
        "type": CatalogType.objects.get(kind="component", code="01037").pk,
        "point_lon": IN_FIRST_GRID[0],
        "point_lat": IN_FIRST_GRID[1],
        "status": "intact",
        "competent_department": lamps.pk,
        "initial_date": "2026-11-26",
        "data_source": "survey",
        "note": "",
        "attributes": '{"heads": 2}',
        "old_code": "",
        "photos-TOTAL_FORMS": 0,
        "photos-INITIAL_FORMS": 0,
        "status_changes-TOTAL_FORMS": 0,
        "status_changes-INITIAL_FORMS": 0,
    }
    client = _client(admin)
    resp = client.post("/admin/components/component/add/", data)
    assert resp.status_code == 302, resp.content.decode()[:3000]
    lamp = Component.objects.get()
    assert lamp.code == "99010101037000001" and lamp.attributes == {"heads": 2}
    outside = client.post("/admin/components/component/add/", {**data, "point_lon": 121.0, "point_lat": 31.0})
    assert outside.status_code == 200 and Component.objects.count() == 1
    bad = client.post("/admin/components/component/add/", {**data, "attributes": '{"heads": "many"}'})
    assert bad.status_code == 200 and "heads" in bad.content.decode()


def test_status_change_needs_a_reason_and_is_recorded(lamp, admin):
    client = _client(admin)
    url = f"/admin/components/component/{lamp.pk}/change/"
    refused = client.post(url, _change_data(lamp, status="damaged"))
    assert refused.status_code == 200 and not StatusChange.objects.exists()
    done = client.post(url, _change_data(lamp, status="damaged", status_reason="灯罩破裂"))
    assert done.status_code == 302
    change = StatusChange.objects.get()
    assert (change.to_status, change.reason, change.actor) == ("damaged", "灯罩破裂", admin)


def test_moving_the_point_relocates(lamp, admin):
    url = f"/admin/components/component/{lamp.pk}/change/"
    resp = _client(admin).post(
        url, _change_data(lamp, point_lon=IN_LAST_GRID[0], point_lat=IN_LAST_GRID[1], note="挪位")
    )
    assert resp.status_code == 302
    lamp.refresh_from_db()
    assert lamp.grid_code == "990101002002008" and lamp.note == "挪位"
    assert {"component.relocate", "component.update"} <= set(
        AuditRecord.objects.values_list("action", flat=True)
    )


def test_photos_are_added_through_the_service(lamp, admin):
    data = _change_data(lamp)
    data.update(
        {
            "photos-TOTAL_FORMS": 1,
            "photos-0-image": SimpleUploadedFile("lamp.png", PNG, content_type="image/png"),
            "photos-0-caption": "夜景",
        }
    )
    resp = _client(admin).post(f"/admin/components/component/{lamp.pk}/change/", data)
    assert resp.status_code == 302
    photo = ComponentPhoto.objects.get()
    assert photo.caption == "夜景" and photo.uploaded_by == admin and len(photo.sha256) == 64


def test_search_by_code_and_old_code(small_county, admin):
    lamps = department("lamps")
    register(admin, lamps)
    register(admin, lamps, type_code="01001", old_code="9901010101000004")
    client = _client(admin)
    page = client.get("/admin/components/component/", {"q": "9901010101000004"}).content.decode()
    assert "99010101001000001" in page and "99010101037000001" not in page
    page = client.get("/admin/components/component/", {"q": "99010101037"}).content.decode()
    assert "99010101037000001" in page and "99010101001000001" not in page
    page = client.get(
        "/admin/components/component/", {"major": "01", "status__exact": "intact"}
    ).content.decode()
    assert "99010101001000001" in page


def test_no_deleting_and_read_only_for_other_roles(lamp, admin, make_user):
    client = _client(admin)
    assert client.get(f"/admin/components/component/{lamp.pk}/delete/").status_code == 403
    # Staff of other roles may look (read-only) but not register; citizens may not look.
    leader = _client(make_user("leader", is_staff=True))
    assert leader.get("/admin/components/component/").status_code == 200
    assert leader.get("/admin/components/component/add/").status_code == 403
    assert (
        leader.post(
            f"/admin/components/component/{lamp.pk}/change/", _change_data(lamp, note="x")
        ).status_code
        == 403
    )
    assert _client(make_user("citizen", is_staff=True)).get("/admin/components/component/").status_code == 403
