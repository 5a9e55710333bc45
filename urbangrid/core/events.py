"""Domain events announced after the database transaction commits.

Services call `publish_on_commit("case.dispatched", {...})`; subscribers (notifications, the
live big screen) receive each event only once the change is durable, never for a rolled-back
one. Subscribers run in the committing thread and must be quick; a failing subscriber is
logged and does not affect the others.
"""

import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime

from django.db import transaction

from . import clock

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Event:
    name: str
    payload: dict
    at: datetime = field(default_factory=clock.now)


_subscribers: list[Callable[[Event], None]] = []


def subscribe(fn: Callable[[Event], None]) -> Callable[[Event], None]:
    if fn not in _subscribers:
        _subscribers.append(fn)
    return fn


def unsubscribe(fn: Callable[[Event], None]) -> None:
    if fn in _subscribers:
        _subscribers.remove(fn)


def publish(event: Event) -> None:
    for fn in list(_subscribers):
        try:
            fn(event)
        except Exception:
            log.exception("event subscriber %r failed on %s", fn, event.name)


def publish_on_commit(name: str, payload: dict) -> None:
    event = Event(name, payload)
    transaction.on_commit(lambda: publish(event))
