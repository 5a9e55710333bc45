"""The case work screens under load: how long the to-do queue, the case page and the requests
list take to render, and how many queries each costs, with a county's worth of open cases.

    .venv/bin/python bench/case_screens.py [--cases 1500] [--rounds 40] [--db sqlite|postgres]

Builds the small test county (32 grids) with a county organisation in a scratch database
(bench/benchdb.py: SQLite in a temporary folder, or PostgreSQL $URBANGRID_BENCH_DB), drives
`--cases` cases through the real services into every state of the loop, then renders each page `--rounds` times through Django's test
client as a logged-in user. Prints p50/p95 per page, queries per page, pages per second and the
peak memory. Nothing is asserted.
"""

import argparse
import atexit
import base64
import os
import random
import resource
import shutil
import statistics
import sys
import tempfile
import time
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from benchdb import setup

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "urbangrid.config.settings")

# A valid 1×1 PNG: the services check the file signature.
PNG = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg=="
)


def organisation():
    from tests.factories import make_department, make_user
    from urbangrid.accounts.models import Department
    from urbangrid.catalog.models import CatalogType
    from urbangrid.geo.models import ResponsibilityGrid, UnitGrid

    kind = Department.Kind
    gov = make_department("county_gov", "县人民政府", kind.LEADERSHIP)
    centre = make_department("centre", "数字城管监督指挥中心", kind.CENTRE, parent=gov)
    hws = make_department("hws", "环卫所", kind.FUNCTIONAL, parent=gov)
    szgs = make_department("szgs", "市政公司", kind.ENTERPRISE, parent=gov)
    for code, dept in (("06010", hws), ("01001", szgs)):
        CatalogType.objects.filter(kind="matter", code=code).update(default_department=dept)
    users = {
        role: make_user(role, username=role, department=dept)
        for role, dept in (
            ("intake", centre),
            ("shift_leader", centre),
            ("dispatcher", centre),
            ("disposer", hws),
            ("leader", gov),
            ("citizen", None),
        )
    }
    users["supervisor"] = make_user("supervisor", username="supervisor", department=centre)
    rg = ResponsibilityGrid.objects.create(
        code="RG", name="全县", grid_codes=list(UnitGrid.objects.values_list("code", flat=True))
    )
    rg.supervisors.set([users["supervisor"]])
    return users


def cases(users, count: int, rng: random.Random) -> dict[str, list[str]]:
    """Report `count` cases and carry each to a state drawn from a county's mix."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from urbangrid.accounts.models import Department
    from urbangrid.cases import services
    from urbangrid.core import clock

    def photo():
        return SimpleUploadedFile("p.png", PNG, content_type="image/png")

    hws = Department.objects.get(code="hws")
    u = users
    steps = [
        ("reported", 0.15),
        ("verifying", 0.1),
        ("filing", 0.1),
        ("dispatching", 0.2),
        ("disposing", 0.3),
        ("archived", 0.15),
    ]
    by_state: dict[str, list[str]] = {name: [] for name, _ in steps}
    for i in range(count):
        clock.clock.advance(timedelta(minutes=rng.randrange(1, 6)))
        target = rng.choices([s for s, _ in steps], [w for _, w in steps])[0]
        case = services.report_case(
            u["citizen"],
            source="public",
            kind="matter",
            type_code="06010",
            description=f"路边垃圾堆积 {i}",
            lon=120.0005 + rng.random() * 0.019,
            lat=30.0005 + rng.random() * 0.009,
            photos=[photo()],
        )
        n = case.number
        order = ["reported", "verifying", "filing", "dispatching", "disposing", "archived"]
        reach = order.index(target)
        if reach >= 1:
            services.accept(u["intake"], n)
        if reach >= 2:
            services.verify(u["supervisor"], n, confirmed=True, photos=[photo()])
        if reach >= 3:
            services.file_case(u["shift_leader"], n, meets_condition=True)
        if reach >= 4:
            services.dispatch(u["dispatcher"], n, department=hws)
        if reach >= 5:
            services.feedback(u["disposer"], n, note="已清运", photos=[photo()])
            services.check(u["supervisor"], n, passed=True, photos=[photo()])
            services.close(u["shift_leader"], n, meets_condition=True)
            services.archive(u["shift_leader"], n)
        by_state[target].append(n)
    for n in by_state["disposing"][:30]:
        services.request_extension(
            u["disposer"], n, reason_code="weather", extra_value=4, extra_unit="work_hours"
        )
    return by_state


def measure(client, path: str, rounds: int) -> tuple[list[float], int]:
    from django.db import connection

    executed = []

    def count(execute, sql, params, many, context):
        executed.append(sql)
        return execute(sql, params, many, context)

    with connection.execute_wrapper(count):
        response = client.get(path)
    assert response.status_code == 200, (path, response.status_code)
    times = []
    for _ in range(rounds):
        t0 = time.perf_counter()
        client.get(path)
        times.append((time.perf_counter() - t0) * 1000)
    return times, len(executed)


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--cases", type=int, default=1500)
    parser.add_argument("--rounds", type=int, default=40)
    parser.add_argument("--db", choices=["sqlite", "postgres"], default="sqlite")
    args = parser.parse_args()
    began = time.perf_counter()
    label = setup(args.db)

    from django.conf import settings

    settings.MEDIA_ROOT = tempfile.mkdtemp(prefix="urbangrid-screens-media-")
    atexit.register(shutil.rmtree, settings.MEDIA_ROOT, ignore_errors=True)
    from django.test import Client

    from tests.factories import PASSWORD, build_small_county
    from urbangrid.core import clock

    clock.clock.freeze(datetime(2026, 11, 23, 8, 30, tzinfo=ZoneInfo("Asia/Shanghai")))
    build_small_county()
    users = organisation()
    rng = random.Random(11)
    by_state = cases(users, args.cases, rng)
    built = time.perf_counter() - began
    counts = ", ".join(f"{k} {len(v)}" for k, v in by_state.items())
    print(f"{label}: built {args.cases} cases in {built:.1f} s ({counts})")

    pages = [
        ("intake", "/cases/?role=intake"),
        ("dispatcher", "/cases/?role=dispatcher"),
        ("disposer", "/cases/?role=disposer"),
        ("shift_leader", "/cases/?role=shift_leader&light=red"),
        ("dispatcher", f"/cases/{by_state['dispatching'][0]}/"),
        ("disposer", f"/cases/{by_state['disposing'][0]}/"),
        ("shift_leader", f"/cases/{by_state['archived'][0]}/"),
        ("shift_leader", "/cases/requests/"),
        ("disposer", f"/cases/{by_state['disposing'][1]}/actions/feedback/"),
    ]
    print(f"{'page':58} {'user':13} {'p50 ms':>8} {'p95 ms':>8} {'queries':>8} {'pages/s':>8}")
    for username, path in pages:
        client = Client()
        assert client.login(username=username, password=PASSWORD)
        times, queries = measure(client, path, args.rounds)
        p50 = statistics.median(times)
        p95 = statistics.quantiles(times, n=20)[18]
        print(
            f"{path:58} {username:13} {p50:8.1f} {p95:8.1f} {queries:8d} {1000 / statistics.mean(times):8.1f}"
        )
    print(f"peak memory {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB")


if __name__ == "__main__":
    main()
