"""The one clock every deadline, audit record and evaluation reads.

Tests freeze and move it; the demo runs it fast to build months of history. Nothing in
UrbanGrid calls `timezone.now()` or `datetime.now()` directly.
"""

import threading
from datetime import datetime, timedelta

from django.utils import timezone


class Clock:
    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._frozen: datetime | None = None
        self._offset = timedelta(0)

    def now(self) -> datetime:
        with self._lock:
            if self._frozen is not None:
                return self._frozen
            return timezone.now() + self._offset

    def freeze(self, at: datetime) -> None:
        """Stop the clock at `at` (aware datetime)."""
        if timezone.is_naive(at):
            raise ValueError("the clock only takes aware datetimes")
        with self._lock:
            self._frozen = at

    def advance(self, delta: timedelta) -> datetime:
        """Move the clock forward; a running clock keeps running from its new reading."""
        with self._lock:
            if self._frozen is not None:
                self._frozen += delta
                return self._frozen
            self._offset += delta
            return timezone.now() + self._offset

    def travel_to(self, at: datetime) -> None:
        """Let the clock run, but from `at` instead of the wall clock."""
        with self._lock:
            self._frozen = None
            self._offset = at - timezone.now()

    def reset(self) -> None:
        with self._lock:
            self._frozen = None
            self._offset = timedelta(0)


clock = Clock()


def now() -> datetime:
    return clock.now()
