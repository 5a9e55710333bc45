"""The case work screens: the to-do queue, the case page with its action forms, the report desk,
the requests waiting for a decision and the notifications.

Pages read through `queries` and `presenters` and change nothing themselves: every button posts
to an action form that calls the service. A service's refusal keeps its status (403, 409, 422)
and its message, shown beside the form; htmx is told to swap those answers in (see the
`htmx-config` meta tag in cases/base.html).
"""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Max, Min, prefetch_related_objects
from django.http import HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from urbangrid.accounts import permissions
from urbangrid.accounts.models import Department, Role
from urbangrid.core import clock
from urbangrid.core.errors import Conflict, Invalid, NotFound, PermissionDenied, ServiceError
from urbangrid.geo.models import Division, UnitGrid
from urbangrid.notify.models import Notification
from urbangrid.notify.services import mark_read

from . import deadlines, presenters, queries, routing, services
from .calendar import default_calendar
from .forms import ACTION_FORMS, ACTION_LABELS, DANGER_ACTIONS, ReportForm, dispatch_targets, type_choices
from .models import Case, CasePhoto, CaseStep, Light, Request, Source, State
from .services.base import check_allowed, require_scope_for_user

PAGE_SIZE = 50
# Tabs in the order a case meets the roles.
TAB_ORDER = [Role.INTAKE, Role.SUPERVISOR, Role.SHIFT_LEADER, Role.DISPATCHER, Role.DISPOSER, Role.LEADER]
MINE = "mine"
QUEUE_FILTERS = ("type", "street", "source", "light", "order")
ORDERS = [
    ("due", gettext_lazy("Least time left")),
    ("new", gettext_lazy("Newest")),
    ("old", gettext_lazy("Oldest")),
]
# Claim and release sit in the case header, not among the action buttons.
HEADER_ACTIONS = ("claim", "release")


def _is_htmx(request) -> bool:
    return request.headers.get("HX-Request") == "true"


def _refused(request, exc: ServiceError) -> HttpResponse:
    return render(request, "cases/refused.html", {"error": exc}, status=exc.status)


def _redirect(request, url: str) -> HttpResponse:
    if _is_htmx(request):
        response = HttpResponse(status=204)
        response["HX-Redirect"] = url
        return response
    return HttpResponseRedirect(url)


def _case_for(user, number: str) -> Case:
    case = (
        Case.objects.select_related("type", "department", "assignee", "holder", "component")
        .filter(number=number)
        .first()
    )
    if case is None:
        raise NotFound("case_not_found", _("No such case."), number=number)
    require_scope_for_user(user, case)
    return case


def _open_steps(cases) -> dict[int, CaseStep]:
    rows = CaseStep.objects.filter(case__in=[c.pk for c in cases], finished_at__isnull=True)
    return {s.case_id: s for s in rows.order_by("started_at", "id")}


def _left(case: Case, step: CaseStep | None, now, cal) -> tuple[float, str] | None:
    """Time left on the open step as its limit counts it (working or wall-clock time)."""
    if step is None or case.step_due_at is None:
        return None
    seconds = cal.remaining_seconds(now, case.step_due_at, step.limit_unit)
    if now > case.step_due_at:
        # Past the deadline out of hours no working time has run over yet, but the step is late.
        seconds = min(seconds, -0.001)
    return seconds, step.limit_unit


def _street_names() -> dict[str, str]:
    return dict(Division.objects.filter(level=Division.Level.STREET).values_list("code", "name"))


# ---------------------------------------------------------------- the to-do queue


def _tabs(user) -> tuple[list[dict], dict]:
    counts = queries.queue_counts(user)
    tabs = [{"role": role, "counts": counts[role]} for role in TAB_ORDER if role in counts]
    tabs.append({"role": MINE, "counts": None})
    return tabs, counts.get("requests")


def _queue_rows(user, role: str, cases, now) -> list[dict]:
    cal = default_calendar()
    steps = _open_steps(cases)
    streets = _street_names()
    if role == Role.DISPATCHER:  # each row shows its suggested department: load what that reads once
        rules = routing.all_rules()
        prefetch_related_objects(
            cases,
            "type__default_department",
            "component__maintainer_department",
            "component__owner_department",
            "component__competent_department",
        )
    rows = []
    for case in cases:
        held = case.holder_id and case.held_until and case.held_until > now
        row = {
            "case": case,
            "street": streets.get(case.street_code, case.street_code),
            "light": deadlines.light(case.step_due_at, case.step_warn_at, now),
            "left": _left(case, steps.get(case.pk), now, cal),
            "holder": case.holder if held else None,
            "worker": case.assignee if case.state in (State.VERIFYING, State.CHECKING) else None,
            "bulk": role == Role.DISPATCHER and case.state == State.DISPATCHING,
        }
        if row["bulk"]:
            row["suggestion"] = routing.suggest_department(case, rules)
        rows.append(row)
    return rows


