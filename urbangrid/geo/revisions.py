"""Revision counters of the geographic data that in-memory indexes are built from.

Services raise a counter in the transaction of each change; an index remembers the numbers
it was built at and rebuilds when they move, so every process notices a change made in any
other within its refresh interval, with one tiny query.
"""

import threading
import time
from collections.abc import Callable

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


class CachedIndex:
    """An in-memory index that asks `signature()` at most every `refresh` seconds and rebuilds
    itself with `build()` when the answer changed."""

    def __init__(self, build: Callable, signature: Callable, refresh: float) -> None:
        self.build, self.signature, self.refresh = build, signature, refresh
        self._lock = threading.Lock()
        self.invalidate()

    def get(self):
        now = time.monotonic()
        with self._lock:
            if self._index is not None and now - self._checked < self.refresh:
                return self._index
            signature = self.signature()
            if self._index is None or signature != self._signature:
                self._index, self._signature = self.build(), signature
            self._checked = now
            return self._index

    def invalidate(self) -> None:
        with self._lock:
            self._index, self._signature, self._checked = None, None, 0.0
