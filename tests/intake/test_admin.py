"""The channels in the maintenance console: an administrator creates an API client and sees
its key exactly once, deactivates it (audited), and reads the channel records with phone
numbers masked."""

import re

import pytest
from django.test import Client

from tests.factories import PASSWORD
from tests.org import build_org
from urbangrid.accounts.models import Role
from urbangrid.audit.models import AuditRecord
from urbangrid.cases import services as cases
from urbangrid.intake import clients
from urbangrid.intake.models import ApiClient, Call, FollowUp, Receipt


@pytest.fixture
def admin_client(make_user, db):
    user = make_user(Role.ADMIN, username="sysadmin")
    client = Client()
    assert client.login(username=user.username, password=PASSWORD)
    return client


def test_creating_a_client_shows_the_key_once_and_the_key_works(admin_client):
    resp = admin_client.post(
        "/admin/intake/apiclient/add/", {"name": "随手拍", "kind": "open311", "callback_url": ""}, follow=True
    )
    assert resp.status_code == 200
    client = ApiClient.objects.get(name="随手拍")
    shown = [str(m) for m in resp.context["messages"]]
    (message,) = [m for m in shown if client.key_prefix in m]
    raw = next(w for w in re.findall(r"[A-Za-z0-9_\-]{20,}", message) if w.startswith(client.key_prefix))
    assert clients.authenticate(raw, ApiClient.Kind.OPEN311) == client
    assert client.account.roles == {Role.CITIZEN}
    assert AuditRecord.objects.filter(action="intake.client_create", target_id=str(client.pk)).exists()
    # Never again: neither the change page nor the list carries the key.
    for path in ("/admin/intake/apiclient/", f"/admin/intake/apiclient/{client.pk}/change/"):
        page = admin_client.get(path).content.decode()
        assert raw not in page and client.key_digest not in page and client.key_prefix in page


def test_deactivating_is_audited_and_locks_the_key_out(admin_client):
    client, raw = clients.create_client(None, name="旧应用", kind=ApiClient.Kind.OPEN311)
    resp = admin_client.post(
        "/admin/intake/apiclient/",
        {"action": "deactivate", "_selected_action": [client.pk]},
        follow=True,
    )
    assert resp.status_code == 200
    client.refresh_from_db()
    assert client.active is False
    assert AuditRecord.objects.filter(action="config.update", target_type="intake.apiclient").exists()
    with pytest.raises(Exception, match="bad_api_key"):
        clients.authenticate(raw, ApiClient.Kind.OPEN311)


def test_kind_cannot_change_and_clients_cannot_be_deleted(admin_client):
    client, _raw = clients.create_client(None, name="应用", kind=ApiClient.Kind.OPEN311)
    admin_client.post(
        f"/admin/intake/apiclient/{client.pk}/change/",
        {"name": "应用改名", "kind": "machine", "callback_url": "", "active": "on"},
    )
    client.refresh_from_db()
    assert (client.name, client.kind) == ("应用改名", "open311")
    assert admin_client.get(f"/admin/intake/apiclient/{client.pk}/delete/").status_code == 403


def test_someone_without_admin_rights_cannot_create_clients(make_user, db):
    staff = make_user(Role.INTAKE, username="desk", is_staff=True)
    http = Client()
    assert http.login(username=staff.username, password=PASSWORD)
    http.post("/admin/intake/apiclient/add/", {"name": "x", "kind": "open311"})
    assert not ApiClient.objects.exists()


@pytest.mark.parametrize(
    "model",
    [
        "dutyshift",
        "position",
        "receipt",
        "followup",
        "call",
        "directive",
        "requestupdate",
        "evidence",
        "outboundupdate",
        "apiclient",
    ],
)
def test_lists_render_and_records_are_read_only(admin_client, model):
    assert admin_client.get(f"/admin/intake/{model}/").status_code == 200
    if model != "apiclient":
        assert admin_client.get(f"/admin/intake/{model}/add/").status_code == 403


def test_phone_numbers_are_masked_in_lists(admin_client, small_county, clock):
    o = build_org(small_county)
    case = cases.report_case(
        o.citizen,
        source="public",
        kind="matter",
        type_code="06010",
        description="垃圾",
        lon=120.001,
        lat=30.009,
    )
    now = clock.now()
    Receipt.objects.create(code="R1", case=case, phone="13912345678", created_at=now)
    FollowUp.objects.create(case=case, channel="phone", phone="13912345678", due_at=now)
    Call.objects.create(call_id="c1", caller="13912345678", started_at=now)
    for model in ("receipt", "followup", "call"):
        page = admin_client.get(f"/admin/intake/{model}/").content.decode()
        assert "139****5678" in page and "13912345678" not in page
    page = admin_client.get(f"/admin/intake/receipt/{Receipt.objects.get().pk}/change/").content.decode()
    assert "13912345678" not in page


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_console_shows_the_new_key_once_in_a_browser(page, make_user):
    from tests.browser import login, screenshot

    make_user(Role.ADMIN, username="sysadmin2")
    login(page, "sysadmin2")
    page.goto("/admin/intake/apiclient/add/")
    page.fill("input[name=name]", "随手拍小程序")
    page.select_option("select[name=kind]", "open311")
    screenshot(page, "intake-admin-apiclient-add")
    page.click("input[name=_save]")
    page.wait_for_load_state("networkidle")
    client = ApiClient.objects.get(name="随手拍小程序")
    message = page.locator(".messagelist").inner_text()
    assert client.key_prefix in message
    screenshot(page, "intake-admin-apiclient-key-shown")
    page.goto(f"/admin/intake/apiclient/{client.pk}/change/")
    assert client.key_prefix in page.content()
    screenshot(page, "intake-admin-apiclient-change")
    page.reload()
    assert page.locator(".messagelist").count() == 0  # the key is gone for good
