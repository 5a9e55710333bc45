"""What the geo services share: the permission check that lets the system itself through,
the lock that makes imports queue, the after-commit refreshes and the audit digest."""

import hashlib
from collections.abc import Iterable

from django.db import connection
from django.utils.translation import gettext_lazy as _

from urbangrid.accounts import permissions
from urbangrid.core.errors import Invalid

from .. import gazetteer, geocoding
from ..features import choice_table
from ..models import Division
from ..reports import GeoImportReport

DEFAULT_TOLERANCE_M2 = 1.0
WRITE_BATCH = 1000


def require(actor, action: str, *, area_code: str | None = None) -> None:
    if actor is not None:
        permissions.require(actor, action, area_code=area_code)


def serialise_imports() -> None:
    """Two imports checked side by side could each pass and together overlap. Locking the
    district rows for the whole check-and-write makes imports queue behind each other."""
    list(Division.objects.select_for_update().filter(level=Division.Level.DISTRICT).values_list("pk"))


def chunks(items: list, size: int) -> Iterable[list]:
    for i in range(0, len(items), size):
        yield items[i : i + size]


def after_grids_change() -> None:
    geocoding.invalidate()


def after_divisions_change() -> None:
    geocoding.invalidate()
    gazetteer.invalidate()


def content_digest(rows: Iterable[tuple]) -> str:
    """sha256 of the rows in the order of their first value (a code: unique)."""
    h = hashlib.sha256()
    for row in sorted(rows, key=lambda row: row[0]):
        for part in row:
            h.update(part if isinstance(part, bytes) else str(part).encode())
            h.update(b"\x1f")
        h.update(b"\x1e")
    return h.hexdigest()


def payload(report: GeoImportReport, crs, digest: str) -> dict:
    return {
        "total": report.total,
        "created": report.created,
        "updated": report.updated,
        "unchanged": report.unchanged,
        "retired": report.retired,
        "crs": str(crs),
        "tolerance_m2": report.tolerance_m2,
        "digest": digest,
    }


def choice_value(choices, value, code: str) -> str:
    found = choice_table(choices).get(str(value or "").strip().lower())
    if found is None:
        raise Invalid(code, _("Unknown value."), value=value, choices=list(choices.values))
    return found


def bulk_insert(model, fields: tuple[str, ...], rows: list[tuple]) -> None:
    """Insert rows of plain values, already in the database's form (see
    `connection.ops.adapt_*`), without building model instances: at tens of thousands of rows
    the ORM's per-value preparation is the bulk of an import. PostgreSQL takes them by COPY;
    other databases by multi-row INSERTs as large as their parameter limit allows."""
    if not rows:
        return
    quote = connection.ops.quote_name
    table = quote(model._meta.db_table)
    columns = ", ".join(quote(model._meta.get_field(name).column) for name in fields)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            with cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
            return
        per_statement = min(WRITE_BATCH, (connection.features.max_query_params or 10**6) // len(fields))
        placeholders = f"({', '.join(['%s'] * len(fields))})"
        for chunk in chunks(rows, per_statement):
            cursor.execute(
                f"INSERT INTO {table} ({columns}) VALUES {', '.join([placeholders] * len(chunk))}",
                [value for row in chunk for value in row],
            )
