"""API clients (Open311 apps, the 12345 platform, machine sources): keys and service accounts.

A key is shown once when the client is created; only its SHA-256 is stored. Each client reports
as its own service account, so the case trail says which system a report came from and the
usual role checks apply (Open311 clients report as citizens, 12345 and machines as a desk)."""

import hashlib
import secrets

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from urbangrid.accounts.models import Role, RoleGrant, User
from urbangrid.audit import services as audit
from urbangrid.core import clock
from urbangrid.core.errors import NotAuthenticated

from .models import ApiClient

ACCOUNT_ROLE = {
    ApiClient.Kind.OPEN311: Role.CITIZEN,
    ApiClient.Kind.TRANSFER_12345: Role.INTAKE,
    ApiClient.Kind.MACHINE: Role.INTAKE,
    ApiClient.Kind.TELEPHONY: Role.INTAKE,
}


def digest(raw_key: str) -> str:
    return hashlib.sha256(raw_key.encode()).hexdigest()


@transaction.atomic
def create_client(
    actor, *, name: str, kind: str, callback_url: str = "", raw_key: str = ""
) -> tuple[ApiClient, str]:
    """Create a client and its service account; returns the client and the raw key (shown once).
    `raw_key` is for the demo county only, whose keys are printed in the README."""
    raw = raw_key or secrets.token_urlsafe(24)
    account = User.objects.create(
        username=f"api-{kind}-{secrets.token_hex(4)}", full_name=name[:50], is_active=True
    )
    account.set_unusable_password()  # a service account never logs in to the web pages
    account.save(update_fields=["password"])
    RoleGrant.objects.create(user=account, role=ACCOUNT_ROLE[kind])
    client = ApiClient.objects.create(
        name=name,
        kind=kind,
        key_digest=digest(raw),
        key_prefix=raw[:8],
        account=account,
        callback_url=callback_url,
        created_at=clock.now(),
    )
    audit.append(actor, "intake.client_create", "api_client", client.pk, {"name": name, "kind": kind})
    return client, raw


def authenticate(raw_key: str | None, *kinds: str) -> ApiClient:
    """The active client holding `raw_key`, of one of `kinds`; NotAuthenticated otherwise."""
    if raw_key:
        client = (
            ApiClient.objects.select_related("account")
            .filter(key_digest=digest(raw_key), active=True, kind__in=kinds)
            .first()
        )
        if client is not None:
            return client
    raise NotAuthenticated("bad_api_key", _("A valid API key is required."))
