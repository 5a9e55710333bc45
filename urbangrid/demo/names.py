"""Chinese names for the synthetic county: roads, streets, communities and people.

Pools hold the names a county town in the Huang-Huai plain typically has; when a pool runs
out (the megacity needs thousands of roads), names are composed from two-character words or
numbered the way new districts number their roads (经三路, 纬五路).
"""

import random
from collections.abc import Iterator

DIGITS = "零一二三四五六七八九"


def chinese_number(n: int) -> str:
    """1 → 一, 12 → 十二, 20 → 二十, 105 → 一百零五, 1200 → 一千二百 (n < 10000)."""
    if not 0 < n < 10000:
        raise ValueError(n)
    out = ""
    zero = False
    for value, unit in ((1000, "千"), (100, "百"), (10, "十"), (1, "")):
        digit = n // value % 10
        if digit:
            if zero:
                out += "零"
            out += ("" if value == 10 and digit == 1 and not out else DIGITS[digit]) + unit
            zero = False
        elif out:
            zero = True
    return out


# Roads, by kind and direction. The first names go to the roads nearest the centre.
ARTERIALS_EW = ["人民路", "建设路", "五一路", "黄河路", "淮河路", "长江路", "光明路", "东风路"]
ARTERIALS_NS = ["解放路", "中山路", "交通路", "新华路", "健康路", "和平路", "胜利路", "团结路"]
SECONDARIES = [
    "文化路",
    "新华街",
    "育才路",
    "建国路",
    "车站路",
    "朝阳路",
    "青年路",
    "劳动路",
    "学府路",
    "富民路",
    "振兴路",
    "幸福路",
    "红旗路",
    "向阳路",
    "友谊路",
    "民主路",
    "工农路",
    "复兴路",
    "康宁路",
    "永安路",
]
INDUSTRIAL = ["工业园路", "兴业路", "创业路", "科技路", "纬达路", "实业路", "精工路", "裕丰路"]
OLD_TOWN_STREETS = [
    "鼓楼街",
    "东大街",
    "西大街",
    "南大街",
    "北大街",
    "书院街",
    "府前街",
    "县前街",
    "城隍庙街",
    "关帝庙街",
    "马市街",
    "米市街",
    "果园街",
    "东后街",
    "西后街",
    "顺河街",
    "草市街",
    "花园街",
    "仓门街",
    "钟楼街",
]
LANES = [
    "书院巷",
    "马道巷",
    "钟楼巷",
    "仓巷",
    "文庙巷",
    "柴市巷",
    "槐树巷",
    "井巷",
    "油坊巷",
    "染坊巷",
    "磨坊巷",
    "铁匠巷",
    "箭道巷",
    "官井巷",
    "石板巷",
    "学巷",
    "夹道巷",
    "仁和巷",
    "义和巷",
    "太平巷",
    "永和巷",
    "同心巷",
    "榆树巷",
    "枣树巷",
    "杏花巷",
    "桂花巷",
    "豆腐巷",
    "糖坊巷",
    "估衣巷",
    "竹竿巷",
]
BRANCH_WORDS = [
    "紫荆",
    "银杏",
    "香樟",
    "梧桐",
    "玉兰",
    "桂花",
    "月季",
    "海棠",
    "牡丹",
    "芙蓉",
    "丁香",
    "石榴",
    "杏花",
    "桃源",
    "柳林",
    "松柏",
    "翠竹",
    "荷花",
    "腊梅",
    "合欢",
]
# Two-character words composed into further names when the pools run out.
WORDS = "金银华兴安康宁泰丰顺和平昌盛瑞祥福嘉德信诚仁义礼智文武明阳春秋永长新兴旺隆"


def composed_names(suffixes: tuple[str, ...]) -> Iterator[str]:
    """Every two-word combination with each suffix, in a fixed scrambled order so that
    neighbouring roads do not all start with the same word."""
    pairs = [a + b for a in WORDS for b in WORDS if a != b]
    random.Random(len(pairs)).shuffle(pairs)
    for suffix in suffixes:
        for pair in pairs:
            yield pair + suffix


