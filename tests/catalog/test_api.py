import pytest

from tests.factories import make_department
from urbangrid.catalog import services

pytestmark = pytest.mark.django_db


@pytest.fixture
def client(api_client, make_user):
    return api_client(make_user("supervisor"))


def _codes(resp):
    assert resp.status_code == 200, resp.content
    return [(i["kind"], i["code"]) for i in resp.json()["items"]]


def test_list_by_kind_and_major(client):
    body = client.get("/api/v1/catalog/types", {"kind": "component", "limit": 1000}).json()
    assert body["count"] == 153 and len(body["items"]) == 153
    matters = client.get("/api/v1/catalog/types", {"kind": "matter", "major": "09"}).json()
    assert matters["count"] == 21 and {i["major_name"] for i in matters["items"]} == {"街面秩序类"}
    page = client.get("/api/v1/catalog/types", {"kind": "matter", "limit": 5, "offset": 5}).json()
    assert page["count"] == 250 and [i["code"] for i in page["items"]] == [
        "01006",
        "01007",
        "01008",
        "01009",
        "01010",
    ]


def test_search_by_pinyin_initials_name_and_code(client):
    covers = _codes(client.get("/api/v1/catalog/types", {"kind": "component", "q": "jg", "limit": 100}))
    assert ("component", "01001") in covers and ("component", "01023") in covers
    assert ("component", "01037") not in covers  # 路灯 is "ld"
    assert len(covers) >= 20
    # 路灯, 路灯井盖, 路灯配电箱
    ludeng = _codes(client.get("/api/v1/catalog/types", {"kind": "component", "q": "ludeng"}))
    assert ludeng == [("component", "01006"), ("component", "01037"), ("component", "01060")]
    assert _codes(client.get("/api/v1/catalog/types", {"q": "私搭"})) == [("matter", "06001")]
    assert _codes(client.get("/api/v1/catalog/types", {"kind": "matter", "q": "09009"})) == [
        ("matter", "09009")
    ]
    assert _codes(client.get("/api/v1/catalog/types", {"q": "zzzzqqq"})) == []


def test_items_carry_department_and_limits(client, make_user):
    services.assign_default_departments(
        make_user("admin"), {"环卫": make_department(code="hw", name="环卫所")}
    )
    body = client.get("/api/v1/catalog/types", {"kind": "matter", "q": "暴露垃圾"}).json()
    item = body["items"][0]
    assert item["code"] == "06010" and item["default_department"] == {"code": "hw", "name": "环卫所"}
    assert item["time_limits"] == [
        {"urgency": "normal", "stage": 1, "stage_name": "清理", "value": 4.0, "unit": "work_hours"}
    ]


def test_detail_has_conditions_and_stages(client):
    body = client.get("/api/v1/catalog/types/matter/06001").json()
    assert body["name"] == "私搭乱建" and body["code_2013"] == "0101"
    assert "规划许可" in body["filing_condition"] and body["closing_condition"]
    assert [s["stage_name"] for s in body["time_limits"]] == ["停工", "处罚", "拆除"]
    lamp = client.get("/api/v1/catalog/types/component/01037").json()
    assert {a["name"] for a in lamp["attribute_schema"]} == {"light_source", "pole_height_m", "heads"}


def test_inactive_types_are_hidden_unless_asked(client, make_user):
    services.update_type(make_user("admin"), "matter", "09014", active=False)
    assert _codes(client.get("/api/v1/catalog/types", {"q": "畜力车"})) == []
    assert _codes(client.get("/api/v1/catalog/types", {"q": "畜力车", "include_inactive": True})) == [
        ("matter", "09014")
    ]


def test_majors(client):
    body = client.get("/api/v1/catalog/majors", {"kind": "matter"}).json()
    assert body["count"] == 10
    assert body["items"][5] == {"kind": "matter", "code": "06", "name": "市容环境类", "types": 51}


def test_errors(client, api_client):
    assert client.get("/api/v1/catalog/types", {"kind": "event"}).status_code == 422
    assert client.get("/api/v1/catalog/types/matter/99999").status_code == 404
    assert client.get("/api/v1/catalog/types/event/01001").json()["code"] == "bad_kind"
    assert api_client().get("/api/v1/catalog/types").status_code == 401
