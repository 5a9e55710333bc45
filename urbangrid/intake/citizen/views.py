"""The citizen app's pages (市民通): report, follow by receipt number, rate, the public map.
No login: the device id (a cookie, mirrored in localStorage by the page) only counts reports."""

import secrets
import uuid

from django.core.files.storage import default_storage
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from urbangrid.accounts.privacy import mask_phone
from urbangrid.cases.models import CasePhoto
from urbangrid.core.errors import NotFound, ServiceError

from .. import followup, receipts
from . import maps, public, services
from .forms import ReportForm
from .photos import public_copy

DEVICE_COOKIE = "ug_device"
DEVICE_MAX_AGE = 2 * 365 * 24 * 3600


def device_id(request) -> str:
    return request.COOKIES.get(DEVICE_COOKIE) or request.headers.get("X-Device-Id", "")


def with_device(request, response):
    """Give a new device its id (the page copies it to localStorage and back, so clearing
    cookies alone does not make a new device)."""
    if not request.COOKIES.get(DEVICE_COOKIE):
        response.set_cookie(
            DEVICE_COOKIE, secrets.token_urlsafe(16), max_age=DEVICE_MAX_AGE, samesite="Lax", httponly=False
        )
    return response


def home(request):
    return with_device(request, render(request, "intake/citizen/home.html"))


def report(request):
    status = 200
    if request.method == "POST":
        form = ReportForm(request.POST, request.FILES)
        if form.is_valid():
            d = form.cleaned_data
            try:
                receipt, _created = services.submit(
                    device_id=device_id(request),
                    submission_id=d["submission_id"],
                    type_code=d["type_code"],
                    description=d["description"],
                    lon=d["lon"],
                    lat=d["lat"],
                    photos=d["photos"],
                    phone=d["phone"],
                    address=d["address"],
                )
            except ServiceError as exc:
                form.refuse(exc)
                status = exc.status
            else:
                return redirect(reverse("citizen:receipt", args=[receipt.code]) + "?new=1")
        else:
            status = 422
    else:
        form = ReportForm(initial={"submission_id": uuid.uuid4().hex})
    chosen = services.matter_type_or_none(form["type_code"].value())
    context = {
        "form": form,
        "common_types": services.common_types(),
        "chosen_type": chosen,
        "map_config": maps.config(),
    }
    return with_device(request, render(request, "intake/citizen/report.html", context, status=status))


def follow(request):
    """The receipt number typed in (or pasted): to the report's page."""
    code = request.GET.get("code", "")
    error = None
    if code:
        try:
            return redirect("citizen:receipt", code=receipts.find(code).code)
        except NotFound as exc:
            error = exc.message
    return render(
        request, "intake/citizen/follow.html", {"code": code, "error": error}, status=404 if error else 200
    )


def receipt_context(receipt) -> dict:
    case = receipts.followed_case(receipt)
    return {
        "receipt": receipt,
        "code_grouped": receipts.grouped(receipt.code),
        "case": case,
        "merged": case.pk != receipt.case_id,
        "plain": public.plain_state(case),
        "milestones": public.milestones(receipt, case),
        "report_photos": list(receipt.case.photos.filter(stage=CasePhoto.Stage.REPORT)),
        "after_photos": public.after_photos(case) if public.plain_state(case)["stage"] == public.DONE else [],
        "what_was_done": public.what_was_done(case) if case.closed_at else "",
        "rating": public.rating(receipt, case),
        "masked_phone": mask_phone(receipt.phone),
    }


def receipt_page(request, code: str):
    try:
        receipt = receipts.find(code)
    except NotFound as exc:
        return render(request, "intake/citizen/follow.html", {"code": code, "error": exc.message}, status=404)
    context = {**receipt_context(receipt), "new": request.GET.get("new") == "1"}
    return with_device(request, render(request, "intake/citizen/receipt.html", context))


@require_POST
def rate(request, code: str):
    satisfied = request.POST.get("satisfied") == "1"
    reason = request.POST.get("reason", "")
    try:
        followup.rate(code, satisfied=satisfied, reason=reason)
    except ServiceError as exc:
        try:
            receipt = receipts.find(code)
        except NotFound:
            raise Http404 from exc
        context = {**receipt_context(receipt), "rate_error": exc.message, "reason": reason}
        return render(request, "intake/citizen/receipt.html", context, status=exc.status)
    return redirect(reverse("citizen:receipt", args=[receipts.normalize(code)]) + "?rated=1")


def photo(request, code: str, pk: int):
    """A photo of the report or of the work done, as a copy without EXIF; only through the
    receipt that may see it (photo ids alone open nothing)."""
    try:
        receipt = receipts.find(code)
    except NotFound as exc:
        raise Http404 from exc
    context = receipt_context(receipt)
    allowed = {p.pk: p for p in context["report_photos"] + context["after_photos"]}
    if pk not in allowed:
        raise Http404
    response = FileResponse(default_storage.open(public_copy(allowed[pk]), "rb"), content_type="image/jpeg")
    response["Cache-Control"] = "private, max-age=86400"
    return response


def map_page(request):
    context = {"map_config": maps.config(), "days": public.setting("CITIZEN_MAP_DAYS", 90)}
    return with_device(request, render(request, "intake/citizen/map.html", context))


def manifest(request):
    return render(request, "intake/citizen/manifest.webmanifest", content_type="application/manifest+json")
