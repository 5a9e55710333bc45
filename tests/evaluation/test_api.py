"""/api/v1/evaluation/: leaders and administrators only, a clear 422 for a bad period, the
ranking of the hand-computed scenario, and a department leader limited to that department."""

import pytest

from tests.cases.conftest import org  # noqa: F401
from tests.evaluation.test_indicators import scenario  # noqa: F401
from tests.factories import make_user
from urbangrid.evaluation.models import Scheme

pytestmark = pytest.mark.django_db

NOV = {"start": "2026-11-01", "end": "2026-12-01"}


def test_leader_gets_the_ranked_departments(scenario, api_client):  # noqa: F811
    o = scenario
    resp = api_client(o.leader).get("/api/v1/evaluation/departments", NOV)
    assert resp.status_code == 200, resp.content
    body = resp.json()
    assert body["count"] == 2
    first, second = body["items"]
    assert (first["subject"]["code"], first["score"], first["grade"], first["rank"]) == ("hws", 82.5, "B", 1)
    assert first["indicators"]["on_time_rate"] == 75.0 and first["indicators"]["avg_hours"] == 4.75
    assert (second["subject"]["code"], second["score"], second["grade"]) == ("szgs", 60.0, "C")
    for kind in ("streets", "communities", "supervisors"):
        assert api_client(o.leader).get(f"/api/v1/evaluation/{kind}", NOV).status_code == 200


def test_scheme_rows_are_the_data_the_score_uses(scenario, api_client):  # noqa: F811
    o = scenario
    scheme = Scheme.objects.get(subject_kind="department")
    assert scheme.weights == {"disposal_rate": 30, "on_time_rate": 50, "rework_rate": 20}
    scheme.weights = {"on_time_rate": 1}  # only 按期处置率 counts now
    scheme.bands = [["A", 70], ["B", 0]]
    scheme.labels = {"A": "好", "B": "差"}
    scheme.save()
    items = api_client(o.leader).get("/api/v1/evaluation/departments", NOV).json()["items"]
    assert [(i["subject"]["code"], i["score"], i["grade"], i["grade_label"]) for i in items] == [
        ("hws", 75.0, "A", "好"),
        ("szgs", 50.0, "B", "差"),
    ]


@pytest.mark.parametrize("who", ["dispatcher", "shift", "sup", "cleaner", "citizen"])
def test_other_roles_are_refused(org, api_client, who):  # noqa: F811
    resp = api_client(getattr(org, who)).get("/api/v1/evaluation/departments", NOV)
    assert resp.status_code == 403 and resp.json()["code"] == "role_not_allowed"


def test_anonymous_is_refused(api_client, db):
    assert api_client().get("/api/v1/evaluation/departments", NOV).status_code == 401


def test_admin_may_see(org, api_client):  # noqa: F811
    admin = make_user("admin", username="admin1")
    assert api_client(admin).get("/api/v1/evaluation/streets", NOV).status_code == 200


@pytest.mark.parametrize(
    "params",
    [
        {"start": "2026-12-01", "end": "2026-11-01"},  # ends before it starts
        {"start": "2026-11-01", "end": "2026-11-01"},  # empty
        {"start": "2026-11-31", "end": "2026-12-01"},  # no such day
        {"start": "yesterday", "end": "2026-12-01"},
        {"start": "2025-01-01", "end": "2026-12-01"},  # longer than a year
    ],
)
def test_bad_period_is_422_with_a_code(org, api_client, params):  # noqa: F811
    resp = api_client(org.leader).get("/api/v1/evaluation/departments", params)
    assert resp.status_code == 422 and resp.json()["code"] == "bad_period"


def test_a_department_leader_sees_that_department_only(scenario, api_client):  # noqa: F811
    o = scenario
    items = api_client(o.szgs_leader).get("/api/v1/evaluation/departments", NOV).json()["items"]
    assert [i["subject"]["code"] for i in items] == ["szgs"]
