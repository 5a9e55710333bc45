from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.db.models import Max, Min
from django.shortcuts import render
from django.utils.translation import gettext as _

from urbangrid.components.models import Status

from .models import Division, Road, UnitGrid

# Below this zoom a view holds too many grids to draw one by one; the map asks to zoom in.
GRID_MIN_ZOOM = 15
# Grid codes are legible from this zoom on (about 1.2 m per pixel: a grid is ~80 px wide).
GRID_CODE_ZOOM = 17
STATUS_COLOURS = {
    Status.INTACT: "#2f9e44",
    Status.DAMAGED: "#f08c00",
    Status.LOST: "#e03131",
    Status.ABANDONED: "#868e96",
    Status.REMOVED: "#495057",
    Status.OCCUPIED: "#7048e8",
}
LAND_USE_COLOURS = {
    UnitGrid.LandUse.RESIDENTIAL: "#ffe8cc",
    UnitGrid.LandUse.COMMERCIAL: "#ffdeeb",
    UnitGrid.LandUse.PUBLIC: "#d0ebff",
    UnitGrid.LandUse.INDUSTRIAL: "#e5dbff",
    UnitGrid.LandUse.ROAD: "#e9ecef",
    UnitGrid.LandUse.GREEN: "#d3f9d8",
    UnitGrid.LandUse.WATER: "#c5f6fa",
    UnitGrid.LandUse.OTHER: "#f8f9fa",
}


def _extent() -> list[list[float]] | None:
    """[[south, west], [north, east]] of the jurisdiction: the districts, else the grids."""
    for qs in (
        Division.objects.filter(level=Division.Level.DISTRICT),
        UnitGrid.objects.filter(valid_to=None),
    ):
        box = qs.aggregate(w=Min("min_lon"), s=Min("min_lat"), e=Max("max_lon"), n=Max("max_lat"))
        if box["w"] is not None:
            return [[box["s"], box["w"]], [box["n"], box["e"]]]
    return None


def _strings() -> dict[str, str]:
    return {
        "streets": _("Street boundaries"),
        "communities": _("Community boundaries"),
        "grids": _("Unit grids"),
        "roads": _("Roads"),
        "components": _("Components"),
        "zoomForGrids": _("Zoom in to see the unit grids."),
        "tooManyGrids": _("Too many unit grids in view: zoom in."),
        "grid": _("Unit grid"),
        "community": _("Community"),
        "street": _("Street"),
        "area": _("Area"),
        "landUse": _("Land use"),
        "managementLevel": _("Management level"),
        "responsible": _("Responsible body"),
        "territorial": _("The street (territorial fallback)"),
        "place": _("Place"),
        "component": _("Component"),
        "type": _("Type"),
        "status": _("Status"),
        "department": _("Competent department"),
        "code": _("Code"),
        "allTypes": _("All types"),
        "allStatuses": _("All statuses"),
        "search": _("Search an address or landmark"),
        "noResults": _("Nothing found."),
        "componentsUnavailable": _("The component layer is not available."),
        "loading": _("Loading…"),
        "clusterHint": _("Click a cluster to zoom in."),
        "m2": _("m²"),
    }


@login_required
def map_page(request):
    config = {
        "api": "/api/v1/geo",
        "componentsApi": "/api/v1/components",
        "catalogApi": "/api/v1/catalog",
        "basemap": {
            "url": settings.URBANGRID.get("BASEMAP_URL", ""),
            "attribution": settings.URBANGRID.get("BASEMAP_ATTRIBUTION", ""),
        },
        "extent": _extent(),
        "hasRoads": Road.objects.exists(),
        "gridMinZoom": GRID_MIN_ZOOM,
        "gridCodeZoom": GRID_CODE_ZOOM,
        "statuses": [{"value": s.value, "label": str(s.label), "colour": STATUS_COLOURS[s]} for s in Status],
        "landUseColours": {str(k): v for k, v in LAND_USE_COLOURS.items()},
        "strings": _strings(),
    }
    return render(request, "geo/map.html", {"map_config": config})
