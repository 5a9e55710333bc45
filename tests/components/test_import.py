import json

import numpy as np
import pytest
import shapely

from tests.components.builders import (
    FIRST_GRID,
    IN_FIRST_GRID,
    IN_LAST_GRID,
    counted_on_map,
    department,
    features,
    random_points,
    register,
)
from urbangrid.audit.models import AuditRecord
from urbangrid.components import services
from urbangrid.components.models import Component, MapCell, SerialCounter
from urbangrid.core.errors import PermissionDenied
from urbangrid.core.importing import Feature, ImportRejected, read_features
from urbangrid.geo import crs as crs_module
from urbangrid.geo import geocoding

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin(make_user):
    return make_user("admin")


@pytest.fixture
def lamps():
    return department("lamps", "路灯所", uscc="12330000MB0000001X")


def _problems(report) -> set[tuple[int, str]]:
    return {(p.index, p.code) for p in report.problems}


def test_import_allocates_codes_and_counts_map_cells(small_county, admin, lamps, clock):
    lons, lats = random_points(300)
    report = services.import_components(admin, features(lons, lats))
    assert report.ok and report.created == 300
    codes = sorted(Component.objects.values_list("code", flat=True))
    assert codes == [f"99010101037{n:06d}" for n in range(1, 301)]
    expected = [loc.grid_code for loc in geocoding.locate_many(lons, lats)]
    stored = dict(Component.objects.values_list("lon", "grid_code"))
    assert [stored[lon] for lon in lons] == expected
    assert counted_on_map() == 300
    record = AuditRecord.objects.get(action="component.import")
    assert record.payload["created"] == 300 and len(record.payload["digest"]) == 64
    assert record.payload["types"] == {"01037": 300}
    # The next registration continues the serials.
    assert register(admin, lamps).code == "99010101037000301"


def _bad_file(lamps_taken_code: str) -> list[Feature]:
    inside = shapely.Point(*IN_FIRST_GRID)
    good = {"type": "01037", "competent_department": "lamps"}
    return [
        Feature(1, inside, {**good}),
        Feature(2, inside, {**good, "type": "99999"}),
        Feature(3, inside, {**good, "code": "990101010370000"}),
        Feature(4, inside, {**good, "code": "99010101001000001"}),
        Feature(5, inside, {**good, "code": "12345601037000001"}),
        Feature(6, inside, {**good, "code": "99010101037000777"}),
        Feature(7, inside, {**good, "code": "99010101037000777"}),
        Feature(8, inside, {**good, "code": lamps_taken_code}),
        Feature(9, inside, {**good, "competent_department": "nobody"}),
        Feature(10, shapely.Point(121.0, 31.0), {**good}),
        Feature(11, inside, {**good, "status": "shiny"}),
        Feature(12, inside, {**good, "initial_date": "2026-13-45"}),
        Feature(13, inside, {**good, "heads": "several"}),
        Feature(14, None, {**good}),
        Feature(
            15,
            shapely.Polygon([(120.001, 30.001), (120.002, 30.002), (120.002, 30.001), (120.001, 30.002)]),
            good,
        ),
        Feature(16, inside, {**good, "colour": "red"}),
        Feature(17, inside, {**good, "data_source": "guesswork"}),
        Feature(18, inside, {**good, "old_code": "9901019901000001"}),
    ]


def test_dry_run_lists_every_problem_and_writes_nothing(small_county, admin, lamps):
    taken = register(admin, lamps).code
    before = list(SerialCounter.objects.values_list("type_code", "last_serial"))
    report = services.import_components(admin, _bad_file(taken), dry_run=True)
    assert not report.ok and report.dry_run
    assert _problems(report) == {
        (2, "unknown_type"),
        (3, "bad_code"),
        (4, "code_type_mismatch"),
        (5, "code_admin_mismatch"),
        (7, "duplicate_code_in_file"),
        (8, "duplicate_code"),
        (9, "unknown_department"),
        (10, "outside_jurisdiction"),
        (11, "bad_status"),
        (12, "bad_date"),
        (13, "bad_attribute"),
        (14, "missing_geometry"),
        (15, "bad_geometry"),
        (16, "bad_attribute"),
        (17, "bad_data_source"),
        (18, "unmapped_old_code"),
    }
    assert Component.objects.count() == 1
    assert list(SerialCounter.objects.values_list("type_code", "last_serial")) == before


