"""The people and bodies of the county: departments as a real county has them, responsibility
grids with their field supervisors, and users for every role.

Department codes are short and readable (`szgs` is the 市政公司); streets and communities
use their division codes. Every body gets a fictional 统一社会信用代码 with valid check
characters (GB 32100-2015 and, for its organisation-code part, GB 11714-1997).
"""

from dataclasses import dataclass, field

import numpy as np
from django.utils.translation import gettext_lazy as _
from pypinyin import lazy_pinyin

from . import names
from .county import ZONE_WEIGHT, County
from .partition import apportion, grow
from .streams import stream

DEMO_PASSWORD = "demo1234"
CENTRE = "szcg"
COUNTY_LEADERSHIP = "ld-zf"

USCC_CHARS = "0123456789ABCDEFGHJKLMNPQRTUWXY"
USCC_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)
ORG_WEIGHTS = (3, 7, 9, 10, 5, 8, 4, 2)


def organisation_code(body: str) -> str:
    """The 9-character organisation code: 8 characters and their check character (GB 11714)."""
    total = sum((int(c) if c.isdigit() else ord(c) - 55) * w for c, w in zip(body, ORG_WEIGHTS, strict=True))
    check = 11 - total % 11
    return body + {10: "X", 11: "0"}.get(check, str(check))


def uscc(kind: str, admin_code: str, body: str) -> str:
    """统一社会信用代码: registering authority and type (11 机关, 12 事业单位, 55 居民委员会,
    91 企业), the 6-digit division code, the organisation code, one check character."""
    head = kind + admin_code + organisation_code(body)
    total = sum(USCC_CHARS.index(c) * w for c, w in zip(head, USCC_WEIGHTS, strict=True))
    return head + USCC_CHARS[(31 - total % 31) % 31]


@dataclass
class DepartmentSpec:
    code: str
    name: str
    kind: str
    uscc: str
    parent: str | None = None
    division: str | None = None
    service_areas: list[str] = field(default_factory=list)
    phone: str = ""


@dataclass
class UserSpec:
    username: str
    full_name: str
    roles: list[str]
    department: str | None
    areas: list[str] = field(default_factory=list)
    password: str | None = None  # only the demo accounts can log in out of the box


@dataclass
class PatrolArea:
    """A responsibility grid (责任网格) and the supervisor who walks it."""

    code: str
    name: str
    street: str
    grid_codes: list[str]
    supervisor: str = ""


@dataclass(frozen=True)
class DemoAccount:
    username: str
    role: str
    full_name: str
    department: str | None
    what_to_try: object  # a lazily translated string


# The accounts README.md lists; every one has the password DEMO_PASSWORD.
DEMO_ACCOUNTS = (
    DemoAccount(
        "admin",
        "admin",
        "王建军",
        CENTRE,
        _("the maintenance console at /admin/: catalogue, time limits, departments, grids"),
    ),
    DemoAccount(
        "jiandu",
        "supervisor",
        "李明",
        CENTRE,
        _("patrols the grid around the old town's drum tower with the field app /field/"),
    ),
    DemoAccount(
        "shouli", "intake", "张丽", CENTRE, _("takes in the problems reported; the 12319 desk /hotline/")
    ),
    DemoAccount("zhiban", "shift_leader", "刘洋", CENTRE, _("files and closes cases")),
    DemoAccount(
        "paiqian", "dispatcher", "陈静", CENTRE, _("dispatches cases, also from the command desk /command/")
    ),
    DemoAccount(
        "chuzhi", "disposer", "杨伟", "szgs", _("handles the cases dispatched to the municipal company")
    ),
    DemoAccount(
        "lingdao",
        "leader",
        "赵国强",
        COUNTY_LEADERSHIP,
        _("overdue and escalated cases, approvals and urging"),
    ),
    DemoAccount("shimin", "citizen", "孙晓燕", None, _("reports a problem and follows it to the end")),
)


