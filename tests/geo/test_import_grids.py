"""Each kind of problem in a grid file is listed by the dry run and rejects the import with
nothing written; a good file applies whole, keeps history and retires what it replaces."""

import pytest
import shapely

from tests.factories import SMALL_COUNTY
from urbangrid.accounts.models import Role
from urbangrid.audit.models import AuditRecord
from urbangrid.core.errors import PermissionDenied
from urbangrid.core.importing import Feature, ImportRejected
from urbangrid.geo import crs, geocoding
from urbangrid.geo import services as geo
from urbangrid.geo.models import UnitGrid

CELL = SMALL_COUNTY["cell"]
FIRST = "990101001001001"  # north-west corner grid of the west street's north community


def _grid(features, code) -> Feature:
    return next(f for f in features if f.properties["code"] == code)


def _problems(report) -> set[str]:
    return {p.code for p in report.problems}


def _rejects(features, expected_code, **kwargs):
    """The dry run names the problem; applying raises and writes neither grids nor audit."""
    report = geo.import_grids(None, features, dry_run=True, **kwargs)
    assert expected_code in _problems(report), report.problems
    grids_before, audit_before = UnitGrid.objects.count(), AuditRecord.objects.count()
    with pytest.raises(ImportRejected) as exc:
        geo.import_grids(None, features, **kwargs)
    assert expected_code in {p["code"] for p in exc.value.as_dict()["problems"]}
    assert (UnitGrid.objects.count(), AuditRecord.objects.count()) == (grids_before, audit_before)
    return report


def test_good_file_applies_whole_with_one_audit_record(county_divisions, grid_features, clock):
    audit_before = AuditRecord.objects.count()
    report = geo.import_grids(None, grid_features)
    assert report.ok and (report.created, report.updated, report.unchanged) == (32, 0, 0)
    assert UnitGrid.objects.filter(valid_to__isnull=True).count() == 32
    records = AuditRecord.objects.filter(seq__gt=audit_before)
    assert [r.action for r in records] == ["geo.import_grids"]
    assert records[0].payload["created"] == 32 and len(records[0].payload["digest"]) == 64
    grid = UnitGrid.objects.get(code=FIRST)
    assert (
        grid.community.code == FIRST[:12] and grid.street.code == FIRST[:9] and grid.district.code == "990101"
    )
    assert 60_000 < grid.area_m2 < 70_000  # 0.0025° × 0.0025° at 30° N ≈ 241 m × 277 m


def test_dry_run_writes_nothing(county_divisions, grid_features):
    report = geo.import_grids(None, grid_features, dry_run=True)
    assert report.ok and report.dry_run and report.created == 32
    assert not UnitGrid.objects.exists()


def test_invalid_polygon(county_divisions, grid_features):
    x0, y0 = SMALL_COUNTY["lon0"], SMALL_COUNTY["lat0"] + 4 * CELL
    bow_tie = shapely.Polygon([(x0, y0), (x0 + CELL, y0 - CELL), (x0 + CELL, y0), (x0, y0 - CELL)])
    _grid(grid_features, FIRST).geometry = bow_tie
    report = _rejects(grid_features, "invalid_geometry")
    problem = next(p for p in report.problems if p.code == "invalid_geometry")
    assert problem.ref == FIRST and problem.index == 1 and "Self-intersection" in problem.message


def test_wrong_geometry_type_and_missing_geometry(county_divisions, grid_features):
    grid_features[0].geometry = shapely.Point(120.001, 30.009)
    grid_features[1].geometry = None
    report = _rejects(grid_features, "bad_geometry_type")
    assert "missing_geometry" in _problems(report)


def test_overlap_with_another_grid(county_divisions, grid_features):
    grown = _grid(grid_features, FIRST)
    x0, y0, x1, y1 = grown.geometry.bounds
    grown.geometry = shapely.box(x0, y0, x1 + CELL / 2, y1)  # half into its east neighbour
    report = _rejects(grid_features, "overlap")
    overlap = next(p for p in report.problems if p.code == "overlap")
    assert overlap.ref == FIRST and "990101001001002" in overlap.message


