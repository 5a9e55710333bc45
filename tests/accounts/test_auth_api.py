from datetime import timedelta

import pytest

from urbangrid.audit.models import AuditRecord


@pytest.mark.django_db
def test_token_then_me(make_user, api_client):
    user = make_user("dispatcher", username="paiqian")
    api = api_client(user)
    resp = api.get("/api/v1/auth/me")
    assert resp.status_code == 200
    assert resp.json()["roles"] == ["dispatcher"]
    assert resp.json()["scope_everything"] is True
    assert AuditRecord.objects.filter(action="token.issue", target_id="paiqian").exists()


@pytest.mark.django_db
def test_wrong_password_is_401_with_a_code(make_user, api_client):
    make_user("intake", username="shouli")
    resp = api_client().post("/api/v1/auth/token", {"username": "shouli", "password": "nope"})
    assert resp.status_code == 401
    assert resp.json()["code"] == "bad_credentials"
    assert resp.json()["message"] == "用户名或密码错误。"


@pytest.mark.django_db
def test_missing_or_garbage_token_is_401(api_client):
    resp = api_client().get("/api/v1/auth/me")
    assert resp.status_code == 401 and resp.json()["code"] == "not_authenticated"
    resp = api_client().get("/api/v1/auth/me", Authorization="Bearer not-a-token")
    assert resp.status_code == 401


@pytest.mark.django_db
def test_expired_token_is_refused(make_user, api_client, clock):
    api = api_client(make_user("leader"))
    assert api.get("/api/v1/auth/me").status_code == 200
    clock.advance(timedelta(days=31))
    assert api.get("/api/v1/auth/me").status_code == 401


@pytest.mark.django_db
def test_malformed_body_is_422_with_field_errors(api_client):
    resp = api_client().post("/api/v1/auth/token", {"username": "x"})
    assert resp.status_code == 422
    body = resp.json()
    assert body["code"] == "invalid_input"
    assert any("password" in e["loc"] for e in body["errors"])


@pytest.mark.django_db
def test_english_messages_on_request(make_user, api_client):
    resp = api_client().post(
        "/api/v1/auth/token", {"username": "x", "password": "y"}, **{"Accept-Language": "en"}
    )
    assert resp.json()["message"] == "Wrong user name or password."
