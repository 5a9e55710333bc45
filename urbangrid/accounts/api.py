from ninja import Router, Schema
from ninja.security import HttpBearer, SessionAuth

from urbangrid.core import clock

from . import services
from .models import ApiToken
from .permissions import scope_of


class BearerAuth(HttpBearer):
    def authenticate(self, request, token):
        user = services.user_for_token(token)
        if user is not None:
            ApiToken.objects.filter(digest=services.token_digest(token)).update(last_used_at=clock.now())
            request.user = user
        return user


class UserSessionAuth(SessionAuth):
    """The operator web pages call the API with their login session (CSRF-checked)."""


API_AUTH = [BearerAuth(), UserSessionAuth()]

auth_router = Router(tags=["auth"])


class TokenIn(Schema):
    username: str
    password: str


class TokenOut(Schema):
    token: str
    expires_at: str


@auth_router.post(
    "/token", auth=None, response=TokenOut, summary="Exchange user name and password for a bearer token"
)
def token(request, body: TokenIn):
    key, tok = services.issue_token(body.username, body.password)
    return {"token": key, "expires_at": tok.expires_at.isoformat()}


class MeOut(Schema):
    username: str
    full_name: str
    roles: list[str]
    department: str | None
    scope_everything: bool
    scope_areas: list[str]


@auth_router.get("/me", response=MeOut, summary="Who the token belongs to, with roles and data scope")
def me(request):
    user = request.auth
    scope = scope_of(user)
    return {
        "username": user.username,
        "full_name": user.full_name,
        "roles": sorted(user.roles),
        "department": user.department.code if user.department else None,
        "scope_everything": scope.everything,
        "scope_areas": sorted(scope.division_codes),
    }
