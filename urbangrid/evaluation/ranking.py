"""Indicators, score and grade per subject for a period, ranked best first: what the API and,
later, the bulletins and screens show."""

from datetime import datetime

from urbangrid.accounts.models import Department, Role, User
from urbangrid.accounts.permissions import Scope
from urbangrid.geo.models import Division

from . import indicators as ind
from . import satisfaction
from .scoring import scheme_for, score

KINDS = ("department", "street", "community", "supervisor", "intake", "shift_leader", "dispatcher")

# Subjects that are users: the role whose holders are all listed (with empty rows if idle), the
# indicators and their empty row.
USER_KINDS = {
    "supervisor": (Role.SUPERVISOR, ind.supervisor_indicators, ind._EMPTY_SUPERVISOR),
    "intake": (Role.INTAKE, ind.intake_indicators, ind._EMPTY_INTAKE),
    "shift_leader": (Role.SHIFT_LEADER, ind.shift_leader_indicators, ind._EMPTY_SHIFT_LEADER),
    "dispatcher": (Role.DISPATCHER, ind.dispatcher_indicators, ind._EMPTY_DISPATCHER),
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
    scope = scope or Scope(everything=True)
    if kind == "department":
        values = with_satisfaction(
            kind, ind.department_indicators(start, end), ind._EMPTY_DEPARTMENT, start, end
        )
    elif kind in ("street", "community"):
        values = with_satisfaction(kind, ind.area_indicators(start, end, kind), _EMPTY_AREA, start, end)
    elif kind in USER_KINDS:
        role, indicators, empty_row = USER_KINDS[kind]
        values = indicators(start, end)
        holders = User.objects.filter(is_active=True, role_grants__role=role)
        for pk in holders.values_list("pk", flat=True):
            values.setdefault(pk, dict(empty_row))
    else:
        raise KeyError(kind)
    empty = {
        "department": {**ind._EMPTY_DEPARTMENT, **satisfaction.EMPTY},
        **{k: v[2] for k, v in USER_KINDS.items()},
    }.get(kind) or {**_EMPTY_AREA, **satisfaction.EMPTY}
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


_EMPTY_AREA = {
    "filed": 0,
    "closed": 0,
    "closure_rate": None,
    "on_time_closed": 0,
    "on_time_closure_rate": None,
    "public": 0,
    "public_share": None,
}


def with_satisfaction(kind: str, values: dict, empty: dict, start: datetime, end: datetime) -> dict:
    """The subject's indicators with its public satisfaction beside them (also for a subject
    rated by the public and without other figures in the period)."""
    rated = satisfaction.satisfaction(kind, start, end)
    for key in values.keys() | rated.keys():
        values.setdefault(key, dict(empty)).update(rated.get(key, satisfaction.EMPTY))
    return values
