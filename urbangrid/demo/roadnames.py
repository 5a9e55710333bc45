"""Naming the roads the way a Henan county names them: the famous names (人民路, 解放路) on the
arterials nearest the centre, ring roads at the edge, old street names (东大街, 书院街) and lanes
(巷) in the old town, numbered 经/纬 roads in the new districts, 工业 roads in the industrial park.
Every name is unique, so an address like 人民路12号 points at one place."""

import math
import re

import shapely

from . import names
from .network import Network, Road

RIVERSIDE = ("滨河北路", "滨河南路")
DIAGONALS = ("迎宾大道", "发展大道", "开元大道", "世纪大道", "振兴大道", "富强大道")
ARABIC = re.compile("[一二三四五六七八九十百千零]+")


def name_roads(net: Network) -> None:
    book = names.NameBook()
    tree = shapely.STRtree([s.polygon for s in net.superblocks])

    def zone(road: Road) -> str:
        mid = road.line.interpolate(0.5, normalized=True)
        hits = tree.query(mid, predicate="intersects")
        return net.superblocks[int(hits.min())].zone if len(hits) else "new"

    def by_centre(road: Road) -> tuple:
        mid = road.line.interpolate(0.5, normalized=True)
        return (abs(road.order), math.hypot(mid.x, mid.y), -road.line.length)

    roads = net.roads
    for family, pool, ring in (
        ("ew", names.ARTERIALS_EW, ("北环路", "南环路")),
        ("ns", names.ARTERIALS_NS, ("西环路", "东环路")),
    ):
        arterials = [r for r in roads if r.level == "arterial" and r.family == family]
        if len(arterials) >= 4:
            orders = sorted({r.order for r in arterials})
            # North-most / west-most first: east-west orders grow northwards, north-south eastwards.
            outer = (
                {orders[-1]: ring[0], orders[0]: ring[1]}
                if family == "ew"
                else {orders[0]: ring[0], orders[-1]: ring[1]}
            )
            for r in sorted(arterials, key=lambda r: -r.line.length):
                if r.order in outer and outer[r.order] not in book.used:
                    r.name = outer[r.order]
                    book.used.add(r.name)
        for r in sorted(arterials, key=by_centre):
            if not r.name:
                r.name = book.take(pool)
    for r in sorted((r for r in roads if r.level == "diagonal"), key=lambda r: (r.order, -r.line.length)):
        r.name = book.take(list(DIAGONALS))
    for r in sorted((r for r in roads if r.level == "riverside"), key=lambda r: (-r.order, -r.line.length)):
        r.name = book.take([RIVERSIDE[0] if r.order > 0 else RIVERSIDE[1]])
    for r in sorted((r for r in roads if r.level == "secondary"), key=by_centre):
        r.name = book.take(names.INDUSTRIAL if zone(r) == "industrial" else names.SECONDARIES)
    branches = [r for r in roads if r.level in ("br4", "br8")]
    # Near the centre, new roads got tree and flower names; further out they are numbered
    # west→east (经) and north→south (纬), so the numbers follow the map.
    planted = [w + "路" for w in names.BRANCH_WORDS]
    for r in sorted(branches, key=lambda r: (r.family != "ns", r.order if r.family == "ns" else -r.order)):
        z = zone(r)
        mid = r.line.interpolate(0.5, normalized=True)
        if z == "old":
            r.name = book.take(names.OLD_TOWN_STREETS, names.composed_names(("街",)))
        elif z == "industrial":
            r.name = book.numbered("工业{}路")
        elif math.hypot(mid.x, mid.y) < 0.5 * net.radius and not book.used.issuperset(planted):
            r.name = book.take(planted)
        else:
            r.name = book.numbered("经{}路" if r.family == "ns" else "纬{}路")
    for r in sorted((r for r in roads if r.level == "lane"), key=lambda r: (-r.order, r.line.coords[0][0])):
        r.name = book.take(names.LANES, names.composed_names(("巷",)))
    for r in roads:
        r.aliases = aliases(r.name)


def aliases(name: str) -> list[str]:
    """Other ways people write a road name: 经3路 for 经三路, 迎宾路 for 迎宾大道, 北滨河路 for
    滨河北路, 胡同 for 巷."""
    out = []
    numeral = ARABIC.search(name[1:])
    if numeral and name[0] in "经纬工":
        text = numeral.group()
        out.append(name.replace(text, str(_value(text)), 1))
    if name.endswith("大道"):
        out.append(name[:-2] + "路")
    if name in RIVERSIDE:
        out.append(name[2] + "滨河路")
    if name.endswith("巷"):
        out.append(name[:-1] + "胡同")
    return out


def _value(text: str) -> int:
    for n in range(1, 10000):
        if names.chinese_number(n) == text:
            return n
    raise ValueError(text)
