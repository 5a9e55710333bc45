"""/api/v1/cases/: report, read, and act on cases. Every action takes the case `version` the
client last saw: a stale one is refused with 409 and the current state."""

from decimal import Decimal

from django.shortcuts import get_object_or_404
from django.utils.translation import gettext_lazy as _
from ninja import File, Form, Query, Router, Schema, Status
from ninja.files import UploadedFile
from ninja.pagination import LimitOffsetPagination, paginate

from urbangrid.accounts.models import Department, User
from urbangrid.core import clock
from urbangrid.core.errors import Invalid, NotFound, PermissionDenied
from urbangrid.geo import crs as crs_module
from urbangrid.notify.models import Notification
from urbangrid.notify.services import mark_read

from . import presenters, queries, routing, services
from .models import Case, Reason, Request

router = Router(tags=["cases"])


class ReportIn(Schema):
    source: str
    kind: str
    type: str = ""
    description: str
    lon: float | None = None
    lat: float | None = None
    crs: str = "wgs84"
    component: str = ""
    urgency: str = "normal"
    reporter_name: str = ""
    reporter_phone: str = ""
    external_ref: str = ""
    address: str = ""


class VersionIn(Schema):
    version: int
    note: str = ""


class AcceptIn(VersionIn):
    supervisor: str = ""


class ReasonIn(VersionIn):
    reason: str


class MergeIn(VersionIn):
    into: str


class SupervisorIn(VersionIn):
    supervisor: str


class FileIn(VersionIn):
    meets_condition: bool
    type: str = ""
    urgency: str = ""


class DispatchIn(VersionIn):
    department: str
    reason: str = ""
    stage: int = 1


class BulkDispatchIn(Schema):
    numbers: list[str]
    department: str = ""


class ExtensionIn(ReasonIn):
    extra_value: Decimal
    extra_unit: str


class DecisionIn(Schema):
    approve: bool
    note: str = ""
    version: int | None = None


class CloseIn(VersionIn):
    meets_condition: bool


class UrgeIn(Schema):
    version: int
    note: str


class ListFilters(Schema):
    state: str = ""
    type: str = ""
    street: str = ""
    department: str = ""
    source: str = ""
    q: str = ""
    crs: str = "wgs84"


def _user(code: str) -> User:
    user = User.objects.filter(username=code, is_active=True).first()
    if user is None:
        raise Invalid("unknown_user", _("No such user."), user=code)
    return user


def _department(code: str) -> Department:
    dept = Department.objects.filter(code=code).first()
    if dept is None:
        raise Invalid("unknown_department", _("No such department."), department=code)
    return dept


def _visible(request, number: str) -> Case:
    case = (
        queries.visible_cases(request.auth).filter(number=number).select_related("type", "department").first()
    )
    if case is None:
        if Case.objects.filter(number=number).exists():
            raise PermissionDenied("out_of_scope", _("This is outside your data scope."), number=number)
        raise NotFound("case_not_found", _("No such case."), number=number)
    return case


def _detail(request, case: Case, crs: str = "wgs84") -> dict:
    return presenters.case_detail(case, request.auth, crs=crs)


@router.post("", response={201: dict}, summary="Report a problem (multipart: fields and photos[])")
def report(request, data: Form[ReportIn], photos: File[list[UploadedFile]] = None):
    case = services.report_case(
        request.auth,
        source=data.source,
        kind=data.kind,
        type_code=data.type,
        description=data.description,
        lon=data.lon,
        lat=data.lat,
        crs=data.crs,
        component_code=data.component,
        urgency=data.urgency,
        photos=photos or [],
        reporter_name=data.reporter_name,
        reporter_phone=data.reporter_phone,
        external_ref=data.external_ref,
        address=data.address,
    )
    return Status(201, _detail(request, case))


@router.get("", response=list[dict], summary="Cases in your data scope")
@paginate(LimitOffsetPagination)
def list_cases(request, filters: Query[ListFilters]):
    qs = queries.visible_cases(request.auth).select_related("type", "department", "assignee")
    if filters.state:
        qs = qs.filter(state__in=filters.state.split(","))
    if filters.type:
        qs = qs.filter(type__code=filters.type)
    if filters.street:
        qs = qs.filter(street_code=filters.street)
    if filters.department:
        qs = qs.filter(department__code=filters.department)
    if filters.source:
        qs = qs.filter(source=filters.source)
    if filters.q:
        qs = qs.filter(number__startswith=filters.q) | qs.filter(description__icontains=filters.q)
    crs_module.parse(filters.crs)
    now = clock.now()
    return [presenters.case_item(c, now, crs=filters.crs) for c in qs.order_by("-reported_at", "-id")]


