"""Departments, responsibility grids and users of the demo county, before they are saved."""

import re
from collections import Counter

import pytest

from urbangrid.accounts.models import Department, Role
from urbangrid.demo import organisation
from urbangrid.demo.names import chinese_number
from urbangrid.demo.responsibility import BY_TYPE


@pytest.fixture(scope="module")
def departments(tiny_county):
    return organisation.departments(tiny_county)


@pytest.fixture(scope="module")
def areas(tiny_county):
    return organisation.patrol_areas(tiny_county)


@pytest.fixture(scope="module")
def users(tiny_county, departments, areas):
    return organisation.users(tiny_county, departments, areas)


def test_credit_codes_carry_valid_check_characters():
    # The worked example of GB 32100-2015.
    assert organisation.uscc("91", "350100", "M000100Y") == "91350100M000100Y43"
    assert organisation.organisation_code("M000100Y") == "M000100Y4"
    assert organisation.organisation_code("12345678") != organisation.organisation_code("12345679")


def test_every_department_of_a_real_county_is_there(departments):
    names = {d.name for d in departments}
    for wanted in (
        "数字化城市管理监督指挥中心",
        "城市管理综合执法局",
        "住房和城乡建设局",
        "环境卫生管理所",
        "园林绿化管理所",
        "市政工程有限公司",
        "自来水有限公司",
        "燃气有限公司",
        "公安局交通警察大队",
        "公安局",
    ):
        assert "县" + wanted in names
    for operator in ("中国电信", "中国移动", "中国联通"):
        assert any(n.startswith(operator) for n in names)
    assert any(n.startswith("国网") and n.endswith("供电公司") for n in names)
    kinds = Counter(d.kind for d in departments)
    assert set(kinds) <= set(Department.Kind.values)
    assert kinds["street"] == 2 and kinds["community"] == 4


def test_departments_escalate_to_the_county_leadership(departments):
    by_code = {d.code: d for d in departments}
    seen = set()
    for d in departments:
        assert d.parent is None or list(by_code).index(d.parent) < list(by_code).index(d.code), (
            "parents first"
        )
        chain, node = [], d
        while node.parent:
            chain.append(node.parent)
            node = by_code[node.parent]
            assert node.code not in chain[:-1], "no cycles"
        assert node.code == organisation.COUNTY_LEADERSHIP
        seen.add(node.code)
    assert by_code["szgs"].parent == "ld-zjj"  # the municipal company answers to the housing bureau
    community = next(d for d in departments if d.kind == "community")
    assert by_code[community.parent].kind == "street"


def test_credit_codes_are_well_formed_and_unique(departments):
    codes = [d.uscc for d in departments if d.uscc]
    assert len(codes) == len(set(codes))
    for d in departments:
        if d.kind == "leadership":
            continue
        assert re.fullmatch(r"[0-9A-HJ-NPQRTUWXY]{2}\d{6}[0-9A-Z]{9}[0-9A-HJ-NPQRTUWXY]", d.uscc)
        assert d.uscc[2:8] == "419921"
        assert organisation.uscc(d.uscc[:2], d.uscc[2:8], d.uscc[8:16]) == d.uscc
        assert d.uscc[:2] == {"enterprise": "91", "community": "55"}.get(d.kind, d.uscc[:2])


def test_responsibility_grids_partition_each_street(tiny_county, areas):
    assert len(areas) == 3
    codes = [c for a in areas for c in a.grid_codes]
    assert sorted(codes) == sorted(g.code for g in tiny_county.grids)
    for area in areas:
        assert all(c.startswith(area.street) for c in area.grid_codes)
        assert re.fullmatch(r".+街道第[一二三四五六七八九十]+责任网格", area.name)
    assert chinese_number(12) == "十二" and chinese_number(105) == "一百零五" and chinese_number(20) == "二十"


def test_every_role_has_users_and_the_demo_accounts_are_exact(tiny_county, areas, users):
    by_name = {u.username: u for u in users}
    assert len(by_name) == len(users)
    demo = {a.username: a.role for a in organisation.DEMO_ACCOUNTS}
    assert demo == {
        "admin": "admin",
        "jiandu": "supervisor",
        "shouli": "intake",
        "zhiban": "shift_leader",
        "paiqian": "dispatcher",
        "chuzhi": "disposer",
        "lingdao": "leader",
        "shimin": "citizen",
    }
    for name, role in demo.items():
        assert by_name[name].roles == [role] and by_name[name].password == organisation.DEMO_PASSWORD
    assert by_name["chuzhi"].department == "szgs"
    assert all(u.password is None for u in users if u.username not in demo)
    assert {r for u in users for r in u.roles} == set(Role.values)
    # One supervisor per responsibility grid, jiandu in the old town's heart.
    assert sorted(a.supervisor for a in areas) == sorted({a.supervisor for a in areas})
    jiandu = next(a for a in areas if a.supervisor == "jiandu")
    old_town = {g.code for g in tiny_county.grids if g.zone == "old"}
    assert set(jiandu.grid_codes) & old_town
    assert by_name["jiandu"].areas == sorted({c[:12] for c in jiandu.grid_codes})
    staff = [u for u in users if u.department and u.department[0].isdigit()]
    assert staff and all(u.areas == [u.department] for u in staff), (
        "street and community staff see their area"
    )
    assert all(re.fullmatch(r"[a-z]+\d*", u.username) for u in users)


def test_every_placed_type_has_its_departments(departments):
    codes = {d.code for d in departments}
    for type_code, triple in BY_TYPE.items():
        assert re.fullmatch(r"0[1-5]\d{3}", type_code)
        for code in triple:
            assert code in codes or code in ("", "@telecom", "@street", "@community"), (type_code, code)


def test_every_leadership_group_has_a_leader(departments, users):
    led = {u.department for u in users if "leader" in u.roles}
    groups = {d.code for d in departments if d.kind == "leadership"}
    assert groups and groups <= led
    # Each department escalates to its parent group, which therefore has someone to tell.
    assert all(d.parent in led for d in departments if d.parent and d.kind != "leadership")
