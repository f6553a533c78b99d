"""Where the analytics run: DuckDB (embedded, the default) or PySpark (a cluster, or local mode).

Every analysis is written once, as SQL in DuckDB's dialect over a few named relations (`events`,
plus the calendar and standards tables an analysis registers). DuckDB runs it as written; the Spark
engine transpiles it with sqlglot (see docs/architecture.md for why this over Ibis or Narwhals).
The relations are:

- `events`: the canonical log (see `sigap.analytics.eventlog`) plus `ts_us`, the timestamp in
  microseconds since 1970 UTC, so durations are exact integer arithmetic on both engines.
"""

from __future__ import annotations

import os
from abc import ABC, abstractmethod
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import duckdb
import pyarrow as pa
import sqlglot
from sqlglot import exp
from sqlglot.dialects.spark import Spark

ENGINES = ("duckdb", "spark")

Row = tuple[Any, ...]


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
    def close(self) -> None: ...

    def __enter__(self) -> Engine:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


_EVENTS_SQL = """SELECT case_id, seq, activity, ts, {ts_us} AS ts_us, resource, lifecycle,
    service, unit FROM {source}"""


class DuckDBEngine(Engine):
    name = "duckdb"

    def __init__(
        self,
        database: str = ":memory:",
        *,
        memory_limit: str | None = None,
        threads: int | None = None,
        temp_directory: str | None = None,
    ) -> None:
        self.con = duckdb.connect(database)
        self.con.execute("SET TimeZone = 'UTC'")
        if memory_limit:
            self.con.execute(f"SET memory_limit = '{memory_limit}'")
        if threads:
            self.con.execute(f"SET threads = {int(threads)}")
        if temp_directory:
            self.con.execute(f"SET temp_directory = '{temp_directory}'")

    def register_log(self, path: str | Path) -> None:
        source = "read_parquet('{}')".format(str(path).replace("'", "''"))
        self.con.execute(
            "CREATE OR REPLACE VIEW events AS "
            + _EVENTS_SQL.format(ts_us="epoch_us(ts)", source=source)
        )

    def register_table(self, name: str, table: pa.Table) -> None:
        self.con.register(f"{name}_arrow", table)
        self.con.execute(f"CREATE OR REPLACE TABLE {name} AS SELECT * FROM {name}_arrow")
        self.con.unregister(f"{name}_arrow")

    def rows(self, sql: str) -> list[Row]:
        return self.con.execute(sql).fetchall()

    def close(self) -> None:
        self.con.close()


class _SparkDialect(Spark):
    """Spark SQL, with the few DuckDB functions sqlglot does not map the way we need."""

    class Generator(Spark.Generator):  # type: ignore[misc,valid-type]
        TRANSFORMS = {
            **Spark.Generator.TRANSFORMS,
            # percentile(x, q) is Spark's exact, linearly interpolated quantile = quantile_cont.
            exp.PercentileCont: lambda self, e: self.func("PERCENTILE", e.this, e.expression),
        }


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

    def register_log(self, path: str | Path) -> None:
        self.spark.read.parquet(str(path)).createOrReplaceTempView("events_canonical")
        self.spark.sql(
            "CREATE OR REPLACE TEMP VIEW events AS "
            + _EVENTS_SQL.format(ts_us="unix_micros(ts)", source="events_canonical")
        )
        self._views += ["events", "events_canonical"]

    def register_table(self, name: str, table: pa.Table) -> None:
        df = self.spark.createDataFrame(table.to_pandas(), schema=_spark_schema(table.schema))
        df.createOrReplaceTempView(name)
        self._views.append(name)

    def rows(self, sql: str) -> list[Row]:
        return [tuple(r) for r in self.spark.sql(to_spark_sql(sql)).collect()]

    def close(self) -> None:
        for view in self._views:
            self.spark.catalog.dropTempView(view)
        self._views = []


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


def spark_session(master: str = "local[2]") -> Any:
    """A Spark session set up for exact, offline, UTC analytics (one per master per process)."""
    if master in _SESSIONS:
        return _SESSIONS[master]
    from pyspark.sql import SparkSession

    if master.startswith("local"):
        os.environ.setdefault("SPARK_LOCAL_IP", "127.0.0.1")
    session = (
        SparkSession.builder.master(master)
        .appName("sigap-analytics")
        .config("spark.ui.enabled", "false")
        .config("spark.ui.showConsoleProgress", "false")
        .config("spark.sql.shuffle.partitions", "4")
        .config("spark.sql.session.timeZone", "UTC")
        .config("spark.sql.ansi.enabled", "false")
        .config("spark.sql.execution.arrow.pyspark.enabled", "true")
        .getOrCreate()
    )
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
    "DuckDBEngine",
    "Engine",
    "SparkEngine",
    "connect",
    "open_log",
    "spark_session",
    "to_spark_sql",
]
