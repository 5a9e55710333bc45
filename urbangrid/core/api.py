"""What every API router shares: JSON errors with a machine-readable code, and the WGS84 edge."""

from django.http import Http404
from django.utils.translation import gettext as _
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as NinjaValidationError

from .errors import ServiceError


def install_error_handlers(api: NinjaAPI) -> None:
    @api.exception_handler(ServiceError)
    def service_error(request, exc: ServiceError):
        return api.create_response(request, exc.as_dict(), status=exc.status)

    @api.exception_handler(NinjaValidationError)
    def validation_error(request, exc: NinjaValidationError):
        errors = [
            {"loc": [str(p) for p in e.get("loc", [])], "msg": e.get("msg", ""), "type": e.get("type", "")}
            for e in exc.errors
        ]
        body = {"code": "invalid_input", "message": _("The input is not valid."), "errors": errors}
        return api.create_response(request, body, status=422)

    @api.exception_handler(AuthenticationError)
    def auth_error(request, exc):
        body = {
            "code": "not_authenticated",
            "message": _("A valid bearer token or login session is required."),
        }
        return api.create_response(request, body, status=401)

    @api.exception_handler(Http404)
    def not_found(request, exc):
        return api.create_response(request, {"code": "not_found", "message": _("Not found.")}, status=404)

    @api.exception_handler(HttpError)
    def http_error(request, exc: HttpError):
        return api.create_response(
            request, {"code": "http_error", "message": str(exc)}, status=exc.status_code
        )


ERROR_SCHEMA = {
    "title": "Error",
    "type": "object",
    "required": ["code", "message"],
    "properties": {
        "code": {"type": "string", "description": "machine-readable, e.g. illegal_transition"},
        "message": {
            "type": "string",
            "description": "for people, Chinese unless Accept-Language asks otherwise",
        },
        "state": {"type": "string", "description": "409 on a case: its current state"},
        "version": {"type": "integer", "description": "409 on a case: its current version"},
    },
    "additionalProperties": True,
}
ERROR_STATUSES = {
    "401": "Not signed in, or the token is unknown or expired.",
    "403": "Your role or data scope does not allow this.",
    "404": "No such object.",
    "409": "The object's state does not allow this, or someone changed it first.",
    "422": "The input is not valid.",
}


class UrbanGridAPI(NinjaAPI):
    """Documents the one error shape on every operation, so clients can rely on it."""

    def get_openapi_schema(self, *args, **kwargs):
        schema = super().get_openapi_schema(*args, **kwargs)
        schema.setdefault("components", {}).setdefault("schemas", {})["Error"] = ERROR_SCHEMA
        content = {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}
        for operations in schema.get("paths", {}).values():
            for operation in operations.values():
                responses = operation.setdefault("responses", {})
                for status, description in ERROR_STATUSES.items():
                    responses.setdefault(status, {"description": description, "content": content})
        return schema
