"""A role's to-do queue with a million historical cases in the database (target p95 < 100 ms).

    .venv/bin/python bench/cases_queue.py [--db sqlite|postgres] [--cases 1000000] [--open 20000] [--explain]

Builds the tiny demo county, bulk-inserts `cases` cases (history: mostly archived; `open`
of them spread over the open states, due times around now; COPY on PostgreSQL, executemany
on SQLite, then VACUUM ANALYZE on PostgreSQL as autovacuum would), then times the first page
of each role's queue (rows + count, as the queue page and the API fetch them) and the counts
shown on the tabs; also a street-scoped disposer and the dispatcher's queue with each sort
order and a few filters. `--explain` prints the plan of every query timed.
"""

import argparse
import random
import statistics
import sys
import time
from datetime import timedelta

from benchdb import copy_rows, peak_rss_mb, percentile, setup


def history_row(i, total, n_open, rng, now, grids, types, departments, supervisors, open_states) -> dict:
    """One case of the history: the last `n_open` are open, the rest archived over five years."""
    from urbangrid.cases.models import State

    grid, lon, lat = rng.choice(grids)
    is_open = i >= total - n_open
    state = rng.choice(open_states) if is_open else State.ARCHIVED
    reported = now - timedelta(days=rng.uniform(0, 5 * 365) if not is_open else rng.uniform(0, 10))
    due = now + timedelta(hours=rng.uniform(-48, 48)) if is_open else None
    return {
        "number": f"B{i:09d}",
        "source": "supervisor",
        "kind": "matter",
        "type_id": rng.choice(types),
        "description": "历史案卷",
        "lon": lon,
        "lat": lat,
        "tile_key": 0,
        "grid_code": grid,
        "community_code": grid[:12],
        "street_code": grid[:9],
        "state": state,
        "department_id": rng.choice(departments)
        if state in (State.DISPOSING, State.SUSPENDED, State.ARCHIVED)
        else None,
        "assignee_id": rng.choice(supervisors) if state in (State.VERIFYING, State.CHECKING) else None,
        "step_due_at": due,
        "step_warn_at": due - timedelta(hours=2) if due else None,
        "reported_at": reported,
        "updated_at": reported,
    }


