"""The same analytics on DuckDB and on Spark (local mode) give identical results.

One Spark session for the module (it takes ~6 s to start); every analysis is compared on the
hand-checked performance log and on the largest real log (Spark's fixed cost per query keeps
this to two logs; the tiny discovery log and running-example add nothing the others lack).
"""

from __future__ import annotations

import dataclasses
import os
import shutil
from collections.abc import Callable, Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from sigap.analytics import discovery
from sigap.analytics.conformance import conformance
from sigap.analytics.delays import step_delays
from sigap.analytics.engine import DuckDBEngine, Engine, SparkEngine, to_spark_sql
from sigap.analytics.eventlog import ColumnMapping
from sigap.analytics.importers import import_log
from sigap.analytics.performance import (
    PerformanceSettings,
    ServiceStandard,
    backlog,
    service_performance,
)
from sigap.analytics.scorecards import officer_scorecards
from sigap.analytics.whatif import what_if

from . import test_performance
from .conftest import data_file, write_csv

pytest.importorskip("pyspark")
pytestmark = pytest.mark.spark
if shutil.which("java") is None and not os.environ.get("CI"):
    pytest.skip(
        "Spark needs Java 17 (apt-get install openjdk-17-jre-headless)", allow_module_level=True
    )

SETTINGS = PerformanceSettings(
    standards=(
        ServiceStandard("KTP", date(2025, 1, 1), 3),
        ServiceStandard("IMB", date(2025, 1, 1), 5),
        ServiceStandard("IMB", date(2025, 3, 5), 2),
    )
)

ANALYSES: dict[str, Callable[[Engine], Any]] = {
    "directly_follows": discovery.directly_follows,
    "variants": discovery.variants,
    "rework": discovery.rework,
    "bottlenecks": discovery.bottlenecks,
    "conformance": lambda e: conformance(e, ("submit", "receive", "issue")),
    "performance_by_service": lambda e: service_performance(e, ("service",), SETTINGS),
    "performance_by_officer_period": lambda e: service_performance(
        e, ("officer", "period"), SETTINGS
    ),
    "performance_by_quarter": lambda e: service_performance(
        e, ("service", "period"), dataclasses.replace(SETTINGS, period_grain="quarter")
    ),
    "backlog": lambda e: backlog(e, ("service", "unit"), SETTINGS),
    "step_delays": lambda e: step_delays(e, SETTINGS),
    "scorecards": lambda e: officer_scorecards(e, min_cases=1, settings=SETTINGS),
    "what_if": lambda e: [what_if(e, a.activity, cut=0.5) for a in discovery.bottlenecks(e)[:2]],
}


@pytest.fixture(scope="module")
def logs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    tmp = tmp_path_factory.mktemp("engines")
    header = ("case", "activity", "timestamp", "resource", "outcome", "service", "unit")
    mapping = ColumnMapping(
        case="case", activity="activity", timestamp="timestamp", resource="resource",
        lifecycle="outcome", service="service", unit="unit",
    )  # fmt: skip
    write_csv(tmp / "perf.csv", test_performance.LOG, header)
    out = {
        "perf": import_log(tmp / "perf.csv", tmp / "perf.parquet", mapping).path,
    }
    for name in ("receipt.csv.gz",):
        fmt = "csv" if name.endswith(".csv.gz") else None
        out[name] = import_log(data_file(name), tmp / f"{name}.parquet", format=fmt).path
    return out


@pytest.fixture(scope="module")
def spark() -> Iterator[SparkEngine]:
    eng = SparkEngine()
    eng.spark.conf.set("spark.sql.shuffle.partitions", "1")  # tiny data: one task per stage
    yield eng
    eng.close()


@pytest.mark.parametrize("log", ["perf", "receipt.csv.gz"])
def test_duckdb_and_spark_agree(log: str, logs: dict[str, Path], spark: SparkEngine) -> None:
    spark.register_log(logs[log])
    with DuckDBEngine() as duck:
        duck.register_log(logs[log])
        for name, analysis in ANALYSES.items():
            expected = analysis(duck)
            assert analysis(spark) == expected, name


def test_quantiles_transpile_to_spark_percentile() -> None:
    assert "PERCENTILE(d, 0.9)" in to_spark_sql("SELECT quantile_cont(d, 0.9) FROM t")
