"""The monthly bulletin (考核通报) of the hand-computed November scenario (test_indicators): the
XLSX holds the API's ranking number for number, the PDF reads in Chinese and carries its chart;
leaders and administrators only; a malformed month is a 422."""

import io
from pathlib import Path

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader

from tests.cases.conftest import org  # noqa: F401
from tests.evaluation.test_indicators import scenario  # noqa: F401
from tests.factories import PASSWORD, make_user
from urbangrid.evaluation import bulletin

pytestmark = pytest.mark.django_db

NOV = {"start": "2026-11-01", "end": "2026-12-01"}
MONTH = {"month": "2026-11"}
TITLE = "测试县数字化城市管理考核通报（2026年11月）"
SHEETS = {
    "department": "专业部门",
    "street": "街道",
    "community": "社区",
    "supervisor": "监督员",
    "intake": "受理员",
    "shift_leader": "值班长",
    "dispatcher": "派遣员",
}
API_PATHS = {
    "department": "departments",
    "street": "streets",
    "community": "communities",
    "supervisor": "supervisors",
    "intake": "intake",
    "shift_leader": "shift_leaders",
    "dispatcher": "dispatchers",
}
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"


def _xlsx(client):
    resp = client.get("/api/v1/evaluation/bulletin.xlsx", MONTH)
    assert resp.status_code == 200, resp.content
    assert resp["Content-Type"] == XLSX
    assert 'filename="bulletin-2026-11.xlsx"' in resp["Content-Disposition"]
    assert resp["Content-Disposition"].startswith("attachment;")
    return load_workbook(io.BytesIO(resp.content))


def _pdf(client):
    resp = client.get("/api/v1/evaluation/bulletin.pdf", MONTH)
    assert resp.status_code == 200, resp.content
    assert resp["Content-Type"] == "application/pdf"
    assert 'filename="bulletin-2026-11.pdf"' in resp["Content-Disposition"]
    assert resp.content.startswith(b"%PDF")
    return resp.content


def test_xlsx_holds_the_api_ranking(scenario, api_client):  # noqa: F811
    o = scenario
    client = api_client(o.leader)
    wb = _xlsx(client)
    assert wb.sheetnames == ["汇总", "专业部门", "街道", "社区", "监督员", "受理员", "值班长", "派遣员"]
    summary = wb["汇总"]
    assert summary["A1"].value == TITLE
    totals = {row[0]: row[1] for row in summary.iter_rows(min_row=6, values_only=True)}
    # West street: 4 filed, 4 closed; east: 1 filed → 5 filed, 4 closed (80 %); 3 closed on time
    # (60 %); departments: 6 disposal steps due, 4 on time, 1 (C4) overdue at the month's end.
    assert totals["立案数"] == 5 and totals["结案数"] == 4 and totals["结案率"] == 80.0
    assert totals["按期结案数"] == 3 and totals["按期结案率"] == 60.0
    assert totals["应处置数"] == 6 and totals["按期处置数"] == 4 and totals["按期处置率"] == 66.67
    assert totals["超期未处置数"] == 1 and totals["监督员上报数"] == 2

    departments = wb["专业部门"]
    headers = [c.value for c in departments[1]]
    assert headers[:3] == ["名次", "编码", "考核对象"] and headers[-3:] == ["得分", "等级", "评定"]
    assert "按期处置率(%)" in headers and "平均处置时长（工作小时）" in headers
    rows = list(departments.iter_rows(min_row=2, values_only=True))
    assert [(r[0], r[1], r[2], r[-3], r[-2], r[-1]) for r in rows] == [
        (1, "hws", "环卫所", 82.5, "B", "良"),
        (2, "szgs", "市政公司", 60.0, "C", "中"),
    ]
    on_time = headers.index("按期处置率(%)") + 1
    assert departments.cell(2, on_time).number_format == '0.00"%"'
    assert departments.column_dimensions["C"].width >= 8

    for kind, sheet in SHEETS.items():
        ws = wb[sheet]
        items = client.get(f"/api/v1/evaluation/{API_PATHS[kind]}", NOV).json()["items"]
        keys = [key for key, _label, _fmt in bulletin.COLUMNS[kind]]
        got = [list(r) for r in ws.iter_rows(min_row=2, values_only=True)]
        expected = [
            [i["rank"], str(i["subject"]["code"]), i["subject"]["name"]]
            + [i["indicators"][k] for k in keys]
            + [i["score"], i["grade"] or None, i["grade_label"] or None]  # an empty cell reads None
            for i in items
        ]
        assert got == expected, kind
        assert len(got) == len(items) > 0


