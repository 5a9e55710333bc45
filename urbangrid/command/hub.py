"""The live feed of the command centre: domain events, after commit, to every open screen.

`urbangrid.core.events` calls `Hub.receive` in the committing thread once a transaction is
durable (a rolled-back change never gets here). The hub numbers each event and keeps the last
`capacity` in a ring, so a screen that lost its connection sends `Last-Event-ID` and gets what
it missed; one that was away longer than the ring (or talks to a restarted server, whose ids
carry another epoch) is told to reload its snapshot instead. Streams wait on one condition
variable rather than a queue each: 200 screens cost 200 waiting threads and one shared list.

The hub lives in one process (the embedded demo serves pages, runs the simulator and the jobs
in the same process). Several web processes would relay the events through Redis pub/sub into
each process's hub; `receive` is the one entry point such a relay needs.
"""

import threading
import time
from collections import deque
from dataclasses import dataclass

from urbangrid.core import events

# Events the screens show; everything else (notifications, audit…) is not theirs.
PREFIXES = ("case.", "supervisor.")


@dataclass(frozen=True)
class Item:
    seq: int
    name: str
    payload: dict
    at: str  # the application clock's reading, ISO
    committed: float  # time.monotonic() when the hub received it, for the benchmark


class Hub:
    def __init__(self, capacity: int = 5000) -> None:
        self.epoch = format(int(time.time() * 1000) % 36**6, "x")
        self._ring: deque[Item] = deque(maxlen=capacity)
        self._seq = 0
        self._cond = threading.Condition()

    def receive(self, event: events.Event) -> None:
        if not event.name.startswith(PREFIXES):
            return
        with self._cond:
            self._seq += 1
            self._ring.append(
                Item(self._seq, event.name, event.payload, event.at.isoformat(), time.monotonic())
            )
            self._cond.notify_all()

    def event_id(self, seq: int) -> str:
        return f"{self.epoch}-{seq}"

    @property
    def last_seq(self) -> int:
        return self._seq

    def parse_id(self, last_event_id: str | None) -> int | None:
        """The sequence number a reconnecting screen saw last; None when it cannot catch up
        from the ring (another epoch, garbage, or older than the oldest event kept)."""
        if not last_event_id:
            return None
        epoch, _, number = last_event_id.partition("-")
        if epoch != self.epoch or not number.isdigit():
            return None
        seq = int(number)
        with self._cond:
            oldest = self._ring[0].seq if self._ring else self._seq + 1
            if seq > self._seq or seq < oldest - 1:
                return None
        return seq

    def after(self, seq: int, timeout: float) -> list[Item]:
        """Events newer than `seq`, waiting up to `timeout` seconds for the first one."""
        with self._cond:
            if self._seq <= seq:
                self._cond.wait_for(lambda: self._seq > seq, timeout)
            if self._seq <= seq:
                return []
            # New events sit at the right end: walk back only as far as this screen has seen.
            fresh = []
            for item in reversed(self._ring):
                if item.seq <= seq:
                    break
                fresh.append(item)
            fresh.reverse()
            return fresh


hub = Hub()


def install() -> None:
    events.subscribe(hub.receive)
