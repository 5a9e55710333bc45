"""GeoReport v2 on the wire: one document, two spellings. XML (required by the spec) names
each collection's items; JSON (the Spark mapping) makes every collection a top-level array.
Errors are `<errors><error><code/><description/></error></errors>` or their JSON array."""

import json
import xml.etree.ElementTree as ET
from datetime import datetime

from django.http import HttpResponse
from django.utils import timezone

from urbangrid.core.errors import NotAuthenticated, NotFound, PermissionDenied, ServiceError

FORMATS = {"xml": "text/xml; charset=utf-8", "json": "application/json; charset=utf-8"}
# The XML name of one item of each collection.
ITEM = {
    "services": "service",
    "service_requests": "request",
    "attributes": "attribute",
    "values": "value",
    "endpoints": "endpoint",
    "formats": "format",
    "errors": "error",
    "service_request_updates": "request_update",
    "notes": "note",
    "photos": "photo",
}


class Open311Error(Exception):
    """An answer in the spec's error shape: HTTP 404 for unknown things, 403 for a bad
    api_key, 400 for anything else."""

    def __init__(self, status: int, description) -> None:
        self.status = status
        self.description = str(description)
        super().__init__(self.description)

    @classmethod
    def from_service_error(cls, exc: ServiceError) -> "Open311Error":
        if isinstance(exc, NotAuthenticated | PermissionDenied):
            status = 403
        elif isinstance(exc, NotFound):
            status = 404
        else:
            status = 400
        return cls(status, _message(exc))


def _message(exc: ServiceError) -> str:
    """The service's message, with the per-field messages an attribute check gives."""
    text = str(exc.message)
    errors = exc.detail.get("errors")
    if isinstance(errors, dict) and errors:
        text += " " + "; ".join(f"{k}: {v}" for k, v in errors.items())
    return text


def w3c(value: datetime | None) -> str | None:
    """W3C date-time with the Asia/Shanghai offset (+08:00), as the spec wants a time zone."""
    if value is None:
        return None
    return timezone.localtime(value).isoformat(timespec="seconds")


def _scalar(value) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def _fill(element: ET.Element, value) -> None:
    if value is None:
        return
    if isinstance(value, dict):
        for key, item in value.items():
            _fill(ET.SubElement(element, key), item)
    elif isinstance(value, list):
        child = ITEM.get(element.tag, "item")
        for item in value:
            _fill(ET.SubElement(element, child), item)
    else:
        element.text = _scalar(value)


def to_xml(root: str, value) -> bytes:
    element = ET.Element(root)
    _fill(element, value)
    body = ET.tostring(element, encoding="unicode")
    return f'<?xml version="1.0" encoding="utf-8"?>\n{body}'.encode()


def render(fmt: str, root: str, value, status: int = 200) -> HttpResponse:
    """`value` as the `root` document in `fmt`: a list is a collection (a JSON array)."""
    body = json.dumps(value, ensure_ascii=False).encode() if fmt == "json" else to_xml(root, value)
    return HttpResponse(body, status=status, content_type=FORMATS.get(fmt, FORMATS["xml"]))


def error(fmt: str, exc: Open311Error) -> HttpResponse:
    # The body's code repeats the HTTP status, as the spec's examples do.
    return render(
        fmt if fmt in FORMATS else "xml",
        "errors",
        [{"code": exc.status, "description": exc.description}],
        status=exc.status,
    )
