"""Supervisors on and off duty (上岗/下岗) and the positions their field app sends while on duty.

Positions are many (one per supervisor every 30 s) and not an action on anyone's data, so
they are stored without an audit record each; going on and off duty is audited."""

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db import transaction
from django.db.models import OuterRef, Subquery
from django.utils.translation import gettext_lazy as _

from urbangrid.accounts import permissions
from urbangrid.accounts.models import Role
from urbangrid.audit import services as audit
from urbangrid.core import clock, events
from urbangrid.core.errors import Conflict, Invalid
from urbangrid.geo import geocoding

from .models import DutyShift, Position

permissions.register("field.duty", Role.SUPERVISOR)

# A phone's clock may be a little ahead; a point much further in the future is a broken clock.
MAX_CLOCK_SKEW = timedelta(minutes=5)
MAX_POINTS_PER_CALL = 500


@dataclass(frozen=True)
class Point:
    at: datetime
    lon: float
    lat: float
    accuracy: float | None = None


def current_shift(user) -> DutyShift | None:
    return DutyShift.objects.filter(user=user, ended_at__isnull=True).first()


@transaction.atomic
def go_on_duty(user) -> DutyShift:
    permissions.require(user, "field.duty")
    shift = current_shift(user)
    if shift is not None:
        return shift  # a repeated tap (or a resend after a lost reply) is not a second shift
    shift = DutyShift.objects.create(user=user, started_at=clock.now())
    audit.append(user, "field.on_duty", "user", user.username, {}, role=Role.SUPERVISOR)
    events.publish_on_commit("supervisor.on_duty", {"user": user.username, "name": str(user)})
    return shift


@transaction.atomic
def go_off_duty(user) -> DutyShift | None:
    permissions.require(user, "field.duty")
    shift = DutyShift.objects.select_for_update().filter(user=user, ended_at__isnull=True).first()
    if shift is None:
        return None
    shift.ended_at = clock.now()
    shift.save(update_fields=["ended_at"])
    audit.append(user, "field.off_duty", "user", user.username, {}, role=Role.SUPERVISOR)
    events.publish_on_commit("supervisor.off_duty", {"user": user.username, "name": str(user)})
    return shift


@transaction.atomic
def record_positions(user, points: list[Point]) -> int:
    """Store the points of the user's open shift; returns how many were stored. A batch may be
    a queue the phone kept while it had no signal, so points may be minutes old."""
    permissions.require(user, "field.duty")
    if len(points) > MAX_POINTS_PER_CALL:
        raise Invalid(
            "too_many_points", _("Send at most 500 positions at a time."), limit=MAX_POINTS_PER_CALL
        )
    shift = current_shift(user)
    if shift is None:
        raise Conflict("not_on_duty", _("Go on duty before sending positions."))
    now = clock.now()
    kept = []
    for p in points:
        if not (-180 <= p.lon <= 180 and -90 <= p.lat <= 90):
            raise Invalid(
                "bad_position", _("A position is not a valid longitude/latitude."), lon=p.lon, lat=p.lat
            )
        if p.at > now + MAX_CLOCK_SKEW:
            raise Invalid(
                "position_in_future", _("A position's time lies in the future."), at=p.at.isoformat()
            )
        if p.at >= shift.started_at - MAX_CLOCK_SKEW:  # older: an earlier shift's leftovers
            kept.append(p)
    # One vectorised lookup for the batch: every supervisor sends a batch every half minute.
    places = geocoding.locate_many([p.lon for p in kept], [p.lat for p in kept]) if kept else []
    rows = [
        Position(
            user=user,
            shift=shift,
            at=p.at,
            lon=p.lon,
            lat=p.lat,
            accuracy=p.accuracy,
            grid_code=place.grid_code if place else "",
        )
        for p, place in zip(kept, places, strict=True)
    ]
    Position.objects.bulk_create(rows)
    if rows:
        last = max(rows, key=lambda r: r.at)
        events.publish_on_commit(
            "supervisor.position",
            {
                "user": user.username,
                "name": str(user),
                "lon": last.lon,
                "lat": last.lat,
                "at": last.at.isoformat(),
                "grid": last.grid_code,
            },
        )
    return len(rows)


def on_duty_now() -> list[dict]:
    """Every supervisor on duty with the last known position (None before the first fix)."""
    last = Position.objects.filter(shift=OuterRef("pk")).order_by("-at")
    shifts = (
        DutyShift.objects.filter(ended_at__isnull=True)
        .select_related("user")
        .annotate(**{f: Subquery(last.values(f)[:1]) for f in ("lon", "lat", "at", "grid_code")})
        .order_by("user__username")
    )
    return [
        {
            "user": s.user.username,
            "name": str(s.user),
            "since": s.started_at,
            "lon": s.lon,
            "lat": s.lat,
            "at": s.at,
            "grid": s.grid_code or "",
        }
        for s in shifts
    ]


def track(user, day_start: datetime, day_end: datetime) -> list[Position]:
    return list(Position.objects.filter(user=user, at__gte=day_start, at__lt=day_end).order_by("at"))