def test_one_bad_row_writes_nothing(small_county, admin, lamps):
    lons, lats = random_points(100)
    batch = features(lons, lats)
    batch.append(Feature(101, shapely.Point(121.0, 31.0), {"type": "01037", "competent_department": "lamps"}))
    with pytest.raises(ImportRejected) as exc:
        services.import_components(admin, batch)
    assert exc.value.status == 422
    assert [p["index"] for p in exc.value.detail["problems"]] == [101]
    assert (
        not Component.objects.exists() and not MapCell.objects.exists() and not SerialCounter.objects.exists()
    )
    assert not AuditRecord.objects.filter(action="component.import").exists()


def test_kept_codes_move_the_counter_past_them(small_county, admin, lamps):
    batch = [
        Feature(
            1, shapely.Point(*IN_FIRST_GRID), {"code": "99010101037000050", "competent_department": "lamps"}
        ),
        Feature(2, shapely.Point(*IN_LAST_GRID), {"type": "01037", "competent_department": "lamps"}),
    ]
    services.import_components(admin, batch)
    assert set(Component.objects.values_list("code", flat=True)) == {"99010101037000050", "99010101037000051"}
    assert register(admin, lamps).code == "99010101037000052"


def test_2013_codes_are_converted_and_kept_as_aliases(small_county, admin, lamps):
    batch = [Feature(1, shapely.Point(*IN_FIRST_GRID), {"ObjID": "9901010101000003", "DeptCode1": "lamps"})]
    services.import_components(admin, batch)
    cover = services.get_component("9901010101000003")
    assert cover.code == "99010101001000003" and cover.type.name == "供水井盖"
    # The duplicate is found by either code.
    again = services.import_components(admin, batch, dry_run=True)
    assert _problems(again) == {(1, "duplicate_code"), (1, "duplicate_old_code")}


def test_standard_abbreviations_and_chinese_values(small_county, admin, lamps):
    row = {
        "GLBJMC": "雨水井盖",
        "ZGBMDM": "12330000MB0000001X",
        "ZGBMMC": "路灯所",
        "SZDYWGBSM": "999999999999999",
        "GLBJZT": "破损",
        "CSRQ": "20240105",
        "SJLY": "地形图",
        "BZ": "人民路口",
        "Material": "球墨铸铁",
    }
    services.import_components(admin, [Feature(1, shapely.Point(*IN_FIRST_GRID), row)])
    cover = Component.objects.get()
    assert cover.code == "99010101003000001" and cover.competent_department == lamps
    assert (cover.status, str(cover.initial_date), cover.data_source) == (
        "damaged",
        "2024-01-05",
        "topographic",
    )
    assert cover.note == "人民路口" and cover.attributes == {"material": "球墨铸铁"}
    assert cover.grid_code == FIRST_GRID  # recomputed from the position, not taken from the file
    assert not MapCell.objects.filter(count__lt=0).exists()


def test_lines_polygons_and_other_coordinate_systems(small_county, admin, lamps):
    lawn = shapely.box(120.0003, 30.0003, 120.0020, 30.0020)
    gcj_lon, gcj_lat = crs_module.from_wgs84(IN_LAST_GRID[0], IN_LAST_GRID[1], "gcj02")
    services.import_components(
        admin,
        [
            Feature(
                1,
                crs_module.geometry_from_wgs84(lawn, "gcj02"),
                {"type": "04013", "competent_department": "lamps"},
            )
        ],
        crs="gcj02",
    )
    services.import_components(
        admin,
        [Feature(1, shapely.Point(gcj_lon, gcj_lat), {"type": "01037", "competent_department": "lamps"})],
        crs="gcj02",
    )
    green = Component.objects.get(type__code="04013")
    assert green.geometry_type == "polygon" and lawn.buffer(1e-7).contains(green.geometry)
    lamp = Component.objects.get(type__code="01037")
    assert abs(lamp.lon - IN_LAST_GRID[0]) < 1e-7 and abs(lamp.lat - IN_LAST_GRID[1]) < 1e-7


