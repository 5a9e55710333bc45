"""Indicators, score and grade per subject for a period, ranked best first: what the API and,
later, the bulletins and screens show."""

from datetime import datetime

from urbangrid.accounts.models import Department, Role, User
from urbangrid.accounts.permissions import Scope
from urbangrid.geo.models import Division

from . import figures, satisfaction
from . import indicators as ind
from .figures import EMPTY_AREA, KINDS
from .scoring import scheme_for, score

# Subjects that are users: the role whose holders are all listed (with empty rows if idle), and
# their empty row.
USER_KINDS = {
    "supervisor": (Role.SUPERVISOR, ind._EMPTY_SUPERVISOR),
    "intake": (Role.INTAKE, ind._EMPTY_INTAKE),
    "shift_leader": (Role.SHIFT_LEADER, ind._EMPTY_SHIFT_LEADER),
    "dispatcher": (Role.DISPATCHER, ind._EMPTY_DISPATCHER),
}


def _subjects(kind: str, keys, scope: Scope) -> dict:
    if kind == "department":
        rows = Department.objects.filter(pk__in=keys).values("pk", "code", "name")
        return {
            r["pk"]: {"id": r["pk"], "code": r["code"], "name": r["name"]}
            for r in rows
            if scope.covers_department(r["pk"])
        }
    if kind in USER_KINDS:
        rows = User.objects.filter(pk__in=keys).values("pk", "username", "full_name", "department_id")
        return {
            r["pk"]: {"id": r["pk"], "code": r["username"], "name": r["full_name"] or r["username"]}
            for r in rows
            if scope.everything or scope.covers_department(r["department_id"])
        }
    level = Division.Level.STREET if kind == "street" else Division.Level.COMMUNITY
    rows = Division.objects.filter(level=level).values("code", "name")
    found = {r["code"]: r["name"] for r in rows}
    return {
        code: {"code": code, "name": found.get(code, code)}
        for code in set(keys) | set(found)
        if scope.covers_area(code)
    }


def evaluate(kind: str, start: datetime, end: datetime, scope: Scope | None = None) -> list[dict]:
    """The ranking of one kind of subject (figures.values: a closed month's stored figures, or
    counted now)."""
    scope = scope or Scope(everything=True)
    if kind not in KINDS:
        raise KeyError(kind)
    values, _counted_at = figures.values(kind, start, end)
    if kind in USER_KINDS:
        role, empty_row = USER_KINDS[kind]
        holders = User.objects.filter(is_active=True, role_grants__role=role)
        for pk in holders.values_list("pk", flat=True):
            values.setdefault(pk, dict(empty_row))
    empty = {
        "department": {**ind._EMPTY_DEPARTMENT, **satisfaction.EMPTY},
        **{k: v[1] for k, v in USER_KINDS.items()},
    }.get(kind) or {**EMPTY_AREA, **satisfaction.EMPTY}
    scheme = scheme_for(kind)
    items = []
    for key, subject in _subjects(kind, list(values), scope).items():
        indicators = values.get(key, dict(empty))
        points, grade = score(kind, indicators, scheme)
        items.append(
            {
                "subject": subject,
                "indicators": indicators,
                "score": points,
                "grade": grade,
                "grade_label": scheme["labels"].get(grade, "") if grade else "",
            }
        )
    items.sort(key=lambda i: (i["score"] is None, -(i["score"] or 0), str(i["subject"]["code"])))
    for n, item in enumerate(items, 1):
        item["rank"] = n if item["score"] is not None else None
    return items
