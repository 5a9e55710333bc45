"""The maps of the citizen pages: the county's outline and streets as the background (plus the
configured base map), address search in the gazetteer, and the page's settings."""

import shapely
from django.conf import settings
from django.db.models import Max, Min
from django.urls import reverse
from django.utils.translation import gettext as _

from urbangrid.geo import gazetteer
from urbangrid.geo.models import Division, Road

SIMPLIFY_DEGREES = 0.0001  # about 10 m: outlines for orientation, light enough for a phone


def extent() -> list[list[float]] | None:
    box = Division.objects.filter(parent__isnull=True).aggregate(
        w=Min("min_lon"), s=Min("min_lat"), e=Max("max_lon"), n=Max("max_lat")
    )
    return [[box["s"], box["w"]], [box["n"], box["e"]]] if box["w"] is not None else None


def _feature(geometry, **properties) -> dict:
    geom = shapely.simplify(geometry, SIMPLIFY_DEGREES, preserve_topology=True)
    return {"type": "Feature", "geometry": shapely.geometry.mapping(geom), "properties": properties}


def areas() -> dict:
    """GeoJSON of the county (or counties), their streets and the gazetteer's roads: enough
    to find one's way where no base map is configured."""
    features = [
        _feature(d.geometry, name=d.name, level=d.level)
        for d in Division.objects.filter(level__lte=Division.Level.STREET).order_by("level", "code")
    ]
    features += [_feature(r.geometry, name=r.name, road=r.kind) for r in Road.objects.all()]
    return {"type": "FeatureCollection", "features": features}


def geocode(text: str, limit: int = 8) -> list[dict]:
    """Address candidates inside the county, best first (a place outside cannot be reported)."""
    text = (text or "").strip()[:100]
    if not text:
        return []
    return [
        {"label": c.label, "lon": c.lon, "lat": c.lat}
        for c in gazetteer.search(text, limit)
        if c.location is not None
    ]


def config() -> dict:
    return {
        "basemap": {
            "url": settings.URBANGRID.get("BASEMAP_URL", ""),
            "attribution": settings.URBANGRID.get("BASEMAP_ATTRIBUTION", ""),
        },
        "extent": extent(),
        "areasUrl": reverse("citizen:areas"),
        "pointsUrl": reverse("citizen:map_data"),
        "geocodeUrl": reverse("citizen:geocode"),
        "typesUrl": reverse("citizen:types"),
        "strings": {
            "locating": _("Finding your position…"),
            "noGps": _("Your position is not available; tap the map or search an address."),
            "outside": _("This place is outside the area we serve."),
            "noResults": _("Nothing found; try another address or tap the map."),
            "here": _("The problem is here"),
            "reported": _("Reported"),
        },
    }
