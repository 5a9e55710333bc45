"""Where street furniture stands, by GB/T 47678.5-2026 component type: the rules the generator
follows. Spacings are the county's (metres between items on one side of a road); the city
scale divides them by its density. Offsets are measured from an anchor across the road:
`centre` line, `kerb` (edge of the carriageway) or `edge` (building line), positive away from
the centre line, so lamps stand at edge-1 m on the pavement and shop signs at edge+2.5 m on
the facades.
"""

from dataclasses import dataclass, field

SIDEWALK = {"arterial": 5.0, "secondary": 4.0, "branch": 3.0, "lane": 0.0}


@dataclass(frozen=True)
class AlongRoad:
    type: str
    spacing: dict[str, float]  # road kind → metres; kinds not listed get none
    anchor: str  # centre, kerb or edge
    offset: float
    sides: str = "both"  # both, left or right
    zones: tuple[str, ...] = ()  # only in grids of these zones (empty: any)
    land_uses: tuple[str, ...] = ()  # only in grids of these land uses (empty: any)


@dataclass(frozen=True)
class PerGrid:
    """Items scattered inside grids: `per_grid` expected per grid, `per_hectare` per 10,000 m²,
    by land use ("*": any)."""

    type: str
    per_grid: dict[str, float] = field(default_factory=dict)
    per_hectare: dict[str, float] = field(default_factory=dict)
    zones: tuple[str, ...] = ()


def along(type_code, spacing, anchor, offset, sides="both", zones=(), land_uses=()) -> AlongRoad:
    return AlongRoad(type_code, spacing, anchor, offset, sides, tuple(zones), tuple(land_uses))


MAIN = ("arterial", "secondary")
SHOPS = ("commercial",)

ALONG_ROADS = (
    # lighting
    along("01037", {"arterial": 32, "secondary": 32}, "edge", -1.0),  # 路灯
    along("01037", {"branch": 35}, "edge", -0.8),
    along("01037", {"lane": 28}, "edge", -0.8, "left"),
    along("01006", {"arterial": 64, "secondary": 64}, "edge", -1.6),  # 路灯井盖
    along("01006", {"branch": 70}, "edge", -1.4, "left"),
    along("01060", {"arterial": 600, "secondary": 600, "branch": 800}, "edge", 1.0, "right"),  # 路灯配电箱
    # greening
    along("04002", {"arterial": 6, "secondary": 6, "branch": 6}, "edge", -2.5),  # 行道树
    along("04011", {"arterial": 6, "secondary": 6, "branch": 8}, "edge", -2.2, zones=("old",)),  # 树池树穴
    along("04011", {"arterial": 6, "secondary": 6}, "edge", -2.2, zones=("new",), land_uses=SHOPS),
    along("04005", {"arterial": 50, "secondary": 50}, "edge", -3.0, zones=("old",), land_uses=SHOPS),  # 花钵
    # pipes under the carriageway
    along("01004", {"arterial": 25, "secondary": 25, "branch": 40}, "kerb", -0.3),  # 雨水箅子
    along(
        "01003", {"arterial": 40, "secondary": 40, "branch": 50, "lane": 50}, "kerb", -2.5, "right"
    ),  # 雨水
    along(
        "01002", {"arterial": 40, "secondary": 40, "branch": 50, "lane": 40}, "centre", 2.5, "left"
    ),  # 污水
    along("01001", {"arterial": 80, "secondary": 80, "branch": 90, "lane": 80}, "kerb", -1.5, "left"),  # 供水
    along("01005", {"arterial": 60, "secondary": 60, "branch": 100}, "kerb", -3.5, "right"),  # 电力
    along("01007", {"arterial": 60, "secondary": 70, "branch": 100}, "kerb", -4.0, "left"),  # 通信
    along(
        "01011", {"arterial": 100, "secondary": 100, "branch": 110, "lane": 120}, "centre", 1.0, "right"
    ),  # 燃气
    along("01017", {"arterial": 150, "secondary": 200}, "kerb", -5.0, "right"),  # 电缆
    along("01009", {"arterial": 200, "secondary": 250}, "kerb", -5.5, "left"),  # 网络
    along("01008", {"secondary": 250, "branch": 250}, "centre", 1.0, "left"),  # 电视
    along("01012", {"arterial": 300}, "kerb", -6.5, "left"),  # 公安
    along(
        "01013", {"arterial": 120, "secondary": 120, "branch": 120, "lane": 150}, "edge", -1.5, "left"
    ),  # 消火栓
    # sanitation
    along("03005", {"arterial": 50, "secondary": 80, "branch": 110, "lane": 150}, "edge", -1.2),  # 果皮箱
    # traffic
    along("02010", {"arterial": 150, "secondary": 180, "branch": 260}, "edge", -0.8),  # 交通标志
    along("02043", {"branch": 400, "lane": 300}, "centre", 0.5, "left"),  # 减速带
    along("02004", {"arterial": 500, "secondary": 500}, "edge", -2.0),  # 公交站
    along("02025", {"arterial": 150, "secondary": 150, "branch": 200}, "edge", -3.5, land_uses=SHOPS),
    along("02027", {"arterial": 200, "secondary": 200}, "edge", -3.8, land_uses=("commercial", "public")),
    along("02003", {"secondary": 200, "branch": 150}, "edge", -4.2, zones=("old",)),  # 停车计费
    along("02021", {"arterial": 6, "secondary": 6}, "edge", -0.3, zones=("old",), land_uses=SHOPS),  # 便道桩
    # poles and cabinets
    along("01030", {"branch": 35, "lane": 40}, "edge", -0.5, "right"),  # 电力立杆
    along("01030", {"arterial": 50, "secondary": 45}, "edge", -0.5, "right", zones=("industrial",)),
    along("01031", {"branch": 50, "lane": 50}, "edge", -0.5, "left"),  # 通信立杆
    along("01048", {"secondary": 300, "branch": 300}, "edge", 1.5, "right"),  # 变压器箱
    along("01027", {"secondary": 350, "branch": 350}, "edge", 1.0, "left"),  # 通信交接箱
    along("01047", {"arterial": 300}, "edge", 40.0, "right", zones=("industrial",)),  # 高压线铁塔
    # kiosks and facades
    along("03007", {"arterial": 10, "secondary": 10, "branch": 12}, "edge", 2.5, zones=("old",)),  # 牌匾
    along("03007", {"arterial": 14}, "edge", 2.5, zones=("new",), land_uses=SHOPS),
    along("03006", {"arterial": 150, "secondary": 250}, "edge", 1.0),  # 户外广告
    along("01065", {"arterial": 120, "secondary": 150}, "edge", 0.5, land_uses=SHOPS),  # 门前三包公示牌
    along("01040", {"arterial": 500}, "edge", -3.0, "left", zones=("old",)),  # 报刊亭
    along("01041", {"arterial": 700, "secondary": 900}, "edge", -3.2, "right"),  # 电话亭
    along("01042", {"arterial": 800, "secondary": 800}, "edge", -3.4, "left"),  # 邮筒
    along("01044", {"secondary": 1000}, "edge", -3.0, "right", zones=("old", "new")),  # 售货亭
)

