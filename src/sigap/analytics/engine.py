"""Where the analytics run: DuckDB (embedded, the default) or PySpark (a cluster, or local mode).

Every analysis is written once, as SQL in DuckDB's dialect over a few named relations (`events`,
plus the calendar and standards tables an analysis registers). DuckDB runs it as written; the Spark
engine transpiles it with sqlglot (see docs/architecture.md for why this over Ibis or Narwhals).
The relations are:

- `events`: the canonical log (see `sigap.analytics.eventlog`) plus `ts_us`, the timestamp in
  microseconds since 1970 UTC, so durations are exact integer arithmetic on both engines.
- `pairs`: every event with the next event of its case (`target`, `dur_us`, `target_resource`;
  NULL for a case's last event). This is the one relation each engine builds its own way: Spark
  with `lead()` over a window partitioned by case; DuckDB, when the file is a canonical log
  (sorted by case and seq, marked so in its Parquet metadata), by a linear pass that lines each
  row up with the next row of the file (POSITIONAL JOIN), with no sort at all. Both give the same
  rows, which tests check.
"""

from __future__ import annotations

import os
import re
from abc import ABC, abstractmethod
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, TypeVar, cast

import duckdb
import pyarrow as pa
import sqlglot
from sqlglot import exp
from sqlglot.dialects.spark import Spark

from sigap.analytics import linear, streaming
from sigap.analytics.eventlog import OPTIONAL_COLUMNS
from sigap.analytics.linear import LinearLog
from sigap.analytics.streaming import StreamingLog

ENGINES = ("duckdb", "spark")

Row = tuple[Any, ...]
T = TypeVar("T")


class Engine(ABC):
    """A place to run the analytics SQL. Use as a context manager, or call `close()`."""

    name: str

    @abstractmethod
    def register_log(self, path: str | Path) -> None:
        """Expose the canonical log at `path` as relation `events`."""

    @abstractmethod
    def register_table(self, name: str, table: pa.Table) -> None:
        """Expose a small Arrow table (calendar, standards...) as relation `name`."""

    @abstractmethod
    def rows(self, sql: str) -> list[Row]:
        """Run one query written in DuckDB's SQL dialect and return its rows."""

    @abstractmethod
    def materialize(self, name: str, sql: str) -> None:
        """Compute a query (DuckDB dialect) once and keep it as relation `name`."""

    def materialize_table(self, name: str, table: pa.Table) -> None:
        """Keep an Arrow table computed outside the engine (the linear pass's per-case facts)
        as relation `name`, for the SQL that reads it."""
        self.register_table(name, table)

    def memo(self, key: str, compute: Callable[[], T]) -> T:
        """A result computed once per registered log (e.g. variants, shared by several analyses)."""
        cache: dict[str, Any] = self.__dict__.setdefault("_memo", {})
        if key not in cache:
            cache[key] = compute()
        return cast(T, cache[key])

    def log_columns(self) -> tuple[str, ...]:
        """The columns the registered file really has: `events` shows an optional column the
        file lacks as NULL, and the data-quality checks must tell "no such column" from "every
        value missing"."""
        return tuple(self.__dict__.get("_log_columns", ()))

    def linear_log(self) -> LinearLog | StreamingLog | None:
        """The registered log for the linear pass, when this engine has one (DuckDB, canonical
        log): as arrays in memory within the memory budget, else read in chunks (streaming);
        None means: run the SQL."""
        return None

    def per_case(self, sql: str) -> dict[str, Any]:
        """The columns of `sql` (a query with one row per `case_id`) as numpy arrays with one
        item per case of the registered log, in the log's file order (NULL where a case has no
        row); for the linear pass, so only engines that have one implement it."""
        raise NotImplementedError(f"{self.name} has no linear pass")

    def remember(self, key: str, value: Any) -> None:
        """Memoise `value` under `key`, replacing what was there."""
        self.__dict__.setdefault("_memo", {})[key] = value

    def memoised(self, key: str) -> Any:
        """The result memoised under `key`, or None if it was not computed yet."""
        return self.__dict__.get("_memo", {}).get(key)

    def forget(self) -> None:
        """Drop memoised results (a new log was registered)."""
        self.__dict__["_memo"] = {}

    @abstractmethod
    def close(self) -> None: ...

    def __enter__(self) -> Engine:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


_EVENTS_SQL = """SELECT case_id, seq, activity, ts, {ts_us} AS ts_us, resource, lifecycle,
    service, unit, {transition} AS transition, {start_ts} AS start_ts FROM {source}"""


def _optional_columns(present: Sequence[str], *, null: Callable[[str], str]) -> dict[str, str]:
    """The format arguments of `_EVENTS_SQL` for the optional canonical columns: the column
    where the file has it, a typed NULL where it does not (logs written before they existed)."""
    return {
        name: name if name in present else null(sql_type)
        for name, sql_type in OPTIONAL_COLUMNS.items()
    }


