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
