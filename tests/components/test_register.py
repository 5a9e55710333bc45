import hashlib
import io

import pytest
import shapely
from django.core.files.uploadedfile import SimpleUploadedFile

from tests.components.builders import FIRST_GRID, IN_LAST_GRID, counted_on_map, department, register
from urbangrid.audit.models import AuditRecord
from urbangrid.catalog.models import CatalogType
from urbangrid.components import services
from urbangrid.components.models import Component, MapCell, SerialCounter, StatusChange
from urbangrid.core.errors import Conflict, Invalid, NotFound, PermissionDenied

pytestmark = pytest.mark.django_db

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


@pytest.fixture
def admin(make_user):
    return make_user("admin")


@pytest.fixture
def lamps():
    return department("lamps", "路灯所")


def test_code_is_county_type_and_serial(small_county, admin, lamps, clock):
    first = register(admin, lamps)
    second = register(admin, lamps, lon=IN_LAST_GRID[0], lat=IN_LAST_GRID[1])
    cover = register(admin, lamps, type_code="01001")
    assert first.code == "99010101037000001"
    assert second.code == "99010101037000002"
    assert cover.code == "99010101001000001"
    assert first.grid_code == FIRST_GRID
    assert (first.street_code, first.community_code) == (FIRST_GRID[:9], FIRST_GRID[:12])
    assert second.grid_code == "990101002002008"
    assert str(first.initial_date) == "2026-11-26"
    record = AuditRecord.objects.get(action="component.register", target_id=first.code)
    assert record.payload["grid"] == FIRST_GRID and record.payload["competent_department"] == "lamps"
    assert counted_on_map() == 3


def test_outside_the_jurisdiction_is_refused(small_county, admin, lamps):
    with pytest.raises(Invalid) as exc:
        register(admin, lamps, lon=121.0, lat=31.0)
    assert exc.value.code == "outside_jurisdiction" and exc.value.status == 422
    assert not Component.objects.exists() and not SerialCounter.objects.exists()


@pytest.mark.parametrize(
    "geometry",
    [
        shapely.Point(),
        shapely.Polygon([(120.001, 30.001), (120.002, 30.002), (120.002, 30.001), (120.001, 30.002)]),
        shapely.GeometryCollection([shapely.Point(120.001, 30.001)]),
        shapely.MultiPoint([(120.001, 30.001), (120.002, 30.002)]),
        "POINT (120.001 30.001)",
    ],
    ids=["empty", "bow-tie", "collection", "multipoint", "text"],
)
def test_malformed_geometry_is_refused(small_county, admin, lamps, geometry):
    with pytest.raises(Invalid) as exc:
        register(admin, lamps, geometry=geometry)
    assert exc.value.code == "bad_geometry"


def test_lines_and_polygons_are_placed_by_a_point_on_them(small_county, admin, lamps):
    lawn = shapely.box(120.0003, 30.0003, 120.0020, 30.0020)
    fence = shapely.LineString([(120.0101, 30.0011), (120.0121, 30.0011)])
    green = register(admin, lamps, type_code="04013", geometry=lawn)
    rail = register(admin, lamps, type_code="04008", geometry=fence)
    assert green.geometry_type == "polygon" and lawn.contains(shapely.Point(green.lon, green.lat))
    assert rail.geometry_type == "line" and fence.distance(shapely.Point(rail.lon, rail.lat)) < 1e-9
    assert Component.objects.get(code=green.code).geometry.equals(lawn)


@pytest.mark.parametrize("type_code", ["01016", "06001", "1037", "abcde"])
def test_unknown_type_is_refused(small_county, admin, lamps, type_code):
    # 01016 is absent from the standard's table; 06001 is a matter, not a component.
    with pytest.raises(Invalid) as exc:
        register(admin, lamps, type_code=type_code)
    assert exc.value.code == "unknown_type"


def test_extension_attributes_are_checked_against_the_type(small_county, admin, lamps):
    lamp = register(admin, lamps, attributes={"heads": "2", "light_source": "LED", "pole_height_m": "8.5"})
    assert lamp.attributes == {"heads": 2, "light_source": "LED", "pole_height_m": 8.5}
    with pytest.raises(Invalid) as exc:
        register(admin, lamps, attributes={"heads": "two", "light_source": "candle", "colour": "red"})
    assert exc.value.code == "bad_attributes"
    assert set(exc.value.detail["errors"]) == {"heads", "light_source", "colour"}


