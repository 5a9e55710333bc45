"""The demo build as an ordered list of named steps, each going through the services a real
county's data goes through (imports, department and user services, the catalogue service).

To add a step (say, six months of case history driven through the case services), write a
function taking the `Build` and returning a one-line summary, and append a `Step` to STEPS.
A county built before the step existed gets it on the next `urbangrid demo`.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import timedelta
from functools import cached_property

from django.utils.translation import gettext_lazy as _

from urbangrid.accounts import services as accounts
from urbangrid.accounts.models import Department, User
from urbangrid.catalog import services as catalog
from urbangrid.catalog.models import CatalogType, Kind
from urbangrid.components.importer import import_components
from urbangrid.core import clock
from urbangrid.geo import services as geo
from urbangrid.geo.models import Division
from urbangrid.intake import clients
from urbangrid.intake.models import ApiClient

from . import features, organisation
from .components import ComponentGenerator
from .county import County, generate
from .gazetteer import RoadSpace, door_plates, landmark_places
from .responsibility import BY_SUGGESTION, type_overrides
from .scales import Scale
from .simulator import Simulator

COMPONENT_CHUNK = 50_000  # components per import: one transaction each, memory stays bounded
COMPONENTS_PER_GRID = 86  # of the county, to estimate the time left before the count is known
HISTORY_STEP_MINUTES = 60


class Console:
    """Lines and progress bars on a text stream."""

    def __init__(self, stream) -> None:
        self.stream = stream

    def line(self, text: str = "") -> None:
        self.stream.write(f"{text}\n")
        self.stream.flush()

    def progress(self, label: str, total: int):
        from urbangrid.core.importing import Progress

        return Progress(label, total, stream=self.stream, every=0.5)


@dataclass
class Build:
    scale: Scale
    seed: int
    console: Console
    actor: User | None = field(default=None)

    @cached_property
    def county(self) -> County:
        return generate(self.scale, self.seed)

    @cached_property
    def places(self):
        county = self.county
        return door_plates(county, RoadSpace(county.network.roads)) + landmark_places(county)

    @cached_property
    def departments(self) -> list[organisation.DepartmentSpec]:
        return organisation.departments(self.county)

    @cached_property
    def patrol_areas(self) -> list[organisation.PatrolArea]:
        return organisation.patrol_areas(self.county)

    @cached_property
    def users(self) -> list[organisation.UserSpec]:
        return organisation.users(self.county, self.departments, self.patrol_areas)

    def administrator(self) -> User:
        if self.actor is None:
            self.actor = User.objects.get(username=organisation.DEMO_ACCOUNTS[0].username)
        return self.actor


@dataclass(frozen=True)
class Step:
    name: str
    label: object  # a lazily translated string
    run: Callable[[Build], str]


def _administrator(b: Build) -> str:
    account = organisation.DEMO_ACCOUNTS[0]
    b.actor = accounts.save_user(
        None,
        username=account.username,
        password=organisation.DEMO_PASSWORD,
        roles=[account.role],
        full_name=account.full_name,
    )
    return account.username


def _geography(b: Build) -> str:
    report = geo.import_divisions(b.administrator(), features.division_features(b.county))
    county = b.county
    return f"{len(county.by_level(1))} / {len(county.by_level(2))} / {len(county.by_level(3))} ({report.created})"


def _organisation(b: Build) -> str:
    actor = b.administrator()
    divisions = {d.code: d for d in Division.objects.all()}
    made: dict[str, Department] = {}
    for spec in b.departments:
        made[spec.code] = accounts.save_department(
            actor,
            code=spec.code,
            name=spec.name,
            kind=spec.kind,
            uscc=spec.uscc,
            parent=made.get(spec.parent) if spec.parent else None,
            division=divisions.get(spec.division) if spec.division else None,
            service_areas=[divisions[c] for c in spec.service_areas],
            phone=spec.phone,
        )
    for spec in b.users:
        user = accounts.save_user(
            actor,
            username=spec.username,
            password=spec.password if spec.username != actor.username else None,
            roles=spec.roles,
            department=made.get(spec.department) if spec.department else None,
            areas=[divisions[c] for c in spec.areas],
            full_name=spec.full_name,
        )
        if user.pk == actor.pk:
            b.actor = user
    return f"{len(made)} departments, {len(b.users)} users"


def _grids(b: Build) -> str:
    feats = features.grid_features(b.county)
    report = geo.import_grids(
        b.administrator(), feats, progress=b.console.progress(str(_("Unit grids")), len(feats))
    )
    return f"{report.created} unit grids"


def _responsibility(b: Build) -> str:
    actor = b.administrator()
    for area in b.patrol_areas:
        geo.save_responsibility_grid(
            actor, code=area.code, name=area.name, grid_codes=area.grid_codes, supervisors=[area.supervisor]
        )
    return f"{len(b.patrol_areas)} responsibility grids"


def _catalogue(b: Build) -> str:
    actor = b.administrator()
    departments = {d.code: d for d in Department.objects.all()}
    suggestions = set(CatalogType.objects.values_list("typical_department", flat=True))
    mapping = {s: departments[code] for s, code in BY_SUGGESTION.items() if code and s in suggestions}
    changed = catalog.assign_default_departments(actor, mapping)
    overrides = 0
    for type_code, code in type_overrides().items():
        for kind in (Kind.COMPONENT, Kind.MATTER):
            if CatalogType.objects.filter(kind=kind, code=type_code).exists():
                catalog.update_type(actor, kind, type_code, default_department=departments[code])
                overrides += 1
    return f"{changed} types by suggestion, {overrides} by type"


def _gazetteer(b: Build) -> str:
    roads = features.road_features(b.county)
    places = features.place_features(b.county, b.places)
    geo.import_gazetteer(b.administrator(), roads, places)
    return f"{len({r.properties['name'] for r in roads})} roads, {len(places)} places"


def _components(b: Build) -> str:
    actor = b.administrator()
    county = b.county
    plates = [p for p in b.places if p.kind == "doorplate"]
    expected = round(len(county.grids) * COMPONENTS_PER_GRID * county.scale.component_density)
    progress = b.console.progress(str(_("Components")), expected)
    done = 0

    def report(n: int) -> None:
        # The count is an estimate until the generator runs dry: never show 100 % before then.
        progress.total = max(progress.total, round((done + n) * 1.05) + 1)
        progress(done + n)

    for batch in ComponentGenerator(county, plates).batches(COMPONENT_CHUNK):
        import_components(actor, features.component_features(county, batch), progress=report)
        done += len(batch)
    progress.total = done
    progress(done)
    return f"{done} components"


def _history(b: Build) -> str:
    """Months of cases driven through the case services on the application clock, ending now."""
    days = b.scale.history_days
    if not days:
        return "no history at this scale"
    end = clock.now()
    start = end - timedelta(days=days)
    steps = int(days * 24 * 60 // HISTORY_STEP_MINUTES)
    simulator = Simulator(reports_per_day=b.scale.reports_per_day, seed=b.seed)
    try:
        stats = simulator.run(
            start,
            end,
            HISTORY_STEP_MINUTES,
            progress=b.console.progress(str(_("Case history")), steps),
        )
    finally:
        clock.clock.reset()
    counts = ", ".join(f"{stats.get(k, 0)} {k}" for k in ("reported", "closed", "reworked", "merged"))
    return f"{days} days: {counts}"


# The outside systems of the demo county, with keys anyone may use against the demo (README.md).
DEMO_CLIENTS = [
    ("市民随手拍（Open311 演示应用）", ApiClient.Kind.OPEN311, "demo-open311-key"),
    ("12319 呼叫中心", ApiClient.Kind.TELEPHONY, "demo-telephony-key"),
    ("12345 政务服务便民热线", ApiClient.Kind.TRANSFER_12345, "demo-12345-key"),
    ("视频智能分析平台", ApiClient.Kind.MACHINE, "demo-video-key"),
]


def _channels(b: Build) -> str:
    for name, kind, key in DEMO_CLIENTS:
        clients.create_client(b.administrator(), name=name, kind=kind, raw_key=key)
    return f"{len(DEMO_CLIENTS)} API clients"


STEPS: list[Step] = [
    Step("administrator", _("System administrator"), _administrator),
    Step("geography", _("Divisions: county, streets, communities"), _geography),
    Step("organisation", _("Departments and users"), _organisation),
    Step("grids", _("Unit grids"), _grids),
    Step("responsibility", _("Responsibility grids and their supervisors"), _responsibility),
    Step("catalogue", _("Default departments of the catalogue types"), _catalogue),
    Step("gazetteer", _("Roads, door plates and landmarks"), _gazetteer),
    Step("components", _("Components"), _components),
    Step("channels", _("Outside systems: Open311 app, telephony, 12345, video analysis"), _channels),
    Step("history", _("Six months of cases through the case services"), _history),
]
