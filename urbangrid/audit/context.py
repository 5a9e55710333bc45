"""Who is asking, from where: set once per request (or CLI run) and read by every audit append."""

import contextvars
from dataclasses import dataclass

from django.conf import settings


@dataclass(frozen=True)
class Origin:
    client_addr: str = ""
    device: str = ""


_origin: contextvars.ContextVar[Origin] = contextvars.ContextVar("audit_origin", default=Origin())  # noqa: B039 (frozen)


def current() -> Origin:
    return _origin.get()


def set_origin(origin: Origin) -> contextvars.Token:
    return _origin.set(origin)


def reset_origin(token: contextvars.Token) -> None:
    _origin.reset(token)


class OriginMiddleware:
    """Records the client address and user agent of each request for the audit trail."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        addr = request.META.get("REMOTE_ADDR", "")
        if addr in settings.URBANGRID["TRUSTED_PROXIES"]:
            # Only our own reverse proxy may say who the client was; anyone else could forge it.
            addr = request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")[-1].strip() or addr
        device = request.headers.get("X-Device-Id") or request.headers.get("User-Agent", "")
        token = set_origin(Origin(client_addr=addr[:64], device=device[:200]))
        try:
            return self.get_response(request)
        finally:
            reset_origin(token)
