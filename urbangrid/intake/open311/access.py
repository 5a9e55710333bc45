"""Who may call the Open311 endpoints and how: the format suffix, the method, the
jurisdiction, an Open311 client's api_key with its per-minute budget, and every failure
answered in the spec's error shape."""

from functools import wraps

from django.conf import settings
from django.core.cache import cache
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt

from urbangrid.core import clock
from urbangrid.core.errors import ServiceError

from .. import clients
from ..models import ApiClient
from . import params
from .formats import FORMATS, Open311Error, error

DEFAULT_JURISDICTION = "urbangrid.demo"
DEFAULT_RATE_PER_MINUTE = 60


def jurisdiction() -> str:
    return settings.URBANGRID.get("OPEN311_JURISDICTION", DEFAULT_JURISDICTION)


def endpoint(*methods):
    """Format suffix, method and jurisdiction_id checks, and every failure in the spec's shape."""

    def decorate(view):
        @csrf_exempt  # machine clients post with an api_key, not a browser session
        @wraps(view)
        def wrapper(request, fmt=None, **kwargs):
            fmt = (fmt or "").lower()
            try:
                if fmt not in FORMATS:
                    raise Open311Error(400, _("Add the format to the path: .xml or .json."))
                if request.method not in methods:
                    raise Open311Error(
                        405, _("This endpoint does not take %(method)s.") % {"method": request.method}
                    )
                given = params.get(request.POST, "jurisdiction_id") or params.get(
                    request.GET, "jurisdiction_id"
                )
                if given is not None and given != jurisdiction():
                    raise Open311Error(404, _("jurisdiction_id %(id)s was not found.") % {"id": given})
                return view(request, fmt, **kwargs)
            except ServiceError as exc:
                return error(fmt, Open311Error.from_service_error(exc))
            except Open311Error as exc:
                return error(fmt, exc)

        return wrapper

    return decorate


def client(request) -> ApiClient:
    """The active Open311 client whose api_key the request carries (form field or query)."""
    key = params.get(request.POST, "api_key") or params.get(request.GET, "api_key")
    if key is None:
        raise Open311Error(403, _("api_key is missing."))
    try:
        found = clients.authenticate(key, ApiClient.Kind.OPEN311)
    except ServiceError as exc:
        raise Open311Error(403, _("api_key is not valid.")) from exc
    _limit_rate(found)
    return found


def _limit_rate(client: ApiClient) -> None:
    """A leaked or looping client may not flood the centre: a fixed budget per key and minute."""
    most = settings.URBANGRID.get("OPEN311_RATE_PER_MINUTE", DEFAULT_RATE_PER_MINUTE)
    bucket = f"open311:rate:{client.pk}:{int(clock.now().timestamp() // 60)}"
    cache.add(bucket, 0, timeout=120)
    try:
        count = cache.incr(bucket)
    except ValueError:  # the bucket expired between add and incr
        count = 1
        cache.set(bucket, count, timeout=120)
    if count > most:
        raise Open311Error(429, _("Too many requests with this api_key; try again in a minute."))
