"""Row inserts for imports. Django's bulk_create sends every value of every row through the
field machinery, which was most of the time of a 170,000-row import; here the handful of
columns that need it (dates, JSON) are adapted and the rest go to the driver as they are:
batched INSERTs on SQLite, COPY on PostgreSQL."""

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
        adapt_date = connection.ops.adapt_datefield_value
        adapt_json = connection.ops.adapt_json_value
        self.adapters = {
            "initial_date": adapt_date,
            "change_date": adapt_date,
            "attributes": lambda value: adapt_json(value, None),
        }
        self.rows: list[tuple] = []

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
        with connection.cursor() as cur:
            if connection.vendor == "postgresql":
                with cur.cursor.copy(self.copy_sql) as copy:
                    for row in self.rows:
                        copy.write_row(row)
            else:
                cur.executemany(self.sql, self.rows)
        self.rows = []
