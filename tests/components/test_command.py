import io
import json

import pytest
from django.core.management import CommandError, call_command

from tests.components.builders import counted_on_map, department, random_points, register
from urbangrid.components.models import Component, MapCell

pytestmark = pytest.mark.django_db


def _run(*args) -> str:
    out = io.StringIO()
    call_command("components", *args, stdout=out, stderr=io.StringIO())
    return out.getvalue()


def test_export_import_and_rebuild_from_the_console(small_county, make_user, tmp_path):
    admin = make_user("admin", username="gis")
    lamps = department("lamps")
    register(admin, lamps)
    register(admin, lamps, type_code="01001")
    path = tmp_path / "lamps.geojson"
    assert "1" in _run("export", str(path), "--type", "01037")
    assert [f["properties"]["code"] for f in json.loads(path.read_text())["features"]] == [
        "99010101037000001"
    ]

    with pytest.raises(CommandError):
        _run("import", str(path), "--dry-run")

    lons, lats = random_points(3, seed=9)
    new = tmp_path / "new.csv"
    new.write_text(
        "lon,lat,type,ZGBMDM\n"
        + "".join(f"{lon},{lat},01037,lamps\n" for lon, lat in zip(lons, lats, strict=True)),
        encoding="utf-8",
    )
    assert Component.objects.count() == 2
    _run("import", str(new), "--user", "gis")
    assert Component.objects.count() == 5
    with pytest.raises(CommandError):
        _run("import", str(new), "--user", "nobody")

    MapCell.objects.all().delete()
    _run("rebuild-cells")
    assert counted_on_map() == 5
