"""The big screen's figures around the map: today's counts, the top problem types, the
departments' red and black lists and the 7/30-day trends, inside the user's data scope.
Days are Shanghai calendar days."""

import hashlib
from datetime import datetime, time, timedelta

from django.core.cache import cache
from django.db.models import Count, Q
from django.db.models.functions import TruncDate
from django.utils import timezone

from urbangrid.accounts.permissions import scope_of
from urbangrid.cases.models import CaseAction, CaseStep, Source, State
from urbangrid.cases.queries import visible_cases
from urbangrid.evaluation import ranking

from .queries import LIVE_STATES

LIST_LENGTH = 5
BOARD_SECONDS = 5


def day_bounds(day) -> tuple[datetime, datetime]:
    start = timezone.make_aware(datetime.combine(day, time.min))
    return start, start + timedelta(days=1)


def today(user, now) -> dict:
    start, end = day_bounds(timezone.localtime(now).date())
    cases = visible_cases(user)
    by_channel = dict(
        cases.filter(reported_at__gte=start, reported_at__lt=end)
        .order_by()
        .values_list("source")
        .annotate(n=Count("id"))
    )
    steps = CaseStep.objects.filter(case__in=cases, finished_at__gte=start, finished_at__lt=end)
    finished = steps.exclude(on_time=None).aggregate(
        all=Count("id"), on_time=Count("id", filter=Q(on_time=True))
    )
    return {
        "reported": sum(by_channel.values()),
        "channels": [
            {"source": s.value, "label": str(s.label), "n": by_channel.get(s.value, 0)} for s in Source
        ],
        "filed": cases.filter(filed_at__gte=start, filed_at__lt=end).count(),
        "dispatched": CaseAction.objects.filter(
            case__in=cases, action="dispatch", at__gte=start, at__lt=end
        ).count(),
        "closed": cases.filter(closed_at__gte=start, closed_at__lt=end).count(),
        "on_time_rate": round(100 * finished["on_time"] / finished["all"], 1) if finished["all"] else None,
        "live": cases.filter(state__in=LIVE_STATES).count(),
        "overdue": cases.filter(state__in=LIVE_STATES, step_due_at__lte=now)
        .exclude(state=State.SUSPENDED)
        .count(),
    }


def top_types(user, now, days: int = 7) -> list[dict]:
    start = now - timedelta(days=days)
    rows = (
        visible_cases(user)
        .filter(reported_at__gte=start)
        .order_by()
        .values("type__code", "type__name")
        .annotate(n=Count("id"))
        .order_by("-n", "type__code")[: LIST_LENGTH * 2]
    )
    return [{"code": r["type__code"], "name": r["type__name"], "n": r["n"]} for r in rows]


def red_black(user, now) -> dict:
    """This month's best (red list) and worst (black list) departments by evaluation score."""
    start = timezone.localtime(now).replace(day=1, hour=0, minute=0, second=0, microsecond=0)
    scored = [i for i in ranking.evaluate("department", start, now, scope_of(user)) if i["score"] is not None]

    def row(item):
        return {"name": item["subject"]["name"], "score": item["score"], "grade": item["grade_label"]}

    red = [row(i) for i in scored[:LIST_LENGTH]]
    black = [row(i) for i in reversed(scored[-LIST_LENGTH:])] if len(scored) > LIST_LENGTH else []
    return {"red": red, "black": black}


def trend(user, now, days: int) -> dict:
    """Reported and closed cases per day for the last `days` days (today included)."""
    first = timezone.localtime(now).date() - timedelta(days=days - 1)
    start, _ = day_bounds(first)
    cases = visible_cases(user)

    def per_day(field):
        rows = (
            cases.filter(**{f"{field}__gte": start})
            .order_by()
            .annotate(day=TruncDate(field, tzinfo=timezone.get_current_timezone()))
            .values("day")
            .annotate(n=Count("id"))
        )
        return {r["day"]: r["n"] for r in rows}

    reported, closed = per_day("reported_at"), per_day("closed_at")
    dates = [first + timedelta(days=n) for n in range(days)]
    return {
        "days": [d.strftime("%m-%d") for d in dates],
        "reported": [reported.get(d, 0) for d in dates],
        "closed": [closed.get(d, 0) for d in dates],
    }


def board(user, now) -> dict:
    """Every figure of the screen, kept a few seconds per data scope: each event burst makes
    every open screen ask again, and 200 screens of the same scope need one computation."""
    scope = scope_of(user)
    # The application clock's bucket is in the key: a clock moved on (tests, the demo) is a new board.
    bucket = int(now.timestamp() // BOARD_SECONDS)
    scope_key = (bucket, scope.everything, sorted(scope.division_codes), sorted(scope.department_ids))
    key = "command.board:" + hashlib.sha1(repr(scope_key).encode()).hexdigest()
    found = cache.get(key)
    if found is None:
        found = _board(user, now)
        cache.set(key, found, BOARD_SECONDS)
    return found


def _board(user, now) -> dict:
    return {
        "today": today(user, now),
        "top_types": top_types(user, now),
        "lists": red_black(user, now),
        "trend7": trend(user, now, 7),
        "trend30": trend(user, now, 30),
    }