def test_pdf_reads_in_chinese_and_has_the_chart(scenario, api_client):  # noqa: F811
    o = scenario
    content = _pdf(api_client(o.leader))
    ARTIFACTS.mkdir(exist_ok=True)
    (ARTIFACTS / "bulletin-2026-11.pdf").write_bytes(content)
    reader = PdfReader(io.BytesIO(content))
    text = "\n".join(page.extract_text() for page in reader.pages)
    flat = text.replace("\n", "").replace(" ", "")
    assert TITLE in flat
    assert "环卫所" in text and "82.50" in text and "市政公司" in text and "60.00" in text
    assert "王监督" in text and "专业部门" in text and "按期处置率" in text
    assert reader.metadata.title == TITLE
    # Each chart is a form XObject of its own, holding bars (filled rectangles) and its title.
    forms = [
        xobj.get_object()
        for page in reader.pages
        for xobj in (page["/Resources"].get("/XObject") or {}).values()
        if xobj.get_object()["/Subtype"] == "/Form"
    ]
    assert len(forms) == 2  # 按期处置率 per department; problem types beside channels
    assert all(form.get_data().count(b" re") >= 2 for form in forms)
    assert "暴露垃圾" in text and "公众举报" in text


def test_session_login_may_download(scenario, client):  # noqa: F811
    client.login(username=scenario.leader.username, password=PASSWORD)
    resp = client.get("/api/v1/evaluation/bulletin.pdf", MONTH)
    assert resp.status_code == 200 and resp["Content-Type"] == "application/pdf"


def test_a_department_leader_gets_that_department_only(scenario, api_client):  # noqa: F811
    wb = _xlsx(api_client(scenario.szgs_leader))
    assert [r[1] for r in wb["专业部门"].iter_rows(min_row=2, values_only=True)] == ["szgs"]


def test_admin_may_download_an_empty_month(org, api_client):  # noqa: F811
    admin = make_user("admin", username="admin1")
    wb = _xlsx(api_client(admin))
    assert wb["专业部门"].max_row == 1  # headers only: nothing was due in November
    text = PdfReader(io.BytesIO(_pdf(api_client(admin)))).pages[0].extract_text()
    assert "测试县" in text


@pytest.mark.parametrize("ext", ["xlsx", "pdf"])
@pytest.mark.parametrize("who", ["dispatcher", "sup", "citizen"])
def test_other_roles_are_refused(org, api_client, who, ext):  # noqa: F811
    resp = api_client(getattr(org, who)).get(f"/api/v1/evaluation/bulletin.{ext}", MONTH)
    assert resp.status_code == 403 and resp.json()["code"] == "role_not_allowed"


def test_anonymous_is_refused(api_client, db):
    assert api_client().get("/api/v1/evaluation/bulletin.pdf", MONTH).status_code == 401


@pytest.mark.parametrize("month", ["2026-13", "2026-00", "2026-1", "2026/11", "november", "0000-05", ""])
@pytest.mark.parametrize("ext", ["xlsx", "pdf"])
def test_bad_month_is_422(org, api_client, month, ext):  # noqa: F811
    resp = api_client(org.leader).get(f"/api/v1/evaluation/bulletin.{ext}", {"month": month})
    assert resp.status_code == 422 and resp.json()["code"] == "bad_period", resp.content


def test_month_period_crosses_the_year():
    start, end = bulletin.month_period(2026, 12)
    assert (start.year, start.month, end.year, end.month, end.day) == (2026, 12, 2027, 1, 1)
