"""Fixtures every test may use: a movable clock, users with roles, an API client, a small
county, and a headless Chromium page (skipped loudly when /usr/bin/chromium is missing)."""

import importlib
import os
import sys
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from urbangrid.core.clock import clock as the_clock

SHANGHAI = ZoneInfo("Asia/Shanghai")
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]


@pytest.fixture(autouse=True)
def _media_root_and_fast_hashes(tmp_path, settings):
    settings.MEDIA_ROOT = str(tmp_path / "media")
    # A real password hash costs a third of a second; the organisations tests build hold dozens.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def clock():
    """The application clock, frozen at Thursday 2026-11-26 10:00 Shanghai time; move it with
    clock.advance(...) or clock.freeze(...)."""
    the_clock.freeze(datetime(2026, 11, 26, 10, 0, tzinfo=SHANGHAI))
    yield the_clock
    the_clock.reset()


@pytest.fixture
def make_user(db):
    from tests.factories import make_user as factory

    return factory


@pytest.fixture
def api_client():
    from tests.factories import ApiClient

    return ApiClient


@pytest.fixture
def small_county(db):
    from tests.factories import build_small_county

    return build_small_county()


def pytest_collection_modifyitems(config, items):
    if os.path.exists(CHROMIUM):
        return
    skip = pytest.mark.skip(reason=f"{CHROMIUM} is missing: install chromium and fonts-noto-cjk")
    skipped = 0
    for item in items:
        if "browser" in item.keywords:
            item.add_marker(skip)
            skipped += 1
    if skipped:
        sys.stderr.write(f"\n!!! SKIPPING {skipped} BROWSER TESTS: {CHROMIUM} is missing !!!\n")


@pytest.fixture(scope="session")
def _playwright():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        # Playwright's sync API keeps an event loop running in this thread for the rest of the
        # session, which makes Django refuse the tests' (plain synchronous) database calls.
        os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
        yield p


@pytest.fixture(scope="session")
def chromium(_playwright):
    browser = _playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
    yield browser
    browser.close()


@pytest.fixture
def page(chromium, live_server):
    """A 1920×1080 Chromium page; `page.base_url` is the live server."""
    context = chromium.new_context(
        viewport={"width": 1920, "height": 1080},
        locale="zh-CN",
        timezone_id="Asia/Shanghai",
        base_url=live_server.url,
    )
    pg = context.new_page()
    yield pg
    context.close()


# Reference rows the data migrations write; a transactional test's flush erases them.
DATA_MIGRATIONS = [
    ("urbangrid.catalog.migrations.0002_load_catalogue", "load"),
    ("urbangrid.cases.migrations.0003_defaults", "load"),
    ("urbangrid.cases.migrations.0004_default_calendar", "create"),
    ("urbangrid.evaluation.migrations.0002_default_schemes", "load"),
    ("urbangrid.evaluation.migrations.0003_post_schemes", "load"),
]


@pytest.fixture(autouse=True)
def _reference_data(request):
    """Give every database test the rows the data migrations wrote. A transactional test's flush
    erases them, and under pytest-xdist a plain test may run after one in the same worker."""
    marker = request.node.get_closest_marker("django_db")
    transactional = (marker is not None and marker.kwargs.get("transaction")) or any(
        name in request.fixturenames for name in ("transactional_db", "live_server")
    )
    if not transactional and marker is None and "db" not in request.fixturenames:
        return
    request.getfixturevalue("transactional_db" if transactional else "db")
    from django.apps import apps

    from urbangrid.cases.models import Reason

    if not Reason.objects.exists():
        for module, function in DATA_MIGRATIONS:
            getattr(importlib.import_module(module), function)(apps, None)


@pytest.fixture(autouse=True)
def _fresh_calendar_cache():
    """Rolled-back calendar rows send no signals; start and end every test with an empty cache."""
    from urbangrid.cases.calendar import invalidate

    invalidate()
    yield
    invalidate()