def _queue_context(request, role: str, tabs, requests_count) -> dict:
    user = request.user
    filters = {k: request.GET.get(k, "") for k in QUEUE_FILTERS}
    if role == MINE:
        qs = (
            queries.visible_cases(user)
            .filter(reporter=user)
            .select_related("type", "department", "assignee", "holder")
            .order_by("-reported_at", "-id")
        )
    else:
        qs = queries.queue(user, role, filters=filters).select_related(
            "type__default_department", "component"
        )
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    now = clock.now()
    return {
        "role": role,
        "tabs": tabs,
        "requests_count": requests_count,
        "filters": filters,
        "page": page,
        "rows": _queue_rows(user, role, list(page.object_list), now),
        "query": urlencode({k: v for k, v in filters.items() if v}),
        "departments": dispatch_targets() if role == Role.DISPATCHER else [],
        "partial": _is_htmx(request),
        "now": now,
    }


@login_required
def queue_page(request):
    user = request.user
    tabs, requests_count = _tabs(user)
    roles = [t["role"] for t in tabs]
    role = request.GET.get("role") or roles[0]
    if role not in roles:
        return _refused(request, PermissionDenied("role_not_held", _("You do not hold this role.")))
    context = _queue_context(request, role, tabs, requests_count)
    if _is_htmx(request) and request.headers.get("HX-Target") == "queue-body":
        return render(request, "cases/_queue_body.html", context)
    context.update(
        {
            "type_choices": type_choices(),
            "streets": sorted(_street_names().items()),
            "sources": Source.choices,
            "lights": [Light.GREEN, Light.YELLOW, Light.RED],
            "orders": ORDERS,
            "may_report": permissions.has_action(user, "case.report"),
        }
    )
    return render(request, "cases/queue.html", context)


@login_required
@require_POST
def bulk_dispatch(request):
    user = request.user
    if not permissions.has_action(user, "case.dispatch"):
        return _refused(
            request, PermissionDenied("role_not_allowed", _("Your role does not allow this action."))
        )
    numbers = request.POST.getlist("numbers")
    code = request.POST.get("department", "")
    department = Department.objects.filter(code=code, active=True).first() if code else None
    results, error = [], None
    if not numbers:
        error = Invalid("nothing_selected", _("Select the cases to dispatch first."))
    elif code and department is None:
        error = Invalid("unknown_department", _("No such department."))
    else:
        results = services.bulk_dispatch(user, numbers, department=department)
        names = dict(Department.objects.values_list("code", "name"))
        for r in results:
            r["department_name"] = names.get(r.get("department"), "")
    if not _is_htmx(request):
        for r in results:
            level = messages.SUCCESS if r["ok"] else messages.ERROR
            messages.add_message(request, level, _bulk_line(r))
        if error:
            messages.error(request, error.message)
        return HttpResponseRedirect(f"{reverse('cases:queue')}?role={Role.DISPATCHER}")
    tabs, requests_count = _tabs(user)
    context = _queue_context(request, Role.DISPATCHER, tabs, requests_count)
    context.update({"bulk_results": results, "bulk_error": error})
    # The answer is the refreshed queue itself, with the results above it.
    return render(request, "cases/_queue_body.html", context, status=error.status if error else 200)


def _bulk_line(result: dict) -> str:
    if result["ok"]:
        return _("%(number)s dispatched to %(dept)s.") % {
            "number": result["number"],
            "dept": result["department_name"],
        }
    return _("%(number)s not dispatched: %(message)s") % {
        "number": result["number"],
        "message": result["message"],
    }


# ---------------------------------------------------------------- the case page


def _photos_by_stage(photos: list[dict]) -> list[dict]:
    return [
        {"stage": stage, "label": label, "photos": [p for p in photos if p["stage"] == stage]}
        for stage, label in CasePhoto.Stage.choices
    ]


