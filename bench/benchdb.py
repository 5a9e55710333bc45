"""Database set-up shared by the benchmarks: a fresh, migrated SQLite file or PostgreSQL database
(postgres://postgres@127.0.0.1:5432/$URBANGRID_BENCH_DB, default urbangrid_bench, so two
benchmarks can run side by side). Run on its own it only says so."""

import os
import shutil
import sys
import tempfile
import time
from datetime import datetime

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BENCH_DB = os.environ.get("URBANGRID_BENCH_DB", "urbangrid_bench")
POSTGRES_URL = f"postgres://postgres@127.0.0.1:5432/{BENCH_DB}"


def setup(db: str) -> str:
    """Point Django at a new empty database, migrate it, and return a label for the report."""
    sys.path.insert(0, ROOT)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "urbangrid.config.settings")
    if db == "postgres":
        import psycopg

        with psycopg.connect("postgresql://postgres@127.0.0.1:5432/postgres", autocommit=True) as conn:
            conn.execute(f"DROP DATABASE IF EXISTS {BENCH_DB}")
            conn.execute(f"CREATE DATABASE {BENCH_DB}")
        os.environ["DATABASE_URL"] = POSTGRES_URL
        label = "PostgreSQL"
    else:
        folder = tempfile.mkdtemp(prefix="urbangrid-bench-")
        os.environ["DATABASE_URL"] = f"sqlite:///{folder}/bench.sqlite3"
        os.environ["URBANGRID_VAR_DIR"] = folder
        import atexit

        atexit.register(shutil.rmtree, folder, ignore_errors=True)
        label = "SQLite"
    import django
    from django.core.management import call_command

    django.setup()
    began = time.perf_counter()
    call_command("migrate", verbosity=0)
    print(f"{label}: migrated in {time.perf_counter() - began:.1f} s")
    return label


def percentile(values, share):
    values = sorted(values)
    return values[max(int(len(values) * share + 0.5) - 1, 0)]


def copy_rows(model, columns, rows, batch: int = 50_000) -> int:
    """Insert plain tuples (in `columns` order) without building model instances: one COPY on
    PostgreSQL, executemany in transactions of `batch` rows on SQLite. Returns the row count."""
    from django.db import connection, transaction

    table = connection.ops.quote_name(model._meta.db_table)
    quoted = ", ".join(connection.ops.quote_name(c) for c in columns)
    n = 0
    if connection.vendor == "postgresql":
        with transaction.atomic(), connection.cursor() as cursor:
            # The rows are consistent by construction: without this, committing queues one
            # deferred foreign-key check per row and reference (minutes for millions of rows).
            cursor.execute("SET LOCAL session_replication_role = replica")
            with cursor.cursor.copy(f"COPY {table} ({quoted}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)  # COPY adapts datetimes and None itself
                    n += 1
        return n
    sql = f"INSERT INTO {table} ({quoted}) VALUES ({', '.join(['%s'] * len(columns))})"
    adapt = connection.ops.adapt_datetimefield_value  # aware datetimes as Django stores them (UTC)
    chunk = []

    def flush():
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.executemany(sql, chunk)
        chunk.clear()

    for row in rows:
        chunk.append([adapt(v) if isinstance(v, datetime) else v for v in row])
        n += 1
        if len(chunk) == batch:
            flush()
    if chunk:
        flush()
    return n


def peak_rss_mb() -> float:
    import resource

    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


if __name__ == "__main__":
    print(__doc__)