class NameBook:
    """Hands out unique names: from a pool first, then composed ones."""

    def __init__(self) -> None:
        self.used: set[str] = set()
        self._composed = composed_names(("路", "街", "大道"))

    def take(self, pool: list[str], fallback: Iterator[str] | None = None) -> str:
        for name in pool:
            if name not in self.used:
                self.used.add(name)
                return name
        for name in fallback or self._composed:
            if name not in self.used:
                self.used.add(name)
                return name
        raise RuntimeError("name pools exhausted")

    def numbered(self, template: str, start: int = 1) -> str:
        """The first free name of a numbered series, e.g. "经{}路" → 经一路, 经二路 …"""
        n = start
        while True:
            name = template.format(chinese_number(n))
            if name not in self.used:
                self.used.add(name)
                return name
            n += 1


STREETS_BY_DIRECTION = {
    "centre": ["城关街道", "鼓楼街道"],
    "east": ["东城街道", "东关街道", "东湖街道"],
    "west": ["西城街道", "西关街道", "凤鸣街道"],
    "north": ["北城街道", "北关街道", "文昌街道"],
    "south": ["南城街道", "南关街道", "滨河街道"],
}
STREETS_EXTRA = ["新华街道", "文峰街道", "产业集聚区街道", "开元街道", "迎宾街道", "龙湖街道", "锦华街道"]

COMMUNITIES = [
    "人民",
    "解放",
    "建设",
    "文化",
    "新华",
    "中山",
    "鼓楼",
    "府前",
    "育才",
    "和平",
    "幸福",
    "光明",
    "胜利",
    "朝阳",
    "友谊",
    "繁荣",
    "团结",
    "振兴",
    "青年",
    "红旗",
    "康乐",
    "滨河",
    "翠园",
    "锦绣",
    "阳光",
    "凤凰",
    "龙湖",
    "书院",
    "文昌",
    "状元",
    "花园",
    "金水",
    "银河",
    "荷花",
    "桃园",
    "柳园",
    "梨园",
    "杏林",
    "丰收",
    "新村",
    "东湖",
    "西湖",
    "安居",
    "和谐",
    "民主",
    "工农",
    "车站",
    "电厂",
    "纺织",
    "粮站",
    "东苑",
    "西苑",
    "南苑",
    "北苑",
    "明珠",
    "瑞祥",
    "嘉禾",
    "世纪",
    "开元",
    "永安",
    "长安",
    "东关",
    "西关",
    "南关",
    "北关",
    "迎宾",
    "恒兴",
    "双桥",
    "三里",
    "五里",
]

CITY_DISTRICTS = (
    "城中区",
    "澄东区",
    "澄西区",
    "澄南区",
    "澄北区",
    "滨河区",
    "新港区",
    "高新区",
    "经开区",
    "临湖区",
    "凤岭区",
    "龙泉区",
    "白沙区",
    "金城区",
    "清溪区",
    "望京区",
)

SURNAMES = "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董萧程曹袁邓许傅沈曾彭吕苏卢蒋蔡贾丁魏薛叶阎余潘杜戴夏钟汪田任姜范方石姚谭廖邹熊金陆郝孔白崔康毛邱秦江史顾侯邵孟龙万段雷钱汤尹黎易常武乔贺赖龚文"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰建国红梅志军海燕春林晓东丹宇鹏飞辉波斌凯俊峰亮婷雪琳晨浩然子轩欣怡佳宁瑶思雨文博嘉慧"


def person_names(rng) -> Iterator[str]:
    """Plausible, not unique, Chinese full names (one- or two-character given names)."""
    while True:
        surname = SURNAMES[int(rng.integers(len(SURNAMES)))]
        n = 1 if rng.random() < 0.35 else 2
        given = "".join(GIVEN[int(i)] for i in rng.integers(len(GIVEN), size=n))
        yield surname + given
