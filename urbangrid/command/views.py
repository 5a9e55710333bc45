"""The command centre's pages: the big screen, the command desk and the patrol view. Each is a
shell; the layers and figures come from /api/v1/command/ and the live events from the stream."""

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import render
from django.utils import timezone

from urbangrid.accounts import permissions
from urbangrid.cases.models import Source, State
from urbangrid.core import clock
from urbangrid.geo.views import _extent

from . import queries, replay
from .strings import strings

# Colours of the case states on the map, by the stage of the loop they belong to.
STATE_COLOURS = {
    State.REPORTED: "#74c0fc",
    State.VERIFYING: "#4dabf7",
    State.FILING: "#3bc9db",
    State.DISPATCHING: "#9775fa",
    State.DISPOSING: "#ffa94d",
    State.SUSPENDED: "#adb5bd",
    State.CHECKING: "#63e6be",
    State.CLOSING: "#69db7c",
    State.CLOSED: "#40c057",
}


def _viewer(request):
    if not permissions.has_action(request.user, "command.view"):
        raise PermissionDenied
    return request.user


def _config(request) -> dict:
    now = clock.now()
    return {
        "api": "/api/v1/command",
        "casesApi": "/api/v1/cases",
        "geoApi": "/api/v1/geo",
        "stream": "/command/stream/",
        "basemap": {
            "url": settings.URBANGRID.get("BASEMAP_URL", ""),
            "attribution": settings.URBANGRID.get("BASEMAP_ATTRIBUTION", ""),
        },
        "extent": _extent(),
        "now": now.isoformat(),
        "today": timezone.localtime(now).date().isoformat(),
        "states": [
            {"value": s.value, "label": str(s.label), "colour": STATE_COLOURS[s]} for s in STATE_COLOURS
        ],
        "sources": {s.value: str(s.label) for s in Source},
        "strings": strings(),
    }


@login_required
def screen(request):
    _viewer(request)
    return render(request, "command/screen.html", {"config": _config(request)})


@login_required
def desk(request):
    user = _viewer(request)
    config = _config(request)
    config["departments"] = queries.departments(user)
    # Only the buttons of actions the user's roles allow (the services check scope and state).
    config["may"] = {
        name: permissions.has_action(user, f"case.{action}")
        for name, action in (("dispatch", "dispatch"), ("urge", "urge"), ("send", "assign_supervisor"))
    }
    return render(request, "command/desk.html", {"config": config})


@login_required
def patrol(request):
    user = _viewer(request)
    config = _config(request)
    config["supervisors"] = replay.supervisors_in_scope(user)
    return render(request, "command/patrol.html", {"config": config})
