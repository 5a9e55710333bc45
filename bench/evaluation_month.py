"""The automatic evaluation (综合评价) of every subject kind for one month (issue 5's targets:
the demo county < 2 s, a megacity month of >= 1,000,000 cases on PostgreSQL < 10 s).

    .venv/bin/python bench/evaluation_month.py [--county PATH] [--reps 5]
    .venv/bin/python bench/evaluation_month.py --db postgres|sqlite [--cases 1000000] [--history 2] [--reps 3] [--explain]
    .venv/bin/python bench/evaluation_month.py --reuse [--reps 3] [--explain]   (the database --db postgres built)

Without --db: copies the built demo county (default var/urbangrid.sqlite3, never written) into a
temporary folder, points DATABASE_URL/URBANGRID_VAR_DIR there, and times `ranking.evaluate`
for each subject kind over the last full month of its history (the month before the latest report).

With --db: a fresh database (benchdb.setup), the tiny demo county, then `cases` cases reported
within the last full month before now, with their timed steps (受理, 核实 for public reports,
立案, 派遣, 处置 by the county's disposal departments, 核查 by supervisors, 结案; some 返工 and
some still open at the month's end), each step finished by a user of its post (受理员, 值班长,
派遣员, 监督员) and written to the timeline (CaseAction: 上报 and one action per finished step, some
派发核查 by hand), inserted by COPY on PostgreSQL and executemany on SQLite, then (PostgreSQL,
--history months, default 2) the same month copied into each earlier month, so that the timed
month sits on history as in a live city, then VACUUM ANALYZE on PostgreSQL; and times every
subject kind for that month. No case is cancelled (作废).

Prints p50/p95 per kind and of the whole (all kinds in a row), the slowest queries of one
instrumented run per kind, the Python allocation peak (tracemalloc) of that run and the
process's peak RSS; then the leader's monthly ranking page counted live and from the closed
periods' stored figures (evaluation.figures). Nothing is asserted.
"""

import argparse
import os
import random
import shutil
import statistics
import sys
import tempfile
import time
import tracemalloc
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from benchdb import ROOT, copy_rows, peak_rss_mb, percentile, setup

TZ = ZoneInfo("Asia/Shanghai")


def month_of(moment: datetime) -> tuple[datetime, datetime]:
    """The last full month before `moment`, in Shanghai time: [first day, first day of next)."""
    local = moment.astimezone(TZ)
    end = datetime(local.year, local.month, 1, tzinfo=TZ)
    prev = end - timedelta(days=1)
    return datetime(prev.year, prev.month, 1, tzinfo=TZ), end


def open_county(path: str) -> None:
    """Django on a private copy of the county: the original is only read (copied)."""
    folder = tempfile.mkdtemp(prefix="urbangrid-bench-eval-")
    import atexit

    atexit.register(shutil.rmtree, folder, ignore_errors=True)
    target = os.path.join(folder, "urbangrid.sqlite3")
    began = time.perf_counter()
    shutil.copyfile(path, target)
    for suffix in ("-wal", "-shm"):
        if os.path.exists(path + suffix):
            shutil.copyfile(path + suffix, target + suffix)
    print(f"county {path} copied to {folder} in {time.perf_counter() - began:.1f} s")
    os.environ["DATABASE_URL"] = f"sqlite:///{target}"
    os.environ["URBANGRID_VAR_DIR"] = folder
    sys.path.insert(0, ROOT)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "urbangrid.config.settings")
    import django

    django.setup()


# ---------------------------------------------------------------- the megacity's month

STEP_COLUMNS = (
    "case_id",
    "step",
    "department_id",
    "assignee_id",
    "limit_value",
    "limit_unit",
    "started_at",
    "warn_at",
    "due_at",
    "finished_at",
    "finished_by_id",
    "on_time",
    "outcome",
    "paused_at",
    "overdue_noticed_at",
    "sent_back_at",
)
SOURCES = (
    ("supervisor", 0.55),
    ("public", 0.15),
    ("hotline_12319", 0.12),
    ("transfer_12345", 0.08),
    ("video", 0.05),
    ("assigned", 0.03),
    ("media", 0.02),
)
ACTION_COLUMNS = (
    "case_id",
    "action",
    "actor_id",
    "role",
    "at",
    "from_state",
    "to_state",
    "department_id",
    "note",
    "data",
    "audit_seq",
)
PUBLIC = {"public", "hotline_12319", "transfer_12345"}
H = timedelta(hours=1)
# What finishing each step writes to the timeline, the post that finishes it, the state it leaves.
STEP_ACTIONS = {
    "accept": ("accept", "intake", "reported"),
    "verify": ("verify", "supervisor", "verifying"),
    "file": ("file", "shift_leader", "filing"),
    "dispatch": ("dispatch", "dispatcher", "dispatching"),
    "dispose": ("feedback", "disposer", "disposing"),
    "check": ("check", "supervisor", "checking"),
    "close": ("close", "shift_leader", "closing"),
}


