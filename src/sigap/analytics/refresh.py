"""Incremental, resumable refresh of the analytics store from the operational database.

The store is a folder: a generation of the event log `events-<n>/` (a canonical log, see
`sigap.analytics.eventlog`, split in partition files), `standards.parquet` (service standards and
their declared procedures) and `state.json` (the watermark and the generation `n` in use).

Partitions, so that a change rewrites only what it touches: a case that is still open lives in
`open.*.parquet`; a closed case in the file of the week its first event falls in
(`2025-03-03.*.parquet`, weeks starting on Monday, UTC). New events are nearly all of recent
cases, so one day of events rewrites the open partition and the one or two weeks its closed cases
started in. The week is the grain of a large store; a small one is cut by month, quarter or year
(`choose_grain`: about `PARTITION_EVENTS` events or more per file), because every file costs a
fixed overhead to derive (`sigap.analytics.incremental`) that a few thousand events do not
repay. The grain is chosen when a store is first written and kept in `state.json`. Every file a
change does not touch is, in the next generation, a hard link to the same file of the previous
one. Each file is sorted by (case_id, seq) and marked so (the engines' linear pass applies to it
alone); a case is never split between files, so read in any order the files are still grouped by
case. A file's name ends with the generation that wrote it (`<key>.<n>.parquet`): what is derived
from a file (`sigap.analytics.incremental`) is kept under that name and stays valid as long as the
file is in use.

Each run reads only the requests whose `last_event_at` is at or after the watermark, builds the
next generation in a temporary folder, renames it, and only then writes `state.json` (atomically):
a run killed at any point leaves the previous generation and watermark in force, and is redone by
the next one (replacing a case twice gives the same store). Runs on one store take turns (a lock
on the folder, released by the kernel even when a run is killed); each run first removes what a
killed run left behind and the generations older than the previous one (a reader may still be
reading that one). A case's partition is found from its own events (open, or the week of its
first event): events are appended to a request, never moved to an earlier week.

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
import shutil
import tempfile
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import duckdb
import pyarrow as pa

from sigap.analytics.engine import SORTED_KEY, SORTED_VALUE
from sigap.analytics.performance import PerformanceSettings, ServiceStandard

COMPLETED = "completed"  # ServiceRequest.status of a finished request, and the outcome we mark
EVENTS = "events.parquet"
"""The log as the engines read it: a link to the generation in use (a folder of Parquet files,
which DuckDB and Spark read as one log). In a store written before partitions, a single file: the
next run starts such a store over."""
GENERATION = "events-{}"
OPEN = "open"
STANDARDS = "standards.parquet"
STATE = "state.json"
GRAINS = ("week", "month", "quarter", "year")
PARTITION_EVENTS = 50_000
"""A new store's partitions are cut by the finest grain that gives about this many events per
file (a week of a busy kabupaten: the grain at which a day's change rewrites little)."""
CLOSING_OUTCOMES = PerformanceSettings().closing_outcomes
"""Outcomes that close a case: a case with one leaves the open partition."""
COLUMNS = "case_id, seq, activity, ts, resource, lifecycle, service, unit"

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
    rewritten: tuple[str, ...] = ()
    """the partitions this run wrote (the others were linked from the previous generation)"""


def read_state(store: Path) -> dict[str, Any]:
    path = Path(store) / STATE
    return json.loads(path.read_text()) if path.exists() else {}


def partitions(store: str | Path) -> list[Path]:
    """The partition files of the generation in use, in a fixed order (by name)."""
    generation = read_state(Path(store)).get("generation")
    if not generation:
        return []
    return sorted((Path(store) / GENERATION.format(generation)).glob("*.parquet"))


def partition_key(path: Path) -> str:
    """`2025-03-03` (or `open`) of `2025-03-03.7.parquet`."""
    return path.name.split(".", 1)[0]


def refresh_store(
    connection: Any,
    store: str | Path,
    *,
    paramstyle: str = "qmark",
    batch_size: int = 50_000,
    grain: str | None = None,
) -> RefreshResult:
    """Bring the store up to date with the operational database behind `connection`.

    `paramstyle` is the DB-API driver's: "qmark" for sqlite3, "format" for psycopg. `grain`
    ("week", "month", "quarter", "year") cuts a new store's partitions; None chooses it from the
    events (`choose_grain`). A store keeps the grain it was first written with.
    """
    if grain is not None and grain not in GRAINS:
        raise ValueError(f"grain must be one of {', '.join(GRAINS)}")
    store = Path(store)
    with store_lock(store):  # a second run waits; the sweep below is then safe
        _sweep(store)
        return _refresh(connection, store, paramstyle, batch_size, grain)


def choose_grain(events: int, first_day: date | None, last_day: date | None) -> str:
    """The finest grain whose partitions hold about `PARTITION_EVENTS` events or more, judged
    from the events and the days they span (a store grows at about its past rate)."""
    if not events or first_day is None or last_day is None:
        return "week"
    weeks = max(1.0, ((last_day - first_day).days + 1) / 7)
    per_week = events / weeks
    for name, weeks_in in (("week", 1), ("month", 4.35), ("quarter", 13.0), ("year", 52.2)):
        if per_week * min(weeks_in, weeks) >= PARTITION_EVENTS:
            return name
    return "year"


@contextlib.contextmanager
def store_lock(store: Path) -> Iterator[None]:
    """Runs on one store take turns: an exclusive lock on its folder, which the kernel releases
    when the holder ends, killed or not."""
    store.mkdir(parents=True, exist_ok=True)
    fd = os.open(store, os.O_RDONLY)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)  # releases the lock


