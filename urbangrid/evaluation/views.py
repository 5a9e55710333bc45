"""The leader's ranking page (红黑榜) at /evaluation/ and the list of the cases behind every
number at /evaluation/cases/. Leaders and administrators only, scoped as the API is: a leader of
one department sees that department's part. Pages read; they change nothing."""

from datetime import date, timedelta
from zoneinfo import ZoneInfo

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from urbangrid.accounts import permissions
from urbangrid.accounts.models import Department
from urbangrid.core import clock
from urbangrid.core.errors import Invalid, NotFound, PermissionDenied, ServiceError
from urbangrid.geo.models import Division

from . import charts, figures
from . import indicators as ind
from .api import period
from .columns import RATES, labelled
from .figures import add_months
from .ranking import KINDS, USER_KINDS, evaluate

PAGE_SIZE = 500
TREND_MONTHS = 6
TREND_DEPARTMENTS = 8
HIGHLIGHT = 3  # at most this many rows at each end of a table are 红榜 / 黑榜

KIND_LABELS = {
    "department": gettext_lazy("Disposal departments"),
    "street": gettext_lazy("Streets"),
    "community": gettext_lazy("Communities"),
    "supervisor": gettext_lazy("Field supervisors"),
    "intake": gettext_lazy("Intake operators"),
    "shift_leader": gettext_lazy("Shift leaders"),
    "dispatcher": gettext_lazy("Dispatchers"),
}
PERIOD_KINDS = [
    ("month", gettext_lazy("Month")),
    ("quarter", gettext_lazy("Quarter")),
    ("year", gettext_lazy("Year")),
    ("custom", gettext_lazy("Date range")),
]


def _refused(request, exc: ServiceError):
    return render(request, "evaluation/refused.html", {"error": exc}, status=exc.status)


def _require_view(user) -> None:
    if not permissions.has_action(user, "evaluation.view"):
        raise PermissionDenied(
            "role_not_allowed", _("Your role does not allow this action."), action="evaluation.view"
        )


# ---------------------------------------------------------------- periods


def _bad(value: str):
    return Invalid("bad_period", _("This period cannot be read."), value=value)


def choose_period(params, today: date) -> dict:
    """The period the form asks for, as dates [start, end) and the previous period of the same
    length: the previous month, quarter or year, or the same number of days before a range."""
    kind = params.get("period") or "month"
    this_month = today.replace(day=1)
    form = {"period": kind}
    try:
        if kind == "month":
            default = add_months(this_month, -1)
            text = params.get("month") or default.strftime("%Y-%m")
            year, month = (int(x) for x in text.split("-"))
            start = date(year, month, 1)
            end, previous = add_months(start, 1), add_months(start, -1)
            form["month"] = start.strftime("%Y-%m")
        elif kind == "quarter":
            default = add_months(this_month, -((this_month.month - 1) % 3) - 3)
            text = params.get("quarter") or f"{default.year}-Q{(default.month - 1) // 3 + 1}"
            year, q = text.upper().split("-Q")
            if int(q) not in (1, 2, 3, 4):
                raise ValueError(text)
            start = date(int(year), 3 * int(q) - 2, 1)
            end, previous = add_months(start, 3), add_months(start, -3)
            form["quarter"] = f"{start.year}-Q{q}"
        elif kind == "year":
            start = date(int(params.get("year") or today.year - 1), 1, 1)
            end, previous = date(start.year + 1, 1, 1), date(start.year - 1, 1, 1)
            form["year"] = start.year
        elif kind == "custom":
            start = date.fromisoformat(params.get("from", ""))
            last = date.fromisoformat(params.get("to", ""))
            end = last + timedelta(days=1)
            previous = start - (end - start)
            form.update({"from": start.isoformat(), "to": last.isoformat()})
        else:
            raise ValueError(kind)
    except (TypeError, ValueError) as exc:
        raise _bad(kind) from exc
    period(start.isoformat(), end.isoformat())  # the API's checks: order, at most a year
    return {
        "start": start,
        "end": end,
        "last": end - timedelta(days=1),
        "previous": (previous, start),
        "form": form,
    }


def _years(today: date) -> list[int]:
    return list(range(today.year, today.year - 6, -1))


