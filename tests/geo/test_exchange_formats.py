"""Exports read back by the importer (through pyogrio for GeoPackage and Shapefile) give the
same grids: a GIS department can export, edit in QGIS and import again."""

import io
import zipfile

import pytest
import shapely

from tests.factories import make_department
from urbangrid.core.importing import read_features
from urbangrid.geo import services as geo
from urbangrid.geo.models import Division, UnitGrid


@pytest.fixture
def county_with_attributes(small_county):
    dept = make_department(code="parks", name="园林所")
    geo.update_grid(None, "990101001001001", land_use="green", responsible_department=dept)
    return small_county


@pytest.mark.parametrize("suffix", [".geojson", ".gpkg", ".csv"])
def test_grid_round_trip(county_with_attributes, tmp_path, suffix):
    path = tmp_path / f"grids{suffix}"
    assert geo.export_grids(path) == 32
    features = read_features(path)
    assert len(features) == 32
    report = geo.import_grids(None, features)
    assert report.ok, report.problems
    assert (report.unchanged, report.updated, report.created) == (32, 0, 0)


def test_zipped_shapefile_round_trip(county_with_attributes, tmp_path):
    geo.export_grids(tmp_path / "grids.shp")
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as z:
        for part in tmp_path.iterdir():
            z.write(part, part.name)
    features = read_features(buffer.getvalue(), "shp")
    # Shapefile cuts column names to 10 characters; the importer still finds them.
    assert "responsibl" in features[0].properties or "responsible_department" in features[0].properties
    report = geo.import_grids(None, features)
    assert report.ok, report.problems
    assert report.unchanged == 32
    grid = UnitGrid.objects.get(code="990101001001001", valid_to__isnull=True)
    assert grid.land_use == "green" and grid.responsible_department.code == "parks"


def test_edited_export_comes_back_as_a_new_version(county_with_attributes, tmp_path):
    path = tmp_path / "grids.gpkg"
    geo.export_grids(path)
    features = read_features(path)
    features[5].properties["land_use"] = "commercial"
    report = geo.import_grids(None, features)
    assert (report.updated, report.unchanged) == (1, 31)


def test_division_round_trip_and_history_export(small_county, tmp_path):
    assert geo.export_divisions(tmp_path / "divisions.gpkg") == 7
    report = geo.import_divisions(None, read_features(tmp_path / "divisions.gpkg"))
    assert report.ok and report.unchanged == 7
    geo.update_grid(None, "990101001001001", land_use="road")
    assert geo.export_grids(tmp_path / "all.geojson", history=True) == 33
    rows = read_features(tmp_path / "all.geojson")
    closed = [f for f in rows if f.properties["code"] == "990101001001001" and f.properties["valid_to"]]
    assert len(closed) == 1


def test_exported_geometry_is_wgs84_and_exact(small_county, tmp_path):
    geo.export_grids(tmp_path / "grids.gpkg")
    feature = next(
        f for f in read_features(tmp_path / "grids.gpkg") if f.properties["code"] == "990101001001001"
    )
    stored = UnitGrid.objects.get(code="990101001001001").geometry
    assert shapely.equals_exact(
        shapely.normalize(feature.geometry), shapely.normalize(stored), tolerance=1e-12
    )
    assert Division.objects.count() == 7