def test_the_type_default_department_stands_in(small_county, admin, lamps):
    with pytest.raises(Invalid) as exc:
        register(admin, None)
    assert exc.value.code == "missing_department"
    CatalogType.objects.filter(kind="component", code="01037").update(default_department=lamps)
    assert register(admin, None).competent_department == lamps


@pytest.mark.parametrize("role", ["supervisor", "disposer", "intake", "dispatcher", "leader", "citizen"])
def test_only_administrators_register(small_county, make_user, lamps, role):
    user = make_user(role, department=lamps)
    with pytest.raises(PermissionDenied) as exc:
        register(user, lamps)
    assert exc.value.code == "role_not_allowed"


def test_an_administrator_scoped_to_a_street_registers_only_there(small_county, make_user, lamps):
    west_admin = make_user("admin", areas=[small_county["streets"][0]])
    register(west_admin, lamps)
    with pytest.raises(PermissionDenied) as exc:
        register(west_admin, lamps, lon=IN_LAST_GRID[0], lat=IN_LAST_GRID[1])
    assert exc.value.code == "out_of_scope"


def test_a_removed_components_serial_is_never_handed_out_again(small_county, admin, lamps):
    first = register(admin, lamps)
    services.change_status(admin, first.code, "removed", "拆除")
    # Even a row purged from the database leaves its serial used.
    StatusChange.objects.filter(component=first).delete()
    Component.objects.filter(pk=first.pk).delete()
    again = register(admin, lamps)
    assert again.code == "99010101037000002"


def test_old_code_is_an_alias(small_county, admin, lamps):
    cover = register(admin, lamps, type_code="01001", old_code="9901010101000007")
    assert services.get_component("9901010101000007") == cover
    with pytest.raises(Conflict):
        register(admin, lamps, type_code="01001", old_code="9901010101000007")
    with pytest.raises(Invalid):
        register(admin, lamps, type_code="01001", old_code="99010101")
    with pytest.raises(NotFound):
        services.get_component("99010101001999999")


class TestStatus:
    @pytest.fixture
    def lamp(self, small_county, admin, lamps):
        maintainer = department("maint", "维护公司")
        return register(admin, lamps, maintainer_department=maintainer)

    def test_history_keeps_who_when_why(self, lamp, admin, clock):
        services.change_status(admin, lamp.code, "damaged", "灯杆被撞歪")
        services.change_status(admin, lamp.code, "intact", "已扶正")
        history = list(
            StatusChange.objects.filter(component=lamp).values_list("from_status", "to_status", "reason")
        )
        assert history == [("intact", "damaged", "灯杆被撞歪"), ("damaged", "intact", "已扶正")]
        lamp.refresh_from_db()
        assert lamp.status == "intact" and str(lamp.change_date) == "2026-11-26"
        record = AuditRecord.objects.filter(action="component.change_status").last()
        assert (record.from_state, record.to_state, record.role) == ("damaged", "intact", "admin")

    def test_removal_takes_it_off_the_map_and_back(self, lamp, admin):
        services.change_status(admin, lamp.code, "removed", "道路改造拆除")
        assert counted_on_map() == 0
        services.change_status(admin, lamp.code, "intact", "原位恢复")
        assert counted_on_map() == 1

    def test_a_supervisor_changes_status_in_their_area_only(self, lamp, make_user, small_county):
        here = make_user("supervisor", areas=[small_county["communities"][0]])
        elsewhere = make_user("supervisor", areas=[small_county["streets"][1]])
        services.change_status(here, lamp.code, "damaged", "现场发现灯罩破损")
        with pytest.raises(PermissionDenied) as exc:
            services.change_status(elsewhere, lamp.code, "lost", "不见了")
        assert exc.value.code == "out_of_scope"

    def test_disposers_of_a_responsible_department_only(self, lamp, make_user, small_county):
        maintainer = make_user("disposer", department=lamp.maintainer_department)
        other = make_user("disposer", department=department("water"), areas=[small_county["district"]])
        services.change_status(maintainer, lamp.code, "damaged", "巡检发现")
        with pytest.raises(PermissionDenied) as exc:
            services.change_status(other, lamp.code, "intact", "修好了")
        assert exc.value.code == "out_of_scope"

    @pytest.mark.parametrize("role", ["intake", "dispatcher", "shift_leader", "leader", "citizen"])
    def test_other_roles_may_not(self, lamp, make_user, role):
        with pytest.raises(PermissionDenied) as exc:
            services.change_status(make_user(role), lamp.code, "damaged", "x")
        assert exc.value.code == "role_not_allowed"

    def test_bad_requests(self, lamp, admin):
        with pytest.raises(Invalid) as exc:
            services.change_status(admin, lamp.code, "broken", "x")
        assert exc.value.code == "bad_status"
        with pytest.raises(Invalid) as exc:
            services.change_status(admin, lamp.code, "damaged", "  ")
        assert exc.value.code == "reason_required"
        with pytest.raises(Conflict) as exc:
            services.change_status(admin, lamp.code, "intact", "x")
        assert exc.value.code == "same_status"
        assert not StatusChange.objects.exists()


