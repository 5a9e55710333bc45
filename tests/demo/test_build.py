"""The tiny county built through the real services and commands, committed for real (the
geocoder refreshes on commit), then checked in the database as a user of the system sees it."""

import io
import json

import numpy as np
import pytest
import shapely
from django.core.management import call_command
from django.test import Client

from urbangrid.accounts.models import Department, User
from urbangrid.audit import services as audit
from urbangrid.audit.models import AuditRecord
from urbangrid.cases.models import Case, CaseAction
from urbangrid.catalog.models import CatalogType
from urbangrid.components.models import Component
from urbangrid.core import clock
from urbangrid.core.errors import NotAuthenticated
from urbangrid.demo import builder, organisation, steps
from urbangrid.demo.components import ComponentGenerator
from urbangrid.demo.county import generate
from urbangrid.demo.gazetteer import RoadSpace, door_plates
from urbangrid.demo.models import BuildStep
from urbangrid.demo.scales import SCALES
from urbangrid.demo.steps import Console
from urbangrid.geo import geocoding
from urbangrid.geo.models import Division, Place, ResponsibilityGrid, Road, UnitGrid
from urbangrid.intake import clients
from urbangrid.intake.models import ApiClient

pytestmark = pytest.mark.django_db(transaction=True)

TINY = SCALES["tiny"]


def build(seed: int = 1) -> tuple[str, str]:
    out = io.StringIO()
    outcome = builder.run(TINY, seed, Console(out))
    return outcome, out.getvalue()


def test_the_tiny_county_goes_through_the_real_services():
    outcome, log = build()
    assert outcome == "built"
    county = generate(TINY, seed=1)

    assert sorted(Division.objects.values_list("level", flat=True)) == [1] + [2] * 2 + [3] * 4
    grids = list(UnitGrid.objects.filter(valid_to__isnull=True).order_by("code"))
    assert [g.code for g in grids] == [g.code for g in county.grids]
    polys = np.array([g.geometry for g in grids], dtype=object)
    district = Division.objects.get(level=1).geometry
    assert shapely.symmetric_difference(shapely.union_all(polys), district).area < 1e-12  # degrees²
    a, b = shapely.STRtree(polys).query(polys, predicate="overlaps")
    assert len(a) == 0
    assert {g.responsible_department.code for g in grids if g.land_use == "residential"} <= {
        d.code for d in Division.objects.filter(level=3)
    }

    plates = door_plates(county, RoadSpace(county.network.roads))
    generated = [c for batch in ComponentGenerator(county, plates).batches() for c in batch]
    components = list(
        Component.objects.order_by("id").values_list("code", "type__code", "lon", "lat", "grid_code")
    )
    assert len(components) == len(generated)
    located = geocoding.locate_many([c[2] for c in components], [c[3] for c in components])
    assert all(loc is not None and loc.grid_code == c[4] for loc, c in zip(located, components, strict=True))
    # Codes follow the generator's order: the first lamp generated is lamp 000001.
    first_lamp = next(c for c in generated if c.type == "01037")
    lamp = Component.objects.get(code="41992101037000001")
    assert lamp.geometry.equals_exact(county.frame.to_wgs84(first_lamp.geometry), 1e-9)
    assert lamp.competent_department.code == "cgzf" and lamp.maintainer_department.code == "szgs"

    assert ResponsibilityGrid.objects.count() == TINY.responsibility_grids
    jiandu_grid = ResponsibilityGrid.objects.get(supervisors__username="jiandu")
    assert UnitGrid.objects.filter(code__in=jiandu_grid.grid_codes, valid_to__isnull=True).exists()
    assert CatalogType.objects.get(kind="component", code="01001").default_department.code == "zls"
    assert CatalogType.objects.get(kind="matter", code="02004").default_department.code == "gjgs"
    assert CatalogType.objects.get(kind="component", code="01023").default_department is None  # 属地
    assert Road.objects.count() == len(county.network.roads)
    assert Place.objects.filter(kind="doorplate").count() == len(plates)
    assert Place.objects.get(name="鼓楼").kind == "landmark"
    # The history went through the case services: every case's versions are its recorded actions,
    # each with its audit record, and it ends at the time the build ran, not in the future.
    cases = Case.objects.all()
    assert cases.count() > 20
    assert {c.version for c in cases} != {0}
    for case in cases:
        assert case.version == CaseAction.objects.filter(case=case).count()
    audited = set(AuditRecord.objects.filter(action__startswith="case.").values_list("seq", flat=True))
    assert set(CaseAction.objects.values_list("audit_seq", flat=True)) <= audited
    assert CaseAction.objects.order_by("-at").first().at <= clock.now()
    assert audit.verify().ok
    # The README's demo keys open the outside systems' doors, each only its own.
    for _name, kind, key in steps.DEMO_CLIENTS:
        assert clients.authenticate(key, kind).kind == kind
    with pytest.raises(NotAuthenticated):
        clients.authenticate("demo-open311-key", ApiClient.Kind.MACHINE)
    assert [s.name for s in BuildStep.objects.order_by("id")] == [s.name for s in steps.STEPS]
    assert f"[{len(steps.STEPS)}/{len(steps.STEPS)}]" in log