PER_GRID = (
    PerGrid("01018", {"residential": 6.0, "commercial": 1.5, "public": 1.5}),  # 化粪池井盖
    PerGrid("03003", {"residential": 1.0, "commercial": 0.5, "public": 0.6}),  # 化粪池
    PerGrid("03004", {"residential": 1.0, "commercial": 0.6}),  # 垃圾间
    PerGrid("01049", {"residential": 0.35, "commercial": 0.2}),  # 燃气调压箱
    PerGrid("01075", {"residential": 0.7}),  # 快递柜
    PerGrid("01046", {"residential": 0.6, "green": 4.0, "road": 6.0}),  # 健身器材
    PerGrid("01059", {"residential": 0.3}),  # 旧衣物回收箱
    PerGrid("03008", {"residential": 0.4, "public": 0.5, "road": 2.0}),  # 宣传栏
    PerGrid("03014", {"residential": 0.1, "commercial": 0.1, "industrial": 0.05}),  # 环卫工具间
    PerGrid("01062", {"*": 0.04}),  # 通信基站
    PerGrid("02001", {"commercial": 0.15, "public": 0.6, "road": 1.0}),  # 停车场
    PerGrid("01054", {"commercial": 0.2, "public": 0.5, "road": 2.0}),  # 充电桩
    PerGrid("01045", {"commercial": 0.15, "public": 0.2}),  # 自动售货机
    PerGrid(
        "03001",
        {
            "commercial": 0.06,
            "residential": 0.03,
            "public": 0.05,
            "industrial": 0.01,
            "green": 0.3,
            "road": 1.0,
        },
    ),
    PerGrid("03002", {"commercial": 0.12, "residential": 0.06, "public": 0.1, "green": 0.6, "road": 2.0}),
    PerGrid("01035", {"public": 0.5}),  # 旗杆
    PerGrid("01051", {"commercial": 0.02, "road": 1.0}),  # 治安岗亭
    PerGrid("04003", {"residential": 5.0}, {"green": 80.0, "road": 40.0, "public": 15.0}),  # 独立树
    PerGrid("04007", per_hectare={"green": 16.0, "road": 25.0}),  # 座椅
    PerGrid("01038", per_hectare={"road": 30.0}),  # 地灯
    PerGrid("01039", per_hectare={"green": 6.0, "road": 12.0}),  # 景观灯
    PerGrid("04006", {"green": 0.3, "road": 2.0}),  # 雕塑
    PerGrid("04010", {"road": 1.0}),  # 喷泉
    PerGrid("01066", {"road": 1.0, "green": 0.2}),  # SOS
    PerGrid("04001", {"*": 0.05}, zones=("old",)),  # 古树名木
    PerGrid("05009", {"*": 0.01}, zones=("old",)),  # 文物古迹
    PerGrid("01064", {"*": 0.005}, zones=("old",)),  # 牌楼
)

# Along the river banks: (type, spacing m, offset m from the bank towards the land).
ALONG_RIVER = (
    ("01073", 250.0, -0.5),  # 雨污水排放口, in the water
    ("01069", 400.0, 1.0),  # 水域附属设施 (steps, landings)
    ("02030", 500.0, 2.0),  # 水域标示牌
    ("01039", 25.0, 8.0),  # 景观灯 of the embankment park
    ("01067", 1500.0, 1.5),  # 防汛监测设施
    ("01072", 2000.0, 15.0),  # 排水泵站
)

# Components that are easily stolen or knocked over can be 丢失 (lost).
MOVABLE = frozenset(
    [f"010{n:02d}" for n in range(1, 24)] + ["03005", "02010", "02012", "02038", "03002", "02030"]
)
# Kiosks and phone booths of an earlier age stand 废弃 (abandoned) far more often.
ABANDONED_OFTEN = {"01041": 0.35, "01040": 0.15, "01044": 0.1}
# Where 占用 (occupied) happens: blind paths, bike bays, parking, hydrants, bus stops.
OCCUPIABLE = frozenset(["02034", "02025", "02001", "01013", "02004"])
