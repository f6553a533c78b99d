"""Incremental, resumable refresh of the analytics store from the operational database.

The store is a folder: `events.parquet` (a canonical log, see `sigap.analytics.eventlog`),
`standards.parquet` (service standards and their declared procedures) and `state.json` (the
watermark). Each run reads only the requests whose `last_event_at` is at or after the watermark,
replaces those cases in the log, and then moves the watermark. Files are replaced atomically and
the watermark is written last, so a run stopped at any point is simply redone by the next one
(replacing a case twice gives the same store). Runs on one store take turns (a lock on the
folder, released by the kernel even when a run is killed), and each run first removes the
temporary files a killed run left behind.

Outcomes are copied as recorded, except that the last event of a completed request becomes
`completed` (every finished step is `done`; this is what closes a case in the analyses).

The operational tables are read with plain SQL through any DB-API connection (sqlite3 or psycopg),
by their Django table names; this module does not import Django. The Django side (a management
command, a schedule) only has to open the connection and call `refresh_store`.
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import os
import tempfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import duckdb
import pyarrow as pa

from sigap.analytics.engine import SORTED_KEY, SORTED_VALUE
from sigap.analytics.performance import ServiceStandard

COMPLETED = "completed"  # ServiceRequest.status of a finished request, and the outcome we mark
EVENTS = "events.parquet"
STANDARDS = "standards.parquet"
STATE = "state.json"

# Django's table names for the models the refresh reads.
EVENTS_SQL = """
SELECT r.receipt_code, e.seq, e.activity, e.timestamp, emp.nip, e.outcome, s.code, u.code,
       r.last_event_at, r.status
