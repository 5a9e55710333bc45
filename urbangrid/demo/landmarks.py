"""The landmarks of a county town (地标): where each tends to be, and the names people use.

Positions are fractions of the town's radius from the centre (the old town's drum tower).
A landmark with a land use takes its whole block (a school campus, a square); the others are
buildings on a block.
"""

from dataclasses import dataclass


@dataclass(frozen=True)
class LandmarkSpec:
    name: str
    aliases: tuple[str, ...]
    where: tuple[float, float]
    zones: tuple[str, ...]
    land_use: str = ""  # set: the landmark takes its whole block
    min_area: float = 0.0


LANDMARKS = [
    LandmarkSpec("县人民政府", ("县政府", "县委县政府", "政府大院"), (0.05, 0.42), ("new",), "public", 20000),
    LandmarkSpec("人民广场", ("广场", "市民广场"), (0.05, 0.3), ("new", "old"), "road", 15000),
    LandmarkSpec("县人民医院", ("人民医院", "县医院"), (0.35, 0.12), ("new", "old"), "public", 15000),
    LandmarkSpec("县第一中学", ("一中", "第一中学", "县一中"), (-0.25, 0.45), ("new",), "public", 20000),
    LandmarkSpec("县实验小学", ("实验小学", "实小"), (0.12, 0.08), ("old", "new"), "public", 6000),
    LandmarkSpec("城关农贸市场", ("农贸市场", "菜市场", "菜市"), (-0.08, 0.12), ("old",), "commercial", 5000),
    LandmarkSpec("县汽车站", ("汽车站", "客运站", "长途汽车站"), (0.55, 0.05), ("new",), "public", 15000),
    LandmarkSpec("人民公园", ("公园",), (-0.45, 0.05), ("new",), "green", 20000),
    LandmarkSpec("县中医院", ("中医院",), (-0.4, 0.25), ("new",), "public", 15000),
    LandmarkSpec("县第二中学", ("二中", "第二中学", "县二中"), (0.3, -0.55), ("new",), "public", 20000),
    LandmarkSpec("县全民健身中心", ("体育场", "体育馆", "健身中心"), (0.45, 0.4), ("new",), "public", 20000),
    LandmarkSpec(
        "万佳购物广场", ("万佳超市", "超市", "购物广场"), (0.15, -0.02), ("old", "new"), "commercial"
    ),
    LandmarkSpec("鼓楼", ("古鼓楼", "钟鼓楼"), (0.0, 0.0), ("old",)),
    LandmarkSpec("文庙", ("孔庙", "文庙大成殿"), (-0.1, 0.05), ("old",)),
    LandmarkSpec("中国工商银行城关支行", ("工商银行", "工行"), (0.1, 0.02), ("old", "new")),
    LandmarkSpec("中国农业银行城关支行", ("农业银行", "农行"), (-0.05, 0.1), ("old", "new")),
    LandmarkSpec("中国建设银行城关支行", ("建设银行", "建行"), (0.2, 0.2), ("old", "new")),
    LandmarkSpec("县邮政局", ("邮政局", "邮局"), (0.08, 0.15), ("old", "new")),
    LandmarkSpec("县城市管理综合执法局", ("城管局", "城管执法局", "城管大队"), (0.2, 0.45), ("new",)),
    LandmarkSpec("县公安局", ("公安局",), (-0.12, 0.4), ("new",)),
    LandmarkSpec("县图书馆", ("图书馆",), (-0.3, 0.1), ("new", "old")),
    LandmarkSpec("澄河宾馆", ("宾馆",), (0.25, 0.15), ("new", "old")),
    LandmarkSpec("中石化城东加油站", ("城东加油站", "加油站"), (0.8, 0.0), ("new", "industrial")),
    LandmarkSpec("中石化城西加油站", ("城西加油站",), (-0.8, 0.05), ("new",)),
    LandmarkSpec("澄河公园", ("滨河公园", "河滨公园"), (0.0, -0.5), ("riverside",)),
    LandmarkSpec("产业集聚区管委会", ("管委会", "工业园管委会"), (0.6, -0.5), ("industrial",)),
]
