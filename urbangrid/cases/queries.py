"""Read side of cases: what a user may see, their to-do queue, and possible duplicates."""

import math
from datetime import timedelta

from django.db.models import Count, F, Q, QuerySet

from urbangrid.accounts.models import Role
from urbangrid.accounts.permissions import scope_of
from urbangrid.core import clock
from urbangrid.geo import tiles

from .models import OPEN_STATES, Case, Request, State

# What each role has to do: the states of its queue and whether the queue is personal.
QUEUES = {
    Role.INTAKE: [State.REPORTED],
    Role.SUPERVISOR: [State.VERIFYING, State.CHECKING],
    Role.SHIFT_LEADER: [State.FILING, State.CLOSING],
    Role.DISPATCHER: [State.DISPATCHING, State.SUSPENDED],
    Role.DISPOSER: [State.DISPOSING, State.SUSPENDED],
    Role.LEADER: [State.DISPOSING, State.DISPATCHING, State.CHECKING],
}


def _area_q(codes) -> Q:
    q = Q(pk__in=[])
    for code in codes:
        q |= Q(grid_code__startswith=code)
    return q


def visible_cases(user) -> QuerySet:
    """Every case the user may read: the whole jurisdiction for centre roles, their areas
    (streets, communities, responsibility grids) otherwise, their department's cases, and the
    cases they reported or were sent to."""
    qs = Case.objects.all()
    scope = scope_of(user)
    if scope.everything:
        return qs
    q = Q(reporter=user) | Q(assignee=user) | _area_q(scope.division_codes)
    if scope.department_ids:
        q |= Q(department_id__in=scope.department_ids)
    return qs.filter(q)


def queue(user, role: str, *, filters: dict | None = None) -> QuerySet:
    """The to-do list of one of the user's roles, most urgent first (least time left)."""
    if role not in user.roles and not user.has_role(Role.ADMIN):
        return Case.objects.none()
    qs = visible_cases(user).filter(state__in=QUEUES.get(role, []))
    if role == Role.SUPERVISOR:
        qs = qs.filter(assignee=user)
    elif role == Role.DISPOSER:
        qs = qs.filter(department_id=user.department_id)
    elif role == Role.LEADER:
        qs = qs.filter(step_due_at__lte=clock.now())
    filters = filters or {}
    if filters.get("type"):
        qs = qs.filter(type__code=filters["type"])
    if filters.get("street"):
        qs = qs.filter(street_code=filters["street"])
    if filters.get("source"):
        qs = qs.filter(source=filters["source"])
    if filters.get("urgency"):
        qs = qs.filter(urgency=filters["urgency"])
    if filters.get("state"):
        qs = qs.filter(state=filters["state"])
    light = filters.get("light")
    now = clock.now()
    if light == "red":
        qs = qs.filter(step_due_at__lte=now)
    elif light == "yellow":
        qs = qs.filter(step_warn_at__lte=now, step_due_at__gt=now)
    elif light == "green":
        qs = qs.filter(Q(step_warn_at__gt=now) | Q(step_due_at__isnull=True))
    order = filters.get("order") or "due"
    # Least time left first; cases without a deadline (挂账) last, which SQLite would put first.
    by_due = [F("step_due_at").asc(nulls_last=True), "id"]
    ordering = {"due": by_due, "new": ["-reported_at", "-id"], "old": ["reported_at", "id"]}.get(
        order, by_due
    )
    return qs.select_related("type", "department", "assignee", "holder").order_by(*ordering)


def queue_counts(user) -> dict[str, dict]:
    """Per role of the user: how many cases wait, and how many are yellow and red."""
    now = clock.now()
    out = {}
    for role in sorted(user.roles & set(QUEUES)):
        agg = (
            queue(user, role)
            .order_by()
            .aggregate(
                total=Count("id"),
                yellow=Count("id", filter=Q(step_warn_at__lte=now, step_due_at__gt=now)),
                red=Count("id", filter=Q(step_due_at__lte=now)),
            )
        )
        out[role] = agg
    if user.has_role(Role.SHIFT_LEADER, Role.LEADER):
        out["requests"] = {"total": pending_requests(user).count()}
    return out


def pending_requests(user) -> QuerySet:
    roles = set(user.roles)
    qs = Request.objects.filter(status=Request.Status.PENDING).select_related(
        "case", "case__department", "reason", "requested_by"
    )
    if not user.has_role(Role.ADMIN):
        qs = qs.filter(approver_role__in=roles)
    return qs.filter(case__in=visible_cases(user)).order_by("requested_at")


def distance_m(lon1, lat1, lon2, lat2) -> float:
    r = 6371008.8
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * r * math.asin(math.sqrt(a))


def possible_duplicates(case: Case, user, limit: int = 20) -> list[tuple[Case, float]]:
    """Open cases the user may see, of the same type or major class near this one, reported
    within the type's window, nearest first (FixMyStreet's nearby search, on our tile keys)."""
    radius = case.type.duplicate_radius_m
    window = timedelta(hours=case.type.duplicate_window_hours)
    dlat = radius / 111_320
    dlon = radius / (111_320 * max(math.cos(math.radians(case.lat)), 0.01))
    q = Q()
    for lo, hi in tiles.key_ranges_for_box(
        case.lon - dlon, case.lat - dlat, case.lon + dlon, case.lat + dlat
    ):
        q |= Q(tile_key__gte=lo, tile_key__lt=hi)
    candidates = (
        visible_cases(user)
        .filter(
            q,
            state__in=OPEN_STATES,
            type__major_code=case.type.major_code,
            reported_at__gte=case.reported_at - window,
            reported_at__lte=case.reported_at + window,
        )
        .exclude(pk=case.pk)
        .select_related("type")
        .prefetch_related("photos")
    )
    found = []
    for other in candidates:
        d = distance_m(case.lon, case.lat, other.lon, other.lat)
        if d <= radius:
            found.append((other, d))
    found.sort(key=lambda pair: (pair[0].type_id != case.type_id, pair[1]))
    return found[:limit]
