"""Reopening a closed case after an unsatisfied follow-up (cases.services.reopen)."""

import pytest
from django.test import Client

from tests.cases.test_lifecycle import report
from tests.intake.citizen.conftest import close_case
from urbangrid.cases import services
from urbangrid.cases.models import State
from urbangrid.core.errors import Conflict, Invalid, PermissionDenied

pytestmark = pytest.mark.django_db


@pytest.fixture
def closed(org):
    case = report(org)
    close_case(org, case.number)
    case.refresh_from_db()
    return case


def test_only_intake_and_the_citizen_channel_reopen(org, closed):
    for who in (org.dispatcher, org.worker, org.sup, org.leader):
        with pytest.raises(PermissionDenied):
            services.reopen(who, closed.number, reason_note="不满意")
    case = services.reopen(org.intake, closed.number, reason_note="不满意", expected_version=closed.version)
    assert case.state == State.CLOSING


def test_reopen_needs_a_reason_a_closed_case_and_the_current_version(org, closed):
    with pytest.raises(Invalid):
        services.reopen(org.intake, closed.number, reason_note=" ")
    with pytest.raises(Conflict) as stale:
        services.reopen(org.intake, closed.number, reason_note="不满意", expected_version=closed.version - 1)
    assert stale.value.code == "stale_version"
    services.reopen(org.intake, closed.number, reason_note="不满意")
    with pytest.raises(Conflict) as twice:
        services.reopen(org.intake, closed.number, reason_note="还是不满意")
    assert twice.value.code == "illegal_transition"
    open_case = report(org)
    with pytest.raises(Conflict):
        services.reopen(org.intake, open_case.number, reason_note="不满意")


def test_an_archived_case_says_why_it_cannot_be_reopened(org, closed):
    services.archive(org.shift, closed.number)
    with pytest.raises(Conflict) as refused:
        services.reopen(org.intake, closed.number, reason_note="不满意")
    assert refused.value.code == "case_archived"


def test_the_shift_leader_closes_a_reopened_case_again_and_the_trail_names_the_reopening(org, closed):
    services.reopen(org.intake, closed.number, reason_note="路面还有污渍")
    client = Client()
    client.force_login(org.shift)
    page = client.get(f"/cases/{closed.number}/")
    assert page.status_code == 200
    html = page.content.decode()
    assert "act-reopen" in html and "路面还有污渍" in html
    assert ">reopen<" not in html, "the trail shows the action's label, not its code"
    services.close(org.shift, closed.number, meets_condition=True, note="已复核，污渍为旧痕")
    closed.refresh_from_db()
    assert closed.state == State.CLOSED and closed.closed_at is not None


def test_the_case_page_of_a_closed_case_still_opens_for_the_desk(org, closed):
    client = Client()
    client.force_login(org.intake)
    assert client.get(f"/cases/{closed.number}/").status_code == 200