FROM service_requests_serviceevent e
JOIN service_requests_servicerequest r ON r.id = e.request_id
JOIN catalogue_service s ON s.id = r.service_id
JOIN organisation_unit u ON u.id = r.unit_id
LEFT JOIN organisation_employee emp ON emp.id = e.officer_id
WHERE r.last_event_at >= {param}
"""
STANDARDS_SQL = """
SELECT s.code, st.valid_from, st.sla_working_days, p."order", p.name
FROM catalogue_servicestandard st
JOIN catalogue_service s ON s.id = st.service_id
LEFT JOIN catalogue_procedurestep p ON p.standard_id = st.id
WHERE st.valid_from IS NOT NULL
ORDER BY s.code, st.valid_from, p."order"
"""
TABLES: dict[str, tuple[str, ...]] = {
    "service_requests_serviceevent": (
        "request_id", "seq", "activity", "timestamp", "officer_id", "outcome",
    ),
    "service_requests_servicerequest": (
        "id", "receipt_code", "service_id", "unit_id", "last_event_at", "status",
    ),
    "catalogue_service": ("id", "code"),
    "catalogue_servicestandard": ("id", "service_id", "valid_from", "sla_working_days"),
    "catalogue_procedurestep": ("standard_id", "order", "name"),
    "organisation_unit": ("id", "code"),
    "organisation_employee": ("id", "nip"),
}  # fmt: skip
"""Every table and column the refresh reads (a test checks them against the migrated schema)."""

_RAW_SCHEMA = pa.schema(
    [
        ("case_id", pa.string()),
        ("seq", pa.int64()),
        ("activity", pa.string()),
        ("ts_text", pa.string()),
        ("resource", pa.string()),
        ("lifecycle", pa.string()),
        ("service", pa.string()),
        ("unit", pa.string()),
        ("last_event_at", pa.string()),
        ("status", pa.string()),
    ]
)


@dataclass(frozen=True, slots=True)
class RefreshResult:
    changed_cases: int
    changed_events: int
    total_events: int
    watermark: str | None


def read_state(store: Path) -> dict[str, Any]:
    path = Path(store) / STATE
    return json.loads(path.read_text()) if path.exists() else {}


def refresh_store(
    connection: Any, store: str | Path, *, paramstyle: str = "qmark", batch_size: int = 50_000
) -> RefreshResult:
    """Bring the store up to date with the operational database behind `connection`.

    `paramstyle` is the DB-API driver's: "qmark" for sqlite3, "format" for psycopg.
    """
    store = Path(store)
    store.mkdir(parents=True, exist_ok=True)
    fd = os.open(store, os.O_RDONLY)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)  # a second run waits; the sweep below is then safe
        _sweep(store)
        return _refresh(connection, store, paramstyle, batch_size)
    finally:
        os.close(fd)  # releases the lock


def _sweep(store: Path) -> None:
    """Remove the temporary files of a run that was killed before it could rename them."""
    for name in (EVENTS, STANDARDS, STATE):
        for leftover in store.glob(f".{name}.*"):
            with contextlib.suppress(FileNotFoundError):
                leftover.unlink()


def _refresh(connection: Any, store: Path, paramstyle: str, batch_size: int) -> RefreshResult:
    watermark = read_state(store).get("watermark")
    param = "?" if paramstyle == "qmark" else "%s"
    cur = connection.cursor()
    cur.execute(EVENTS_SQL.format(param=param), (watermark or "0001-01-01",))
    batches = []
    while rows := cur.fetchmany(batch_size):
        columns = list(zip(*rows, strict=True))
        batches.append(
            pa.record_batch(
                [
                    pa.array([_text(v) for v in col], type=f.type)
                    if f.type == pa.string()
                    else pa.array(col, type=f.type)
                    for col, f in zip(columns, _RAW_SCHEMA, strict=True)
                ],
                schema=_RAW_SCHEMA,
            )
        )
    changed = pa.Table.from_batches(batches, schema=_RAW_SCHEMA)
    _write_standards(connection, store)
    con = duckdb.connect()
    try:
        con.execute("SET TimeZone = 'UTC'")
        con.register("changed_raw", changed)
        # Django stores UTC; SQLite hands back naive text, PostgreSQL aware datetimes.
        # Every finished step is `done`; the last event of a completed request is marked
        # `completed`, so analyses can tell a finished case from one between two steps.
        con.execute(
            f"""CREATE TABLE changed AS SELECT case_id,
                   CAST(row_number() OVER w - 1 AS INTEGER) AS seq,
                   activity, CAST(ts_text AS TIMESTAMPTZ) AS ts, resource,
                   CASE WHEN status = '{COMPLETED}' AND lifecycle = 'done'
                             AND row_number() OVER w = count(*) OVER (PARTITION BY case_id)
                        THEN 'completed' ELSE lifecycle END AS lifecycle,
                   service, unit
               FROM changed_raw WINDOW w AS (PARTITION BY case_id ORDER BY seq)"""
        )
        new_watermark = con.execute("SELECT max(last_event_at) FROM changed_raw").fetchone()
        events = store / EVENTS
        keep = (
            f"""UNION ALL SELECT * FROM read_parquet('{_q(events)}')
                WHERE case_id NOT IN (SELECT case_id FROM changed)"""
            if events.exists()
            else ""
        )
        _atomic_copy(con, f"SELECT * FROM changed {keep} ORDER BY case_id, seq", events)
        total = con.execute(f"SELECT count(*) FROM read_parquet('{_q(events)}')").fetchone()
        n_cases = con.execute("SELECT count(DISTINCT case_id) FROM changed").fetchone()
    finally:
        con.close()
    mark = (new_watermark or (None,))[0] or watermark
    _atomic_text(store / STATE, json.dumps({"watermark": mark}))
    return RefreshResult(
        changed_cases=int((n_cases or (0,))[0]),
        changed_events=changed.num_rows,
        total_events=int((total or (0,))[0]),
        watermark=mark,
    )


def load_standards(store: str | Path) -> tuple[ServiceStandard, ...]:
    """The service standards saved by the last refresh, with their declared procedures."""
    path = Path(store) / STANDARDS
    if not path.exists():
        return ()
    import pyarrow.parquet as pq

    return standards_from_rows(pq.read_table(path).to_pylist())


def standards_from_rows(rows: Iterable[dict[str, Any]]) -> tuple[ServiceStandard, ...]:
    """Service standards from the rows of `standards.parquet` (one row per procedure step),
    however the file was read (here with pyarrow; on a cluster with Spark)."""
    out: dict[tuple[str, date, int], list[str]] = {}
    for r in rows:
        steps = out.setdefault((r["service"], r["valid_from"], r["sla_working_days"]), [])
        if r["step"] is not None:
            steps.append(r["step"])
    return tuple(
        ServiceStandard(service=s, valid_from=v, sla_working_days=d, procedure=tuple(p))
        for (s, v, d), p in out.items()
    )


def _write_standards(connection: Any, store: Path) -> None:
    cur = connection.cursor()
    cur.execute(STANDARDS_SQL)
    rows = cur.fetchall()
    table = pa.table(
        {
            "service": pa.array([r[0] for r in rows], pa.string()),
            "valid_from": pa.array([_date(r[1]) for r in rows], pa.date32()),
            "sla_working_days": pa.array([int(r[2]) for r in rows], pa.int64()),
            "order": pa.array([r[3] for r in rows], pa.int64()),
            "step": pa.array([r[4] for r in rows], pa.string()),
        }
    )
    import pyarrow.parquet as pq

    fd, tmp = tempfile.mkstemp(dir=store, prefix=f".{STANDARDS}.")
    os.close(fd)
    pq.write_table(table, tmp)
    os.replace(tmp, store / STANDARDS)


def _date(v: Any) -> date:
    return v if isinstance(v, date) else date.fromisoformat(str(v)[:10])


def _text(v: Any) -> str | None:
    return None if v is None else str(v)


def _q(path: Path) -> str:
    return str(path).replace("'", "''")


def _atomic_copy(con: duckdb.DuckDBPyConnection, select: str, out: Path) -> None:
    fd, tmp = tempfile.mkstemp(dir=out.parent, prefix=f".{out.name}.")
    os.close(fd)
    try:
        con.execute(
            f"COPY ({select}) TO '{_q(Path(tmp))}' (FORMAT parquet, COMPRESSION zstd, "
            f"KV_METADATA {{{SORTED_KEY}: '{SORTED_VALUE}'}})"
        )
        os.replace(tmp, out)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)


def _atomic_text(path: Path, text: str) -> None:
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
    with os.fdopen(fd, "w") as fh:
        fh.write(text)
    os.replace(tmp, path)


__all__: Sequence[str] = [
    "TABLES",
    "RefreshResult",
    "load_standards",
    "read_state",
    "refresh_store",
    "standards_from_rows",
]
