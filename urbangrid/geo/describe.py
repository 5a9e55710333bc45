"""Point → a description of the place that a person on the street understands, in the order
field staff describe places themselves: a road intersection nearby ("人民路与建设路交叉口东北约40米"),
else the nearest door plate ("人民路12号附近"), else a landmark with direction and distance
("县人民医院东约120米"), else the community and unit grid.
"""

import math

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from . import gazetteer, geocoding

INTERSECTION_RADIUS_M = 80.0
DOORPLATE_RADIUS_M = 50.0
LANDMARK_RADIUS_M = 500.0
# Closer than this a direction and distance would be noise: the point is "at" the place.
AT_M = 10.0

# Counter-clockwise from east, one per 45° sector.
COMPASS = [
    gettext_lazy("east"),
    gettext_lazy("north-east"),
    gettext_lazy("north"),
    gettext_lazy("north-west"),
    gettext_lazy("west"),
    gettext_lazy("south-west"),
    gettext_lazy("south"),
    gettext_lazy("south-east"),
]


def compass(dx: float, dy: float) -> str:
    """The 8-point compass word for an offset (dx east, dy north, in metres)."""
    angle = math.degrees(math.atan2(dy, dx)) % 360.0
    return str(COMPASS[int((angle + 22.5) // 45.0) % 8])


def rounded(distance_m: float) -> int:
    return int(round(distance_m / 10.0) * 10)


def describe(lon: float, lat: float) -> str:
    """The description of a WGS84 point; OutsideJurisdiction when it lies in no grid and no
    gazetteer place is near."""
    idx = gazetteer.index().nearby
    x, y = idx.project(lon, lat)
    hit = idx.nearest_intersection(x, y, INTERSECTION_RADIUS_M)
    if hit:
        (first, second), dx, dy = hit
        place = _("%(first)s and %(second)s intersection") % {"first": first, "second": second}
        return _relative(place, -dx, -dy)
    hit = idx.nearest_doorplate(x, y, DOORPLATE_RADIUS_M)
    if hit:
        return _("near %(place)s") % {"place": hit[0]}
    hit = idx.nearest_landmark(x, y, LANDMARK_RADIUS_M)
    if hit:
        name, dx, dy = hit
        return _relative(name, -dx, -dy)
    loc = geocoding.locate(lon, lat)
    return _("%(community)s, unit grid %(grid)s") % {"community": loc.community.name, "grid": loc.grid_code}


def _relative(place: str, dx: float, dy: float) -> str:
    """`place` with the direction and distance of the point from it (dx, dy: metres from
    the place to the point)."""
    distance = math.hypot(dx, dy)
    if distance < AT_M:
        return _("at %(place)s") % {"place": place}
    return _("%(place)s, %(direction)s about %(distance)s m") % {
        "place": place,
        "direction": compass(dx, dy),
        "distance": rounded(distance),
    }