# In the Parquet footer of canonical logs: rows sorted by these; seq is 0, 1, 2... in each case.
SORTED_KEY = "sigap_sorted"
SORTED_VALUE = "case_id,seq"

PAIRS_WINDOW_SQL = """SELECT case_id, seq, activity AS source, ts_us, resource, service,
        lead(activity) OVER w AS target,
        (lead(ts_us) OVER w) - ts_us AS dur_us,
        lead(resource) OVER w AS target_resource
    FROM events
    WINDOW w AS (PARTITION BY case_id ORDER BY seq)"""

# The next row of a sorted file is the next event of the same case exactly when its seq > 0.
PAIRS_LINEAR_SQL = """SELECT a.case_id, a.seq, a.activity AS source, a.ts_us, a.resource, a.service,
        CASE WHEN b.seq > 0 THEN b.activity END AS target,
        CASE WHEN b.seq > 0 THEN b.ts_us - a.ts_us END AS dur_us,
        CASE WHEN b.seq > 0 THEN b.resource END AS target_resource
    FROM (SELECT case_id, seq, activity, ts_us, resource, service FROM events) AS a
    POSITIONAL JOIN (SELECT seq, activity, ts_us, resource FROM events OFFSET 1) AS b"""


_READS_PAIRS = re.compile(r"\bFROM\s+pairs\b", re.IGNORECASE)


class DuckDBEngine(Engine):
    name = "duckdb"

    def __init__(
        self,
        database: str = ":memory:",
        *,
        memory_limit: str | None = None,
        threads: int | None = None,
        temp_directory: str | None = None,
        fast_path: bool = True,
        max_in_memory_events: int | None = None,
        chunk_rows: int | None = None,
    ) -> None:
        """`fast_path=False` runs discovery as SQL even where the numpy linear pass could (the
        tests compare the two). Logs of more than `max_in_memory_events` (default
        `linear.DEFAULT_MAX_EVENTS`) take the streaming pass, in chunks of `chunk_rows` rows
        (default `streaming.CHUNK_ROWS`; the tests make both small)."""
        self.con = duckdb.connect(database)
        self.linear_pairs = False
        self.fast_path = fast_path
        self.memory_limit = memory_limit
        self.max_in_memory_events = max_in_memory_events
        self.chunk_rows = chunk_rows
        self._path: str | None = None
        self.con.execute("SET TimeZone = 'UTC'")
        if memory_limit:
            self.con.execute(f"SET memory_limit = '{memory_limit}'")
        if threads:
            self.con.execute(f"SET threads = {int(threads)}")
        if temp_directory:
            self.con.execute(f"SET temp_directory = '{temp_directory}'")

    def register_log(self, path: str | Path) -> None:
        quoted = str(path).replace("'", "''")
        source = f"read_parquet('{quoted}')"
        present = [r[0] for r in self.con.execute(f"DESCRIBE SELECT * FROM {source}").fetchall()]
        self._log_columns = tuple(present)
        optional = _optional_columns(present, null=lambda t: f"CAST(NULL AS {t})")
        self.con.execute(
            "CREATE OR REPLACE VIEW events AS "
            + _EVENTS_SQL.format(ts_us="epoch_us(ts)", source=source, **optional)
        )
        meta = self.con.execute(
            f"SELECT DISTINCT decode(key), decode(value) FROM parquet_kv_metadata('{quoted}')"
        ).fetchall()
        files = self.con.execute(f"SELECT count(*) FROM glob('{quoted}')").fetchone()
        self.linear_pairs = (SORTED_KEY, SORTED_VALUE) in meta and files == (1,)
        pairs = PAIRS_LINEAR_SQL if self.linear_pairs else PAIRS_WINDOW_SQL
        self.con.execute(f"CREATE OR REPLACE VIEW pairs AS {pairs}")
        self._path = str(path)
        self.forget()

    def linear_log(self) -> LinearLog | StreamingLog | None:
        if not (self.fast_path and self.linear_pairs and self._path):
            return None
        path = self._path

        def read() -> LinearLog | StreamingLog | None:
            budget = None
            # DuckDB's default limit (80 % of RAM) is no budget anyone chose: only an explicit
            # one counts (see `linear.fits`).
            if self.memory_limit:
                limit = self.con.execute("SELECT current_setting('memory_limit')").fetchone()
                budget = _bytes(str(limit[0])) if limit else None
            rows = linear.num_rows(path)
            if linear.fits(rows, budget, self.max_in_memory_events):
                return LinearLog.read(path)
            if not streaming.fits(rows, budget):
                return None
            log = StreamingLog.open(path, self.chunk_rows)
            if log is not None:  # its discovery pass read the time range: no scan for it
                self.memo("ts_range", lambda: (log.ts_min, log.ts_max))
            return log

        return self.memo("linear_log", read)

    def per_case(self, sql: str) -> dict[str, Any]:
        assert self._path is not None
        quoted = self._path.replace("'", "''")
        # The file's own row numbers give its order back after the join.
        return dict(
            self.con.execute(
                f"""SELECT f.* EXCLUDE (case_id) FROM (
                    SELECT case_id, file_row_number AS row
                    FROM read_parquet('{quoted}', file_row_number = true) WHERE seq = 0) c
                LEFT JOIN ({sql}) f ON f.case_id = c.case_id ORDER BY c.row"""
            ).fetchnumpy()
        )

    def register_table(self, name: str, table: pa.Table) -> None:
        self.con.register(f"{name}_arrow", table)
        self.con.execute(f"CREATE OR REPLACE TABLE {name} AS SELECT * FROM {name}_arrow")
        self.con.unregister(f"{name}_arrow")

    def materialize_table(self, name: str, table: pa.Table) -> None:
        # Read in place (no copy into DuckDB's storage); the memo keeps the table alive. The
        # name may hold an earlier log's facts, from either path: replace them.
        self.con.unregister(name)
        self.con.execute(f"DROP TABLE IF EXISTS {name}")
        self.con.register(name, table)
        self.remember(f"table:{name}", table)

    def rows(self, sql: str) -> list[Row]:
        if self.linear_pairs and _READS_PAIRS.search(sql):
            # The linear pass is a serial pipeline; more threads only add the cost of merging
            # per-thread aggregate states (every duration, for exact quantiles): measured on 1M
            # events, the DFG query takes 0.21 s on 2 threads and 0.11 s on 1.
            threads = self.con.execute("SELECT current_setting('threads')").fetchone()
            self.con.execute("SET threads = 1")
            try:
                return self.con.execute(sql).fetchall()
            finally:
                self.con.execute(f"SET threads = {int(threads[0]) if threads else 1}")
        return self.con.execute(sql).fetchall()

    def materialize(self, name: str, sql: str) -> None:
        self.con.unregister(name)  # an Arrow table of an earlier log (`materialize_table`)
        self.con.execute(f"CREATE OR REPLACE TEMP TABLE {name} AS {sql}")

    def close(self) -> None:
        self.con.close()