def _duplicates(detail: dict) -> list[dict]:
    found = detail.get("possible_duplicates") or []
    if not found:
        return []
    photos: dict[str, list[str]] = {}
    for p in CasePhoto.objects.filter(case__number__in=[d["number"] for d in found]).select_related("case"):
        photos.setdefault(p.case.number, []).append(p.image.url)
    return [{**d, "photos": photos.get(d["number"], [])} for d in found]


def _map_config(case: Case, light) -> dict:
    return {
        "api": "/api/v1/geo",
        "lon": case.lon,
        "lat": case.lat,
        "grid": case.grid_code,
        "light": light or "",
        "basemap": {
            "url": settings.URBANGRID.get("BASEMAP_URL", ""),
            "attribution": settings.URBANGRID.get("BASEMAP_ATTRIBUTION", ""),
        },
    }


def _case_context(request, case: Case, **extra) -> dict:
    user = request.user
    now = clock.now()
    detail = presenters.case_detail(case, user)
    steps = list(case.steps.select_related("department", "assignee").order_by("started_at", "id"))
    open_step = next((s for s in reversed(steps) if s.finished_at is None), None)
    held = case.holder_id and case.held_until and case.held_until > now
    requests = list(
        case.requests.select_related("reason", "requested_by", "decided_by").order_by("-requested_at")
    )
    may_decide = "decide_request" in detail["allowed_actions"]
    decidable = [
        r
        for r in requests
        if may_decide and r.status == Request.Status.PENDING and _may_approve(user, r.approver_role)
    ]
    # The workflow allows deciding in disposal; there is something to decide only with a request.
    hidden = HEADER_ACTIONS if decidable else (*HEADER_ACTIONS, "decide_request")
    return {
        "case": case,
        "detail": detail,
        "now": now,
        "left": _left(case, open_step, now, default_calendar()),
        "open_step": open_step,
        "steps": steps,
        "photo_stages": _photos_by_stage(detail["photos"]),
        "actions": [
            {"name": a, "label": ACTION_LABELS[a], "danger": a in DANGER_ACTIONS}
            for a in detail["allowed_actions"]
            if a not in hidden
        ],
        "may_claim": "claim" in detail["allowed_actions"] and not (held and case.holder_id == user.pk),
        "may_release": "release" in detail["allowed_actions"] and held and case.holder_id == user.pk,
        "holder": case.holder if held else None,
        "held_until": case.held_until if held else None,
        "requests": requests,
        "decidable": decidable,
        "duplicates": _duplicates(detail),
        "map_config": _map_config(case, detail["light"]),
        **extra,
    }


def _may_approve(user, role: str) -> bool:
    return user.is_superuser or user.has_role(role, Role.ADMIN)


@login_required
def case_page(request, number: str):
    try:
        case = _case_for(request.user, number)
    except ServiceError as exc:
        return _refused(request, exc)
    return render(request, "cases/case.html", _case_context(request, case))


def _panel(request, case: Case, action: str, form, *, error: ServiceError | None = None, status: int = 200):
    """The action form in its panel; a page without htmx gets the whole case page with it open.
    After a 409 the panel shows the case as it is now, and a fresh form only if the action is
    still possible: the user decides again on what they see."""
    fresh = isinstance(error, Conflict)
    if fresh:
        case = _case_for(request.user, case.number)
        form = _fresh_form(request.user, case, action)
    context = _case_context(
        request,
        case,
        form=form,
        error=error,
        fresh=fresh,
        partial=_is_htmx(request),
        panel_action=action,
        panel_label=ACTION_LABELS[action],
    )
    if request.POST.get("inline") and _is_htmx(request):
        return render(request, "cases/_inline_error.html", context, status=status)
    template = "cases/_action_panel.html" if _is_htmx(request) else "cases/case.html"
    return render(request, template, context, status=status)


def _fresh_form(user, case: Case, action: str):
    try:
        check_allowed(user, action, case, clock.now())
    except ServiceError:
        return None
    return ACTION_FORMS[action](initial={"version": case.version}, case=case, user=user)


def _next_url(request, case: Case) -> str:
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
        return target
    still_visible = queries.visible_cases(request.user).filter(pk=case.pk).exists()
    return reverse("cases:case", args=[case.number]) if still_visible else reverse("cases:queue")