def test_gap_inside_a_community(county_divisions, grid_features):
    shrunk = _grid(grid_features, FIRST)
    x0, y0, x1, y1 = shrunk.geometry.bounds
    shrunk.geometry = shapely.box(x0, y0, x1 - CELL / 10, y1)
    report = _rejects(grid_features, "gap")
    gap = next(p for p in report.problems if p.code == "gap")
    assert gap.ref == FIRST[:12] and gap.index is None
    assert "(120.0023" in gap.message  # says where the gap is


def test_a_missing_grid_leaves_a_gap(county_divisions, grid_features):
    grid_features.remove(_grid(grid_features, FIRST))
    _rejects(grid_features, "gap")


def test_code_prefix_not_its_communitys(county_divisions, grid_features):
    # The north-west grid lies in community 990101001001 but claims the south community.
    _grid(grid_features, FIRST).properties["code"] = "990101001002009"
    report = _rejects(grid_features, "code_prefix_mismatch")
    problem = next(p for p in report.problems if p.code == "code_prefix_mismatch")
    assert "990101001001" in problem.message and problem.ref == "990101001002009"


def test_grid_outside_its_community(county_divisions, grid_features):
    grid_features.append(Feature(17, shapely.box(121.0, 31.0, 121.001, 31.001), {"code": "990101001001099"}))
    _rejects(grid_features, "outside_community")


def test_unknown_community(county_divisions, grid_features):
    _grid(grid_features, FIRST).properties["code"] = "990101009001001"
    _rejects(grid_features, "unknown_community")


def test_duplicate_code_in_the_file(county_divisions, grid_features):
    grid_features[1].properties["code"] = FIRST
    report = _rejects(grid_features, "duplicate_code")
    dup = next(p for p in report.problems if p.code == "duplicate_code")
    assert dup.index == 2 and "第 1 个要素" in dup.message


@pytest.mark.parametrize("code", ["99010100100100", "9901010010010011", "99010100100100A", "", None])
def test_bad_code_format(county_divisions, grid_features, code):
    grid_features[0].properties["code"] = code
    _rejects(grid_features, "bad_code")


def test_unknown_department(county_divisions, grid_features):
    grid_features[0].properties["responsible_department"] = "no-such-dept"
    _rejects(grid_features, "unknown_department")


def test_unknown_land_use_and_level(county_divisions, grid_features):
    grid_features[0].properties["land_use"] = "farmland"
    grid_features[1].properties["management_level"] = "very high"
    report = _rejects(grid_features, "bad_land_use")
    assert "bad_management_level" in _problems(report)


def test_dry_run_lists_every_problem_at_once(county_divisions, grid_features):
    grid_features[0].properties["code"] = "123"
    grid_features[1].properties["responsible_department"] = "nobody"
    grid_features[2].properties["code"] = grid_features[3].properties["code"]
    x0, y0, x1, y1 = grid_features[4].geometry.bounds
    grid_features[4].geometry = shapely.box(x0, y0, x1 + CELL / 2, y1)
    report = geo.import_grids(None, grid_features, dry_run=True)
    assert {"bad_code", "unknown_department", "duplicate_code", "overlap", "gap"} <= _problems(report)


def test_attributes_by_code_or_chinese_name(county_divisions, grid_features, make_user):
    from tests.factories import make_department

    dept = make_department(code="sanitation", name="环卫所")
    grid_features[0].properties.update(
        land_use="商业用地", management_level="key", responsible_department="sanitation"
    )
    geo.import_grids(None, grid_features)
    grid = UnitGrid.objects.get(code=FIRST, valid_to__isnull=True)
    assert (grid.land_use, grid.management_level, grid.responsible_department) == ("commercial", "key", dept)


def test_reimport_of_the_same_file_changes_nothing(county_divisions, grid_features):
    geo.import_grids(None, grid_features)
    report = geo.import_grids(None, grid_features)
    assert (report.created, report.updated, report.unchanged, report.retired) == (0, 0, 32, 0)
    assert UnitGrid.objects.count() == 32


