"""How a case looks to a user, shared by the API and the pages: labels in the user's language,
times as ISO strings (UTC offset included), coordinates in the requested system, phone
numbers masked unless the user may call back."""

from urbangrid.accounts.models import Role
from urbangrid.accounts.privacy import phone_for
from urbangrid.core import clock
from urbangrid.geo import crs as crs_module

from . import deadlines, queries, routing
from .models import Case, CaseAction, Request, State
from .services.base import allowed_actions


def _iso(value):
    return value.isoformat() if value else None


def _coords(case: Case, crs: str) -> tuple[float, float]:
    lon, lat = crs_module.from_wgs84(case.lon, case.lat, crs)
    return round(float(lon), 7), round(float(lat), 7)


def case_item(case: Case, now, crs: str = "wgs84") -> dict:
    lon, lat = _coords(case, crs)
    return {
        "number": case.number,
        "state": case.state,
        "state_label": str(case.get_state_display()),
        "source": case.source,
        "source_label": str(case.get_source_display()),
        "kind": case.kind,
        "type": {"code": case.type.code, "name": case.type.name},
        "urgency": case.urgency,
        "description": case.description,
        "address": case.address,
        "lon": lon,
        "lat": lat,
        "grid_code": case.grid_code,
        "street_code": case.street_code,
        "department": {"code": case.department.code, "name": case.department.name}
        if case.department_id
        else None,
        "assignee": case.assignee.username if case.assignee_id else None,
        "holder": case.holder.username
        if case.holder_id and case.held_until and case.held_until > now
        else None,
        "step": case.step,
        "step_due_at": _iso(case.step_due_at),
        "light": deadlines.light(case.step_due_at, case.step_warn_at, now),
        "reported_at": _iso(case.reported_at),
        "rework_count": case.rework_count,
        "version": case.version,
    }


def photos(case: Case) -> list[dict]:
    return [
        {"stage": p.stage, "url": p.image.url, "sha256": p.sha256, "uploaded_at": _iso(p.uploaded_at)}
        for p in case.photos.all()
    ]


def timeline(case: Case) -> list[dict]:
    entries = (
        CaseAction.objects.filter(case=case)
        .select_related("actor", "department", "reason")
        .order_by("at", "id")
    )
    return [
        {
            "action": a.action,
            "actor": str(a.actor) if a.actor_id else "系统",
            "role": a.role,
            "at": _iso(a.at),
            "from_state": a.from_state,
            "to_state": a.to_state,
            "department": a.department.name if a.department_id else None,
            "reason": a.reason.label if a.reason_id else None,
            "note": a.note,
            "audit_seq": a.audit_seq,
        }
        for a in entries
    ]


def request_item(req: Request) -> dict:
    return {
        "id": req.pk,
        "case": req.case.number,
        "kind": req.kind,
        "status": req.status,
        "approver_role": req.approver_role,
        "reason": req.reason.label,
        "note": req.note,
        "extra_value": str(req.extra_value) if req.extra_value is not None else None,
        "extra_unit": req.extra_unit,
        "requested_by": str(req.requested_by),
        "requested_at": _iso(req.requested_at),
        "decided_at": _iso(req.decided_at),
        "decision_note": req.decision_note,
    }


def case_detail(case: Case, user, crs: str = "wgs84") -> dict:
    now = clock.now()
    data = case_item(case, now, crs)
    data.update(
        {
            "component": case.component.code if case.component_id else None,
            "community_code": case.community_code,
            "filing_condition": case.type.filing_condition,
            "closing_condition": case.type.closing_condition,
            "disposal_due_at": _iso(case.disposal_due_at),
            "filed_at": _iso(case.filed_at),
            "closed_at": _iso(case.closed_at),
            "external_ref": case.external_ref,
            "escalation_level": case.escalation_level,
            "return_count": case.return_count,
            "extension_count": case.extension_count,
            "urge_count": case.urge_count,
            "merged_into": case.merged_into.number if case.merged_into_id else None,
            "merged": list(case.merged_cases.values_list("number", flat=True)),
            "reporters": [
                {
                    "name": r.name,
                    "phone": phone_for(user, r.phone),
                    "source": r.source,
                    "case": r.original_number,
                    "reported_at": _iso(r.reported_at),
                }
                for r in case.reporters.all()
            ],
            "photos": photos(case),
            "timeline": timeline(case),
            "steps": [
                {
                    "step": s.step,
                    "started_at": _iso(s.started_at),
                    "due_at": _iso(s.due_at),
                    "finished_at": _iso(s.finished_at),
                    "on_time": s.on_time,
                    "outcome": s.outcome,
                    "department": s.department.name if s.department_id else None,
                    "limit": f"{s.limit_value.normalize()} {s.limit_unit}",
                }
                for s in case.steps.select_related("department").order_by("started_at", "id")
            ],
            "requests": [
                request_item(r) for r in case.requests.select_related("reason", "requested_by", "case")
            ],
            "allowed_actions": allowed_actions(user, case, now),
        }
    )
    if case.state == State.DISPATCHING:
        s = routing.suggest_department(case)
        data["suggestion"] = {
            "department": s.department.code if s.department else None,
            "department_name": s.department.name if s.department else None,
            "basis": s.basis,
        }
    if case.state == State.REPORTED and user.has_role(Role.INTAKE, Role.SHIFT_LEADER, Role.ADMIN):
        data["possible_duplicates"] = [
            {**case_item(other, now, crs), "distance_m": round(d, 1)}
            for other, d in queries.possible_duplicates(case, user)
        ]
    return data
