"""Bulk writes of generated rows on the raw DB-API connection: executemany on SQLite, COPY on
PostgreSQL. Rows are tuples in the column order given; the model's columns are checked first so
a schema change fails loudly instead of writing misplaced values."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import UTC, date, datetime, timedelta

from django.core.management.color import no_style
from django.db import connection
from django.db.models import Model

_UNIX = datetime(1970, 1, 1)
_UNIX_AWARE = datetime(1970, 1, 1, tzinfo=UTC)


class BulkWriter:
    def __init__(self) -> None:
        self.vendor = connection.vendor
        if self.vendor not in ("sqlite", "postgresql"):
            raise NotImplementedError(
                f"the demo writer supports SQLite and PostgreSQL, not {self.vendor}"
            )
        self.is_sqlite = self.vendor == "sqlite"

    # Value adapters: the same text Django itself stores on SQLite, native objects on PostgreSQL.
    def dt(self, epoch: int | None) -> object:
        if epoch is None:
            return None
        if self.is_sqlite:
            return str(_UNIX + timedelta(seconds=epoch))
        return _UNIX_AWARE + timedelta(seconds=epoch)

    def day(self, ordinal: int) -> object:
        d = date.fromordinal(ordinal)
        return d.isoformat() if self.is_sqlite else d

    def flag(self, value: bool | None) -> object:
        if value is None or not self.is_sqlite:
            return value
        return int(value)

    @staticmethod
    def check_columns(model: type[Model], columns: Sequence[str]) -> None:
        actual = [str(f.column) for f in model._meta.concrete_fields]
        if sorted(actual) != sorted(columns):
            raise RuntimeError(
                f"{model._meta.label} columns changed: "
                f"expected {sorted(columns)}, found {sorted(actual)}"
            )

    def insert(
        self, model: type[Model], columns: Sequence[str], rows: Iterable[tuple[object, ...]]
    ) -> None:
        table = connection.ops.quote_name(model._meta.db_table)
        cols = ", ".join(connection.ops.quote_name(c) for c in columns)
        with connection.cursor() as cursor:
            if self.is_sqlite:
                raw = cursor.connection.cursor()  # sqlite3 cursor: no per-call SQL rewriting
                marks = ", ".join("?" * len(columns))
                raw.executemany(f"INSERT INTO {table} ({cols}) VALUES ({marks})", rows)
            else:
                with cursor.cursor.copy(f"COPY {table} ({cols}) FROM STDIN") as copy:
                    for row in rows:
                        copy.write_row(row)

    @staticmethod
    def reset_sequences(*models: type[Model]) -> None:
        """After explicit ids: let the database hand out the next ones (PostgreSQL only)."""
        statements = connection.ops.sequence_reset_sql(no_style(), list(models))
        with connection.cursor() as cursor:
            for sql in statements:
                cursor.execute(sql)

    def analyze(self, *models: type[Model]) -> None:
        """Refresh the query planner's statistics after a bulk load."""
        with connection.cursor() as cursor:
            if self.is_sqlite:
                cursor.execute("PRAGMA analysis_limit=1000")
                cursor.execute("ANALYZE")
            else:
                for model in models:
                    cursor.execute(f"ANALYZE {connection.ops.quote_name(model._meta.db_table)}")

    @staticmethod
    def next_id(model: type[Model]) -> int:
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT MAX(id) FROM {connection.ops.quote_name(model._meta.db_table)}")
            (value,) = cursor.fetchone()
        return (value or 0) + 1