def month_case(i, case_id, rng, start, span_s, cutoff, grids, types, departments, posts):
    """One case reported in the month (naive UTC datetimes), its timed steps and its timeline."""
    reported = start + timedelta(seconds=rng.random() * span_s)
    source = rng.choices(SOURCE_NAMES, SOURCE_WEIGHTS)[0]
    grid, lon, lat = rng.choice(grids)
    supervisor = rng.choice(posts["supervisor"])
    holders = {post: rng.choice(users) for post, users in posts.items()}
    holders["supervisor"] = supervisor
    steps = []
    actions = [(case_id, "report", None, "", reported, "", "reported", None, "", "{}", 0)]

    def step(name, holder_dept, assignee, hours, t, took, outcome, limit=None):
        due = t + hours * H
        finished = t + took * H
        action, post, state = STEP_ACTIONS[name]
        if finished >= cutoff:  # still open now
            finished, on_time, outcome, by = None, None, "", None
        else:
            on_time, by = finished <= due, holders.get(post)
            actions.append((case_id, action, by, post, finished, state, "", holder_dept, "", "{}", 0))
        if name == "check" and rng.random() < 0.05:  # 派发核查 by hand, soon after the 反馈
            actions.append(
                (case_id, "assign_supervisor", holders["intake"], "intake", t + 0.1 * H, "checking")
                + ("checking", None, "", "{}", 0)
            )
        steps.append(
            (
                case_id,
                name,
                holder_dept,
                assignee,
                str(limit if limit is not None else hours),
                "work_hours",
                t,
                due - (hours / 4) * H,
                due,
                finished,
                by,
                on_time,
                outcome,
                None,
                None,
                None,
            )
        )
        return finished

    state = "archived"
    t = step("accept", None, None, 1 / 6, reported, rng.uniform(0.01, 0.2), "accepted")
    if not t:
        state = "reported"
    if t and source in PUBLIC:
        found = rng.random() < 0.9
        t = step(
            "verify", None, supervisor, 1, t, rng.uniform(0.1, 1.3), "confirmed" if found else "not_found"
        )
        if not t:
            state = "verifying"
        elif not found:
            t = None
            state = "not_filed"
    filed = department = closed = None
    disposal_due = None
    reworks = 0
    if t:
        t = step("file", None, None, 0.5, t, rng.uniform(0.02, 0.6), "filed")
        filed = t
        if not t:
            state = "filing"
    if t:
        t = step("dispatch", None, None, 0.5, t, rng.uniform(0.05, 0.7), "dispatched")
        if not t:
            state = "dispatching"
    if t:
        department = rng.choice(departments)
        rounds = 2 if rng.random() < 0.08 else 1
        disposal = None  # the previous round's disposal step
        for n in range(rounds):
            reworks = n  # a failed 核查 before this round sent the case back (返工)
            if disposal is not None:
                steps[disposal] = steps[disposal][:-1] + (t,)  # sent_back_at
            disposal = len(steps)
            hours = rng.choice((4, 8, 24, 48))
            disposal_due = t + hours * H
            t = step("dispose", department, None, hours, t, hours * rng.uniform(0.2, 1.3), "done")
            if not t:
                state = "disposing"
                break
            failed = n < rounds - 1
            t = step("check", None, supervisor, 1, t, rng.uniform(0.1, 1.4), "failed" if failed else "passed")
            if not t:
                state = "checking"
                break
        if t:
            t = step("close", None, None, 0.5, t, rng.uniform(0.02, 0.6), "closed")
            if t:
                closed = t
            else:
                state = "closing"
    last = max(s[9] or s[6] for s in steps)
    case = {
        "id": case_id,
        "number": f"2{i:09d}",  # ten digits, as the case pages expect
        "source": source,
        "kind": "matter",
        "type_id": rng.choice(types),
        "description": "月度案卷",
        "lon": lon,
        "lat": lat,
        "tile_key": 0,
        "grid_code": grid,
        "community_code": grid[:12],
        "street_code": grid[:9],
        "state": state,
        "reporter_id": supervisor if source == "supervisor" else None,
        "department_id": department,
        "step": "" if state in ("archived", "not_filed") else steps[-1][1],
        "step_due_at": None if state in ("archived", "not_filed") else steps[-1][8],
        "disposal_due_at": disposal_due,
        "rework_count": reworks,
        "reported_at": reported,
        "filed_at": filed,
        "closed_at": closed,
        "updated_at": last,
    }
    return case, steps, actions