def _sweep(store: Path) -> None:
    """Remove what a killed run left behind, and the generations no reader can be using."""
    for name in (EVENTS, STANDARDS, STATE):
        for leftover in store.glob(f".{name}.*"):
            with contextlib.suppress(FileNotFoundError):
                leftover.unlink()
    state = read_state(store)
    if state.get("watermark") and "generation" not in state:
        # A store from before partitions: read every request again into the new layout.
        (store / EVENTS).unlink(missing_ok=True)
        (store / STATE).unlink()
        state = {}
    generation = int(state.get("generation") or 0)
    if generation:
        _point(store, generation)  # a run killed between the state and the link
    for folder in [*store.glob(".events-*"), *store.glob("events-*")]:
        number = folder.name.rsplit("-", 1)[-1]
        # The one in use and the one before it stay; a newer one was never put in use.
        if (
            folder.name.startswith(".")
            or not number.isdigit()
            or not (generation - 1 <= int(number) <= generation)
        ):
            shutil.rmtree(folder, ignore_errors=True)


def _refresh(
    connection: Any, store: Path, paramstyle: str, batch_size: int, grain: str | None
) -> RefreshResult:
    state = read_state(store)
    watermark = state.get("watermark")
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
    if not changed.num_rows:  # nothing new: the generation in use stays
        return RefreshResult(0, 0, sum(_rows(p) for p in partitions(store)), watermark)
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
        generation = int(state.get("generation") or 0)
        if generation:  # a store keeps its grain (stores from before grains are weekly)
            grain = str(state.get("grain") or "week")
        elif grain is None:
            span = con.execute("SELECT min(ts)::DATE, max(ts)::DATE FROM changed").fetchone()
            grain = choose_grain(changed.num_rows, *(span or (None, None)))
        rewritten, total = _next_generation(con, store, generation, grain)
        n_cases = con.execute("SELECT count(DISTINCT case_id) FROM changed").fetchone()
    finally:
        con.close()
    mark = (new_watermark or (None,))[0] or watermark
    # Written last: until here the previous generation and watermark are the store.
    _atomic_text(
        store / STATE,
        json.dumps({"watermark": mark, "generation": generation + 1, "grain": grain}),
    )
    _point(store, generation + 1)
    _sweep(store)  # the generation before the previous one
    return RefreshResult(
        changed_cases=int((n_cases or (0,))[0]),
        changed_events=changed.num_rows,
        total_events=total,
        watermark=mark,
        rewritten=tuple(sorted(rewritten)),
    )


