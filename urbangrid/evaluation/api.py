"""/api/v1/evaluation/: the automatic evaluation (综合评价) of CJ/T 292 / GB/T 30428.4 for a
period, per subject kind, ranked best first. Leaders and administrators only; a leader of one
department sees that department's part."""

import re
from datetime import date, datetime
from urllib.parse import quote

from django.http import HttpResponse
from django.utils.translation import gettext_lazy as _
from ninja import Router

from urbangrid.accounts import permissions
from urbangrid.accounts.models import Role
from urbangrid.core.errors import Invalid

from . import bulletin as bulletins
from . import figures
from .ranking import evaluate

router = Router(tags=["evaluation"])

permissions.register("evaluation.view", Role.LEADER)

MAX_DAYS = 366


def period(start: str, end: str) -> tuple[datetime, datetime]:
    """Dates YYYY-MM-DD in Shanghai time; the period runs from the start of `start` up to, not
    including, the start of `end` (November: start=2026-11-01&end=2026-12-01)."""
    try:
        first, after = date.fromisoformat(start), date.fromisoformat(end)
    except (TypeError, ValueError) as exc:
        raise Invalid("bad_period", _("Give the period as two dates, YYYY-MM-DD.")) from exc
    if after <= first:
        raise Invalid("bad_period", _("The period must end after it starts."), start=start, end=end)
    if (after - first).days > MAX_DAYS:
        raise Invalid("bad_period", _("The period may not be longer than a year."), start=start, end=end)
    return figures.bounds(first, after)


def _ranked(request, kind: str, start: str, end: str) -> dict:
    permissions.require(request.auth, "evaluation.view")
    began, ended = period(start, end)
    items = evaluate(kind, began, ended, permissions.scope_of(request.auth))
    # A closed period's stored figures say when they were counted; null: counted now.
    stored = figures.stored(kind, began, ended)
    counted_at = stored.computed_at if stored else None
    return {"start": start, "end": end, "counted_at": counted_at, "count": len(items), "items": items}


@router.get("/departments")
def departments(request, start: str, end: str):
    """专业部门: 应处置数, 按期处置数/率, 返工率, 超期未处置数, 平均处置时长 (working hours)."""
    return _ranked(request, "department", start, end)


@router.get("/streets")
def streets(request, start: str, end: str):
    """街道: 立案数, 结案数/率, 按期结案率, 监督举报率."""
    return _ranked(request, "street", start, end)


@router.get("/communities")
def communities(request, start: str, end: str):
    """社区: as for streets."""
    return _ranked(request, "community", start, end)


@router.get("/supervisors")
def supervisors(request, start: str, end: str):
    """监督员: 上报数, 有效上报数/率, 按时核实率, 按时核查率, 漏报率."""
    return _ranked(request, "supervisor", start, end)


@router.get("/intake")
def intake(request, start: str, end: str):
    """受理员: 受理数, 核实按时派发率, 核查按时派发率."""
    return _ranked(request, "intake", start, end)


@router.get("/shift_leaders")
def shift_leaders(request, start: str, end: str):
    """值班长: 立案数, 按时立案率, 准确立案率 (less the cancelled), 结案数, 按时结案率."""
    return _ranked(request, "shift_leader", start, end)


@router.get("/dispatchers")
def dispatchers(request, start: str, end: str):
    """派遣员: 派遣数, 按时派遣率, 准确派遣率 (less the returned)."""
    return _ranked(request, "dispatcher", start, end)


MONTH = re.compile(r"(\d{4})-(\d{2})")


def _bulletin(request, month: str) -> bulletins.Bulletin:
    permissions.require(request.auth, "evaluation.view")
    found = MONTH.fullmatch(month or "")
    if not found or not 1 <= int(found[2]) <= 12 or int(found[1]) < 1:
        raise Invalid("bad_period", _("Give the month as YYYY-MM."), month=month)
    return bulletins.gather(int(found[1]), int(found[2]), permissions.scope_of(request.auth))


def _file(content: bytes, content_type: str, filename: str, title: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    ext = filename.rsplit(".", 1)[-1]
    response["Content-Disposition"] = (
        f"attachment; filename=\"{filename}\"; filename*=UTF-8''{quote(f'{title}.{ext}')}"
    )
    return response


@router.get("/bulletin.xlsx")
def bulletin_xlsx(request, month: str):
    """考核通报 of a month (YYYY-MM) as an XLSX workbook: a summary sheet and one ranking sheet per
    subject kind."""
    b = _bulletin(request, month)
    return _file(bulletins.to_xlsx(b), bulletins.XLSX_TYPE, b.filename("xlsx"), b.title)


@router.get("/bulletin.pdf")
def bulletin_pdf(request, month: str):
    """考核通报 of a month (YYYY-MM) as a PDF: summary, the departments' on-time chart and the
    ranking tables."""
    b = _bulletin(request, month)
    return _file(bulletins.to_pdf(b), bulletins.PDF_TYPE, b.filename("pdf"), b.title)
