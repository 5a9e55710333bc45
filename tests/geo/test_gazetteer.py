"""Address text → places, tolerant of the ways people write Chinese addresses."""

import pytest
import shapely

from tests.geo.small_gazetteer import HOSPITAL, SCHOOL, gazetteer_features
from urbangrid.audit.models import AuditRecord
from urbangrid.core.importing import Feature, ImportRejected
from urbangrid.geo import gazetteer
from urbangrid.geo import services as geo
from urbangrid.geo.models import Place, Road

DOOR_10 = (120.005, 30.00495)  # even numbers on the south side of 人民路


def best(text):
    found = gazetteer.search(text)
    assert found, f"nothing found for {text!r}"
    return found[0]


@pytest.mark.parametrize(
    "text",
    [
        "人民路10号",
        "人民路十号",
        "人民路１０号",  # full-width digits
        "人民路 10 号",
        "人民路10",
        "人民10号",  # no road suffix
        "测试县城西街道人民路10号",  # county and street in front
        "人名路10号",  # a pinyin input method's near-homophone
    ],
)
def test_variants_of_one_door_plate(small_gazetteer, text):
    top = best(text)
    assert (top.label, top.kind) == ("人民路10号", "doorplate")
    assert (top.lon, top.lat) == pytest.approx(DOOR_10)
    assert top.location.grid_code == "990101001002002" and top.location.street.name == "城西街道"


def test_exact_text_scores_above_its_variants(small_gazetteer):
    exact, no_suffix, homophone = (best(t).score for t in ("人民路10号", "人民10号", "人名路10号"))
    assert exact > no_suffix > homophone


def test_another_road_with_the_same_first_characters_is_not_the_same_road(small_gazetteer):
    found = gazetteer.search("人民大道10号")
    assert found and all(c.road == "人民大道" for c in found)
    assert not any(c.road == "人民路" for c in gazetteer.search("人民北路10号"))


def test_door_number_between_two_plates_is_interpolated_along_the_road(small_gazetteer):
    top = best("人民路十二号")  # 12 has no plate; 10 and 14 are on the same side
    assert top.kind == "interpolated" and top.number == 12
    assert (top.lon, top.lat) == pytest.approx((120.006, 30.005), abs=1e-6)
    assert "人民路10号" in top.note and "人民路14号" in top.note


def test_door_number_beyond_the_last_plate_takes_the_nearest_one(small_gazetteer):
    top = best("人民路99号")
    assert top.kind == "interpolated" and "人民路37号" in top.note  # the last odd number
    assert (top.lon, top.lat) == pytest.approx((120.019, 30.00505))


def test_road_without_number_points_at_the_road(small_gazetteer):
    top = best("解放大街")  # an alias
    assert (top.kind, top.road) == ("road", "解放街")
    assert top.lon == pytest.approx(120.015)


@pytest.mark.parametrize("text", ["县人民医院", "人民医院附近", "县医院旁边", "测试县人民医院"])
def test_landmarks_by_name_alias_and_nearby_words(small_gazetteer, text):
    top = best(text)
    assert (top.label, top.kind) == ("县人民医院", "landmark")
    assert (top.lon, top.lat) == pytest.approx(HOSPITAL)


def test_landmark_by_a_part_of_its_name(small_gazetteer):
    top = best("第一小学")
    assert top.label == "城关第一小学" and (top.lon, top.lat) == pytest.approx(SCHOOL)


def test_road_names_inside_division_names_do_not_match(small_gazetteer):
    # 城西街 is a lane, but in "城西街道" it is the street's name.
    assert all(c.road != "城西街" for c in gazetteer.search("城西街道人民路3号"))
    assert best("城西街").road == "城西街"


def test_nonsense_finds_nothing(small_gazetteer):
    assert gazetteer.search("完全不存在的地方") == []
    assert gazetteer.search("   ") == []


def test_import_replaces_the_gazetteer_with_one_audit_record(small_gazetteer):
    roads, places = gazetteer_features()
    report = geo.import_gazetteer(None, roads[:1], places[:3])
    assert report.ok and report.created == 4
    assert Road.objects.count() == 1 and Place.objects.count() == 3
    assert AuditRecord.objects.filter(action="geo.import_gazetteer").count() == 2


def test_road_segments_with_one_name_become_one_road(small_county):
    segments = [
        Feature(1, shapely.LineString([(120.0, 30.005), (120.01, 30.005)]), {"name": "人民路"}),
        Feature(
            2, shapely.LineString([(120.01, 30.005), (120.02, 30.005)]), {"name": "人民路", "kind": "主干道"}
        ),
    ]
    assert geo.import_gazetteer(None, segments, []).ok
    road = Road.objects.get()
    assert road.geometry.geom_type == "LineString" and road.geometry.length == pytest.approx(0.02)


@pytest.mark.parametrize(
    ("place", "code"),
    [
        ({"kind": "doorplate", "road": "无名路", "number": 1}, "unknown_road"),
        ({"kind": "doorplate", "road": "人民路"}, "incomplete_doorplate"),
        ({"kind": "doorplate", "road": "人民路", "number": "十二"}, "incomplete_doorplate"),
        ({"kind": "shop", "name": "超市"}, "bad_kind"),
        ({"kind": "landmark"}, "missing_name"),
        ({"kind": "doorplate", "road": "人民路", "number": 1}, "duplicate_doorplate"),
    ],
)
def test_bad_places_are_listed_and_nothing_is_replaced(small_gazetteer, place, code):
    roads, places = gazetteer_features()
    places.append(Feature(len(places) + 1, shapely.Point(120.001, 30.001), place))
    report = geo.import_gazetteer(None, roads, places, dry_run=True)
    assert code in {p.code for p in report.problems}
    before = (Road.objects.count(), Place.objects.count())
    with pytest.raises(ImportRejected):
        geo.import_gazetteer(None, roads, places)
    assert (Road.objects.count(), Place.objects.count()) == before


def test_bad_roads_are_listed(small_county):
    roads = [
        Feature(1, shapely.Point(120.0, 30.0), {"name": "点路"}),
        Feature(2, shapely.LineString([(120.0, 30.0), (120.01, 30.0)]), {"name": ""}),
        Feature(
            3, shapely.LineString([(120.0, 30.0), (120.01, 30.0)]), {"name": "快速路", "kind": "motorway"}
        ),
    ]
    codes = {p.code for p in geo.import_gazetteer(None, roads, [], dry_run=True).problems}
    assert codes == {"bad_geometry_type", "missing_name", "bad_kind"}


def test_alias_edit_is_found_at_once(small_gazetteer, make_user, django_capture_on_commit_callbacks):
    from urbangrid.accounts.models import Role

    school = Place.objects.get(name="城关第一小学")
    with django_capture_on_commit_callbacks(execute=True):
        geo.update_place(
            make_user(Role.ADMIN), school.pk, name="城关第一小学", aliases=["城关一小", "实验小学"]
        )
    assert best("实验小学").label == "城关第一小学"
