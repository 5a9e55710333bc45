"""The app's pages: the shell (supervisors only, others get a refusal page), the installable
app's manifest, and the service worker that must be served from /field/ to control it."""

import json

import pytest
from django.test import Client

from urbangrid.accounts.models import User

pytestmark = pytest.mark.django_db


def test_the_app_asks_for_a_login_and_comes_back(org):
    resp = Client().get("/field/")
    assert resp.status_code == 302 and resp["Location"] == "/accounts/login/?next=/field/"


def test_a_supervisor_gets_the_app_with_its_settings(org, settings):
    settings.URBANGRID = {**settings.URBANGRID, "FIELD_POSITION_SECONDS": 15}
    client = Client()
    client.force_login(org.sup)
    resp = client.get("/field/")
    assert resp.status_code == 200
    config = resp.context["field_config"]
    assert config["positionSeconds"] == 15 and config["user"] == "sup_w"
    assert 'rel="manifest"' in resp.content.decode()


@pytest.mark.parametrize("username", ["intake1", "shift1", "szgs1", "citizen1"])
def test_other_roles_get_a_refusal_page(org, username):
    client = Client()
    client.force_login(User.objects.get(username=username))
    resp = client.get("/field/")
    assert resp.status_code == 403
    assert 'data-code="supervisors_only"' in resp.content.decode()


def test_the_manifest_makes_an_installable_app(org):
    resp = Client().get("/field/manifest.webmanifest")
    body = json.loads(resp.content)
    assert resp["Content-Type"].startswith("application/manifest+json")
    assert body["start_url"] == body["scope"] == "/field/" and body["display"] == "standalone"
    assert {i["sizes"] for i in body["icons"]} == {"192x192", "512x512"}


def test_the_service_worker_is_served_for_the_whole_app(org):
    resp = Client().get("/field/sw.js")
    text = resp.content.decode()
    assert resp["Content-Type"].startswith("application/javascript")
    assert resp["Service-Worker-Allowed"] == "/field/"
    assert "no-cache" in resp["Cache-Control"] or "max-age=0" in resp["Cache-Control"]
    assert '"/static/intake/field/app.js"' in text and '"/field/"' in text
    assert "&quot;" not in text  # the shell list is real JSON, not escaped HTML
