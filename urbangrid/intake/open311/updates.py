"""mySociety's servicerequestupdates (the FixMyStreet extension): a client fetches the
public steps of the requests it sent, in FixMyStreet's extended statuses, and posts
comments and photos on public requests."""

from django.utils.translation import gettext as _

from urbangrid.cases.models import PUBLIC_SOURCES, CaseAction
from urbangrid.core import clock

from . import params, public, services
from .access import client, endpoint
from .formats import Open311Error, render, w3c


@endpoint("GET", "POST")
def request_updates(request, fmt):
    caller = client(request)
    if request.method == "POST":
        return _post_update(request, fmt, caller)
    start, end = params.date_range(request.GET, clock.now())
    entries = (
        CaseAction.objects.filter(
            case__reporter=caller.account, case__source__in=PUBLIC_SOURCES, at__gte=start, at__lte=end
        )
        .select_related("case", "reason", "department")
        .order_by("at", "id")[: params.MAX_PAGE_SIZE]
    )
    items = []
    for a in entries:
        text = public.note_text(a)
        if text:
            items.append(
                {
                    "update_id": str(a.pk),
                    "service_request_id": a.case.number,
                    "status": public.extended_status_of(a.to_state, a.reason.code if a.reason_id else ""),
                    "updated_datetime": w3c(a.at),
                    "description": text,
                    "media_url": public.action_photo_url(a, request),
                    "external_status_code": a.to_state,
                }
            )
    return render(fmt, "service_request_updates", items)


def _post_update(request, fmt, caller):
    data = request.POST
    number = params.get(data, "service_request_id")
    if number is None:
        raise Open311Error(400, _("service_request_id is required."))
    photos = request.FILES.getlist("media") + request.FILES.getlist("media[]")
    if len(photos) > 1:
        raise Open311Error(400, _("At most one photo per update."))
    name = " ".join(filter(None, (params.get(data, "first_name"), params.get(data, "last_name"))))
    update = services.add_update(
        caller,
        number,
        description=params.get(data, "description") or "",
        author=name,
        photo=photos[0] if photos else None,
        external_id=params.idempotency_key(request, {}),
    )
    return render(fmt, "service_request_updates", [{"update_id": str(update.pk)}])
