"""A role's to-do queue with a million historical cases in the database (target p95 < 100 ms).

    .venv/bin/python bench/cases_queue.py [--db sqlite|postgres] [--cases 1000000] [--open 20000]

Builds the tiny demo county, bulk-inserts `cases` cases (history: mostly archived; `open`
of them spread over the open states, due times around now), then times the first page of
each role's queue (rows + count, as the queue page and the API fetch them) and the counts
shown on the tabs.
"""

import argparse
import random
import statistics
import sys
import time
from datetime import timedelta

from benchdb import peak_rss_mb, setup


def percentile(values, share):
    values = sorted(values)
    return values[max(int(len(values) * share) - 1, 0)]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--db", choices=["sqlite", "postgres"], default="sqlite")
    parser.add_argument("--cases", type=int, default=1_000_000)
    parser.add_argument("--open", type=int, default=20_000)
    args = parser.parse_args()
    label = setup(args.db)

    from urbangrid.accounts.models import Department, Role, User
    from urbangrid.cases import queries
    from urbangrid.cases.models import OPEN_STATES, Case, State
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
    batch = []
    for i in range(args.cases):
        grid, lon, lat = rng.choice(grids)
        is_open = i >= args.cases - args.open
        state = rng.choice(open_states) if is_open else State.ARCHIVED
        reported = now - timedelta(days=rng.uniform(0, 5 * 365) if not is_open else rng.uniform(0, 10))
        due = now + timedelta(hours=rng.uniform(-48, 48)) if is_open else None
        batch.append(
            Case(
                number=f"B{i:09d}",
                source="supervisor",
                kind="matter",
                type_id=rng.choice(types),
                description="历史案卷",
                lon=lon,
                lat=lat,
                tile_key=0,
                grid_code=grid,
                community_code=grid[:12],
                street_code=grid[:9],
                state=state,
                department_id=rng.choice(departments)
                if state in (State.DISPOSING, State.SUSPENDED, State.ARCHIVED)
                else None,
                assignee_id=rng.choice(supervisors) if state in (State.VERIFYING, State.CHECKING) else None,
                step_due_at=due,
                step_warn_at=due - timedelta(hours=2) if due else None,
                reported_at=reported,
                updated_at=reported,
            )
        )
        if len(batch) == 10_000:
            Case.objects.bulk_create(batch)
            batch = []
    Case.objects.bulk_create(batch)
    print(f"{label}: {args.cases:,} cases inserted in {time.perf_counter() - t0:.0f} s ({args.open:,} open)")

    from django.db import connection

    if connection.vendor == "postgresql":
        with connection.cursor() as cur:
            cur.execute("ANALYZE")
    users = {
        Role.INTAKE: User.objects.filter(role_grants__role=Role.INTAKE).first(),
        Role.SUPERVISOR: User.objects.filter(pk__in=supervisors).first(),
        Role.SHIFT_LEADER: User.objects.filter(role_grants__role=Role.SHIFT_LEADER).first(),
        Role.DISPATCHER: User.objects.filter(role_grants__role=Role.DISPATCHER).first(),
        Role.DISPOSER: User.objects.filter(
            role_grants__role=Role.DISPOSER, department_id__in=departments
        ).first(),
        Role.LEADER: User.objects.filter(role_grants__role=Role.LEADER, areas__isnull=True).first(),
    }
    print(
        f"{'role':13s} {'rows':>6s} {'count':>7s} {'p50 ms':>8s} {'p95 ms':>8s}   (first page of 50 + total count)"
    )
    for role, user in users.items():
        times = []
        for _ in range(40):
            t = time.perf_counter()
            qs = queries.queue(user, role)
            rows = list(qs[:50])
            total = qs.count()
            times.append(time.perf_counter() - t)
        print(
            f"{role:13s} {len(rows):6d} {total:7,d} {statistics.median(times) * 1000:8.1f} {percentile(times, 0.95) * 1000:8.1f}"
        )
        times = []
        for _ in range(20):
            t = time.perf_counter()
            queries.queue_counts(user)
            times.append(time.perf_counter() - t)
        print(
            f"{'  tab counts':13s} {'':6s} {'':7s} {statistics.median(times) * 1000:8.1f} {percentile(times, 0.95) * 1000:8.1f}"
        )
    print(f"peak memory {peak_rss_mb():.0f} MB")


if __name__ == "__main__":
    sys.exit(main())
