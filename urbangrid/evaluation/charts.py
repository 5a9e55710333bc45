"""The data of the ranking page's charts (ECharts): trends per area over six months, the problem
types and the channels (Case.source) of the cases filed in the period, within the viewer's scope.
Each function returns plain JSON-able data; the page's script draws it."""

from datetime import date, datetime

from django.db.models import Count, Q

from urbangrid.accounts.permissions import Scope
from urbangrid.cases.models import Case, Source
from urbangrid.geo.models import Division

from . import figures
from . import indicators as ind

TOP_TYPES = 10


def scoped_cases(scope: Scope):
    """The cases a viewer may see: in one of their divisions, or disposed by one of their departments."""
    if scope.everything:
        return Case.objects.all()
    where = Q(pk__in=[])
    for code in scope.division_codes:
        where |= Q(grid_code__startswith=code)
    if scope.department_ids:
        where |= Q(department_id__in=scope.department_ids)
    return Case.objects.filter(where)


def area_trend(months: list[date], periods: list[tuple[datetime, datetime]], scope: Scope) -> dict:
    """按期结案率 and 立案数 of each street (in scope), month by month."""
    per_month = [figures.values("street", start, end)[0] for start, end in periods]
    names = dict(Division.objects.filter(level=Division.Level.STREET).values_list("code", "name"))
    codes = sorted(
        c for c in set(names) | {c for values in per_month for c in values} if scope.covers_area(c)
    )
    return {
        "months": [m.strftime("%Y-%m") for m in months],
        "series": [
            {
                "name": names.get(code, code),
                "data": [values.get(code, {}).get("on_time_closure_rate") for values in per_month],
                "filed": [values.get(code, {}).get("filed", 0) for values in per_month],
            }
            for code in codes
        ],
    }


def _filed(start: datetime, end: datetime, scope: Scope):
    return ind._filed(start, end).filter(pk__in=scoped_cases(scope).values("pk"))


def problem_types(start: datetime, end: datetime, scope: Scope) -> list[dict]:
    """The most frequent problem types of the cases filed in the period, most first."""
    rows = (
        _filed(start, end, scope)
        .values("type__code", "type__name")
        .annotate(n=Count("id"))
        .order_by("-n", "type__code")
    )
    return [{"code": r["type__code"], "name": r["type__name"], "value": r["n"]} for r in rows[:TOP_TYPES]]


def channels(start: datetime, end: datetime, scope: Scope) -> list[dict]:
    """The cases filed in the period per channel (监督员上报, 公众举报, 12319, 12345, 视频, …)."""
    labels = dict(Source.choices)
    rows = _filed(start, end, scope).values("source").annotate(n=Count("id")).order_by("-n", "source")
    return [
        {"code": r["source"], "name": str(labels.get(r["source"], r["source"])), "value": r["n"]}
        for r in rows
    ]
