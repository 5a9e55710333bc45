"""Revision counters of the geographic data that in-memory indexes are built from.

Services raise a counter in the transaction of each change; an index remembers the numbers
it was built at and rebuilds when they move, so every process notices a change made in any
other within its refresh interval, with one tiny query.
"""

from django.db.models import F

from .models import Revision

DIVISIONS = "divisions"
GAZETTEER = "gazetteer"


def bump(key: str) -> None:
    Revision.objects.get_or_create(key=key)
    Revision.objects.filter(key=key).update(number=F("number") + 1)


def current(*keys: str) -> tuple[int, ...]:
    numbers = dict(Revision.objects.filter(key__in=keys).values_list("key", "number"))
    return tuple(numbers.get(k, 0) for k in keys)
