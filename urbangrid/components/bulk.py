"""Row inserts for imports. Django's bulk_create sends every value of every row through the
field machinery, which was most of the time of a 170,000-row import; here the handful of
columns that need it (dates, JSON) are adapted once per distinct value and the rest go to the
driver as they are: batched INSERTs on SQLite, one COPY on PostgreSQL.

The importer hands the rows over column by column (`insert`), in the order it wants them
written: in tile-key order the inserts into the tile-key indexes stay local, which is most of
what the database spends on a large import."""

from collections.abc import Iterable, Sequence

import numpy as np
from django.db import connection

from .models import Component

BATCH = 2000


class ComponentInserter:
    def __init__(self) -> None:
        fields = [f for f in Component._meta.concrete_fields if not f.primary_key]
        self.attnames = [f.attname for f in fields]
        quote = connection.ops.quote_name
        columns = ", ".join(quote(f.column) for f in fields)
        marks = ", ".join(["%s"] * len(fields))
        table = quote(Component._meta.db_table)
        self.sql = f"INSERT INTO {table} ({columns}) VALUES ({marks})"
        self.copy_sql = f"COPY {table} ({columns}) FROM STDIN"
        self._adapt_date = connection.ops.adapt_datefield_value
        self._adapt_json = connection.ops.adapt_json_value
        self._dates: dict = {}
        self._empty_json = self._adapt_json({}, None)
        self.adapters = {
            "initial_date": self.adapt_date,
            "change_date": self.adapt_date,
            "attributes": self.adapt_json,
        }
        self.rows: list[tuple] = []

    def adapt_date(self, value):
        """The driver's value of a date; an import has few distinct dates, so each is adapted once."""
        adapted = self._dates.get(value, self)
        if adapted is self:
            adapted = self._dates[value] = self._adapt_date(value)
        return adapted

    def adapt_json(self, value):
        return self._empty_json if not value and isinstance(value, dict) else self._adapt_json(value, None)

    def add(self, values: dict) -> None:
        """Queue one row ({attname: value}; every column but the id); written per batch."""
        for name, adapt in self.adapters.items():
            values[name] = adapt(values[name])
        self.rows.append(tuple(values[name] for name in self.attnames))
        if len(self.rows) >= BATCH:
            self.flush()

    def flush(self) -> None:
        if not self.rows:
            return
        self._write([self.rows])
        self.rows = []

    def insert(self, columns: dict[str, Sequence], order: np.ndarray, progress=None) -> None:
        """Write len(order) rows given as columns ({attname: values in the importer's order},
        numpy arrays or lists; every column but the id, dates and JSON not yet adapted), in
        the order of the row numbers in `order`. `progress(fraction)` after each batch."""
        for name, adapt in self.adapters.items():
            columns[name] = [adapt(v) for v in columns[name]]
        total = len(order)
        ordered = [_array(columns[name], total) for name in self.attnames]

        def batches() -> Iterable[list[tuple]]:
            for start in range(0, total, BATCH):
                idx = order[start : start + BATCH]
                yield list(zip(*(column[idx].tolist() for column in ordered), strict=True))
                if progress is not None:
                    progress(min(start + BATCH, total) / total)

        self._write(batches())

    def _write(self, batches: Iterable[list[tuple]]) -> None:
        with connection.cursor() as cur:
            if connection.vendor == "postgresql":
                with cur.cursor.copy(self.copy_sql) as copy:
                    for rows in batches:
                        for row in rows:
                            copy.write_row(row)
            else:
                for rows in batches:
                    cur.executemany(self.sql, rows)


def _array(values: Sequence, n: int) -> np.ndarray:
    """A column as a numpy array, so that a batch is one fancy-indexing step; a list becomes
    an object array element by element (never a 2-D array, whatever the values are)."""
    if isinstance(values, np.ndarray):
        return values
    array = np.empty(n, dtype=object)
    array[:] = values
    return array
