"""GeoReport v2 endpoints: discovery, services, service definitions, requests (search and
create), one request, tokens. Reading is public; creating needs an Open311 client's api_key.
The handlers only read parameters and shape answers: changes go through `services`."""

from django.conf import settings
from django.urls import reverse
from django.utils.translation import gettext as _

from urbangrid.cases.models import OPEN_STATES
from urbangrid.core import clock

from ..models import ServiceRequestToken
from . import definitions, params, public, services
from .access import client, endpoint
from .formats import Open311Error, render

SPECIFICATION = "http://wiki.open311.org/GeoReport_v2"
CHANGESET = "2026-11-26T00:00:00+08:00"  # when this endpoint's behaviour last changed
MAX_MEDIA = 6


@endpoint("GET")
def discovery(request, fmt):
    url = request.build_absolute_uri(reverse("open311:root"))
    return render(
        fmt,
        "discovery",
        {
            "changeset": CHANGESET,
            "contact": settings.URBANGRID.get("OPEN311_CONTACT")
            or _("The city management supervision and command centre"),
            "key_service": _("API keys are issued by the system administrator in the maintenance console."),
            "endpoints": [
                {
                    "specification": SPECIFICATION,
                    "url": url,
                    "changeset": CHANGESET,
                    "type": "production",
                    "formats": ["text/xml", "application/json"],
                }
            ],
        },
    )


@endpoint("GET")
def service_list(request, fmt):
    return render(fmt, "services", [definitions.service(t) for t in definitions.matter_types()])


@endpoint("GET")
def service_definition(request, fmt, service_code):
    return render(fmt, "service_definition", definitions.definition(definitions.get_type(service_code)))


@endpoint("GET", "POST")
def requests(request, fmt):
    if request.method == "POST":
        return _create(request, fmt)
    data = request.GET
    extensions = (params.get(data, "extensions") or "").lower() == "true"
    items = [public.request_item(c, request, extensions) for c in _search(data)]
    return render(fmt, "service_requests", items)


def _search(data):
    qs = public.cases()
    ids = params.listed(data, "service_request_id")
    if ids:  # overrides every other parameter (spec)
        return qs.filter(number__in=ids[: params.MAX_PAGE_SIZE]).order_by("-reported_at", "-id")
    codes = params.listed(data, "service_code")
    if codes:
        qs = qs.filter(type__code__in=codes)
    statuses = set(params.listed(data, "status"))
    if statuses - {"open", "closed"}:
        raise Open311Error(400, _("status must be open, closed, or both separated by a comma."))
    if statuses == {"open"}:
        qs = qs.filter(state__in=OPEN_STATES)
    elif statuses == {"closed"}:
        qs = qs.exclude(state__in=OPEN_STATES)
    after, before = params.when(data, "updated_after"), params.when(data, "updated_before")
    if after:
        qs = qs.filter(updated_at__gt=after)
    if before:
        qs = qs.filter(updated_at__lt=before)
    if not (after or before) or params.get(data, "start_date") or params.get(data, "end_date"):
        # An incremental sync by update time must see old requests changed lately.
        start, end = params.date_range(data, clock.now())
        qs = qs.filter(reported_at__gte=start, reported_at__lte=end)
    size = params.positive(data, "page_size", params.MAX_PAGE_SIZE, params.MAX_PAGE_SIZE)
    page = params.positive(data, "page", 1)
    return qs.order_by("-reported_at", "-id")[(page - 1) * size : page * size]


def _create(request, fmt):
    data = request.POST
    caller = client(request)
    code = params.get(data, "service_code")
    if code is None:
        raise Open311Error(400, _("service_code is required."))
    matter = definitions.get_type(code)
    lon, lat, address = params.location(data)
    description = params.get(data, "description") or ""
    if len(description) > services.MAX_DESCRIPTION:
        raise Open311Error(400, _("description may have at most 4000 characters."))
    attributes = definitions.posted_attributes(data)
    component, lines = definitions.check_attributes(matter, attributes)
    media_url = params.get(data, "media_url")
    if media_url and media_url.lower().startswith(("http://", "https://")):
        lines.append(_("Photo link: %(url)s") % {"url": media_url})
    photos = request.FILES.getlist("media[]") + request.FILES.getlist("media")
    if len(photos) > MAX_MEDIA:
        raise Open311Error(400, _("At most %(n)d photos per request.") % {"n": MAX_MEDIA})
    name = " ".join(filter(None, (params.get(data, "first_name"), params.get(data, "last_name"))))
    case, _token = services.submit_request(
        caller,
        services.Submission(
            matter=matter,
            lon=lon,
            lat=lat,
            description=description,
            address=address,
            component_code=component,
            attribute_lines=lines,
            photos=photos,
            reporter_name=name,
            reporter_phone=params.get(data, "phone") or "",
            external_ref=params.idempotency_key(request, attributes),
        ),
    )
    notice = _("Registered as case %(number)s; follow it with service_request_id.") % {"number": case.number}
    return render(
        fmt,
        "service_requests",
        [{"service_request_id": case.number, "service_notice": notice, "account_id": None}],
    )


@endpoint("GET")
def request_detail(request, fmt, request_id):
    case = public.cases().filter(number=request_id).first()
    if case is None:
        raise Open311Error(404, _("service_request_id %(id)s was not found.") % {"id": request_id})
    extensions = (params.get(request.GET, "extensions") or "").lower() == "true"
    return render(fmt, "service_requests", [public.request_item(case, request, extensions)])


@endpoint("GET")
def token(request, fmt, token):
    found = ServiceRequestToken.objects.select_related("case").filter(token=token).first()
    if found is None:
        raise Open311Error(404, _("token %(token)s was not found.") % {"token": token})
    return render(fmt, "service_requests", [{"service_request_id": found.case.number, "token": found.token}])