@pytest.mark.parametrize("role", ["supervisor", "disposer", "intake"])
def test_only_administrators_import(small_county, make_user, lamps, role):
    with pytest.raises(PermissionDenied):
        services.import_components(make_user(role), features([IN_FIRST_GRID[0]], [IN_FIRST_GRID[1]]))


def test_a_scoped_administrator_imports_only_inside_the_scope(small_county, make_user, lamps):
    west_admin = make_user("admin", areas=[small_county["streets"][0]])
    batch = features([IN_FIRST_GRID[0], IN_LAST_GRID[0]], [IN_FIRST_GRID[1], IN_LAST_GRID[1]])
    report = services.import_components(west_admin, batch, dry_run=True)
    assert _problems(report) == {(2, "out_of_scope")}


@pytest.mark.parametrize("fmt", ["geojson", "csv", "gpkg"])
@pytest.mark.parametrize("abbreviations", [False, True], ids=["ours", "standard"])
def test_an_export_imports_again_unchanged(small_county, admin, lamps, tmp_path, fmt, abbreviations):
    owner = department("owner", "城投公司")
    register(
        admin, lamps, attributes={"heads": 2, "light_source": "LED"}, note="北口", owner_department=owner
    )
    register(admin, lamps, type_code="01001", old_code="9901010101000009", attributes={"material": "铸铁"})
    register(admin, lamps, type_code="04013", geometry=shapely.box(120.0103, 30.0003, 120.0120, 30.0020))
    services.change_status(admin, "99010101037000001", "damaged", "灯罩破损")
    fields = (
        "code",
        "old_code",
        "type_id",
        "status",
        "competent_department_id",
        "owner_department_id",
        "note",
    )
    before = {
        c.code: (c.attributes, c.geometry.wkb, *(getattr(c, f) for f in fields))
        for c in Component.objects.all()
    }
    path = tmp_path / f"components.{fmt}"
    assert services.export_components(path, fmt, abbreviations=abbreviations) == 3
    rows = read_features(path)
    assert services.import_components(admin, rows, dry_run=True).problems[0].code == "duplicate_code"
    Component.objects.all().delete()
    MapCell.objects.all().delete()
    report = services.import_components(admin, rows)
    assert report.ok, report.problems
    after = {
        c.code: (c.attributes, c.geometry.wkb, *(getattr(c, f) for f in fields))
        for c in Component.objects.all()
    }
    assert after == before


def test_export_filters(small_county, admin, lamps, tmp_path):
    register(admin, lamps)
    register(admin, lamps, lon=IN_LAST_GRID[0], lat=IN_LAST_GRID[1])
    register(admin, lamps, type_code="01001")
    path = tmp_path / "west-lamps.geojson"
    assert services.export_components(path, type="01037", area="990101001") == 1
    doc = json.loads(path.read_text(encoding="utf-8"))
    assert [f["properties"]["code"] for f in doc["features"]] == ["99010101037000001"]


def test_rebuild_map_cells_matches_the_running_counts(small_county, admin, lamps):
    lons, lats = random_points(200, seed=5)
    services.import_components(admin, features(lons[:150], lats[:150]))
    services.import_components(admin, features(lons[150:], lats[150:], type_code="04002"))
    services.change_status(admin, "99010101037000007", "removed", "拆除")
    cells = MapCell.objects.filter(count__gt=0).values_list(
        "cell", "type_code", "count", "lon_sum", "lat_sum"
    )
    running = {(c, k): (n, round(lo, 6), round(la, 6)) for c, k, n, lo, la in cells}
    services.rebuild_map_cells(admin)
    cells = MapCell.objects.values_list("cell", "type_code", "count", "lon_sum", "lat_sum")
    rebuilt = {(c, k): (n, round(lo, 6), round(la, 6)) for c, k, n, lo, la in cells}
    assert rebuilt == running
    totals = {}
    for (_, key), (n, lo, _) in rebuilt.items():
        count, lon_sum = totals.get(key, (0, 0.0))
        totals[key] = (count + n, lon_sum + lo)
    assert {k: n for k, (n, _) in totals.items()} == {
        "*": 199,
        "01": 149,
        "04": 50,
        "01037": 149,
        "04002": 50,
    }
    removed = Component.objects.get(code="99010101037000007").lon
    assert np.isclose(totals["*"][1], sum(lons) - removed)
