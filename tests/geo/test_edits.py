"""Small edits after import: responsibility grids, grid attributes, division names, all
through the services, scoped, audited and versioned."""

import pytest

from tests.factories import make_department
from urbangrid.accounts.models import Role
from urbangrid.audit.models import AuditRecord
from urbangrid.core.errors import Invalid, NotFound, PermissionDenied
from urbangrid.geo import services as geo
from urbangrid.geo.models import Division, ResponsibilityGrid, UnitGrid

WEST = ["990101001001001", "990101001001002"]
EAST = "990101002001001"


@pytest.fixture
def west_leader(small_county, make_user):
    """A shift leader whose data scope is the west street only."""
    west = Division.objects.get(code="990101001")
    return make_user(Role.SHIFT_LEADER, areas=[west])


def test_responsibility_grid_with_supervisors(small_county, make_user):
    supervisor = make_user(Role.SUPERVISOR, username="zhang")
    rg = geo.save_responsibility_grid(
        make_user(Role.ADMIN), code="RG-01", name="城西一片", grid_codes=WEST, supervisors=["zhang"]
    )
    assert rg.grid_codes == WEST and list(rg.supervisors.all()) == [supervisor]
    record = AuditRecord.objects.filter(action="geo.create_responsibility_grid").get()
    assert record.payload["to"]["supervisors"] == ["zhang"]
    geo.save_responsibility_grid(None, code="RG-01", name="城西一片区", grid_codes=WEST[:1], supervisors=[])
    rg.refresh_from_db()
    assert rg.name == "城西一片区" and rg.grid_codes == WEST[:1] and not rg.supervisors.exists()
    assert AuditRecord.objects.filter(action="geo.update_responsibility_grid").count() == 1


def test_responsibility_grid_needs_existing_grids(small_county):
    with pytest.raises(Invalid) as exc:
        geo.save_responsibility_grid(
            None, code="RG-02", name="x", grid_codes=[*WEST, "990101001001999"], supervisors=[]
        )
    assert exc.value.code == "unknown_grid" and exc.value.detail["codes"] == ["990101001001999"]
    assert not ResponsibilityGrid.objects.exists()


def test_only_supervisors_patrol(small_county, make_user):
    intake = make_user(Role.INTAKE, username="li")
    with pytest.raises(Invalid) as exc:
        geo.save_responsibility_grid(None, code="RG-03", name="x", grid_codes=WEST, supervisors=[intake])
    assert exc.value.code == "not_a_supervisor"
    with pytest.raises(Invalid) as exc:
        geo.save_responsibility_grid(None, code="RG-03", name="x", grid_codes=WEST, supervisors=["nobody"])
    assert exc.value.code == "unknown_user"


def test_shift_leader_edits_only_inside_the_scope(west_leader):
    geo.save_responsibility_grid(west_leader, code="RG-W", name="西片", grid_codes=WEST, supervisors=[])
    with pytest.raises(PermissionDenied) as exc:
        geo.save_responsibility_grid(west_leader, code="RG-E", name="东片", grid_codes=[EAST], supervisors=[])
    assert exc.value.code == "out_of_scope"
    geo.save_responsibility_grid(None, code="RG-E", name="东片", grid_codes=[EAST], supervisors=[])
    with pytest.raises(PermissionDenied):  # nor take an east responsibility grid over
        geo.save_responsibility_grid(west_leader, code="RG-E", name="东片", grid_codes=WEST, supervisors=[])
    with pytest.raises(PermissionDenied):
        geo.delete_responsibility_grid(west_leader, "RG-E")
    geo.delete_responsibility_grid(west_leader, "RG-W")
    assert list(ResponsibilityGrid.objects.values_list("code", flat=True)) == ["RG-E"]


def test_other_roles_may_not_edit(small_county, make_user):
    with pytest.raises(PermissionDenied) as exc:
        geo.save_responsibility_grid(
            make_user(Role.SUPERVISOR), code="RG", name="x", grid_codes=WEST, supervisors=[]
        )
    assert exc.value.code == "role_not_allowed"


def test_grid_attribute_edit_opens_a_new_version(small_county, make_user):
    dept = make_department(code="sanitation", name="环卫所")
    new = geo.update_grid(
        make_user(Role.ADMIN), WEST[0], land_use="商业用地", responsible_department="sanitation"
    )
    assert (new.land_use, new.responsible_department) == ("commercial", dept)
    versions = UnitGrid.objects.filter(code=WEST[0]).order_by("pk")
    assert versions.count() == 2 and versions[0].valid_to is not None and versions[0].land_use == "other"
    assert versions[1].geom_wkb == versions[0].geom_wkb
    record = AuditRecord.objects.filter(action="geo.update_grid").get()
    assert (
        record.payload["from"]["land_use"] == "other"
        and record.payload["to"]["responsible_department"] == "sanitation"
    )


def test_grid_edit_checks_values_and_scope(west_leader):
    with pytest.raises(Invalid) as exc:
        geo.update_grid(None, WEST[0], land_use="moon")
    assert exc.value.code == "bad_land_use"
    with pytest.raises(Invalid) as exc:
        geo.update_grid(None, WEST[0], responsible_department="nobody")
    assert exc.value.code == "unknown_department"
    with pytest.raises(NotFound):
        geo.update_grid(None, "990101001001999", land_use="green")
    with pytest.raises(PermissionDenied):
        geo.update_grid(west_leader, EAST, land_use="green")
    assert UnitGrid.objects.count() == 32


def test_unchanged_edit_keeps_the_current_version(small_county):
    geo.update_grid(None, WEST[0], land_use="other")
    assert UnitGrid.objects.filter(code=WEST[0]).count() == 1


def test_division_rename(small_county, west_leader):
    geo.rename_division(west_leader, "990101001001", "城西一社区")
    assert Division.objects.get(code="990101001001").name == "城西一社区"
    with pytest.raises(PermissionDenied):
        geo.rename_division(west_leader, "990101002001", "东")
    with pytest.raises(Invalid):
        geo.rename_division(None, "990101001001", " ")