@login_required
def case_action(request, number: str, action: str):
    form_class = ACTION_FORMS.get(action)
    if form_class is None:
        return _refused(request, NotFound("unknown_action", _("No such action."), action=action))
    user = request.user
    try:
        case = _case_for(user, number)
    except ServiceError as exc:
        return _refused(request, exc)
    if request.method != "POST":
        try:
            check_allowed(user, action, case, clock.now())
        except ServiceError as exc:
            return _panel(request, case, action, None, error=exc, status=exc.status)
        # A link may preset a field (a duplicate's "merge into this case" presets `into`).
        preset = {k: v for k, v in request.GET.items() if k in form_class.base_fields}
        form = form_class(initial={**preset, "version": case.version}, case=case, user=user)
        return _panel(request, case, action, form)
    form = form_class(request.POST, request.FILES, case=case, user=user)
    if not form.is_valid():
        return _panel(request, case, action, form, status=422)
    try:
        form.submit()
    except ServiceError as exc:
        return _panel(request, case, action, form, error=exc, status=exc.status)
    case.refresh_from_db()
    messages.success(
        request,
        _("%(action)s: case %(number)s is now %(state)s.")
        % {"action": ACTION_LABELS[action], "number": case.number, "state": case.get_state_display()},
    )
    return _redirect(request, _next_url(request, case))


# ---------------------------------------------------------------- requests, notifications


@login_required
def requests_page(request):
    user = request.user
    if not (user.is_superuser or user.has_role(Role.SHIFT_LEADER, Role.LEADER, Role.ADMIN)):
        return _refused(
            request,
            PermissionDenied("role_not_allowed", _("Only shift leaders and leaders decide requests.")),
        )
    now = clock.now()
    pending = list(queries.pending_requests(user).select_related("case__type", "requested_by"))
    cal = default_calendar()
    steps = _open_steps([r.case for r in pending])
    rows = [
        {
            "request": r,
            "case": r.case,
            "light": deadlines.light(r.case.step_due_at, r.case.step_warn_at, now),
            "left": _left(r.case, steps.get(r.case_id), now, cal),
        }
        for r in pending
    ]
    tabs, requests_count = _tabs(user)
    return render(
        request,
        "cases/requests.html",
        {"rows": rows, "tabs": tabs, "requests_count": requests_count, "role": "requests", "now": now},
    )


@login_required
def notifications_page(request):
    user = request.user
    page = Paginator(Notification.objects.filter(user=user), PAGE_SIZE).get_page(request.GET.get("page"))
    items = list(page.object_list)
    unread = [n.pk for n in items if n.read_at is None]
    # Shown once as new, then read: the list itself is how a user reads them.
    mark_read(user, unread)
    return render(
        request, "cases/notifications.html", {"page": page, "items": items, "unread_ids": set(unread)}
    )


@login_required
def notification_badge(request):
    return render(request, "cases/_badge_link.html")


# ---------------------------------------------------------------- the report desk


def _extent() -> list[list[float]] | None:
    box = UnitGrid.objects.filter(valid_to__isnull=True).aggregate(
        w=Min("min_lon"), s=Min("min_lat"), e=Max("max_lon"), n=Max("max_lat")
    )
    return [[box["s"], box["w"]], [box["n"], box["e"]]] if box["w"] is not None else None


def pick_map_config() -> dict:
    """The map on which a desk marks where a reported problem is (cases/case-map.js in pick mode)."""
    return {
        "api": "/api/v1/geo",
        "extent": _extent(),
        "pick": True,
        "basemap": {
            "url": settings.URBANGRID.get("BASEMAP_URL", ""),
            "attribution": settings.URBANGRID.get("BASEMAP_ATTRIBUTION", ""),
        },
    }


@login_required
def report_page(request):
    user = request.user
    if not permissions.has_action(user, "case.report"):
        return _refused(
            request, PermissionDenied("role_not_allowed", _("Your role does not allow this action."))
        )
    form = ReportForm(request.POST or None, request.FILES or None, user=user)
    error, status = None, 200
    if request.method == "POST":
        if form.is_valid():
            try:
                case = form.submit()
            except ServiceError as exc:
                error, status = exc, exc.status
            else:
                messages.success(request, _("Case %(number)s reported.") % {"number": case.number})
                return _redirect(request, reverse("cases:case", args=[case.number]))
        else:
            status = 422
    return render(
        request,
        "cases/report.html",
        {"form": form, "error": error, "map_config": pick_map_config()},
        status=status,
    )