# ---------------------------------------------------------------- the ranking page


def _subject_key(kind: str, subject: dict):
    return subject["code"] if kind in ("street", "community") else subject["id"]


def _number(name: str, value):
    if value is None:
        return "—"
    if name in RATES:
        return f"{value:.2f}%"
    if isinstance(value, float):
        return f"{value:.2f}"
    return str(value)


def cases_url(kind: str, subject, indicator: str, start: date, end: date) -> str:
    query = {"kind": kind, "subject": subject, "indicator": indicator, "start": start, "end": end}
    return reverse("evaluation:cases") + "?" + urlencode(query)


def _table(kind: str, items: list[dict], previous: list[dict], start: date, end: date) -> dict:
    before = {_subject_key(kind, i["subject"]): i["score"] for i in previous}
    ranked = sum(1 for i in items if i["rank"] is not None)
    marked = min(HIGHLIGHT, ranked // 2)
    rows = []
    for item in items:
        key = _subject_key(kind, item["subject"])
        old = before.get(key)
        delta = round(item["score"] - old, 2) if item["score"] is not None and old is not None else None
        rank = item["rank"]
        honour = ""
        if rank is not None and rank <= marked:
            honour = "red"
        elif rank is not None and rank > ranked - marked:
            honour = "black"
        cells = [
            {
                "name": name,
                "text": _number(name, item["indicators"].get(name)),
                "url": cases_url(kind, key, name, start, end),
            }
            for name, _label in labelled(kind)
        ]
        rows.append({**item, "key": key, "cells": cells, "delta": delta, "honour": honour})
    return {"kind": kind, "label": KIND_LABELS[kind], "columns": labelled(kind), "rows": rows}


def department_trend(last_month: date, scope) -> dict:
    """按期处置率 per month over the six months ending with `last_month`, for the eight departments
    (in scope) with the most disposal steps due over those months."""
    months = [add_months(last_month, -n) for n in range(TREND_MONTHS - 1, -1, -1)]
    per_month = [
        figures.values("department", *period(m.isoformat(), add_months(m, 1).isoformat()))[0] for m in months
    ]
    volume: dict[int, int] = {}
    for values in per_month:
        for dept, row in values.items():
            if scope.covers_department(dept):
                volume[dept] = volume.get(dept, 0) + row["due"]
    top = sorted((d for d in volume if volume[d]), key=lambda d: (-volume[d], d))[:TREND_DEPARTMENTS]
    names = dict(Department.objects.filter(pk__in=top).values_list("pk", "name"))
    return {
        "months": [m.strftime("%Y-%m") for m in months],
        "series": [
            {
                "name": names.get(d, str(d)),
                "data": [values.get(d, {}).get("on_time_rate") for values in per_month],
            }
            for d in top
        ],
    }


def _charts(last_month: date, began, ended, scope) -> dict:
    months = [add_months(last_month, -n) for n in range(TREND_MONTHS - 1, -1, -1)]
    periods = [period(m.isoformat(), add_months(m, 1).isoformat()) for m in months]
    return {
        "area_trend": charts.area_trend(months, periods, scope),
        "types": charts.problem_types(began, ended, scope),
        "channels": charts.channels(began, ended, scope),
    }


@login_required
def ranking_page(request):
    user = request.user
    today = clock.now().astimezone(ZoneInfo(settings.TIME_ZONE)).date()
    try:
        _require_view(user)
        chosen = choose_period(request.GET, today)
    except ServiceError as exc:
        return _refused(request, exc)
    start, end = chosen["start"], chosen["end"]
    scope = permissions.scope_of(user)
    began, ended = period(start.isoformat(), end.isoformat())
    before = period(*(d.isoformat() for d in chosen["previous"]))
    tables = [
        _table(kind, evaluate(kind, began, ended, scope), evaluate(kind, *before, scope), start, end)
        for kind in KINDS
    ]
    context = {
        "chosen": chosen,
        "form": chosen["form"],
        "period_kinds": PERIOD_KINDS,
        "years": _years(today),
        "quarters": [f"{y}-Q{q}" for y in _years(today) for q in (4, 3, 2, 1)],
        "tables": tables,
        "counted_at": figures.counted_at(began, ended),
        "trend": department_trend(chosen["last"].replace(day=1), scope),
        **_charts(chosen["last"].replace(day=1), began, ended, scope),
    }
    return render(request, "evaluation/ranking.html", context)


# ---------------------------------------------------------------- the cases behind a number


def _subject_name(kind: str, subject) -> str:
    if kind == "department":
        return Department.objects.filter(pk=subject).values_list("name", flat=True).first() or str(subject)
    if kind in USER_KINDS:
        from urbangrid.accounts.models import User

        found = User.objects.filter(pk=subject).first()
        return str(found) if found else str(subject)
    return Division.objects.filter(code=subject).values_list("name", flat=True).first() or str(subject)


def _check_subject(user, kind: str, subject) -> None:
    scope = permissions.scope_of(user)
    if kind == "department":
        allowed = scope.covers_department(subject)
    elif kind in USER_KINDS:
        from urbangrid.accounts.models import User

        dept = User.objects.filter(pk=subject).values_list("department_id", flat=True).first()
        allowed = scope.everything or scope.covers_department(dept)
    else:
        allowed = scope.covers_area(subject)
    if not allowed:
        raise PermissionDenied("out_of_scope", _("This is outside your data scope."))


def _behind_request(request) -> dict:
    kind, indicator = request.GET.get("kind", ""), request.GET.get("indicator", "")
    subject = request.GET.get("subject", "")
    if kind not in KINDS or indicator not in ind.BEHIND[kind]:
        raise NotFound("no_such_indicator", _("No such indicator."), kind=kind, indicator=indicator)
    if kind == "department" or kind in USER_KINDS:
        if not subject.isdigit():
            raise NotFound("no_such_subject", _("No such subject."), subject=subject)
        subject = int(subject)
    began, ended = period(request.GET.get("start", ""), request.GET.get("end", ""))
    return {"kind": kind, "indicator": indicator, "subject": subject, "began": began, "ended": ended}


def _step_row(s) -> dict:
    return {
        "case": s.case,
        "department": s.department or s.case.department,
        "due": s.due_at,
        "finished": s.finished_at,
    }


def _case_row(c) -> dict:
    return {"case": c, "department": c.department, "due": c.disposal_due_at, "finished": c.closed_at}


def _behind(asked: dict):
    """The rows behind the number, in list order (a queryset: a page is read, not 30,000 rows),
    and how to show one."""
    args = (asked["kind"], asked["indicator"], asked["subject"], asked["began"], asked["ended"])
    steps = ind.steps_behind(*args)
    if steps is not None:
        found = steps.select_related("case__type", "case__department", "department")
        return found.order_by("due_at", "id"), _step_row
    found = ind.cases_behind(*args).select_related("type", "department")
    return found.order_by("reported_at", "id"), _case_row


@login_required
def cases_page(request):
    try:
        _require_view(request.user)
        asked = _behind_request(request)
        _check_subject(request.user, asked["kind"], asked["subject"])
    except ServiceError as exc:
        return _refused(request, exc)
    found, row_of = _behind(asked)
    labels = dict(labelled(asked["kind"]))
    label = labels[asked["indicator"]]
    count = ind.count_behind(asked["kind"], asked["indicator"])
    page = Paginator(found, PAGE_SIZE).get_page(request.GET.get("page"))
    streets = dict(Division.objects.filter(level=Division.Level.STREET).values_list("code", "name"))
    page.object_list = [row_of(x) for x in page.object_list]
    for row in page.object_list:
        row["street"] = streets.get(row["case"].street_code, row["case"].street_code)
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        **asked,
        "label": label,
        "count_label": labels[count] if count != asked["indicator"] else "",
        "kind_label": KIND_LABELS[asked["kind"]],
        "subject_name": _subject_name(asked["kind"], asked["subject"]),
        "start": request.GET["start"],
        "last": (date.fromisoformat(request.GET["end"]) - timedelta(days=1)).isoformat(),
        "page": page,
        "total": page.paginator.count,
        "steps": not ind.counts_cases(asked["kind"], count),
        "query": query.urlencode(),
    }
    return render(request, "evaluation/cases.html", context)