def test_update_merges_attributes_and_keeps_the_type(small_county, admin, lamps):
    lamp = register(admin, lamps, attributes={"heads": 1})
    owner = department("owner", "城投公司")
    services.update_component(admin, lamp.code, owner_department=owner, attributes={"light_source": "LED"})
    lamp.refresh_from_db()
    assert lamp.owner_department == owner and lamp.attributes == {"heads": 1, "light_source": "LED"}
    services.update_component(admin, lamp.code, attributes={"heads": None})
    lamp.refresh_from_db()
    assert lamp.attributes == {"light_source": "LED"}
    with pytest.raises(Invalid) as exc:
        services.update_component(admin, lamp.code, type="01001")
    assert exc.value.code == "field_not_editable"
    with pytest.raises(Invalid):
        services.update_component(admin, lamp.code, attributes={"heads": 1.5})
    changes = AuditRecord.objects.filter(action="component.update").first().payload["changes"]
    assert changes["owner_department"] == {"from": None, "to": "owner"}


def test_relocate_moves_the_map_count_and_the_grid(small_county, admin, lamps):
    lamp = register(admin, lamps)
    before = set(MapCell.objects.filter(count__gt=0).values_list("cell", flat=True))
    services.relocate(admin, lamp.code, shapely.Point(*IN_LAST_GRID), "测绘纠偏")
    lamp.refresh_from_db()
    assert lamp.grid_code == "990101002002008" and lamp.code == "99010101037000001"
    after = set(MapCell.objects.filter(count__gt=0).values_list("cell", flat=True))
    assert before != after and counted_on_map() == 1
    with pytest.raises(Invalid) as exc:
        services.relocate(admin, lamp.code, shapely.Point(121, 31))
    assert exc.value.code == "outside_jurisdiction"


class TestPhotos:
    def test_photo_is_stored_and_its_digest_audited(self, small_county, admin, lamps):
        lamp = register(admin, lamps)
        photo = services.add_photo(admin, lamp.code, SimpleUploadedFile("lamp.png", PNG), "全景")
        assert photo.image.read() == PNG
        record = AuditRecord.objects.get(action="component.add_photo")
        assert record.payload["sha256"] == hashlib.sha256(PNG).hexdigest() == photo.sha256

    def test_not_an_image(self, small_county, admin, lamps):
        lamp = register(admin, lamps)
        with pytest.raises(Invalid) as exc:
            services.add_photo(admin, lamp.code, io.BytesIO(b"%PDF-1.4 not a photo"))
        assert exc.value.code == "bad_photo"

    def test_disposer_of_another_department(self, small_county, admin, lamps, make_user):
        lamp = register(admin, lamps)
        stranger = make_user("disposer", department=department("gas"))
        with pytest.raises(PermissionDenied):
            services.add_photo(stranger, lamp.code, SimpleUploadedFile("x.png", PNG))
        services.add_photo(
            make_user("disposer", department=lamps), lamp.code, SimpleUploadedFile("y.png", PNG)
        )