def _bytes(size: str) -> int:
    """DuckDB's way of printing a size ("953.6 MiB", "1.0 GiB", "1000.0 MB") in bytes."""
    m = re.fullmatch(r"\s*([\d.]+)\s*([KMGT]?i?B)\s*", size)
    if not m:
        raise ValueError(f"unexpected memory size {size!r}")
    units = {"B": 1, "KB": 10**3, "MB": 10**6, "GB": 10**9, "TB": 10**12,
             "KiB": 2**10, "MiB": 2**20, "GiB": 2**30, "TiB": 2**40}  # fmt: skip
    return int(float(m.group(1)) * units[m.group(2)])


class _SparkDialect(Spark):
    """Spark SQL, with the few DuckDB functions sqlglot does not map the way we need."""

    class Generator(Spark.Generator):  # type: ignore[misc,valid-type]
        TRANSFORMS = {
            **Spark.Generator.TRANSFORMS,
            # percentile(x, q) is Spark's exact, linearly interpolated quantile = quantile_cont.
            exp.PercentileCont: lambda self, e: self.func("PERCENTILE", e.this, e.expression),
        }

        def anonymous_sql(self, expression: exp.Anonymous) -> str:
            # DuckDB's hash() is 64-bit; Spark's HASH is 32-bit murmur3, too collision-prone.
            if expression.name.lower() == "hash":
                return str(self.func("XXHASH64", *expression.expressions))
            # A timestamp in microseconds since 1970 (sigap.analytics.instances reads start_ts).
            if expression.name.lower() == "epoch_us":
                return str(self.func("UNIX_MICROS", *expression.expressions))
            return str(super().anonymous_sql(expression))


def to_spark_sql(sql: str) -> str:
    """Transpile one query from DuckDB's dialect to Spark SQL."""
    return sqlglot.transpile(sql, read="duckdb", write=_SparkDialect)[0]