def test_redrawn_grids_keep_their_history(
    county_divisions, grid_features, clock, django_capture_on_commit_callbacks
):
    from datetime import timedelta

    geo.import_grids(None, grid_features)
    first_time = clock.now()
    clock.advance(timedelta(days=30))
    # Move the edge between the first grid and its east neighbour 0.0005° to the east.
    west, east = _grid(grid_features, FIRST), _grid(grid_features, "990101001001002")
    x0, y0, x1, y1 = west.geometry.bounds
    west.geometry = shapely.box(x0, y0, x1 + 0.0005, y1)
    ex0, ey0, ex1, ey1 = east.geometry.bounds
    east.geometry = shapely.box(ex0 + 0.0005, ey0, ex1, ey1)
    with django_capture_on_commit_callbacks(execute=True):
        report = geo.import_grids(None, grid_features)
    assert (report.updated, report.unchanged) == (2, 30)
    versions = list(UnitGrid.objects.filter(code=FIRST).order_by("valid_from"))
    assert len(versions) == 2
    assert versions[0].valid_from == first_time and versions[0].valid_to == clock.now()
    assert versions[1].valid_to is None and versions[1].area_m2 > versions[0].area_m2
    # The geocoder follows the new edge at once (the import invalidated it on commit).
    assert geocoding.locate(x1 + 0.0002, y1 - 0.001).grid_code == FIRST


def test_a_recut_community_retires_the_grids_it_no_longer_has(county_divisions, grid_features):
    geo.import_grids(None, grid_features)
    community = FIRST[:12]
    others = [f for f in grid_features if not f.properties["code"].startswith(community)]
    # The community (4 × 2 cells) cut again into 2 × 2 larger grids.
    x0, y0 = SMALL_COUNTY["lon0"], SMALL_COUNTY["lat0"] + 2 * CELL
    recut = [
        Feature(
            100 + i,
            shapely.box(
                x0 + col * 2 * CELL, y0 + (1 - row) * CELL, x0 + (col + 1) * 2 * CELL, y0 + (2 - row) * CELL
            ),
            {"code": f"{community}{i + 1:03d}"},
        )
        for i, (row, col) in enumerate([(0, 0), (0, 1), (1, 0), (1, 1)])
    ]
    report = geo.import_grids(None, others + recut)
    assert (report.updated, report.retired, report.unchanged) == (4, 4, 24)
    current = UnitGrid.objects.filter(code__startswith=community, valid_to__isnull=True)
    assert sorted(current.values_list("code", flat=True)) == [f"{community}00{i}" for i in range(1, 5)]
    assert UnitGrid.objects.filter(code=f"{community}008", valid_to__isnull=False).exists()


def test_tolerance_absorbs_slivers(county_divisions, grid_features):
    # A 0.000001° strip over the neighbour: about 0.1 m × 277 m ≈ 27 m².
    grown = _grid(grid_features, FIRST)
    x0, y0, x1, y1 = grown.geometry.bounds
    grown.geometry = shapely.box(x0, y0, x1 + 0.000001, y1)
    assert "overlap" in _problems(geo.import_grids(None, grid_features, dry_run=True))
    assert geo.import_grids(None, grid_features, dry_run=True, tolerance_m2=50).ok


def test_grids_given_in_gcj02_are_stored_in_wgs84(county_divisions, grid_features):
    wgs84 = {f.properties["code"]: f.geometry for f in grid_features}
    gcj = [
        Feature(f.index, crs.geometry_from_wgs84(f.geometry, "gcj02"), f.properties) for f in grid_features
    ]
    report = geo.import_grids(None, gcj, crs="gcj02")
    assert report.ok, report.problems
    stored = UnitGrid.objects.get(code=FIRST)
    assert shapely.equals_exact(
        shapely.normalize(stored.geometry), shapely.normalize(wgs84[FIRST]), tolerance=1e-7
    )


def test_only_administrators_import(county_divisions, grid_features, make_user):
    supervisor = make_user(Role.SUPERVISOR)
    with pytest.raises(PermissionDenied) as exc:
        geo.import_grids(supervisor, grid_features, dry_run=True)
    assert exc.value.code == "role_not_allowed"
    report = geo.import_grids(make_user(Role.ADMIN), grid_features)
    assert report.ok and AuditRecord.objects.filter(action="geo.import_grids").last().actor_name