SOURCE_NAMES = [s for s, _w in SOURCES]
SOURCE_WEIGHTS = [w for _s, w in SOURCES]


def build_month(db: str, cases: int, history: int) -> tuple[datetime, datetime]:
    label = setup(db)
    from django.db import connection

    from urbangrid.accounts.models import Department, Role, User
    from urbangrid.cases.models import Case, CaseAction, CaseStep
    from urbangrid.catalog.models import CatalogType
    from urbangrid.core import clock
    from urbangrid.demo import builder
    from urbangrid.demo.scales import scale_named
    from urbangrid.demo.steps import Console
    from urbangrid.geo.models import UnitGrid

    began = time.perf_counter()
    builder.run(scale_named("tiny"), 1, Console(open(os.devnull, "w")))  # noqa: SIM115
    print(f"{label}: tiny demo county built in {time.perf_counter() - began:.0f} s")
    now = clock.now()
    start, end = month_of(now)
    grids = list(
        UnitGrid.objects.filter(valid_to__isnull=True).values_list("code", "centroid_lon", "centroid_lat")
    )
    types = list(CatalogType.objects.filter(kind="matter").values_list("id", flat=True))
    departments = list(
        Department.objects.filter(members__role_grants__role=Role.DISPOSER)
        .distinct()
        .values_list("id", flat=True)
    )
    posts = {
        role: list(User.objects.filter(role_grants__role=role).distinct().values_list("id", flat=True))
        for role in (Role.SUPERVISOR, Role.INTAKE, Role.SHIFT_LEADER, Role.DISPATCHER)
    }
    print(
        f"{label}: {len(grids)} grids, {len(departments)} disposal departments, "
        + ", ".join(f"{len(users)} {role}" for role, users in posts.items())
    )
    first_id = (Case.objects.order_by("-id").values_list("id", flat=True).first() or 0) + 1
    naive_start = start.astimezone(UTC).replace(tzinfo=None)
    span_s = (end - start).total_seconds()
    cutoff = now.astimezone(UTC).replace(tzinfo=None)
    case_fields = [f for f in Case._meta.concrete_fields]
    case_attnames = [f.attname for f in case_fields]
    defaults = {f.attname: f.get_default() for f in case_fields if not f.primary_key}

    def generate():
        rng = random.Random(1)
        for i in range(cases):
            yield month_case(
                i, first_id + i, rng, naive_start, span_s, cutoff, grids, types, departments, posts
            )

    # Three passes with the same seed: the cases, their steps, their timeline (one COPY at a time).
    t0 = time.perf_counter()
    n_cases = copy_rows(
        Case,
        [f.column for f in case_fields],
        (tuple(c.get(a, defaults.get(a)) for a in case_attnames) for c, _s, _a in generate()),
    )
    t1 = time.perf_counter()
    n_steps = copy_rows(CaseStep, STEP_COLUMNS, (s for _c, steps, _a in generate() for s in steps))
    t2 = time.perf_counter()
    n_actions = copy_rows(CaseAction, ACTION_COLUMNS, (a for _c, _s, actions in generate() for a in actions))
    t3 = time.perf_counter()
    history = add_history(history, first_id, first_id + cases)
    t3h = time.perf_counter()
    with connection.cursor() as cur:
        if connection.vendor == "postgresql":
            cur.execute(
                "SELECT setval(pg_get_serial_sequence('cases_case', 'id'), (SELECT max(id) FROM cases_case))"
            )
            cur.execute("VACUUM ANALYZE")
        else:
            cur.execute("ANALYZE")
    t4 = time.perf_counter()
    print(
        f"{label}: {n_cases:,} cases in {t1 - t0:.0f} s ({n_cases / (t1 - t0):,.0f}/s), "
        f"{n_steps:,} steps in {t2 - t1:.0f} s ({n_steps / (t2 - t1):,.0f}/s), "
        f"{n_actions:,} actions in {t3 - t2:.0f} s, {history} months of history in {t3h - t3:.0f} s, "
        f"{'VACUUM ANALYZE' if connection.vendor == 'postgresql' else 'ANALYZE'} {t4 - t3h:.0f} s"
    )
    print(f"{label}: RSS peak after the insert {peak_rss_mb():.0f} MB")
    return start, end


