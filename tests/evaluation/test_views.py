"""/evaluation/ (the ranking page) and /evaluation/cases/ (the cases behind a number) on the
hand-computed scenario of test_indicators: every number shown is the length of its list, and the
list holds exactly the cases it counts."""

import re
from datetime import datetime

import pytest
from django.test import Client

from tests.cases.conftest import org  # noqa: F401
from tests.evaluation.test_indicators import NOV, SHANGHAI, scenario  # noqa: F401
from tests.factories import make_user
from urbangrid.evaluation import indicators
from urbangrid.evaluation.figures import with_satisfaction
from urbangrid.evaluation.views import choose_period

pytestmark = pytest.mark.django_db

NOV_QUERY = {"period": "month", "month": "2026-11"}


def client_for(user) -> Client:
    c = Client()
    c.force_login(user)
    return c


def cases_list(client, **params):
    resp = client.get("/evaluation/cases/", {"start": "2026-11-01", "end": "2026-12-01", **params})
    assert resp.status_code == 200, resp.content
    html = resp.content.decode()
    total = int(re.search(r'id="behind-total">(\d+)<', html).group(1))
    numbers = re.findall(r'<a href="/cases/(\d+)/">', html)
    return total, numbers


def shown(html: str, kind: str, subject_code: str, indicator: str) -> tuple[str, str]:
    """The text and link of one number in a ranking table."""
    table = html.split(f'id="ranking-{kind}"')[1].split("</section>")[0]
    row = table.split(f'data-subject="{subject_code}"')[1].split("</tr>")[0]
    m = re.search(rf'data-indicator="{indicator}"><a href="([^"]+)">([^<]+)</a>', row)
    return m.group(2), m.group(1).replace("&amp;", "&")


def test_the_ranking_page_shows_the_scenario(scenario):  # noqa: F811
    o = scenario
    resp = client_for(o.leader).get("/evaluation/", NOV_QUERY)
    assert resp.status_code == 200
    html = resp.content.decode()
    assert [t["kind"] for t in resp.context["tables"]] == [
        "department",
        "street",
        "community",
        "supervisor",
        "intake",
        "shift_leader",
        "dispatcher",
    ]
    departments = resp.context["tables"][0]["rows"]
    assert [(r["subject"]["code"], r["score"], r["grade"], r["rank"], r["honour"]) for r in departments] == [
        ("hws", 82.5, "B", 1, "red"),
        ("szgs", 60.0, "C", 2, "black"),
    ]
    # October had nothing: no score to compare with.
    assert [r["delta"] for r in departments] == [None, None]
    assert shown(html, "department", "szgs", "overdue_open")[0] == "1"
    assert shown(html, "department", "hws", "on_time_rate")[0] == "75.00%"
    nav = html.split('class="mainnav"')[1].split("</nav>")[0]
    assert '<a href="/evaluation/">考核评价</a>' in nav and "红榜" in html  # the nav link, the Chinese UI
    trend = resp.context["trend"]
    assert trend["months"] == ["2026-06", "2026-07", "2026-08", "2026-09", "2026-10", "2026-11"]
    assert {s["name"]: s["data"][-1] for s in trend["series"]} == {o.hws.name: 75.0, o.szgs.name: 50.0}


def test_every_department_number_is_the_length_of_its_list(scenario):  # noqa: F811
    o = scenario
    c1, c2, c3, c4, c5, _c6 = o.cases
    client = client_for(o.leader)
    html = client.get("/evaluation/", NOV_QUERY).content.decode()
    expected = {
        ("hws", "due"): [c1, c2, c3, c3],  # C3 disposed twice (返工)
        ("hws", "done"): [c1, c2, c3, c3],
        ("hws", "on_time"): [c1, c3, c3],
        ("hws", "late"): [c2],
        ("hws", "reworked"): [c3],
        ("hws", "overdue_open"): [],
        ("szgs", "due"): [c4, c5],
        ("szgs", "done"): [c5],
        ("szgs", "on_time"): [c5],
        ("szgs", "late"): [],
        ("szgs", "reworked"): [],
        ("szgs", "overdue_open"): [c4],
    }
    for (code, indicator), cases in expected.items():
        text, url = shown(html, "department", code, indicator)
        total, numbers = cases_list(client, **dict(p.split("=") for p in url.split("?")[1].split("&")))
        assert int(text) == total == len(numbers) == len(cases), (code, indicator)
        assert sorted(numbers) == sorted(c.number for c in cases), (code, indicator)


