"""Directives from above: recorded with their case, listed with the time left to the issuer's
reply deadline (its own clock), overdue once it passes, replied only after closing."""

from datetime import datetime, timedelta

import pytest

from tests.browser import PASSWORD
from urbangrid.cases.models import Case, Source
from urbangrid.core.errors import Conflict, Invalid, PermissionDenied
from urbangrid.intake import directives
from urbangrid.intake.hotline.views.directives import duration_text

from .loop import close_case

pytestmark = pytest.mark.django_db


def record(org, clock, **kw):
    fields = {
        "source": Source.ASSIGNED,
        "issuer": "市数字城管中心",
        "document_number": "市城管交〔2026〕17号",
        "reply_due_at": clock.now() + timedelta(days=3),
        "kind": "matter",
        "type_code": "06010",
        "description": "城西街道垃圾箱满溢，请核查处理并回复",
        "lon": org.west_point[0],
        "lat": org.west_point[1],
        **kw,
    }
    return directives.create(fields.pop("actor", org.intake), **fields)


def test_a_directive_is_overdue_on_its_own_clock(org, clock):
    d = record(org, clock)
    assert d.case.source == Source.ASSIGNED and d.case.external_ref == "市城管交〔2026〕17号"
    [row] = directives.listing(org.shift)
    assert row.left == timedelta(days=3) and not row.overdue and not row.may_reply
    clock.advance(timedelta(days=2, hours=1))
    [row] = directives.listing(org.shift)
    assert row.due_soon and not row.overdue
    clock.advance(timedelta(days=1))
    [row] = directives.listing(org.shift)
    assert row.overdue and row.left == -timedelta(hours=1)


def test_the_same_document_twice_is_one_directive(org, clock):
    first = record(org, clock)
    assert record(org, clock) == first
    assert Case.objects.count() == 1


def test_bad_directives_are_refused(org, clock):
    with pytest.raises(Invalid) as err:
        record(org, clock, reply_due_at=clock.now() - timedelta(hours=1))
    assert err.value.code == "bad_reply_due"
    with pytest.raises(Invalid):
        record(org, clock, issuer=" ")
    with pytest.raises(Invalid):
        record(org, clock, source=Source.HOTLINE_12319)
    with pytest.raises(PermissionDenied):
        record(org, clock, actor=org.dispatcher)
    assert not Case.objects.exists()


def test_the_reply_waits_for_closing_and_is_sent_once(org, clock):
    d = record(org, clock, source=Source.LEADER, issuer="县长", document_number="批示-88")
    with pytest.raises(Conflict) as err:
        directives.reply(org.intake, d.pk, text="已处理完毕")
    assert err.value.code == "case_not_closed"
    close_case(org, d.case.number)
    [row] = directives.listing(org.intake)
    assert row.may_reply
    clock.advance(timedelta(days=4))  # a day after the deadline
    directives.reply(org.intake, d.pk, text="已清运完毕，特此回复")
    with pytest.raises(Conflict):
        directives.reply(org.intake, d.pk, text="again")
    assert directives.listing(org.intake) == []
    [done] = directives.listing(org.intake, show="replied")
    assert done.overdue  # replied, but late


def test_the_pages_list_record_and_reply(client, org, clock):
    assert client.login(username=org.shift.username, password=PASSWORD)
    resp = client.post(
        "/hotline/directives/new/",
        {
            "directive_source": "assigned",
            "issuer": "市数字城管中心",
            "document_number": "交办-1",
            "reply_due_at": "2026-11-27T09:00",
            "kind": "matter",
            "type": "06010",
            "urgency": "normal",
            "description": "垃圾箱满溢",
            "lon": org.west_point[0],
            "lat": org.west_point[1],
        },
    )
    assert resp.status_code == 302, resp.content.decode()[-2000:]
    d = directives.Directive.objects.get()
    assert d.reply_due_at == datetime.fromisoformat("2026-11-27T09:00+08:00")
    html = client.get("/hotline/directives/").content.decode()
    assert "交办-1" in html and duration_text(timedelta(hours=23)) in html
    clock.advance(timedelta(days=1))
    html = client.get("/hotline/directives/").content.decode()
    assert 'class="overdue"' in html
    assert client.post(f"/hotline/directives/{d.pk}/reply/", {"reply": "x"}).status_code == 302
    d.refresh_from_db()
    assert d.replied_at is None  # the case is not closed: refused, shown as a message


def test_other_roles_cannot_use_the_directive_pages(client, org):
    assert client.login(username=org.dispatcher.username, password=PASSWORD)
    assert client.get("/hotline/directives/").status_code == 403
    assert client.get("/hotline/directives/new/").status_code == 403
