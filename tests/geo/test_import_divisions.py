import pytest
import shapely

from tests.factories import small_county_features
from urbangrid.audit.models import AuditRecord
from urbangrid.core.importing import Feature, ImportRejected
from urbangrid.geo import services as geo
from urbangrid.geo.models import Division


@pytest.fixture
def division_features():
    return small_county_features()[0]


def _by_code(features, code):
    return next(f for f in features if f.properties["code"] == code)


def _rejects(features, code):
    report = geo.import_divisions(None, features, dry_run=True)
    assert code in {p.code for p in report.problems}, report.problems
    before = (Division.objects.count(), AuditRecord.objects.count())
    with pytest.raises(ImportRejected):
        geo.import_divisions(None, features)
    assert (Division.objects.count(), AuditRecord.objects.count()) == before
    return report


def test_tree_from_the_codes(db, division_features):
    report = geo.import_divisions(None, division_features)
    assert report.ok and report.created == 7
    community = Division.objects.get(code="990101002001")
    assert community.level == Division.Level.COMMUNITY and community.name == "城东北社区"
    assert community.parent.code == "990101002" and community.parent.parent.code == "990101"
    assert 2.0e6 < Division.objects.get(code="990101").area_m2 < 2.3e6  # 0.02° × 0.01° ≈ 1.93 km × 1.11 km
    assert AuditRecord.objects.filter(action="geo.import_divisions").count() == 1


def test_parents_may_already_be_in_the_system(db, division_features):
    geo.import_divisions(None, division_features[:1])
    report = geo.import_divisions(None, division_features[1:])
    assert report.ok and report.created == 6


def test_existing_codes_are_updated(db, division_features):
    geo.import_divisions(None, division_features)
    _by_code(division_features, "990101001").properties["name"] = "城关街道"
    report = geo.import_divisions(None, division_features)
    assert (report.created, report.updated, report.unchanged) == (0, 1, 6)
    assert Division.objects.get(code="990101001").name == "城关街道"


def test_unknown_parent(db, division_features):
    _by_code(division_features, "990101002001").properties["code"] = "990101003001"
    _rejects(division_features, "unknown_parent")


def test_bad_code_and_missing_name(db, division_features):
    division_features[1].properties["code"] = "9901010"
    division_features[2].properties["name"] = " "
    report = _rejects(division_features, "bad_code")
    assert "missing_name" in {p.code for p in report.problems}


def test_duplicate_code(db, division_features):
    division_features.append(
        Feature(99, division_features[3].geometry, dict(division_features[3].properties))
    )
    _rejects(division_features, "duplicate_code")


def test_sibling_overlap(db, division_features):
    west = _by_code(division_features, "990101001")
    x0, y0, x1, y1 = west.geometry.bounds
    west.geometry = shapely.box(x0, y0, x1 + 0.001, y1)
    report = _rejects(division_features, "overlap")
    assert any("990101002" in p.message for p in report.problems if p.code == "overlap")


def test_child_outside_its_parent(db, division_features):
    community = _by_code(division_features, "990101001001")
    community.geometry = shapely.affinity.translate(community.geometry, yoff=0.02)
    _rejects(division_features, "outside_parent")


def test_invalid_polygon(db, division_features):
    division_features[0].geometry = shapely.Polygon([(0, 0), (1, 1), (1, 0), (0, 1)])
    _rejects(division_features, "invalid_geometry")