def test_the_overdue_list_follows_the_period_end(scenario):  # noqa: F811
    o = scenario
    c2 = o.cases[1]
    # At Fri 27 08:00 C2's disposal (hws, due Thu 15:30) was open and overdue.
    friday = datetime(2026, 11, 27, 8, tzinfo=SHANGHAI)
    steps = indicators.steps_behind("department", "overdue_open", o.hws.pk, NOV[0], friday)
    assert [s.case.number for s in steps] == [c2.number]
    assert indicators.department_indicators(NOV[0], friday)[o.hws.pk]["overdue_open"] == steps.count()
    total, numbers = cases_list(
        client_for(o.leader), kind="department", subject=o.hws.pk, indicator="overdue_open", end="2026-11-27"
    )
    assert (total, numbers) == (1, [c2.number])  # at midnight after the 26th C2 was already overdue


def test_every_count_of_every_subject_matches_its_cases(scenario):  # noqa: F811
    """Whatever the scenario: each count equals the rows of its list (steps or cases)."""
    for kind, values in (
        ("department", with_satisfaction("department", indicators.department_indicators(*NOV), {}, *NOV)),
        ("street", with_satisfaction("street", indicators.area_indicators(*NOV, "street"), {}, *NOV)),
        (
            "community",
            with_satisfaction("community", indicators.area_indicators(*NOV, "community"), {}, *NOV),
        ),
        ("supervisor", indicators.supervisor_indicators(*NOV)),
        ("intake", indicators.intake_indicators(*NOV)),
        ("shift_leader", indicators.shift_leader_indicators(*NOV)),
        ("dispatcher", indicators.dispatcher_indicators(*NOV)),
    ):
        assert values
        for subject, row in values.items():
            for indicator, count in indicators.BEHIND[kind].items():
                if indicator != count:
                    continue  # a rate or mean: backed by its population
                steps = indicators.steps_behind(kind, indicator, subject, *NOV)
                found = (
                    steps if steps is not None else indicators.cases_behind(kind, indicator, subject, *NOV)
                )
                assert found.count() == row[indicator], (kind, subject, indicator)


def test_area_and_supervisor_lists(scenario):  # noqa: F811
    o = scenario
    c1, c2, c3, c4, c5, c6 = o.cases
    client = client_for(o.leader)
    west = c1.street_code
    assert cases_list(client, kind="street", subject=west, indicator="filed")[0] == 4
    total, numbers = cases_list(client, kind="street", subject=west, indicator="on_time_closed")
    assert sorted(numbers) == sorted([c1.number, c3.number, c5.number]) and total == 3
    total, numbers = cases_list(client, kind="street", subject=west, indicator="public_share")
    assert total == 4  # a rate links to the cases it is computed over
    total, numbers = cases_list(client, kind="supervisor", subject=o.sup.pk, indicator="reported")
    assert sorted(numbers) == sorted([c3.number, c6.number])
    total, numbers = cases_list(client, kind="supervisor", subject=o.sup.pk, indicator="missed")
    assert sorted(numbers) == sorted([c1.number, c2.number, c5.number])
    total, numbers = cases_list(client, kind="supervisor", subject=o.sup_e.pk, indicator="missed")
    assert numbers == [c4.number]


@pytest.mark.parametrize("who", ["dispatcher", "shift", "sup", "cleaner", "citizen"])
@pytest.mark.parametrize(
    "url", ["/evaluation/", "/evaluation/cases/?kind=department&subject=1&indicator=due"]
)
def test_other_roles_are_refused(org, who, url):  # noqa: F811
    resp = client_for(getattr(org, who)).get(url)
    assert resp.status_code == 403
    nav = resp.content.decode().split('class="mainnav"')[1].split("</nav>")[0]
    assert 'href="/evaluation/"' not in nav  # no nav link either


def test_anonymous_is_sent_to_the_login(db):
    resp = Client().get("/evaluation/")
    assert resp.status_code == 302 and "/accounts/login/" in resp["Location"]


def test_admin_sees_the_page(org):  # noqa: F811
    admin = make_user("admin", username="admin1")
    assert client_for(admin).get("/evaluation/").status_code == 200


