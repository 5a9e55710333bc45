"""Errors a service raises on purpose. Each carries a machine-readable code, a message the
user can read (translated in the request's language) and the HTTP status an API answers with."""

from django.utils.translation import gettext_lazy as _


class ServiceError(Exception):
    status = 400
    default_code = "bad_request"
    default_message = _("The request cannot be carried out.")

    def __init__(self, code: str | None = None, message=None, **detail) -> None:
        self.code = code or self.default_code
        self.message = message or self.default_message
        self.detail = detail
        super().__init__(f"{self.code}: {self.message}")

    def as_dict(self) -> dict:
        body = {"code": self.code, "message": str(self.message)}
        body.update(self.detail)
        return body


class NotAuthenticated(ServiceError):
    status = 401
    default_code = "not_authenticated"
    default_message = _("Log in first.")


class PermissionDenied(ServiceError):
    status = 403
    default_code = "permission_denied"
    default_message = _("You may not do this.")


class NotFound(ServiceError):
    status = 404
    default_code = "not_found"
    default_message = _("Not found.")


class Conflict(ServiceError):
    status = 409
    default_code = "conflict"
    default_message = _("The data changed or is in a state that does not allow this.")


class Invalid(ServiceError):
    status = 422
    default_code = "invalid_input"
    default_message = _("The input is not valid.")
