"""Component identifiers (GB/T 47678.5-2026): the 17-digit code `AAAAAA MM mmm SSSSSS`
(6-digit admin code, 5-digit type, 6-digit serial), the 16-digit 2013 code it replaces, and
the serial counter that hands out serials once and never again.
"""

import re

from django.db import connection
from django.utils.translation import gettext_lazy as _

from urbangrid.core.errors import Conflict

from .models import SerialCounter

CODE_RE = re.compile(r"^\d{17}$")
OLD_CODE_RE = re.compile(r"^\d{16}$")
MAX_SERIAL = 999_999


def compose(admin_code: str, type_code: str, serial: int) -> str:
    return f"{admin_code}{type_code}{serial:06d}"


def split(code: str) -> tuple[str, str, int]:
    """(admin code, type code, serial) of a 17-digit code."""
    return code[:6], code[6:11], int(code[11:])


def convert_old(old_code: str, type_by_old: dict[str, str]) -> str | None:
    """The 17-digit code of a 16-digit 2013 code: same admin code and serial, the old 4-digit
    type replaced by its 5-digit successor (standards.md §3.4); None if the old type has none."""
    new_type = type_by_old.get(old_code[6:10])
    if new_type is None:
        return None
    return f"{old_code[:6]}{new_type}{old_code[10:]}"


def _table() -> str:
    return connection.ops.quote_name(SerialCounter._meta.db_table)


def allocate(admin_code: str, type_code: str, count: int = 1) -> int:
    """Reserve `count` serials for (admin code, type) and return the first. One statement
    increments the counter and takes its row lock until the transaction ends, so concurrent
    registrations queue on it and never share a serial (SQLite serialises writers anyway)."""
    table = _table()
    with connection.cursor() as cur:
        cur.execute(
            f"INSERT INTO {table} (admin_code, type_code, last_serial) VALUES (%s, %s, %s) "
            f"ON CONFLICT (admin_code, type_code) DO UPDATE "
            f"SET last_serial = {table}.last_serial + excluded.last_serial RETURNING last_serial",
            [admin_code, type_code, count],
        )
        last = cur.fetchone()[0]
    if last > MAX_SERIAL:
        raise Conflict(
            "serials_exhausted",
            _("No serial numbers are left for this type in this county."),
            admin_code=admin_code,
            type=type_code,
        )
    return last - count + 1


def reserve_up_to(pairs: dict[tuple[str, str], int]) -> None:
    """Move counters past serials that arrive with their codes (imports), so later
    allocations never hand them out again."""
    if not pairs:
        return
    table = _table()
    with connection.cursor() as cur:
        cur.executemany(
            f"INSERT INTO {table} (admin_code, type_code, last_serial) VALUES (%s, %s, %s) "
            f"ON CONFLICT (admin_code, type_code) DO UPDATE SET last_serial = CASE "
            f"WHEN excluded.last_serial > {table}.last_serial THEN excluded.last_serial "
            f"ELSE {table}.last_serial END",
            [(a, t, s) for (a, t), s in pairs.items()],
        )
