"""The audit trail's client address: the connecting address, unless a configured reverse proxy
forwards the client's own."""

import json

import pytest
from django.test import Client

from tests.factories import PASSWORD
from urbangrid.audit.models import AuditRecord

pytestmark = pytest.mark.django_db


def token_issued_from(client_kwargs) -> str:
    Client().post(
        "/api/v1/auth/token",
        json.dumps({"username": "clerk", "password": PASSWORD}),
        content_type="application/json",
        **client_kwargs,
    )
    return AuditRecord.objects.filter(action="token.issue").latest("seq").client_addr


def test_a_forged_forwarding_header_is_not_believed(make_user):
    make_user("intake", username="clerk")
    assert (
        token_issued_from({"REMOTE_ADDR": "203.0.113.9", "HTTP_X_FORWARDED_FOR": "10.1.1.1"}) == "203.0.113.9"
    )


def test_the_trusted_proxy_names_the_client(make_user, settings):
    settings.URBANGRID = {**settings.URBANGRID, "TRUSTED_PROXIES": ["10.0.0.2"]}
    make_user("intake", username="clerk")
    forwarded = {"REMOTE_ADDR": "10.0.0.2", "HTTP_X_FORWARDED_FOR": "1.2.3.4, 198.51.100.7"}
    # The proxy appends the address it saw; an earlier entry is whatever the client claimed.
    assert token_issued_from(forwarded) == "198.51.100.7"
