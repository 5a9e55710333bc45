"""The 应用维护 console: pages render in Chinese and every save goes through a service."""

import pytest
from django.test import Client

from tests.factories import PASSWORD
from urbangrid.accounts.models import Role
from urbangrid.audit.models import AuditRecord
from urbangrid.geo.models import Division, ResponsibilityGrid, Road, UnitGrid


@pytest.fixture
def admin_client(small_gazetteer, make_user):
    user = make_user(Role.ADMIN, username="gis")
    client = Client()
    assert client.login(username=user.username, password=PASSWORD)
    return client


@pytest.mark.parametrize("model", ["division", "unitgrid", "responsibilitygrid", "road", "place"])
def test_lists_render(admin_client, model):
    response = admin_client.get(f"/admin/geo/{model}/")
    assert response.status_code == 200


def test_grid_filters_and_history(admin_client):
    street = Division.objects.get(code="990101002")
    page = admin_client.get(
        "/admin/geo/unitgrid/", {"street": street.pk, "version": "current"}
    ).content.decode()
    assert "990101002001001" in page and "990101001001001" not in page
    assert "用地类别" in page and "版本" in page


def test_grid_edit_makes_a_new_version_with_the_geometry_read_only(admin_client):
    grid = UnitGrid.objects.get(code="990101001001001")
    page = admin_client.get(f"/admin/geo/unitgrid/{grid.pk}/change/").content.decode()
    assert "<svg" in page and 'name="geom_wkb"' not in page
    response = admin_client.post(
        f"/admin/geo/unitgrid/{grid.pk}/change/",
        {"land_use": "green", "management_level": "key", "responsible_department": ""},
    )
    assert response.status_code == 302
    assert UnitGrid.objects.filter(code=grid.code).count() == 2
    assert UnitGrid.objects.get(code=grid.code, valid_to__isnull=True).land_use == "green"
    assert AuditRecord.objects.filter(action="geo.update_grid", actor_name="gis").exists()
    # The closed version cannot be edited any more.
    assert (
        admin_client.post(f"/admin/geo/unitgrid/{grid.pk}/change/", {"land_use": "water"}).status_code == 403
    )


def test_responsibility_grid_form_checks_through_the_service(admin_client, make_user):
    supervisor = make_user(Role.SUPERVISOR)
    response = admin_client.post(
        "/admin/geo/responsibilitygrid/add/",
        {
            "code": "RG-1",
            "name": "城西片",
            "grid_codes": "990101001001001\n990101001001999",
            "supervisors": [supervisor.pk],
        },
    )
    assert response.status_code == 200 and "990101001001999" in response.content.decode()
    assert not ResponsibilityGrid.objects.exists()
    response = admin_client.post(
        "/admin/geo/responsibilitygrid/add/",
        {
            "code": "RG-1",
            "name": "城西片",
            "grid_codes": "990101001001001 990101001001002",
            "supervisors": [supervisor.pk],
        },
    )
    assert response.status_code == 302
    rg = ResponsibilityGrid.objects.get()
    assert rg.grid_codes == ["990101001001001", "990101001001002"] and list(rg.supervisors.all()) == [
        supervisor
    ]
    assert AuditRecord.objects.filter(action="geo.create_responsibility_grid").exists()


def test_road_aliases_edit(admin_client):
    road = Road.objects.get(name="建设路")
    response = admin_client.post(
        f"/admin/geo/road/{road.pk}/change/",
        {"name": "建设路", "kind": "secondary", "aliases": "建设大街、老建设路"},
    )
    assert response.status_code == 302
    road.refresh_from_db()
    assert road.aliases == ["建设大街", "老建设路"]


def test_staff_without_the_role_only_views(small_gazetteer, make_user):
    user = make_user(Role.LEADER, username="boss")
    user.is_staff = True
    user.save()
    client = Client()
    client.login(username="boss", password=PASSWORD)
    grid = UnitGrid.objects.get(code="990101001001001")
    assert client.get("/admin/geo/unitgrid/").status_code == 200
    assert client.post(f"/admin/geo/unitgrid/{grid.pk}/change/", {"land_use": "green"}).status_code == 403
    assert UnitGrid.objects.count() == 32
