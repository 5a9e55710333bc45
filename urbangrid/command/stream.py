"""GET /command/stream/: the hub's events as Server-Sent Events, filtered to the viewer's scope.

The browser's EventSource reconnects by itself and sends the id of the last event it got as
`Last-Event-ID`; the stream then replays what was missed from the hub's ring, or, when that is
no longer possible, sends `resync` so the page reloads its layers without reloading itself.
"""

import json

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.http import StreamingHttpResponse

from urbangrid.accounts import permissions
from urbangrid.accounts.models import Department

from .hub import Item, hub

HEARTBEAT_S = 15.0  # a comment line this often keeps proxies from closing an idle stream
RETRY_MS = 1000  # how soon the browser reconnects after losing the stream


class Viewer:
    """Which events one user may see: all of them, or those in their areas or departments."""

    def __init__(self, user) -> None:
        self.scope = permissions.scope_of(user)
        ids = self.scope.department_ids
        self.departments = set(Department.objects.filter(pk__in=ids).values_list("code", flat=True))

    def sees(self, item: Item) -> bool:
        if self.scope.everything:
            return True
        grid = item.payload.get("grid") or ""
        return (
            bool(grid and self.scope.covers_area(grid)) or item.payload.get("department") in self.departments
        )


def frame(item: Item) -> str:
    data = json.dumps({**item.payload, "event": item.name, "at": item.at}, ensure_ascii=False)
    # Unnamed ("message") events, the domain event's name inside: a page need not know every name.
    return f"id: {hub.event_id(item.seq)}\ndata: {data}\n\n"


def events_for(viewer: Viewer, last_event_id: str | None):
    yield f"retry: {RETRY_MS}\n\n"
    seq = hub.parse_id(last_event_id)
    if seq is None:
        seq = hub.last_seq
        # A screen that cannot catch up from the ring reloads its layers from here on.
        kind = "resync" if last_event_id else "hello"
        yield f"id: {hub.event_id(seq)}\nevent: {kind}\ndata: {{}}\n\n"
    while True:
        items = hub.after(seq, HEARTBEAT_S)
        if not items:
            yield ": ping\n\n"
            continue
        for item in items:
            seq = item.seq
            if viewer.sees(item):
                yield frame(item)


@login_required
def stream(request):
    if not permissions.has_action(request.user, "command.view"):
        raise PermissionDenied()
    viewer = Viewer(request.user)
    if not connection.in_atomic_block:
        # A stream lasts for hours: it must not hold one of the database's connections meanwhile.
        connection.close()
    last = request.headers.get("Last-Event-ID") or request.GET.get("last") or None
    response = StreamingHttpResponse(events_for(viewer, last), content_type="text/event-stream")
    response["Cache-Control"] = "no-cache"
    response["X-Accel-Buffering"] = "no"  # nginx: pass each event on at once
    return response
