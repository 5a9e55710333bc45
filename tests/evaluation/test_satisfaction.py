"""Public satisfaction from the follow-ups (回访): (satisfied + basically satisfied) / rated, the
unreachable left out, per disposal department and per street / community, in the ranking (API,
page, bulletin) and behind every number its cases."""

from datetime import datetime

import pytest
from django.test import Client

from tests.cases.conftest import org  # noqa: F401
from tests.evaluation.test_indicators import NOV, SHANGHAI, scenario  # noqa: F401
from tests.factories import PASSWORD
from urbangrid.evaluation import bulletin, indicators
from urbangrid.evaluation.ranking import evaluate
from urbangrid.evaluation.satisfaction import satisfaction
from urbangrid.intake.models import FollowUp

pytestmark = pytest.mark.django_db

DONE = datetime(2026, 11, 30, 16, 0, tzinfo=SHANGHAI)


def _follow_up(case, result, done_at=DONE):
    return FollowUp.objects.create(
        case=case, channel="phone", due_at=DONE, done_at=done_at, result=result if done_at else ""
    )


@pytest.fixture
def rated(scenario):  # noqa: F811
    c1, c2, c3, _c4, c5, _c6 = scenario.cases
    _follow_up(c1, "satisfied")
    _follow_up(c2, "unsatisfied")
    _follow_up(c3, "basically")
    _follow_up(c5, "unreachable")  # no rating: not in the denominator
    _follow_up(c1, "unsatisfied", datetime(2026, 12, 1, 9, tzinfo=SHANGHAI))  # December's
    _follow_up(c2, "", None)  # not done yet
    return scenario


def test_rates_per_department_and_area(rated):
    o = rated
    by_department = satisfaction("department", *NOV)
    # hws: C1 satisfied, C3 basically, C2 unsatisfied → 2 / 3 = 66.67 %; szgs: C5 unreachable only.
    assert by_department == {o.hws.pk: {"rated": 3, "satisfied": 2, "satisfaction_rate": 66.67}}
    west = o.cases[0].street_code
    assert satisfaction("street", *NOV) == {west: {"rated": 3, "satisfied": 2, "satisfaction_rate": 66.67}}
    december = (NOV[1], datetime(2027, 1, 1, tzinfo=SHANGHAI))
    assert satisfaction("department", *december)[o.hws.pk]["satisfaction_rate"] == 0.0


def test_ranking_shows_satisfaction_and_keeps_the_score(rated):
    o = rated
    rows = {i["subject"]["code"]: i for i in evaluate("department", *NOV)}
    assert rows["hws"]["indicators"]["satisfaction_rate"] == 66.67
    assert (
        rows["szgs"]["indicators"]["rated"] == 0 and rows["szgs"]["indicators"]["satisfaction_rate"] is None
    )
    assert rows["hws"]["score"] == 82.5  # weight 0 by default: shown, not scored
    west = o.cases[0].street_code
    street = next(i for i in evaluate("street", *NOV) if i["subject"]["code"] == west)
    assert street["indicators"]["satisfaction_rate"] == 66.67


def test_weighting_satisfaction_changes_the_score(rated):
    from urbangrid.evaluation.models import Scheme

    Scheme.objects.filter(subject_kind="department").update(weights={"satisfaction_rate": 1})
    rows = {i["subject"]["code"]: i for i in evaluate("department", *NOV)}
    assert rows["hws"]["score"] == 66.67
    assert rows["szgs"]["score"] is None  # nobody rated szgs: no score rather than 0


def test_the_cases_behind_the_rates(rated):
    o = rated
    c1, c2, c3 = o.cases[:3]
    rated_cases = indicators.cases_behind("department", "satisfaction_rate", o.hws.pk, *NOV)
    assert set(rated_cases.values_list("number", flat=True)) == {c1.number, c2.number, c3.number}
    content = indicators.cases_behind("department", "satisfied", o.hws.pk, *NOV)
    assert set(content.values_list("number", flat=True)) == {c1.number, c3.number}
    assert not indicators.cases_behind("department", "rated", o.szgs.pk, *NOV).exists()


def test_api_page_and_bulletin_show_it(rated, api_client):
    o = rated
    items = api_client(o.leader).get(
        "/api/v1/evaluation/streets", {"start": "2026-11-01", "end": "2026-12-01"}
    )
    assert any(i["indicators"]["satisfaction_rate"] == 66.67 for i in items.json()["items"])
    client = Client()
    assert client.login(username=o.leader.username, password=PASSWORD)
    page = client.get("/evaluation/", {"period": "month", "month": "2026-11"}).content.decode()
    assert "66.67%" in page and "satisfaction_rate" in page
    b = bulletin.gather(2026, 11)
    assert (
        next(i for i in b.rankings["department"] if i["subject"]["code"] == "hws")["indicators"][
            "satisfaction_rate"
        ]
        == 66.67
    )
    assert bulletin.to_xlsx(b)[:2] == b"PK"


def test_an_unknown_count_has_no_cases(rated):
    with pytest.raises(KeyError):
        indicators.cases_behind("department", "nonsense", rated.hws.pk, *NOV)
