import pytest

from urbangrid.accounts import permissions
from urbangrid.core.errors import NotAuthenticated, PermissionDenied

permissions.register("test.touch", "supervisor", "disposer")


@pytest.mark.django_db
def test_role_scope_and_department(make_user, small_county):
    west = small_county["streets"][0]
    east_grid = small_county["grids"][-1]
    west_grid = small_county["grids"][0]
    from tests.factories import make_department

    dept = make_department()
    sup = make_user("supervisor", areas=[west])
    worker = make_user("disposer", department=dept)
    intake = make_user("intake")
    admin = make_user("admin")

    permissions.require(sup, "test.touch", area_code=west_grid.code)
    with pytest.raises(PermissionDenied) as e:
        permissions.require(sup, "test.touch", area_code=east_grid.code)
    assert e.value.code == "out_of_scope"

    permissions.require(worker, "test.touch", area_code=east_grid.code, department_ids=[dept.pk])
    with pytest.raises(PermissionDenied):
        permissions.require(worker, "test.touch", area_code=east_grid.code, department_ids=[dept.pk + 1000])

    with pytest.raises(PermissionDenied) as e:
        permissions.require(intake, "test.touch")
    assert e.value.code == "role_not_allowed"
    permissions.require(admin, "test.touch", area_code=east_grid.code)


def test_anonymous_is_not_authenticated():
    from django.contrib.auth.models import AnonymousUser

    with pytest.raises(NotAuthenticated):
        permissions.require(AnonymousUser(), "test.touch")


def test_the_system_administrator_role_maintains_the_configuration(make_user, client):
    from tests.factories import PASSWORD, make_department
    from urbangrid.audit.models import AuditRecord

    admin = make_user("admin", username="keeper")
    assert client.login(username="keeper", password=PASSWORD)
    index = client.get("/admin/").content.decode()
    assert "/admin/cases/workcalendar/" in index and "/admin/accounts/department/" in index
    assert client.get("/admin/cases/steplimit/").status_code == 200
    department = make_department(code="lamps", name="路灯所")
    form = {
        "code": "lamps",
        "name": "城区路灯管理所",
        "kind": "functional",
        "uscc": "",
        "phone": "",
        "active": "on",
    }
    assert client.post(f"/admin/accounts/department/{department.pk}/change/", form).status_code == 302
    department.refresh_from_db()
    assert department.name == "城区路灯管理所"
    assert AuditRecord.objects.filter(action="config.update", target_id=str(department.pk)).exists()
    assert "keeper" in client.get("/admin/accounts/user/?q=keeper").content.decode()
    # The trail stays read-only, the administrator included.
    assert client.get("/admin/audit/auditrecord/add/").status_code == 403
    dispatcher = make_user("dispatcher", username="desk")
    assert not dispatcher.has_perm("cases.change_workcalendar") and admin.has_perm(
        "cases.change_workcalendar"
    )
