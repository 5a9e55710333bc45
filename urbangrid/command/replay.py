"""A past day on the map: which cases were live and in which state at each moment, where the
supervisors walked, and which of their responsibility grids they covered (the patrol view).

The timeline (CaseAction) is the record: the state at a moment is the `to_state` of the last
action before it. A case untouched all day (updated before the day began) kept its state, so
only the cases touched that day need their history read.
"""

import math
from collections import defaultdict

from django.db.models import Q

from urbangrid.accounts.models import Role, User
from urbangrid.accounts.permissions import scope_of
from urbangrid.cases.models import CaseAction
from urbangrid.cases.queries import visible_cases
from urbangrid.geo.models import ResponsibilityGrid
from urbangrid.intake.models import Position

from .figures import day_bounds
from .queries import LIVE_STATES

# Track points closer in time than this are thinned out: a day's walk stays a few hundred points.
TRACK_STEP_S = 60


def cases_of_day(user, day) -> list[dict]:
    """Every case live at some moment of the day, with its state changes: `states` is a list of
    [iso time, state], the first one at or before the day's start when the case existed then."""
    start, end = day_bounds(day)
    qs = (
        visible_cases(user)
        .filter(reported_at__lt=end)
        .filter(Q(updated_at__gte=start) | Q(state__in=LIVE_STATES))
        .select_related("type")
    )
    cases = {c.pk: c for c in qs}
    changes = defaultdict(list)
    touched = [pk for pk, c in cases.items() if c.updated_at >= start]
    for case_id, at, to_state in (
        CaseAction.objects.filter(case_id__in=touched, at__lt=end)
        .order_by("case_id", "at", "id")
        .values_list("case_id", "at", "to_state")
        .iterator()
    ):
        changes[case_id].append((at, to_state))
    out = []
    for pk, case in cases.items():
        if pk in changes:
            history = changes[pk]
            before = [h for h in history if h[0] < start]
            during = [h for h in history if h[0] >= start]
            states = ([(start, before[-1][1])] if before else []) + during
        else:
            states = [(start, case.state)]
        if not any(state in LIVE_STATES for _at, state in states):
            continue  # closed or refused before the day began
        out.append(
            {
                "number": case.number,
                "type": case.type.code,
                "type_name": case.type.name,
                "lon": case.lon,
                "lat": case.lat,
                "grid": case.grid_code,
                "states": [[at.isoformat(), state] for at, state in states],
            }
        )
    return sorted(out, key=lambda c: c["number"])


def _thin(points, step_s: int = TRACK_STEP_S) -> list:
    kept, last = [], None
    for p in points:
        if last is None or (p.at - last).total_seconds() >= step_s:
            kept.append(p)
            last = p.at
    if points and kept[-1] is not points[-1]:
        kept.append(points[-1])
    return kept


def _metres(a, b) -> float:
    k = math.cos(math.radians((a.lat + b.lat) / 2))
    return math.hypot((b.lon - a.lon) * k, b.lat - a.lat) * 111_320


def tracks(user, day, username: str = "") -> list[dict]:
    """Each supervisor's walk that day, with the grids of their responsibility they walked."""
    start, end = day_bounds(day)
    scope = scope_of(user)
    qs = Position.objects.filter(at__gte=start, at__lt=end).select_related("user").order_by("user_id", "at")
    if username:
        qs = qs.filter(user__username=username)
    by_user = defaultdict(list)
    for p in qs.iterator():
        by_user[p.user_id].append(p)
    duties = defaultdict(set)
    for rg in ResponsibilityGrid.objects.filter(supervisors__in=list(by_user)).prefetch_related(
        "supervisors"
    ):
        for sup in rg.supervisors.all():
            duties[sup.pk].update(rg.grid_codes)
    out = []
    for user_id, points in by_user.items():
        walked = {p.grid_code for p in points if p.grid_code}
        if not scope.everything and not any(scope.covers_area(g) for g in walked | duties[user_id]):
            continue
        own = duties[user_id]
        supervisor = points[0].user
        out.append(
            {
                "user": supervisor.username,
                "name": str(supervisor),
                "points": [[p.at.isoformat(), p.lon, p.lat] for p in _thin(points)],
                "km": round(sum(_metres(a, b) for a, b in zip(points, points[1:], strict=False)) / 1000, 2),
                "grids": sorted(own),
                "walked": sorted(walked),
                "coverage": round(100 * len(walked & own) / len(own), 1) if own else None,
            }
        )
    return sorted(out, key=lambda t: t["user"])


def supervisors_in_scope(user) -> list[dict]:
    scope = scope_of(user)
    out = []
    for sup in User.objects.filter(is_active=True, role_grants__role=Role.SUPERVISOR).order_by("username"):
        if scope.everything or scope.covers_department(sup.department_id):
            out.append({"username": sup.username, "name": str(sup)})
    return out
