import io
import json

import pytest
import shapely
from django.core.management import call_command
from django.core.management.base import CommandError

from tests.factories import small_county_features
from tests.geo.small_gazetteer import gazetteer_features
from urbangrid.geo import crs
from urbangrid.geo.models import Division, Place, UnitGrid


def _geojson(path, features, convert=None):
    doc = {
        "type": "FeatureCollection",
        "features": [
            {
                "type": "Feature",
                "geometry": shapely.geometry.mapping(convert(f.geometry) if convert else f.geometry),
                "properties": f.properties,
            }
            for f in features
        ],
    }
    path.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    return str(path)


def _run(*args):
    out, err = io.StringIO(), io.StringIO()
    call_command(*args, stdout=out, stderr=err)
    return out.getvalue()


def test_import_and_export_from_the_console(db, tmp_path):
    divisions, grids = small_county_features()
    to_gcj = lambda g: crs.geometry_from_wgs84(g, "gcj02")  # noqa: E731
    assert "7" in _run(
        "import_geo", "divisions", _geojson(tmp_path / "d.geojson", divisions, to_gcj), "--crs", "gcj02"
    )
    grids_file = _geojson(tmp_path / "g.geojson", grids, to_gcj)
    dry = _run("import_geo", "grids", grids_file, "--crs", "gcj02", "--dry-run")
    assert "32" in dry and not UnitGrid.objects.exists()
    _run("import_geo", "grids", grids_file, "--crs", "gcj02")
    assert UnitGrid.objects.filter(valid_to__isnull=True).count() == 32
    assert Division.objects.get(code="990101").min_lon == pytest.approx(120.0, abs=1e-7)
    out = _run("export_geo", "grids", str(tmp_path / "out.gpkg"))
    assert "32" in out and (tmp_path / "out.gpkg").exists()


def test_console_prints_every_problem_and_fails(small_county, tmp_path):
    _divisions, grids = small_county_features()
    grids[0].properties["code"] = "12345"
    grids[1].properties["responsible_department"] = "nobody"
    out = io.StringIO()
    with pytest.raises(CommandError):
        call_command(
            "import_geo", "grids", _geojson(tmp_path / "bad.geojson", grids), stdout=out, stderr=io.StringIO()
        )
    printed = out.getvalue()
    assert "bad_code" in printed and "unknown_department" in printed and "gap" in printed
    assert UnitGrid.objects.count() == 32


def test_gazetteer_from_the_console(small_county, tmp_path):
    roads, places = gazetteer_features()
    _run("import_geo", "gazetteer", _geojson(tmp_path / "gaz.geojson", roads + places))
    assert Place.objects.filter(kind="landmark").count() == 2


def test_unknown_user_is_refused(small_county, tmp_path):
    _divisions, grids = small_county_features()
    with pytest.raises(CommandError):
        call_command("import_geo", "grids", _geojson(tmp_path / "g.geojson", grids), "--user", "ghost")
