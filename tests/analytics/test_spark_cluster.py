"""The cluster layout and job: a log exported to agency=/month= partitions and analysed by the
Spark job gives the results DuckDB gives on the single canonical file; month and agency filters
read only their partitions and give the analyses of exactly those cases.

One local Spark session for the module (see test_engines.py for why so few tests use it)."""

from __future__ import annotations

import json
import os
import shutil
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import duckdb
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from sigap.analytics import discovery
from sigap.analytics.engine import SORTED_KEY, SORTED_VALUE, DuckDBEngine, SparkEngine
from sigap.analytics.eventlog import ColumnMapping, EventLogError
from sigap.analytics.importers import import_log
from sigap.analytics.partitioned import export_partitioned
from sigap.analytics.performance import PerformanceSettings, ServiceStandard, service_performance
from sigap.analytics.refresh import STANDARDS, load_standards
from sigap.analytics.report import to_jsonable

from .conftest import LogFactory, write_csv

pytest.importorskip("pyspark")
pytestmark = pytest.mark.spark
if shutil.which("java") is None and not os.environ.get("CI"):
    pytest.skip(
        "Spark needs Java 17 (apt-get install openjdk-17-jre-headless)", allow_module_level=True
    )

from sigap.analytics import spark_job  # noqa: E402  (imports pyspark lazily, but only with it)

STEPS = (
    ("register", "done"),
    ("verify", "done"),
    ("request documents", "returned"),
    ("verify", "resumed"),
    ("approve", "done"),
    ("issue", "completed"),
)


def _rows() -> list[tuple[str, ...]]:
    """60 cases over January to March 2025 in two units; some start on the last evening of a
    month (UTC) that is already the next month in Jakarta, and some run into the next month."""
    rows = []
    for c in range(60):
        month, day = 1 + c % 3, 1 + (c * 7) % 28
        hour = 18 if c % 10 == 0 else 2  # 18:00 UTC on the last day = 01:00 next day in WIB
        if c % 10 == 0:
            day = (31, 28, 31)[month - 1]
        plain = (STEPS[0], STEPS[1], STEPS[4], STEPS[5])
        steps = (STEPS, plain[:1] + plain[2:], plain, plain)[c % 4]
        for k, (activity, outcome) in enumerate(steps):
            days = k * (1 + c % 5)  # long cases cross into the next month
            ts = f"2025-{month:02d}-{day:02d}T{hour:02d}:00:00+00:00"
            rows.append(
                (
                    f"C{c:03d}",
                    activity,
                    _shift(ts, days),
                    f"officer{(c + k) % 4}",
                    outcome,
                    ("KTP", "IMB")[c % 2],
                    ("U1", "U2")[c % 3 == 0],
                )
            )
    return rows


def _shift(ts: str, days: int) -> str:
    from datetime import datetime, timedelta

    return (datetime.fromisoformat(ts) + timedelta(days=days)).isoformat()


SETTINGS = PerformanceSettings(
    standards=(
        ServiceStandard("KTP", date(2025, 1, 1), 3),
        ServiceStandard("IMB", date(2025, 1, 1), 5),
    ),
)


@pytest.fixture(scope="module")
def log(tmp_path_factory: pytest.TempPathFactory) -> Path:
    tmp = tmp_path_factory.mktemp("cluster")
    header = ("case", "activity", "timestamp", "resource", "outcome", "service", "unit")
    mapping = ColumnMapping(
        case="case", activity="activity", timestamp="timestamp", resource="resource",
        lifecycle="outcome", service="service", unit="unit",
    )  # fmt: skip
    write_csv(tmp / "log.csv", _rows(), header)
    return import_log(tmp / "log.csv", tmp / "log.parquet", mapping).path


@pytest.fixture(scope="module")
def spark() -> Iterator[SparkEngine]:
    eng = SparkEngine(session=spark_job.session("local[2]"))
    eng.spark.conf.set("spark.sql.shuffle.partitions", "1")  # tiny data: one task per stage
    yield eng
    eng.close()


def _subset(log: Path, out: Path, where: str) -> Path:
    """The cases of `log` whose first event (Jakarta time) matches `where`, as a canonical file."""
    con = duckdb.connect()
    con.execute("SET TimeZone = 'UTC'")
    con.execute(
        f"""COPY (SELECT e.* FROM read_parquet('{log}') e WHERE case_id IN (
            SELECT case_id FROM read_parquet('{log}') WHERE seq = 0 AND {where})
            ORDER BY case_id, seq)
        TO '{out}' (FORMAT parquet, KV_METADATA {{{SORTED_KEY}: '{SORTED_VALUE}'}})"""
    )
    con.close()
    return out