def add_history(months: int, first_id: int, stop_id: int) -> int:
    """`months` earlier months under the timed one, as a live city has: its cases, steps and
    timeline copied 1..months calendar months back, by SQL inside PostgreSQL (no Python rows),
    with case ids moved past the month's own."""
    from django.db import connection, transaction

    from urbangrid.cases.models import Case, CaseAction, CaseStep

    if connection.vendor != "postgresql":
        return 0  # PostgreSQL only
    stride = stop_id - first_id

    def shifted(model, k, moved_ids):
        columns, values = [], []
        for f in model._meta.concrete_fields:
            if f.primary_key and model is not Case:
                continue  # a new serial id
            columns.append(f.column)
            if f.get_internal_type() == "DateTimeField":
                values.append(f"{f.column} - interval '{k} months'")
            elif f.column in moved_ids:
                values.append(f"{f.column} + {k * stride}")
            elif f.column == "number":
                values.append(f"'{k}' || number")  # eleven digits: apart from the month's ten
            else:
                values.append(f.column)
        where = f"{'id' if model is Case else 'case_id'} BETWEEN {first_id} AND {stop_id - 1}"
        table = model._meta.db_table
        return f"INSERT INTO {table} ({', '.join(columns)}) SELECT {', '.join(values)} FROM {table} WHERE {where}"

    for k in range(1, months + 1):
        with transaction.atomic(), connection.cursor() as cur:
            cur.execute("SET LOCAL session_replication_role = replica")  # consistent by construction
            cur.execute(shifted(Case, k, {"id"}))
            cur.execute(shifted(CaseStep, k, {"case_id"}))
            cur.execute(shifted(CaseAction, k, {"case_id"}))
    return months


# ---------------------------------------------------------------- timing


