"""The type picker's list: every active matter type with its pinyin keys, so the phone can search
by Chinese name or pinyin initials without a round trip (and offline); the supervisor's own
frequent and recent types first."""

from collections import Counter

from urbangrid.cases.models import Case, Source
from urbangrid.catalog.models import CatalogType
from urbangrid.catalog.models import Kind as CatalogKind
from urbangrid.catalog.search import pinyin_keys

RECENT_REPORTS = 100
# Classes 01–05 are component types: such a report concerns one registered component.
LAST_COMPONENT_MAJOR = "05"


def is_component_type(major_code: str) -> bool:
    return major_code <= LAST_COMPONENT_MAJOR


def picker_types(user) -> list[dict]:
    recent = list(
        Case.objects.filter(reporter=user, source=Source.SUPERVISOR)
        .order_by("-reported_at", "-id")
        .values_list("type__code", flat=True)[:RECENT_REPORTS]
    )
    uses = Counter(recent)
    last_use = {}
    for i, code in enumerate(recent):
        last_use.setdefault(code, i)
    rows = CatalogType.objects.filter(kind=CatalogKind.MATTER, active=True).values_list(
        "code", "name", "major_code", "major_name"
    )
    items = []
    for code, name, major, major_name in rows:
        initials, full = pinyin_keys(name)
        items.append(
            {
                "code": code,
                "name": name,
                "major": major_name,
                "component": is_component_type(major),
                "py": initials,
                "pinyin": full,
                "uses": uses.get(code, 0),
            }
        )
    # Most used first, then the most recently used, then the catalogue's order.
    items.sort(key=lambda t: (-t["uses"], last_use.get(t["code"], RECENT_REPORTS), t["code"]))
    return items
