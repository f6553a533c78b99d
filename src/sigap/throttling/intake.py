"""Store a public submission in one round trip: the rate-limit hit and the rows in one statement.

Surveys and complaints arrive from anyone, in bursts (a counter's QR code, a campaign), so their
write path is kept short. On PostgreSQL, `store()` sends a single statement in autocommit:

    WITH hit AS (INSERT INTO <rate counter> … ON CONFLICT … DO UPDATE … RETURNING hits),
         new AS (INSERT INTO <row> … SELECT … FROM hit WHERE hits <= limit
                 [ON CONFLICT (<unique>) DO NOTHING] RETURNING id),
         c1  AS (INSERT INTO <child> … SELECT new.id, … FROM new)
    SELECT hit.hits, new.id FROM hit LEFT JOIN new ON true

It is atomic by itself (one statement, one commit: the reply is sent only after that commit
returned, so an acknowledged submission is durable), counts the hit in the same database table
as before (shared by every worker process), writes the row only when the client is within its
limit, and lets a unique receipt code that collides be retried without a savepoint. Values are
taken from the model instances through the fields' own `get_db_prep_save`, with an explicit
cast to each column's type, so the statement follows the models.

Other databases (SQLite: no INSERT inside WITH) take the same steps one by one in a transaction.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from functools import cache
from typing import Any, TypeAlias

import psycopg
from django.db import IntegrityError, connection, models, transaction

from sigap.throttling.ratelimit import Charge, RateLimited


@dataclass(frozen=True)
class Child:
    """A row written with the main one; `parent_field` (a foreign key) points at the main row."""

    instance: models.Model
    parent_field: str


Fields: TypeAlias = "tuple[models.Field[Any, Any], ...]"


def _fields(model: type[models.Model], skip: str = "") -> Fields:
    """Every stored field but the key (and `skip`), in a fixed order."""
    return tuple(
        f for f in model._meta.local_concrete_fields if not f.primary_key and f.name != skip
    )


def _column(model: type[models.Model], name: str = "") -> str:
    """The quoted column of field `name` (the key when empty)."""
    field = model._meta.get_field(name) if name else model._meta.pk
    assert isinstance(field, models.Field) and field.column
    return connection.ops.quote_name(field.column)


def _insert(model: type[models.Model], fields: Fields) -> tuple[str, str]:
    """The quoted column list and the SELECT list of cast placeholders."""
    quote = connection.ops.quote_name
    # The cast types the SELECT list as the column (a bare NULL or date literal would be text).
    # Strings are cast to text, not varchar(n): an explicit cast would truncate silently, while
    # assigning text to the column refuses a value that is too long.
    casts = [
        "text" if isinstance(f, models.CharField | models.TextField) else f.cast_db_type(connection)
        for f in fields
    ]
    columns = ", ".join(quote(f.column or "") for f in fields)
    return columns, ", ".join(f"%s::{c}" for c in casts)


@cache
def _plan(
    charged: bool,
    model: type[models.Model],
    unique: str,
    children: tuple[tuple[type[models.Model], str], ...],
) -> tuple[str, Fields, tuple[Fields, ...]]:
    """The statement for this shape of submission (built once per process) and its fields."""
    quote = connection.ops.quote_name
    hit = Charge.upsert_sql() if charged else "SELECT 1 AS hits"
    pk = _column(model)
    fields = _fields(model)
    columns, selects = _insert(model, fields)
    conflict = ""
    if unique:  # a taken value writes nothing: the caller retries with another
        conflict = f" ON CONFLICT ({_column(model, unique)}) DO NOTHING"
    parts = [
        f"hit AS ({hit})",
        f"new AS (INSERT INTO {quote(model._meta.db_table)} ({columns}) SELECT {selects} "
        f"FROM hit WHERE hit.hits <= %s{conflict} RETURNING {pk})",
    ]
    child_fields = []
    for n, (child, parent_field) in enumerate(children, 1):
        fk = _column(child, parent_field)
        cfields = _fields(child, skip=parent_field)
        columns, selects = _insert(child, cfields)
        parts.append(
            f"c{n} AS (INSERT INTO {quote(child._meta.db_table)} ({fk}, {columns}) "
            f"SELECT new.{pk}, {selects} FROM new)"
        )
        child_fields.append(cfields)
    sql = f"WITH {', '.join(parts)} SELECT hit.hits, new.{pk} FROM hit LEFT JOIN new ON true"
    return sql, fields, tuple(child_fields)


# Field types whose preparation for PostgreSQL leaves a value of the given Python type as it is
# (to_python of a str is the str, an int the int...); for those the value is read directly:
# get_db_prep_save costs about 3 µs a field, and a complaint has 36.
_PLAIN: dict[type[models.Field[Any, Any]], type] = {
    models.CharField: str, models.TextField: str, models.URLField: str,
    models.BooleanField: bool, models.IntegerField: int, models.PositiveIntegerField: int,
    models.SmallIntegerField: int, models.PositiveSmallIntegerField: int,
    models.BigIntegerField: int, models.ForeignKey: int, models.DecimalField: Decimal,
    models.DateField: date, models.DateTimeField: datetime,
}  # fmt: skip


def _value(field: models.Field[Any, Any], instance: models.Model) -> Any:
    value: Any = getattr(instance, field.attname)
    plain = _PLAIN.get(type(field))
    if plain is not None and not getattr(field, "auto_now", False):
        if value is None:
            return None
        aware = not isinstance(value, datetime) or value.tzinfo is not None
        if type(value) is plain and aware:
            return value
    # Anything else (an enum member, a naive datetime, other field types) the field prepares.
    return field.get_db_prep_save(field.pre_save(instance, True), connection)


def _values(instance: models.Model, fields: Fields) -> list[Any]:
    return [_value(f, instance) for f in fields]


def _execute(sql: str, params: list[Any]) -> tuple[int, int | None]:
    """Run the statement as a server-side prepared statement on this connection.

    Django's cursors inline the values into the SQL text, so PostgreSQL would parse and plan
    this long statement on every submission; prepared once per connection (connections are
    kept, CONN_MAX_AGE), each submission only binds its values. The transaction is Django's:
    in autocommit the statement commits by itself, inside atomic() it joins the transaction.
    """
    connection.ensure_connection()
    with connection.wrap_database_errors, psycopg.Cursor(connection.connection) as cursor:
        cursor.execute(sql, params, prepare=True)
        row = cursor.fetchone()
    assert row is not None
    return row[0], row[1]


def _saved(instance: models.Model, pk: int) -> None:
    instance.pk = pk
    instance._state.adding = False
    instance._state.db = connection.alias


def store(
    row: models.Model,
    *,
    charge: Charge | None = None,
    unique: str = "",
    children: Sequence[Child] = (),
) -> bool:
    """Count `charge` (if any) and, when within the limit, insert `row` and its `children`.

    Raises RateLimited when the client is over its limit (the hit is counted, nothing else is
    written). Returns False, with nothing written, when `unique` names a field whose value is
    taken (the caller picks a new receipt code and calls again without the charge, which was
    counted already); True once the rows are committed (or written in the caller's transaction).
    `row` gets its key; the children's own keys are not read back.
    """
    if connection.vendor == "postgresql":
        shape = tuple((type(c.instance), c.parent_field) for c in children)
        sql, fields, child_fields = _plan(charge is not None, type(row), unique, shape)
        params: list[Any] = [charge.key, charge.bucket] if charge is not None else []
        params += _values(row, fields)
        params.append(charge.limit if charge is not None else 1)
        for child, cfields in zip(children, child_fields, strict=True):
            params += _values(child.instance, cfields)
        hits, pk = _execute(sql, params)
        if charge is not None:
            decision = charge.decide(hits)
            if not decision.allowed:
                raise RateLimited(decision.retry_after, decision.limit)
        if pk is None:
            return False
        _saved(row, pk)
        for child in children:
            setattr(child.instance, child.parent_field, row)
        return True
    if charge is not None:
        charge.enforce()  # counted even when the row is then refused, as on PostgreSQL
    with transaction.atomic():
        try:
            with transaction.atomic():
                row.save(force_insert=True)
        except IntegrityError:
            if not unique:
                raise
            row.pk = None
            return False
        for child in children:
            setattr(child.instance, child.parent_field, row)
            child.instance.save(force_insert=True)
    return True
