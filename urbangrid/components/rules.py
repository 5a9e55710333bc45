"""What the component services and the importer share: the actions and who may do them, and
the checks of geometry and plain values."""

import shapely
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from urbangrid.accounts import permissions
from urbangrid.accounts.models import Role
from urbangrid.core import clock
from urbangrid.core.errors import Invalid

from .models import GeometryType

STAFF_ROLES = (
    Role.SUPERVISOR,
    Role.INTAKE,
    Role.SHIFT_LEADER,
    Role.DISPATCHER,
    Role.DISPOSER,
    Role.LEADER,
    Role.ADMIN,
)
permissions.register("component.view", *STAFF_ROLES)
permissions.register("component.register", Role.ADMIN)
permissions.register("component.update", Role.ADMIN)
permissions.register("component.import", Role.ADMIN)
# Field staff report what they find on site; departments report on what they own or maintain.
permissions.register("component.change_status", Role.ADMIN, Role.SUPERVISOR, Role.DISPOSER)
permissions.register("component.add_photo", Role.ADMIN, Role.SUPERVISOR, Role.DISPOSER)


def require(actor, action: str, **scope) -> None:
    """permissions.require, except that `None` is the system itself (the demo builder, console
    commands), which answers to no role."""
    if actor is not None:
        permissions.require(actor, action, **scope)


def scope_of(actor) -> permissions.Scope:
    return permissions.Scope(everything=True) if actor is None else permissions.scope_of(actor)


GEOMETRY_TYPES = {
    "Point": GeometryType.POINT,
    "LineString": GeometryType.LINE,
    "MultiLineString": GeometryType.LINE,
    "Polygon": GeometryType.POLYGON,
    "MultiPolygon": GeometryType.POLYGON,
}
MAX_NOTE = 1000


def today():
    return timezone.localdate(clock.now())


def check_geometry(geom) -> str:
    """Our geometry type of a WGS84 shape, or Invalid when it is empty, broken or off the globe."""
    if not isinstance(geom, shapely.Geometry) or geom.is_empty or geom.geom_type not in GEOMETRY_TYPES:
        raise Invalid("bad_geometry", _("A point, line or polygon is required."))
    if not geom.is_valid:
        raise Invalid(
            "bad_geometry",
            _("The geometry is not valid: %(reason)s") % {"reason": shapely.is_valid_reason(geom)},
        )
    x0, y0, x1, y1 = geom.bounds
    if not (-180 <= x0 <= x1 <= 180 and -90 <= y0 <= y1 <= 90):
        raise Invalid("bad_geometry", _("Coordinates are longitude and latitude in degrees."))
    return GEOMETRY_TYPES[geom.geom_type]


def anchor(geom) -> shapely.Point:
    """The point that stands for a shape on the map and in grid look-ups."""
    return geom if geom.geom_type == "Point" else geom.representative_point()


def clean_note(note) -> str:
    note = str(note or "").strip()
    if len(note) > MAX_NOTE:
        raise Invalid("note_too_long", _("The note is longer than 1000 characters."))
    return note