def test_partitioned_job_equals_duckdb_on_the_file(
    log: Path, tmp_path: Path, spark: SparkEngine
) -> None:
    parts = export_partitioned(log, tmp_path / "events", agency_column="unit")
    assert parts.cases == 60
    # Cases starting at 18:00 UTC on a month's last day belong to the next month (Jakarta).
    assert ("U1", "2025-04") in parts.partitions
    con = duckdb.connect()
    placed = con.execute(
        f"""SELECT case_id, count(DISTINCT agency || month), count(*) FROM read_parquet(
            '{tmp_path}/events/**/*.parquet', hive_partitioning = true) GROUP BY case_id"""
    ).fetchall()
    con.close()
    assert len(placed) == 60 and all(n == 1 for _, n, _ in placed)  # each case in one partition
    assert sum(events for *_, events in placed) == parts.events

    standards = tmp_path / "store" / STANDARDS  # as the refresh writes it, one row per step
    standards.parent.mkdir()
    pq.write_table(
        pa.table({
            "service": ["KTP", "KTP", "IMB"],
            "valid_from": pa.array([date(2025, 1, 1)] * 3, pa.date32()),
            "sla_working_days": pa.array([3, 3, 5], pa.int64()),
            "order": pa.array([1, 2, None], pa.int64()),
            "step": ["register", "issue", None],
        }),
        standards,
    )  # fmt: skip
    out = tmp_path / "report.json"
    assert spark_job.main(["--master", "local[2]", "--events", str(parts.path),
                           "--standards", str(standards), "--closing-outcomes", "completed",
                           "--out", str(out)]) == 0  # fmt: skip
    report = json.loads(out.read_text())
    with DuckDBEngine() as duck:
        duck.register_log(log)
        settings = PerformanceSettings(
            closing_outcomes=("completed",), standards=load_standards(standards.parent)
        )
        assert settings.standards[0].procedure == ("register", "issue")
        assert any(p["sla_cases"] for p in report["performance"])
        assert report["dfg"] == to_jsonable(discovery.directly_follows(duck))
        assert report["variants"] == to_jsonable(discovery.variants(duck))
        assert report["performance"] == to_jsonable(
            service_performance(duck, ("service",), settings)
        )
        assert report["performance_by_period"] == to_jsonable(
            service_performance(duck, ("service", "period"), settings)
        )


def test_month_and_agency_filters_read_only_their_partitions(
    log: Path, tmp_path: Path, spark: SparkEngine
) -> None:
    parts = export_partitioned(log, tmp_path / "events", agency_column="unit")
    df = spark_job.read_events(
        spark.spark, str(parts.path), agencies=["U1"], first_month="2025-02", last_month="2025-02"
    )
    # The filters are partition filters of the scan: Spark lists only the matching directories.
    scan = str(df._jdf.queryExecution().executedPlan().toString())
    pruned = scan.split("PartitionFilters: [", 1)[1].split("]", 1)[0]
    assert "(agency#" in pruned and "(month#" in pruned and "2025-02" in pruned, scan
    spark.register_frame(df)
    expected_log = _subset(
        log,
        tmp_path / "subset.parquet",
        "unit = 'U1' AND strftime(timezone('Asia/Jakarta', ts), '%Y-%m') = '2025-02'",
    )
    with DuckDBEngine() as duck:
        duck.register_log(expected_log)
        cases = duck.rows("SELECT count(DISTINCT case_id) FROM events")[0][0]
        assert 0 < cases < 60
        assert discovery.directly_follows(spark) == discovery.directly_follows(duck)
        assert discovery.variants(spark) == discovery.variants(duck)
        by_period = ("service", "period")
        assert service_performance(spark, by_period, SETTINGS) == service_performance(
            duck, by_period, SETTINGS
        )


def test_export_refuses_agency_values_that_cannot_be_directory_names(
    make_log: LogFactory, tmp_path: Path
) -> None:
    bad = make_log([("c1", "a", "2025-01-02T08:00:00+07:00", "r", "done", "KTP", "Dinas/A")])
    with pytest.raises(EventLogError) as err:
        export_partitioned(bad, tmp_path / "out", agency_column="unit")
    assert (err.value.row, err.value.column) == (1, "unit")
    with pytest.raises(ValueError, match="either agency"):
        export_partitioned(bad, tmp_path / "out")
