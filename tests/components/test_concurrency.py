"""Serial allocation under real transactions: concurrent registrations on PostgreSQL, and on
both databases a registration that fails after taking its serial gives the serial back with
everything else."""

import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.db import connection

from tests.components.builders import IN_FIRST_GRID, IN_LAST_GRID, department, register
from urbangrid.components import services
from urbangrid.components.models import Component, SerialCounter

pytestmark = pytest.mark.django_db(transaction=True)

THREADS = 8
EACH = 5


@pytest.mark.skipif(connection.vendor != "postgresql", reason="SQLite runs one writer at a time by design")
def test_concurrent_registrations_never_share_a_code(small_county, make_user):
    admin = make_user("admin")
    lamps = department("lamps")
    start = threading.Barrier(THREADS)

    def work(n):
        try:
            start.wait()
            lon, lat = IN_FIRST_GRID if n % 2 else IN_LAST_GRID
            return [register(admin, lamps, lon=lon, lat=lat).code for _ in range(EACH)]
        finally:
            connection.close()

    with ThreadPoolExecutor(THREADS) as pool:
        codes = [code for batch in pool.map(work, range(THREADS)) for code in batch]
    assert len(set(codes)) == THREADS * EACH
    assert sorted(codes) == [f"99010101037{n:06d}" for n in range(1, THREADS * EACH + 1)]
    assert SerialCounter.objects.get(type_code="01037").last_serial == THREADS * EACH


def test_a_failed_registration_rolls_its_serial_back(small_county, make_user, monkeypatch):
    admin = make_user("admin")
    lamps = department("lamps")
    first = register(admin, lamps)

    def broken_audit(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(services.audit, "append", broken_audit)
    with pytest.raises(RuntimeError):
        register(admin, lamps)
    monkeypatch.undo()
    assert Component.objects.count() == 1
    assert SerialCounter.objects.get(type_code="01037").last_serial == 1
    second = register(admin, lamps)
    assert (first.code, second.code) == ("99010101037000001", "99010101037000002")