def instrumented(kind, start, end, explain: bool):
    """One run with the queries captured and the Python allocations traced."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from urbangrid.evaluation.ranking import evaluate

    tracemalloc.start()
    began = time.perf_counter()
    with CaptureQueriesContext(connection) as captured:
        items = evaluate(kind, start, end)
    took = time.perf_counter() - began
    _cur, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    queries = sorted(captured.captured_queries, key=lambda q: -float(q["time"]))
    in_db = sum(float(q["time"]) for q in queries)
    print(
        f"  {kind}: {len(items)} subjects, {len(queries)} queries, {in_db:.2f} s in execute of "
        f"{took:.2f} s (traced), Python alloc peak {peak / 2**20:.0f} MB"
    )
    for q in queries[:3]:
        print(f"     {float(q['time']):7.3f} s  {q['sql'][:400]}")
    if explain and queries:
        prefix = "EXPLAIN ANALYZE " if connection.vendor == "postgresql" else "EXPLAIN QUERY PLAN "
        with connection.cursor() as cur:
            cur.execute(prefix + queries[0]["sql"])
            for line in cur.fetchall():
                print("       ", *line)


def time_kinds(start, end, reps: int, explain: bool) -> None:
    from urbangrid.cases.models import Case, CaseStep
    from urbangrid.evaluation.models import PeriodFigures
    from urbangrid.evaluation.ranking import KINDS, evaluate

    PeriodFigures.objects.all().delete()  # counted, not read from the jobs' stored figures

    n_cases = Case.objects.filter(reported_at__gte=start, reported_at__lt=end).count()
    n_steps = CaseStep.objects.filter(due_at__gte=start, due_at__lt=end).count()
    print(
        f"month {start:%Y-%m} [{start.isoformat()}, {end.isoformat()}): {n_cases:,} cases reported, "
        f"{n_steps:,} steps due"
    )
    evaluate("street", start, end)  # warm caches (schemes, calendar)
    times = {k: [] for k in KINDS}
    totals = []
    sizes = {}
    for _ in range(reps):
        total = 0.0
        for kind in KINDS:
            t = time.perf_counter()
            sizes[kind] = len(evaluate(kind, start, end))
            took = time.perf_counter() - t
            times[kind].append(took)
            total += took
        totals.append(total)
    print(f"{'kind':12s} {'subjects':>8s} {'p50 s':>8s} {'p95 s':>8s}   ({reps} runs)")
    for kind in KINDS:
        print(
            f"{kind:12s} {sizes[kind]:8d} {statistics.median(times[kind]):8.3f} {percentile(times[kind], 0.95):8.3f}"
        )
    print(f"{'all kinds':12s} {'':8s} {statistics.median(totals):8.3f} {percentile(totals, 0.95):8.3f}")
    print(f"peak RSS after timing {peak_rss_mb():.0f} MB")
    print("one instrumented run per kind (slowest queries first):")
    for kind in KINDS:
        instrumented(kind, start, end, explain)


def time_page(start: datetime, end: datetime) -> None:
    """The leader's monthly ranking page (the month, the month before, six months of trends):
    counted live, then from the closed periods' stored figures, after the jobs' first count."""
    from django.test import Client

    from urbangrid.accounts.models import Role, User
    from urbangrid.core import clock
    from urbangrid.evaluation import figures
    from urbangrid.evaluation.models import PeriodFigures

    leader = User.objects.filter(role_grants__role=Role.LEADER).first()
    client = Client()
    client.force_login(leader)
    query = {"period": "month", "month": f"{start:%Y-%m}"}

    def page() -> float:
        began = time.perf_counter()
        assert client.get("/evaluation/", query, HTTP_HOST="localhost").status_code == 200
        return time.perf_counter() - began

    PeriodFigures.objects.all().delete()
    live = page()
    began = time.perf_counter()
    periods = figures.store_closed_periods(clock.now(), at_most=None)
    stored_in = time.perf_counter() - began
    stored = [page() for _ in range(3)]
    print(
        f"ranking page {start:%Y-%m}: counted live {live:.1f} s; the jobs' first count of "
        f"{periods} closed periods {stored_in:.1f} s; from the stored figures p50 "
        f"{statistics.median(stored):.2f} s"
    )
    # The cases behind a number: the busiest department's, first and 50th page of 50.
    values, _at = figures.values("department", start, end)
    busiest = max(values, key=lambda d: values[d]["due"])
    for indicator, n in (("due", values[busiest]["due"]), ("overdue_open", values[busiest]["overdue_open"])):
        for page_no in (1, 50):
            query = {"start": f"{start:%Y-%m-%d}", "end": f"{end:%Y-%m-%d}", "kind": "department"}
            query.update(subject=busiest, indicator=indicator, page=page_no)
            began = time.perf_counter()
            status = client.get("/evaluation/cases/", query, HTTP_HOST="localhost").status_code
            print(
                f"cases behind {indicator} ({n:,}) of department {busiest}, page {page_no}: "
                f"{time.perf_counter() - began:.2f} s (HTTP {status})"
            )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--db", choices=["sqlite", "postgres"], help="build a megacity month instead")
    parser.add_argument("--county", default=os.path.join(ROOT, "var", "urbangrid.sqlite3"))
    parser.add_argument("--cases", type=int, default=1_000_000)
    parser.add_argument(
        "--history",
        type=int,
        default=2,
        help="earlier months of the same size under the timed one (PostgreSQL)",
    )
    parser.add_argument("--reps", type=int, help="runs per kind (default 5 county, 3 megacity)")
    parser.add_argument("--reuse", action="store_true", help="time the month already built by --db postgres")
    parser.add_argument("--explain", action="store_true", help="plan of each kind's slowest query")
    args = parser.parse_args()
    if args.reuse:
        from benchdb import POSTGRES_URL

        sys.path.insert(0, ROOT)
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "urbangrid.config.settings")
        os.environ["DATABASE_URL"] = POSTGRES_URL
        import django

        django.setup()
        from urbangrid.core import clock

        start, end = month_of(clock.now())
        reps = args.reps or 3
    elif args.db:
        start, end = build_month(args.db, args.cases, args.history)
        reps = args.reps or 3
    else:
        open_county(args.county)
        from django.db.models import Max

        from urbangrid.cases.models import Case

        latest = Case.objects.aggregate(m=Max("reported_at"))["m"]
        start, end = month_of(latest)
        reps = args.reps or 5
    time_kinds(start, end, reps, args.explain)
    time_page(start, end)


if __name__ == "__main__":
    sys.exit(main())
