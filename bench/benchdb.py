"""Database set-up shared by the benchmarks: a fresh, migrated SQLite file or PostgreSQL database
(postgres://postgres@127.0.0.1:5432/$URBANGRID_BENCH_DB, default urbangrid_bench, so two
benchmarks can run side by side). Run on its own it only says so."""

import os
import shutil
import sys
import tempfile
import time

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


def peak_rss_mb() -> float:
    import resource

    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


if __name__ == "__main__":
    print(__doc__)