def _next_generation(
    con: duckdb.DuckDBPyConnection, store: Path, generation: int, grain: str
) -> tuple[set[str], int]:
    """Write generation `generation + 1`: the partitions the changed cases leave or enter
    rewritten, every other one linked. Returns the keys rewritten and the events in all."""
    closing = ", ".join("'" + o.replace("'", "''") + "'" for o in CLOSING_OUTCOMES)
    con.execute(
        f"""CREATE TABLE changed_keys AS SELECT case_id,
               strftime(date_trunc('{grain}', min(ts)), '%Y-%m-%d') AS week,
               CASE WHEN bool_or(lifecycle IN ({closing}))
                    THEN strftime(date_trunc('{grain}', min(ts)), '%Y-%m-%d')
                    ELSE '{OPEN}' END AS part
           FROM changed GROUP BY case_id"""
    )
    previous = {
        partition_key(p): p
        for p in (
            sorted((store / GENERATION.format(generation)).glob("*.parquet")) if generation else []
        )
    }
    entering = {r[0] for r in con.execute("SELECT DISTINCT part FROM changed_keys").fetchall()}
    # Where a changed case can be now: open, or (closed) the week it started.
    could_leave = {OPEN} | {r[0] for r in con.execute("SELECT DISTINCT week FROM changed_keys")
                            .fetchall()}  # fmt: skip
    leaving = {key for key in could_leave & previous.keys() if _holds_changed(con, previous[key])}
    tmp = store / f".{GENERATION.format(generation + 1)}"
    shutil.rmtree(tmp, ignore_errors=True)
    tmp.mkdir()
    total = 0
    for key, path in previous.items():
        if key not in entering | leaving:
            os.link(path, tmp / path.name)  # the same file: what was derived from it still holds
            total += _rows(path)
    # Grouped by partition once, so each partition's rows are a contiguous run the filter
    # below finds from the table's min/max per row group, not by reading every changed row.
    con.execute(
        """CREATE TABLE staged AS SELECT c.*, k.part FROM changed c
           JOIN changed_keys k ON k.case_id = c.case_id ORDER BY k.part, c.case_id, c.seq"""
    )
    for key in sorted(entering | leaving):
        kept = (
            f"""UNION ALL SELECT {COLUMNS} FROM read_parquet('{_q(previous[key])}')
                WHERE case_id NOT IN (SELECT case_id FROM changed_keys)"""
            if key in previous
            else ""
        )
        out = tmp / f"{key}.{generation + 1}.parquet"
        select = f"""SELECT {COLUMNS} FROM staged WHERE part = '{key}'
            {kept} ORDER BY case_id, seq"""
        _atomic_copy(con, select, out)
        if count := _rows(out):
            total += count
        else:
            out.unlink()  # every case of it moved elsewhere
    os.replace(tmp, store / GENERATION.format(generation + 1))
    _fsync_dir(store)
    return entering | leaving, total


def restore_pointer(store: str | Path) -> bool:
    """Make `events.parquet` point at the generation `state.json` names, when that generation's
    folder is there: a copy of the store that kept the files but not the link (a backup
    archive holds regular files only) reads again. Returns whether the link is in place."""
    store = Path(store)
    generation = read_state(store).get("generation")
    if generation is None or not (store / GENERATION.format(int(generation))).is_dir():
        return False
    _point(store, int(generation))
    return True


def _point(store: Path, generation: int) -> None:
    """Make `events.parquet` the link to `events-<generation>` (replaced atomically)."""
    target = GENERATION.format(generation)
    link = store / EVENTS
    if link.is_symlink() and os.readlink(link) == target:
        return
    tmp = store / f".{EVENTS}.link"
    tmp.unlink(missing_ok=True)
    os.symlink(target, tmp)
    os.replace(tmp, link)


def _holds_changed(con: duckdb.DuckDBPyConnection, path: Path) -> bool:
    # Files are sorted by case: the row groups' min/max skip most of the file.
    found = con.execute(
        f"""SELECT count(*) FROM read_parquet('{_q(path)}')
            WHERE case_id IN (SELECT case_id FROM changed_keys)"""
    ).fetchone()
    return bool(found and found[0])


def _rows(path: Path) -> int:
    import pyarrow.parquet as pq

    return int(pq.ParquetFile(path).metadata.num_rows)


def _fsync_dir(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


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
    "partition_key",
    "partitions",
    "read_state",
    "refresh_store",
    "restore_pointer",
    "standards_from_rows",
    "store_lock",
]