@router.get("/queue", response=list[dict], summary="Your to-do list for one of your roles, most urgent first")
@paginate(LimitOffsetPagination)
def queue(
    request,
    role: str,
    light: str = "",
    type: str = "",
    street: str = "",
    source: str = "",
    order: str = "due",
):
    filters = {"light": light, "type": type, "street": street, "source": source, "order": order}
    now = clock.now()
    return [presenters.case_item(c, now) for c in queries.queue(request.auth, role, filters=filters)]


@router.get("/counts", summary="How many cases wait in each of your queues (with yellow and red)")
def counts(request):
    return queries.queue_counts(request.auth)


@router.get(
    "/reasons",
    summary="Typed reasons of a category (reject, not_file, return, extension, suspend, rework, cancel, override)",
)
def reasons(request, category: str):
    return [{"code": r.code, "label": r.label} for r in Reason.objects.filter(category=category, active=True)]


@router.get("/requests", summary="Extension and long-term-ledger requests waiting for your decision")
def pending_requests(request):
    return [presenters.request_item(r) for r in queries.pending_requests(request.auth)]


@router.post("/requests/{request_id}/decision", summary="Approve or decline a request")
def decide(request, request_id: int, body: DecisionIn):
    req = get_object_or_404(Request, pk=request_id)
    _visible(request, req.case.number)
    req = services.decide_request(
        request.auth, request_id, approve=body.approve, note=body.note, expected_version=body.version
    )
    return presenters.request_item(req)


@router.post(
    "/bulk-dispatch", summary="Dispatch several cases, each to the given or its suggested department"
)
def bulk_dispatch(request, body: BulkDispatchIn):
    department = _department(body.department) if body.department else None
    return {"results": services.bulk_dispatch(request.auth, body.numbers, department=department)}


@router.get("/notifications", response=list[dict], summary="Your notifications, newest first")
@paginate(LimitOffsetPagination)
def notifications(request, unread: bool = False):
    qs = Notification.objects.filter(user=request.auth)
    if unread:
        qs = qs.filter(read_at__isnull=True)
    return [
        {
            "id": n.pk,
            "kind": n.kind,
            "case": n.case_number,
            "text": n.text,
            "created_at": n.created_at,
            "read": n.read_at is not None,
        }
        for n in qs
    ]


class ReadIn(Schema):
    ids: list[int]


@router.post("/notifications/read", summary="Mark notifications read")
def notifications_read(request, body: ReadIn):
    return {"marked": mark_read(request.auth, body.ids)}


@router.get(
    "/{number}", summary="One case: details, photos, timeline, steps and the actions you may take now"
)
def detail(request, number: str, crs: str = "wgs84"):
    return _detail(request, _visible(request, number), crs)


@router.get("/{number}/duplicates", summary="Open cases nearby of the same or a related type")
def duplicates(request, number: str):
    case = _visible(request, number)
    now = clock.now()
    return [
        {**presenters.case_item(other, now), "distance_m": round(d, 1), "photos": presenters.photos(other)}
        for other, d in queries.possible_duplicates(case, request.auth)
    ]


@router.get("/{number}/suggestion", summary="The department the routing rules suggest")
def suggestion(request, number: str):
    s = routing.suggest_department(_visible(request, number))
    return {
        "department": s.department.code if s.department else None,
        "department_name": s.department.name if s.department else None,
        "basis": s.basis,
        "explanation": s.explanation,
    }


def _act(request, number: str, fn, **kwargs):
    _visible(request, number)
    case = fn(request.auth, number, **kwargs)
    return _detail(request, Case.objects.select_related("type", "department").get(pk=case.pk))


@router.post("/{number}/accept", summary="受理")
def accept(request, number: str, body: AcceptIn):
    sup = _user(body.supervisor) if body.supervisor else None
    return _act(
        request, number, services.accept, expected_version=body.version, supervisor=sup, note=body.note
    )


@router.post("/{number}/reject", summary="不予受理")
def reject(request, number: str, body: ReasonIn):
    return _act(
        request,
        number,
        services.reject,
        reason_code=body.reason,
        note=body.note,
        expected_version=body.version,
    )


@router.post("/{number}/merge", summary="Merge into an earlier open case about the same problem")
def merge(request, number: str, body: MergeIn):
    return _act(
        request, number, services.merge, into=body.into, note=body.note, expected_version=body.version
    )


@router.post("/{number}/assign-supervisor", summary="Send the verification or check to another supervisor")
def assign_supervisor(request, number: str, body: SupervisorIn):
    return _act(
        request,
        number,
        services.assign_supervisor,
        supervisor=_user(body.supervisor),
        note=body.note,
        expected_version=body.version,
    )


@router.post("/{number}/verify", summary="核实 on the spot (multipart: version, confirmed, note, photos[])")
def verify(
    request,
    number: str,
    version: Form[int],
    confirmed: Form[bool],
    note: Form[str] = "",
    photos: File[list[UploadedFile]] = None,
):
    return _act(
        request,
        number,
        services.verify,
        confirmed=confirmed,
        note=note,
        photos=photos or [],
        expected_version=version,
    )


