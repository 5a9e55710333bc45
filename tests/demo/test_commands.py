"""The console commands' guard rails, and the scales they accept."""

import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from urbangrid.demo.models import BuildStep
from urbangrid.demo.scales import COUNTY_CODE, SCALES, scale_named
from urbangrid.geo.models import Division


def test_the_demo_is_never_built_into_a_database_with_real_divisions(small_county):
    out = io.StringIO()
    with pytest.raises(CommandError, match="990101"):
        call_command("demo", "--no-serve", "--scale", "tiny", stdout=out)
    assert not Division.objects.filter(code=COUNTY_CODE).exists()
    assert not BuildStep.objects.exists()
    with pytest.raises(CommandError, match="990101"):
        call_command("demo", "--no-serve", "--rebuild", "--scale", "tiny", stdout=out)
    assert Division.objects.filter(code="990101").exists()


@pytest.mark.parametrize("fraction", ["0", "-0.5", "1.5"])
def test_build_demo_wants_a_fraction_of_at_most_one(db, fraction):
    with pytest.raises(CommandError, match="fraction"):
        call_command("build_demo", "--scale", "city", "--fraction", fraction, stdout=io.StringIO())
    assert not BuildStep.objects.exists()


def test_the_megacity_and_its_reduced_runs():
    city = SCALES["city"]
    assert city.area_km2 * 1e6 / 10_500 >= 40_000  # grids of about 10,000 m²
    assert len(city.district_codes) == 12 and all(c.startswith("4198") for c in city.district_codes)
    tenth = scale_named("city@0.1")
    assert tenth.name == "city@0.1" and len(tenth.district_codes) == 1
    assert tenth.area_km2 == pytest.approx(48) and tenth.communities == 130 and tenth.streets == 13
    assert scale_named("county") is SCALES["county"]
    with pytest.raises(ValueError):
        city.reduced(0)