class SparkEngine(Engine):
    """PySpark; local mode unless `master` says otherwise. Sessions are shared per process."""

    name = "spark"

    def __init__(self, master: str = "local[2]", *, session: Any = None) -> None:
        if session is None:
            session = spark_session(master)
        self.spark = session
        self._views: list[str] = []
        self._cached: list[Any] = []

    def register_log(self, path: str | Path) -> None:
        self.register_frame(self.spark.read.parquet(str(path)))

    def register_frame(self, df: Any) -> None:
        """Expose a Spark DataFrame of canonical events as `events`: a canonical file, or a
        partitioned directory read and filtered by `sigap.analytics.spark_job`. Columns beyond
        the canonical ones (partition columns, case dimensions) are left out of `events`."""
        df.createOrReplaceTempView("events_canonical")
        self._log_columns = tuple(df.columns)
        spark_types = {"VARCHAR": "STRING", "TIMESTAMPTZ": "TIMESTAMP"}
        optional = _optional_columns(df.columns, null=lambda t: f"CAST(NULL AS {spark_types[t]})")
        self.spark.sql(
            "CREATE OR REPLACE TEMP VIEW events AS "
            + _EVENTS_SQL.format(ts_us="unix_micros(ts)", source="events_canonical", **optional)
        )
        self.spark.sql(f"CREATE OR REPLACE TEMP VIEW pairs AS {to_spark_sql(PAIRS_WINDOW_SQL)}")
        self._views += ["pairs", "events", "events_canonical"]
        self.forget()

    def register_table(self, name: str, table: pa.Table) -> None:
        df = self.spark.createDataFrame(table.to_pandas(), schema=_spark_schema(table.schema))
        df.createOrReplaceTempView(name)
        self._views.append(name)

    def rows(self, sql: str) -> list[Row]:
        return [tuple(r) for r in self.spark.sql(to_spark_sql(sql)).collect()]

    def materialize(self, name: str, sql: str) -> None:
        df = self.spark.sql(to_spark_sql(sql))
        df.cache().count()
        df.createOrReplaceTempView(name)
        self._views.append(name)
        self._cached.append(df)

    def close(self) -> None:
        for view in self._views:
            self.spark.catalog.dropTempView(view)
        for df in self._cached:
            df.unpersist()
        self._views, self._cached = [], []


def _spark_schema(schema: pa.Schema) -> str:
    names = {
        pa.string(): "STRING",
        pa.int64(): "BIGINT",
        pa.int32(): "INT",
        pa.float64(): "DOUBLE",
        pa.bool_(): "BOOLEAN",
        pa.date32(): "DATE",
    }
    return ", ".join(f"`{f.name}` {names[f.type]}" for f in schema)


_SESSIONS: dict[str, Any] = {}

SQL_CONF: dict[str, str] = {
    # Timestamps print and truncate in UTC, as on DuckDB (the analyses convert to local time
    # themselves); without this a cluster's default zone would shift every month boundary.
    "spark.sql.session.timeZone": "UTC",
    # The SQL is written for DuckDB's non-ANSI arithmetic (integer division, NULL on bad casts).
    "spark.sql.ansi.enabled": "false",
    "spark.sql.execution.arrow.pyspark.enabled": "true",
    # Partition values are codes ("3201", "2025-03"): kept as text, never guessed as numbers
    # (which would drop leading zeros) or dates.
    "spark.sql.sources.partitionColumnTypeInference.enabled": "false",
}
"""Session settings the results depend on: set by `spark_session`, and on a session that
spark-submit made by `sigap.analytics.spark_job`, whatever the cluster's defaults."""


def spark_session(master: str = "local[2]") -> Any:
    """A Spark session set up for exact, offline, UTC analytics (one per master per process)."""
    if master in _SESSIONS:
        return _SESSIONS[master]
    from pyspark.sql import SparkSession

    if master.startswith("local"):
        os.environ.setdefault("SPARK_LOCAL_IP", "127.0.0.1")
    builder = (
        SparkSession.builder.master(master)
        .appName("sigap-analytics")
        .config("spark.ui.enabled", "false")
        .config("spark.ui.showConsoleProgress", "false")
        .config("spark.sql.shuffle.partitions", "4")
    )
    for key, value in SQL_CONF.items():
        builder = builder.config(key, value)
    session = builder.getOrCreate()
    session.sparkContext.setLogLevel("ERROR")
    _SESSIONS[master] = session
    return session


def connect(engine: str = "duckdb", **options: Any) -> Engine:
    """The engine named by configuration: "duckdb" (default) or "spark"."""
    if engine == "duckdb":
        return DuckDBEngine(**options)
    if engine == "spark":
        return SparkEngine(**options)
    raise ValueError(f"unknown engine {engine!r}; expected one of {ENGINES}")


def open_log(path: str | Path, engine: str | Engine = "duckdb", **options: Any) -> Engine:
    """Connect to an engine and register the canonical log at `path` as `events`."""
    eng = connect(engine, **options) if isinstance(engine, str) else engine
    eng.register_log(path)
    return eng


__all__: Sequence[str] = [
    "ENGINES",
    "SQL_CONF",
    "DuckDBEngine",
    "Engine",
    "SparkEngine",
    "connect",
    "open_log",
    "spark_session",
    "to_spark_sql",
]