def test_every_demo_account_logs_in_with_its_role():
    build()
    client = Client()
    for account in organisation.DEMO_ACCOUNTS:
        resp = client.post(
            "/api/v1/auth/token",
            data=json.dumps({"username": account.username, "password": organisation.DEMO_PASSWORD}),
            content_type="application/json",
        )
        assert resp.status_code == 200, account.username
        assert User.objects.get(username=account.username).roles == {account.role}
        wrong = client.post(
            "/api/v1/auth/token",
            data=json.dumps({"username": account.username, "password": "demo12345"}),
            content_type="application/json",
        )
        assert wrong.status_code == 401
    assert Client().login(username="jiandu", password=organisation.DEMO_PASSWORD)
    staff = User.objects.exclude(username__in=[a.username for a in organisation.DEMO_ACCOUNTS]).first()
    assert not staff.has_usable_password() or not Client().login(username=staff.username, password="")
    chuzhi = User.objects.get(username="chuzhi")
    assert chuzhi.department.name.endswith("市政工程有限公司")


def test_the_demo_command_builds_once_and_then_reuses_the_county():
    first, second = io.StringIO(), io.StringIO()
    call_command("demo", "--no-serve", "--scale", "tiny", stdout=first)
    built = {s.name: s.finished_at for s in BuildStep.objects.all()}
    components = Component.objects.count()
    records = audit.verify().checked
    call_command("demo", "--no-serve", "--scale", "tiny", stdout=second)
    first_step = f"[1/{len(steps.STEPS)}]"
    assert first_step in first.getvalue() and first_step not in second.getvalue()
    assert {s.name: s.finished_at for s in BuildStep.objects.all()} == built
    assert Component.objects.count() == components and audit.verify().checked == records
    for text in (first.getvalue(), second.getvalue()):
        for needle in ("http://127.0.0.1:8000/geo/map/", "/admin/", "/api/v1/docs", "paiqian", "demo1234"):
            assert needle in text


def test_a_step_appended_later_runs_on_the_next_start(monkeypatch):
    build()
    ran = []

    def evaluation(b: steps.Build) -> str:
        ran.append(b.administrator().username)
        return "done"

    monkeypatch.setattr(steps, "STEPS", [*steps.STEPS, steps.Step("evaluation", "Evaluation", evaluation)])
    outcome, log = build()
    assert outcome == "completed" and ran == ["admin"]
    assert "[1/1]" in log
    assert build()[0] == "reused" and ran == ["admin"]


def test_a_build_that_died_midway_is_built_again_from_scratch(monkeypatch):
    def power_cut(b: steps.Build) -> str:
        raise RuntimeError("power cut")

    monkeypatch.setattr(steps, "STEPS", [*steps.STEPS[:3], steps.Step("grids", "Unit grids", power_cut)])
    with pytest.raises(RuntimeError, match="power cut"):
        build()
    assert BuildStep.objects.get(name="grids").finished_at is None
    monkeypatch.undo()

    outcome, log = build()
    assert outcome == "built" and "“grids”" in log
    assert not BuildStep.objects.filter(finished_at__isnull=True).exists()
    assert Department.objects.filter(kind="community").count() == TINY.communities
    assert UnitGrid.objects.count() == len(generate(TINY, seed=1).grids)
    assert Component.objects.exists()
    verdict = audit.verify()
    assert verdict.ok
    # The database was emptied: the trail starts again with this build's first step.
    assert AuditRecord.objects.order_by("seq").first().action == "demo.start_step"


def test_static_files_are_served_with_debug_off(settings):
    assert settings.DEBUG is False
    resp = Client().get("/static/vendor/leaflet/leaflet.js")
    assert resp.status_code == 200