# (code, name, kind, USCC type, superior) — the superior's leadership is where overdue cases
# escalate; top-level bodies escalate to their own leadership and then to the county's.
BODIES = (
    (CENTRE, "数字化城市管理监督指挥中心", "centre", "12", None),
    ("cgzf", "城市管理综合执法局", "functional", "11", None),
    ("zjj", "住房和城乡建设局", "functional", "11", None),
    ("slj", "水利局", "functional", "11", None),
    ("jtj", "交通运输局", "functional", "11", None),
    ("gaj", "公安局", "functional", "11", None),
    ("jjdd", "公安局交通警察大队", "functional", "11", "gaj"),
    ("xfjy", "消防救援大队", "functional", "11", None),
    ("sthj", "生态环境分局", "functional", "11", None),
    ("wjw", "卫生健康委员会", "functional", "11", None),
    ("mzj", "民政局", "functional", "11", None),
    ("jyty", "教育体育局", "functional", "11", None),
    ("wgl", "文化广电和旅游局", "functional", "11", None),
    ("swj", "商务局", "functional", "11", None),
    ("cyq", "产业集聚区管理委员会", "functional", "11", None),
    ("hws", "环境卫生管理所", "functional", "12", "cgzf"),
    ("yls", "园林绿化管理所", "functional", "12", "cgzf"),
    ("szgs", "市政工程有限公司", "enterprise", "91", "zjj"),
    ("gdgs", "国网{place}供电公司", "enterprise", "91", None),
    ("zls", "自来水有限公司", "enterprise", "91", None),
    ("rqgs", "燃气有限公司", "enterprise", "91", None),
    ("dx", "中国电信{place}分公司", "enterprise", "91", None),
    ("yd", "中国移动{place}分公司", "enterprise", "91", None),
    ("lt", "中国联通{place}分公司", "enterprise", "91", None),
    ("gdwl", "广电网络有限公司", "enterprise", "91", None),
    ("gjgs", "公共交通有限公司", "enterprise", "91", None),
    ("yz", "中国邮政{place}分公司", "enterprise", "91", None),
)
TELECOM = ("dx", "yd", "lt")


def _body_name(template: str, place: str, prefix: str) -> str:
    if "{place}" in template:
        return template.format(place=place)
    return prefix + template


def departments(county: County) -> list[DepartmentSpec]:
    """Every department, parents before children."""
    scale = county.scale
    rng = stream(county.seed, "departments")
    admin = county.district.code
    prefix = "市" if scale.multi_district else "县"
    area = [d.code for d in county.by_level(1)]

    def credit(kind: str) -> str:
        body = "".join(USCC_CHARS[int(i)] for i in rng.integers(10, size=8))
        if kind == "91":  # enterprises registered since 2015 carry MA-prefixed organisation codes
            body = "MA" + "".join(USCC_CHARS[int(i)] for i in rng.integers(len(USCC_CHARS), size=6))
        return uscc(kind, admin, body)

    def phone() -> str:
        return "0399-" + "".join(str(int(d)) for d in rng.integers(10, size=7))

    out = [
        DepartmentSpec(COUNTY_LEADERSHIP, f"{prefix}人民政府领导", "leadership", credit("11"), phone=phone())
    ]
    for code, template, kind, credit_kind, superior in BODIES:
        name = _body_name(template, scale.place_name, prefix)
        if superior is None:
            out.append(DepartmentSpec(f"ld-{code}", f"{name}领导班子", "leadership", "", COUNTY_LEADERSHIP))
        out.append(
            DepartmentSpec(
                code,
                name,
                kind,
                credit(credit_kind),
                f"ld-{superior or code}",
                service_areas=area,
                phone="12319" if code == CENTRE else phone(),
            )
        )
    for street in county.by_level(2):
        out.append(
            DepartmentSpec(f"ld-{street.code}", f"{street.name}党工委", "leadership", "", COUNTY_LEADERSHIP)
        )
        out.append(
            DepartmentSpec(
                street.code,
                f"{street.name}办事处",
                "street",
                credit("11"),
                f"ld-{street.code}",
                street.code,
                [street.code],
                phone(),
            )
        )
    for community in county.by_level(3):
        out.append(
            DepartmentSpec(
                community.code,
                f"{community.name}居民委员会",
                "community",
                credit("55"),
                community.parent,
                community.code,
                [community.code],
                phone(),
            )
        )
    return out


