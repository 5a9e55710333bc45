"""JSON endpoints of the citizen app: for its own pages (types, address search, map data) and
for a phone app speaking to the same channel (report, follow, rate). Errors are
{"code", "message"} with the service's status: 422 bad input, 404 unknown receipt, 409 state,
429 too many reports (with Retry-After)."""

from django.http import JsonResponse
from django.utils.translation import gettext_lazy as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_POST

from urbangrid.core.errors import Invalid, ServiceError

from .. import followup, receipts
from . import maps, public, services, views


def error_response(exc: ServiceError) -> JsonResponse:
    response = JsonResponse(exc.as_dict(), status=exc.status)
    if exc.status == 429:
        response["Retry-After"] = str(exc.detail.get("retry_after", 3600))
    return response


@require_GET
def types(request):
    found = services.search_types(request.GET.get("q", ""))
    return JsonResponse({"items": [{"code": t.code, "name": t.name, "group": t.major_name} for t in found]})


@require_GET
def geocode(request):
    return JsonResponse({"items": maps.geocode(request.GET.get("q", ""))})


@require_GET
def areas(request):
    response = JsonResponse(maps.areas())
    response["Cache-Control"] = "public, max-age=3600"
    return response


@require_GET
def map_data(request):
    return JsonResponse({"items": public.map_items()})


def status(receipt) -> dict:
    c = views.receipt_context(receipt)
    return {
        "receipt": receipt.code,
        "stage": c["plain"]["stage"],
        "status": str(c["plain"]["words"]),
        "type": c["case"].type.name,
        "reported_at": receipt.case.reported_at.isoformat(),
        "merged": c["merged"],
        "milestones": [
            {"at": m["at"].isoformat(), "text": str(m["words"]), "department": m["department"]}
            for m in c["milestones"]
        ],
        "what_was_done": c["what_was_done"],
        "after_photos": [f"/citizen/r/{receipt.code}/photos/{p.pk}.jpg" for p in c["after_photos"]],
        "may_rate": c["rating"]["open"],
        "phone": c["masked_phone"],
    }


@csrf_exempt  # no session or cookie grants anything here; the device id only counts reports
@require_POST
def submit(request):
    try:
        receipt, created = services.submit(
            device_id=views.device_id(request),
            submission_id=request.POST.get("submission_id", ""),
            type_code=request.POST.get("type_code", ""),
            description=request.POST.get("description", ""),
            lon=request.POST.get("lon"),
            lat=request.POST.get("lat"),
            crs=request.POST.get("crs", "wgs84"),
            photos=request.FILES.getlist("photos"),
            phone=request.POST.get("phone", ""),
            address=request.POST.get("address", ""),
        )
    except ServiceError as exc:
        return error_response(exc)
    return JsonResponse(status(receipt), status=201 if created else 200)


@require_GET
def receipt(request, code: str):
    try:
        return JsonResponse(status(receipts.find(code)))
    except ServiceError as exc:
        return error_response(exc)


@csrf_exempt
@require_POST
def rating(request, code: str):
    satisfied = request.POST.get("satisfied")
    try:
        if satisfied not in ("0", "1"):
            raise Invalid("satisfied_required", _("Say whether you are satisfied (1) or not (0)."))
        followup.rate(code, satisfied=satisfied == "1", reason=request.POST.get("reason", ""))
        return JsonResponse(status(receipts.find(code)))
    except ServiceError as exc:
        return error_response(exc)
