"""What the command centre reads: the live cases on the map (points, or cells at low zoom),
the density layer, and the supervisors on duty, all inside the user's data scope.

Cases carry a Web-Mercator tile key (urbangrid.geo.tiles); a view box becomes a few key
ranges on the B-tree, and cells of any zoom are the key divided by a power of four, so the
aggregation is one GROUP BY on both databases, without the rows ever reaching Python.
"""

from dataclasses import dataclass
from datetime import datetime

from django.db.models import Avg, Count, F, Q, QuerySet, Value
from shapely.geometry import Point, Polygon
from shapely.prepared import prep

from urbangrid.accounts.models import Department
from urbangrid.accounts.permissions import scope_of
from urbangrid.cases import deadlines
from urbangrid.cases.models import OPEN_STATES, Case, State
from urbangrid.cases.queries import visible_cases
from urbangrid.core.errors import Invalid
from urbangrid.geo import tiles
from urbangrid.intake import duty

# The live map: every case that still needs someone (the closed wait only for archiving).
LIVE_STATES = sorted(OPEN_STATES - {State.CLOSED})
# Above this many cases in view, the map shows cells; below, every case as a point.
MAX_POINTS = 2000
# The cell of a low-zoom view: about 16 screen pixels (a zoom+4 tile).
CELL_ZOOM_STEP = 4


@dataclass
class Filters:
    area: str = ""  # a district, street, community or grid code (prefix)
    type: str = ""  # a type code, or a two-digit major class
    state: str = ""
    department: str = ""  # department code
    since: datetime | None = None  # reported at or after
    until: datetime | None = None  # reported before
    polygon: list[tuple[float, float]] | None = None  # (lon, lat) ring drawn on the map

    @classmethod
    def parse(cls, area="", type="", state="", department="", since=None, until=None, polygon=""):
        ring = None
        if polygon:
            try:
                values = [float(v) for v in polygon.split(",")]
            except ValueError as exc:
                raise Invalid("bad_polygon", "polygon must be lon,lat,lon,lat,…") from exc
            ring = list(zip(values[::2], values[1::2], strict=False))
            if len(values) % 2 or len(ring) < 3:
                raise Invalid("bad_polygon", "a polygon needs at least three lon,lat pairs")
        if state and state not in State.values:
            raise Invalid("unknown_state", "unknown case state", state=state)
        return cls(area.strip(), type.strip(), state, department.strip(), since, until, ring)


def live_cases(user, f: Filters | None = None) -> QuerySet:
    f = f or Filters()
    qs = visible_cases(user).filter(state__in=[f.state] if f.state else LIVE_STATES)
    if f.area:
        qs = qs.filter(grid_code__startswith=f.area)
    if f.type:
        qs = qs.filter(type__major_code=f.type) if len(f.type) == 2 else qs.filter(type__code=f.type)
    if f.department:
        qs = qs.filter(department__code=f.department)
    if f.since:
        qs = qs.filter(reported_at__gte=f.since)
    if f.until:
        qs = qs.filter(reported_at__lt=f.until)
    if f.polygon:
        lons, lats = [p[0] for p in f.polygon], [p[1] for p in f.polygon]
        qs = in_box(qs, (min(lons), min(lats), max(lons), max(lats)))
    return qs


def in_box(qs: QuerySet, box) -> QuerySet:
    w, s, e, n = box
    q = Q(pk__in=[])
    for lo, hi in tiles.key_ranges_for_box(w, s, e, n):
        q |= Q(tile_key__gte=lo, tile_key__lt=hi)
    return qs.filter(q, lon__gte=w, lon__lte=e, lat__gte=s, lat__lte=n)


def inside_polygon(cases, ring) -> list:
    shape = prep(Polygon(ring))
    return [c for c in cases if shape.contains(Point(c.lon, c.lat))]


def point(case: Case, now) -> dict:
    return {
        "number": case.number,
        "state": case.state,
        "state_label": str(case.get_state_display()),
        "type": case.type.code,
        "type_name": case.type.name,
        "lon": case.lon,
        "lat": case.lat,
        "grid": case.grid_code,
        "department": case.department.code if case.department_id else None,
        "department_name": case.department.name if case.department_id else None,
        "source": case.source,
        "step_due_at": case.step_due_at.isoformat() if case.step_due_at else None,
        "light": deadlines.light(case.step_due_at, case.step_warn_at, now),
        "address": case.address,
        "version": case.version,
    }


def cells(qs: QuerySet, zoom: int, now) -> list[dict]:
    """Cases counted per tile of `zoom`, with their mean position and how many are overdue."""
    zoom = max(0, min(zoom, tiles.KEY_ZOOM))
    divisor = 4 ** (tiles.KEY_ZOOM - zoom)
    rows = (
        qs.order_by()
        .annotate(cell=F("tile_key") / Value(divisor))
        .values("cell")
        .annotate(
            n=Count("id"),
            lon=Avg("lon"),
            lat=Avg("lat"),
            red=Count("id", filter=Q(step_due_at__lte=now)),
        )
    )
    out = []
    for r in rows:
        x, y = tiles.cell_tile(r["cell"], zoom)
        w, s, e, n = tiles.tile_bounds(zoom, x, y)
        out.append({"n": r["n"], "red": r["red"], "lon": r["lon"], "lat": r["lat"], "box": [w, s, e, n]})
    return out


def layer(user, f: Filters, box, zoom: int, now) -> dict:
    """The case layer for a map view: points when few enough, else cells. A count with a limit
    (it stops early, from the map index alone) decides, before any case row is read."""
    qs = live_cases(user, f)
    if box:
        qs = in_box(qs, box)
    if not f.polygon and qs.order_by()[: MAX_POINTS + 1].count() > MAX_POINTS:
        counted = cells(qs, zoom + CELL_ZOOM_STEP, now)
        return {"mode": "cells", "count": sum(c["n"] for c in counted), "cells": counted}
    found = list(qs.select_related("type", "department")[: MAX_POINTS + 1])
    if f.polygon:
        found = inside_polygon(found, f.polygon)
    return {"mode": "points", "count": len(found), "cases": [point(c, now) for c in found[:MAX_POINTS]]}


def density(user, f: Filters, zoom: int, now) -> list[dict]:
    """The density layer: live cases per cell, a few times coarser than the view's tiles."""
    return cells(live_cases(user, f), zoom + 2, now)


def supervisors(user) -> list[dict]:
    """Supervisors on duty with their last position, those whose position lies in the scope."""
    scope = scope_of(user)
    out = []
    for s in duty.on_duty_now():
        if scope.everything or (s["grid"] and scope.covers_area(s["grid"])):
            out.append({**s, "since": s["since"].isoformat(), "at": s["at"].isoformat() if s["at"] else None})
    return out


def departments(user) -> list[dict]:
    scope = scope_of(user)
    qs = Department.objects.filter(active=True).order_by("code")
    if not scope.everything:
        qs = qs.filter(pk__in=scope.department_ids)
    return list(qs.values("code", "name"))