def patrol_areas(county: County) -> list[PatrolArea]:
    """Responsibility grids: adjacent unit grids of one street with a similar patrol workload
    (the old town's crowded streets count four times their area)."""
    weight_of = dict(ZONE_WEIGHT, old=4.0)
    grids = county.grids
    index = {g.code: i for i, g in enumerate(grids)}
    adj = {index[a]: {index[b]: w for b, w in nb.items()} for a, nb in county.neighbours.items()}
    xy = np.array([g.polygon.centroid.coords[0] for g in grids])
    weight = np.array([g.polygon.area * weight_of[g.zone] for g in grids])
    streets = county.by_level(2)
    members = {s.code: [i for i, g in enumerate(grids) if g.street == s.code] for s in streets}
    counts = apportion(
        county.scale.responsibility_grids, [float(weight[members[s.code]].sum()) for s in streets]
    )
    areas = []
    for street, count in zip(streets, counts, strict=True):
        region = grow(
            members[street.code], adj, xy, weight, count, stream(county.seed, "patrol", street.code)
        )
        by_region: dict[int, list[str]] = {}
        for i in sorted(region, key=lambda i: grids[i].code):
            by_region.setdefault(region[i], []).append(grids[i].code)
        ordered = sorted(by_region.values(), key=lambda codes: codes[0])
        for k, codes in enumerate(ordered, start=1):
            areas.append(
                PatrolArea(
                    f"ZR{street.code}{k:02d}",
                    f"{street.name}第{names.chinese_number(k)}责任网格",
                    street.code,
                    codes,
                )
            )
    return areas


def users(county: County, depts: list[DepartmentSpec], areas: list[PatrolArea]) -> list[UserSpec]:
    """The demo accounts first, then the staff: a supervisor per responsibility grid, the
    centre's operators, leaders, disposal staff of every department, street and community."""
    rng = stream(county.seed, "users")
    people = names.person_names(rng)
    taken = {a.username for a in DEMO_ACCOUNTS}
    demo_grid = _grid_at_centre(county)
    out: list[UserSpec] = []

    def username(full_name: str) -> str:
        base = "".join(lazy_pinyin(full_name))
        name, n = base, 1
        while name in taken:
            n += 1
            name = f"{base}{n}"
        taken.add(name)
        return name

    def person(roles, department, areas=()) -> UserSpec:
        full_name = next(people)
        return UserSpec(username(full_name), full_name, list(roles), department, list(areas))

    for account in DEMO_ACCOUNTS:
        out.append(
            UserSpec(
                account.username, account.full_name, [account.role], account.department, [], DEMO_PASSWORD
            )
        )
    supervisor = {a.username: u for a, u in zip(DEMO_ACCOUNTS, out, strict=True)}["jiandu"]
    for area in areas:
        communities = sorted({code[:12] for code in area.grid_codes})
        if demo_grid in area.grid_codes:
            area.supervisor = supervisor.username
            supervisor.areas = communities
            continue
        user = person(["supervisor"], CENTRE, communities)
        area.supervisor = user.username
        out.append(user)
    for role, count in (("intake", 4), ("shift_leader", 3), ("dispatcher", 3)):
        out.extend(person([role], CENTRE) for _ in range(count))
    out.append(person(["leader"], CENTRE))
    out.extend(person(["leader"], COUNTY_LEADERSHIP) for _ in range(2))
    for dept in depts:
        if dept.kind in ("functional", "enterprise"):
            out.extend(person(["disposer"], dept.code) for _ in range(int(rng.integers(1, 4))))
        elif dept.kind == "street":
            out.extend(person(["disposer"], dept.code, [dept.division]) for _ in range(2))
        elif dept.kind == "community":
            out.append(person(["disposer"], dept.code, [dept.division]))
    out.extend(person(["citizen"], None) for _ in range(3))
    # Every leadership group and street office has a leader, so an overdue case escalated to it
    # (a community's goes to its street) reaches a person.
    out.extend(
        person(["leader"], d.code, [d.division] if d.division else [])
        for d in depts
        if d.kind in ("leadership", "street") and d.code != COUNTY_LEADERSHIP
    )
    return out


def _grid_at_centre(county: County) -> str:
    """The unit grid of the old town's drum tower (鼓楼), the heart of the demo supervisor's beat."""
    tower = next((lm.point for lm in county.landmarks if lm.spec.name == "鼓楼"), None)
    x, y = (tower.x, tower.y) if tower is not None else (0.0, 0.0)
    return county.grids[int(county.grid_at([x], [y])[0])].code
