"""Changes to departments, users and API tokens."""

import hashlib
import secrets
from datetime import timedelta

from django.conf import settings
from django.contrib.auth import authenticate
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from urbangrid.audit import services as audit
from urbangrid.core import clock
from urbangrid.core.errors import Invalid, NotAuthenticated

from .models import ApiToken, Department, Role, RoleGrant, User


def token_digest(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


@transaction.atomic
def issue_token(username: str, password: str) -> tuple[str, ApiToken]:
    user = authenticate(username=username, password=password)
    if user is None or not user.is_active:
        raise NotAuthenticated("bad_credentials", _("Wrong user name or password."))
    key = secrets.token_urlsafe(32)
    now = clock.now()
    token = ApiToken.objects.create(
        user=user,
        digest=token_digest(key),
        created_at=now,
        expires_at=now + timedelta(days=settings.URBANGRID["API_TOKEN_TTL_DAYS"]),
    )
    audit.append(user, "token.issue", "user", user.username, {"token_id": token.pk})
    return key, token


def user_for_token(key: str) -> User | None:
    token = ApiToken.objects.select_related("user").filter(digest=token_digest(key)).first()
    if token is None or token.expires_at <= clock.now() or not token.user.is_active:
        return None
    return token.user


@transaction.atomic
def save_department(actor, *, code: str, name: str, kind: str, **fields) -> Department:
    """Create or update a department by its code."""
    if kind not in Department.Kind.values:
        raise Invalid("bad_department_kind", _("Unknown department kind."), kind=kind)
    service_areas = fields.pop("service_areas", None)
    dept, created = Department.objects.update_or_create(
        code=code, defaults={"name": name, "kind": kind, **fields}
    )
    if service_areas is not None:
        dept.service_areas.set(service_areas)
    audit.append(
        actor,
        "department.create" if created else "department.update",
        "department",
        code,
        {"name": name, "kind": kind},
    )
    return dept


@transaction.atomic
def save_user(
    actor,
    *,
    username: str,
    password: str | None = None,
    roles=(),
    department: Department | None = None,
    areas=(),
    full_name: str = "",
    phone: str = "",
    is_staff: bool = False,
) -> User:
    """Create or update a user with their roles and data scope."""
    unknown = set(roles) - set(Role.values)
    if unknown:
        raise Invalid("bad_role", _("Unknown role."), roles=sorted(unknown))
    user, created = User.objects.get_or_create(username=username)
    user.full_name = full_name
    user.phone = phone
    user.department = department
    user.is_staff = is_staff or Role.ADMIN in roles
    if password:
        user.set_password(password)
    user.save()
    RoleGrant.objects.filter(user=user).exclude(role__in=roles).delete()
    for role in roles:
        RoleGrant.objects.get_or_create(user=user, role=role)
    user.areas.set(areas)
    user.forget_roles()
    audit.append(
        actor,
        "user.create" if created else "user.update",
        "user",
        username,
        {
            "roles": sorted(roles),
            "department": department.code if department else None,
            "areas": [a.code for a in areas],
        },
    )
    return user