def bulk_insert(rows) -> None:
    """Case rows as dicts; columns not given get the model field's default, as
    Case(...).save() would give them."""
    from urbangrid.cases.models import Case

    fields = [f for f in Case._meta.concrete_fields if not f.primary_key]
    defaults = {f.attname: f.get_default() for f in fields}
    copy_rows(
        Case, [f.column for f in fields], ([row.get(a, d) for a, d in defaults.items()] for row in rows)
    )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--db", choices=["sqlite", "postgres"], default="sqlite")
    parser.add_argument("--cases", type=int, default=1_000_000)
    parser.add_argument("--open", type=int, default=20_000)
    parser.add_argument("--explain", action="store_true", help="print the query plans of each role's queue")
    args = parser.parse_args()
    label = setup(args.db)

    from urbangrid.accounts.models import Department, Role, User
    from urbangrid.cases import queries
    from urbangrid.cases.models import OPEN_STATES, State
    from urbangrid.catalog.models import CatalogType
    from urbangrid.core import clock
    from urbangrid.demo import builder
    from urbangrid.demo.scales import scale_named
    from urbangrid.demo.steps import Console
    from urbangrid.geo.models import UnitGrid

    builder.run(scale_named("tiny"), 1, Console(open("/dev/null", "w")))  # noqa: SIM115
    rng = random.Random(1)
    now = clock.now()
    grids = list(
        UnitGrid.objects.filter(valid_to__isnull=True).values_list("code", "centroid_lon", "centroid_lat")
    )
    types = list(CatalogType.objects.filter(kind="matter").values_list("id", flat=True))
    departments = list(
        Department.objects.filter(members__role_grants__role=Role.DISPOSER)
        .distinct()
        .values_list("id", flat=True)
    )
    supervisors = list(User.objects.filter(role_grants__role=Role.SUPERVISOR).values_list("id", flat=True))
    open_states = sorted(OPEN_STATES - {State.CLOSED})
    t0 = time.perf_counter()
    rows = (
        history_row(i, args.cases, args.open, rng, now, grids, types, departments, supervisors, open_states)
        for i in range(args.cases)
    )
    bulk_insert(rows)
    print(f"{label}: {args.cases:,} cases inserted in {time.perf_counter() - t0:.0f} s ({args.open:,} open)")

    from django.db import connection

    if connection.vendor == "postgresql":
        # What autovacuum would have done after a million inserts: statistics for the planner
        # and the visibility map (without it index-only scans still visit every heap row).
        with connection.cursor() as cur:
            cur.execute("VACUUM ANALYZE")
    print(
        f"{label}: {table_mb():,.0f} MB on disk (PostgreSQL: the case table and its indexes; SQLite: the file)"
    )
    disposer = User.objects.filter(role_grants__role=Role.DISPOSER, department_id__in=departments)
    users = {
        Role.INTAKE: User.objects.filter(role_grants__role=Role.INTAKE).first(),
        Role.SUPERVISOR: User.objects.filter(pk__in=supervisors).first(),
        Role.SHIFT_LEADER: User.objects.filter(role_grants__role=Role.SHIFT_LEADER).first(),
        Role.DISPATCHER: User.objects.filter(role_grants__role=Role.DISPATCHER).first(),
        Role.DISPOSER: disposer.filter(areas__isnull=True).first(),
        Role.LEADER: User.objects.filter(role_grants__role=Role.LEADER, areas__isnull=True).first(),
    }
    # Besides each role's plain queue: a street department's disposer (data scope by area, so the
    # query carries the LIKE/OR scope filter) and the dispatcher's queue filtered and re-sorted.
    views = [(role, role, user, {}) for role, user in users.items()]
    views.insert(5, ("disposer/street", Role.DISPOSER, disposer.filter(areas__isnull=False).first(), {}))
    type_code = CatalogType.objects.get(pk=types[0]).code
    for name, filters in (
        ("new", {"order": "new"}),
        ("old", {"order": "old"}),
        ("red", {"light": "red"}),
        ("green", {"light": "green"}),
        ("type+old", {"type": type_code, "order": "old"}),
        ("street+new", {"street": grids[0][0][:9], "order": "new"}),
    ):
        views.append((f"dispatcher/{name}", Role.DISPATCHER, users[Role.DISPATCHER], filters))
    print(
        f"{'queue':16s} {'rows':>6s} {'count':>7s} {'p50 ms':>8s} {'p95 ms':>8s}   (first page of 50 + total count)"
    )
    for name, role, user, filters in views:
        if user is None:
            print(f"{name:16s} (no such user in the demo county)")
            continue
        times = []
        for _ in range(40):
            t = time.perf_counter()
            qs = queries.queue(user, role, filters=filters)
            rows = list(qs[:50])
            total = qs.count()
            times.append(time.perf_counter() - t)
        print(
            f"{name:16s} {len(rows):6d} {total:7,d} {statistics.median(times) * 1000:8.1f} {percentile(times, 0.95) * 1000:8.1f}"
        )
        if filters:
            continue
        times = []
        for _ in range(20):
            t = time.perf_counter()
            queries.queue_counts(user)
            times.append(time.perf_counter() - t)
        print(
            f"{'  tab counts':16s} {'':6s} {'':7s} {statistics.median(times) * 1000:8.1f} {percentile(times, 0.95) * 1000:8.1f}"
        )
    print(f"peak memory {peak_rss_mb():.0f} MB")
    if args.explain:
        explain(views, queries)


def table_mb() -> float:
    from django.db import connection

    with connection.cursor() as cur:
        if connection.vendor == "postgresql":
            cur.execute("SELECT pg_total_relation_size('cases_case')")
            return cur.fetchone()[0] / 2**20
        # The whole file: the case table and its indexes are nearly all of it.
        cur.execute("SELECT page_count * page_size FROM pragma_page_count(), pragma_page_size()")
        return cur.fetchone()[0] / 2**20


def explain(views, queries) -> None:
    """The plans of the page, the count and the tab counts of each role's queue."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    prefix = "EXPLAIN QUERY PLAN " if connection.vendor == "sqlite" else "EXPLAIN ANALYZE "
    for name, role, user, filters in views:
        if user is None:
            continue
        with CaptureQueriesContext(connection) as captured:
            qs = queries.queue(user, role, filters=filters)
            list(qs[:50])
            qs.count()
            if not filters:
                queries.queue_counts(user)
        for query in captured.captured_queries:
            sql = query["sql"]
            if "cases_case" not in sql:
                continue
            print(f"--- {name}: {sql[:600]}")
            with connection.cursor() as cursor:
                cursor.execute(prefix + sql)
                for line in cursor.fetchall():
                    print("    ", *line)


if __name__ == "__main__":
    sys.exit(main())
