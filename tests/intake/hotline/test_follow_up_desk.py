"""The follow-up desk: a closed hotline case's call is listed when due, its result recorded;
unsatisfied reopens the case; other roles are refused."""

from datetime import timedelta

import pytest

from tests.browser import PASSWORD
from urbangrid.cases.models import State
from urbangrid.intake import followup
from urbangrid.intake.models import FollowUp

from .loop import close_case, hotline_report

pytestmark = pytest.mark.django_db


@pytest.fixture
def due(org, clock):
    case = hotline_report(org, "13900006666")
    close_case(org, case.number)
    assert followup.schedule_due() == 1
    clock.advance(timedelta(days=3))
    return FollowUp.objects.get(case=case)


def test_due_calls_are_listed_and_an_unsatisfied_result_reopens_the_case(client, org, due):
    assert client.login(username=org.intake.username, password=PASSWORD)
    html = client.get("/hotline/follow-ups/").content.decode()
    assert due.case.number in html and "13900006666" in html
    resp = client.post(f"/hotline/follow-ups/{due.pk}/", {"result": "unsatisfied", "note": "垃圾箱还是满的"})
    assert resp.status_code == 302
    due.refresh_from_db()
    assert due.result == "unsatisfied" and due.operator == org.intake
    due.case.refresh_from_db()
    assert due.case.state != State.CLOSED
    assert f'data-follow-up="{due.pk}"' not in client.get("/hotline/follow-ups/").content.decode()


def test_a_result_is_required_and_other_roles_are_refused(client, org, due):
    assert client.login(username=org.intake.username, password=PASSWORD)
    client.post(f"/hotline/follow-ups/{due.pk}/", {"result": "maybe"})
    due.refresh_from_db()
    assert due.done_at is None
    client.logout()
    assert client.login(username=org.worker.username, password=PASSWORD)
    assert client.get("/hotline/follow-ups/").status_code == 403
    assert client.post(f"/hotline/follow-ups/{due.pk}/", {"result": "satisfied"}).status_code == 403