def test_a_department_leader_is_scoped(scenario):  # noqa: F811
    o = scenario
    client = client_for(o.szgs_leader)
    resp = client.get("/evaluation/", NOV_QUERY)
    assert [r["subject"]["code"] for r in resp.context["tables"][0]["rows"]] == ["szgs"]
    assert [s["name"] for s in resp.context["trend"]["series"]] == [o.szgs.name]
    params = {"kind": "department", "indicator": "due", "start": "2026-11-01", "end": "2026-12-01"}
    assert client.get("/evaluation/cases/", {**params, "subject": o.hws.pk}).status_code == 403
    assert client.get("/evaluation/cases/", {**params, "subject": o.szgs.pk}).status_code == 200


@pytest.mark.parametrize(
    "params, status",
    [
        ({"kind": "department", "subject": "1", "indicator": "nonsense"}, 404),
        ({"kind": "planet", "subject": "1", "indicator": "due"}, 404),
        ({"kind": "department", "subject": "x", "indicator": "due"}, 404),
        ({"kind": "department", "subject": "1", "indicator": "due", "end": "2026-10-01"}, 422),
        ({"kind": "department", "subject": "1", "indicator": "due", "start": "soon"}, 422),
    ],
)
def test_bad_list_requests(org, params, status):  # noqa: F811
    query = {"start": "2026-11-01", "end": "2026-12-01", **params}
    assert client_for(org.leader).get("/evaluation/cases/", query).status_code == status


@pytest.mark.parametrize(
    "params",
    [
        {"period": "month", "month": "2026-13"},
        {"period": "custom", "from": "2026-11-10", "to": "2026-11-01"},
        {"period": "eon"},
    ],
)
def test_bad_period_is_422(org, params):  # noqa: F811
    assert client_for(org.leader).get("/evaluation/", params).status_code == 422


def test_periods_and_their_predecessors():
    from datetime import date

    today = date(2026, 11, 26)
    month = choose_period({}, today)  # the last full month by default
    assert (month["start"], month["end"], month["previous"]) == (
        date(2026, 10, 1),
        date(2026, 11, 1),
        (date(2026, 9, 1), date(2026, 10, 1)),
    )
    quarter = choose_period({"period": "quarter"}, today)
    assert (quarter["start"], quarter["end"], quarter["previous"][0]) == (
        date(2026, 7, 1),
        date(2026, 10, 1),
        date(2026, 4, 1),
    )
    q1 = choose_period({"period": "quarter", "quarter": "2026-Q1"}, today)
    assert q1["previous"] == (date(2025, 10, 1), date(2026, 1, 1))
    year = choose_period({"period": "year"}, today)
    assert (year["start"], year["end"], year["previous"][0]) == (
        date(2025, 1, 1),
        date(2026, 1, 1),
        date(2024, 1, 1),
    )
    custom = choose_period({"period": "custom", "from": "2026-11-10", "to": "2026-11-16"}, today)
    assert (custom["start"], custom["end"], custom["previous"]) == (
        date(2026, 11, 10),
        date(2026, 11, 17),
        (date(2026, 11, 3), date(2026, 11, 10)),
    )


def test_the_delta_compares_with_the_previous_period(scenario, clock):  # noqa: F811
    """December against November: szgs's C4 is still overdue and open, no step due → no score;
    a custom range of the 26th–30th against the 21st–25th (nothing) gives no Δ either, while the
    30th alone against the 29th compares the scores."""
    o = scenario
    client = client_for(o.leader)
    resp = client.get("/evaluation/", {"period": "custom", "from": "2026-11-30", "to": "2026-11-30"})
    rows = {r["subject"]["code"]: r for r in resp.context["tables"][0]["rows"]}
    # On the 30th only C4 and C5 (szgs, due Mon 10:00) were due: C5 on time, C4 open → 60 again.
    assert rows["szgs"]["score"] == 60.0 and rows["szgs"]["delta"] is None
    resp = client.get("/evaluation/", {"period": "custom", "from": "2026-11-26", "to": "2026-11-30"})
    rows = {r["subject"]["code"]: r for r in resp.context["tables"][0]["rows"]}
    assert rows["hws"]["score"] == 82.5 and rows["hws"]["delta"] is None