@router.post("/{number}/file", summary="立案 (the type's filing condition must be met)")
def file_case(request, number: str, body: FileIn):
    return _act(
        request,
        number,
        services.file_case,
        meets_condition=body.meets_condition,
        type_code=body.type,
        urgency=body.urgency,
        note=body.note,
        expected_version=body.version,
    )


@router.post("/{number}/not-file", summary="不予立案")
def not_file(request, number: str, body: ReasonIn):
    return _act(
        request,
        number,
        services.not_file,
        reason_code=body.reason,
        note=body.note,
        expected_version=body.version,
    )


@router.post(
    "/{number}/dispatch", summary="派遣 to a department (a reason is needed to override the suggestion)"
)
def dispatch(request, number: str, body: DispatchIn):
    return _act(
        request,
        number,
        services.dispatch,
        department=_department(body.department),
        reason_code=body.reason,
        note=body.note,
        stage=body.stage,
        expected_version=body.version,
    )


@router.post("/{number}/receive", summary="签收: the department takes the task on")
def receive(request, number: str, body: VersionIn):
    return _act(request, number, services.receive, note=body.note, expected_version=body.version)


@router.post("/{number}/reopen", summary="重新办理 after an unsatisfied 回访: back to the closing desk")
def reopen(request, number: str, body: VersionIn):
    return _act(request, number, services.reopen, reason_note=body.note, expected_version=body.version)


@router.post("/{number}/return", summary="回退: not this department's case")
def return_case(request, number: str, body: ReasonIn):
    return _act(
        request,
        number,
        services.return_case,
        reason_code=body.reason,
        note=body.note,
        expected_version=body.version,
    )


@router.post("/{number}/extension-requests", summary="Ask for more time (延期)")
def request_extension(request, number: str, body: ExtensionIn):
    _visible(request, number)
    req = services.request_extension(
        request.auth,
        number,
        reason_code=body.reason,
        extra_value=body.extra_value,
        extra_unit=body.extra_unit,
        note=body.note,
        expected_version=body.version,
    )
    return presenters.request_item(req)


@router.post("/{number}/suspend-requests", summary="Ask to move the case to the long-term ledger (挂账)")
def request_suspend(request, number: str, body: ReasonIn):
    _visible(request, number)
    req = services.request_suspend(
        request.auth, number, reason_code=body.reason, note=body.note, expected_version=body.version
    )
    return presenters.request_item(req)


@router.post("/{number}/resume", summary="Take the case out of the long-term ledger")
def resume(request, number: str, body: VersionIn):
    return _act(request, number, services.resume, note=body.note, expected_version=body.version)


@router.post("/{number}/feedback", summary="反馈 with photos after disposal (multipart)")
def feedback(
    request, number: str, version: Form[int], note: Form[str] = "", photos: File[list[UploadedFile]] = None
):
    return _act(request, number, services.feedback, note=note, photos=photos or [], expected_version=version)


@router.post(
    "/{number}/check",
    summary="核查 on the spot (multipart: version, passed, note, reason if not passed, photos[])",
)
def check(
    request,
    number: str,
    version: Form[int],
    passed: Form[bool],
    note: Form[str] = "",
    reason: Form[str] = "",
    photos: File[list[UploadedFile]] = None,
):
    return _act(
        request,
        number,
        services.check,
        passed=passed,
        note=note,
        reason_code=reason,
        photos=photos or [],
        expected_version=version,
    )


@router.post("/{number}/close", summary="结案 (the type's closing condition must be met)")
def close(request, number: str, body: CloseIn):
    return _act(
        request,
        number,
        services.close,
        meets_condition=body.meets_condition,
        note=body.note,
        expected_version=body.version,
    )


@router.post("/{number}/rework", summary="返工: back to the department")
def rework(request, number: str, body: ReasonIn):
    return _act(
        request,
        number,
        services.rework,
        reason_code=body.reason,
        note=body.note,
        expected_version=body.version,
    )


@router.post("/{number}/archive", summary="归档")
def archive(request, number: str, body: VersionIn):
    return _act(request, number, services.archive, expected_version=body.version)


@router.post("/{number}/cancel", summary="作废")
def cancel(request, number: str, body: ReasonIn):
    return _act(
        request,
        number,
        services.cancel,
        reason_code=body.reason,
        note=body.note,
        expected_version=body.version,
    )


@router.post("/{number}/urge", summary="督办")
def urge(request, number: str, body: UrgeIn):
    return _act(request, number, services.urge, note=body.note, expected_version=body.version)


@router.post("/{number}/claim", summary="Work on the case: others see you hold it")
def claim(request, number: str):
    return _act(request, number, services.claim)


@router.post("/{number}/release", summary="Stop holding the case")
def release(request, number: str):
    return _act(request, number, services.release)
