"""Activity instances on Spark (local mode) equal DuckDB's, on the hand log and the interval log.

One Spark session for the module (it takes seconds to start), as in test_engines.py."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from sigap.analytics.engine import DuckDBEngine, SparkEngine
from sigap.analytics.instances import activity_instances

from .test_instances import EXPECTED, HAND, interval_log, write_canonical

pytest.importorskip("pyspark")
pytestmark = pytest.mark.spark
if shutil.which("java") is None and not os.environ.get("CI"):
    pytest.skip(
        "Spark needs Java 17 (apt-get install openjdk-17-jre-headless)", allow_module_level=True
    )


@pytest.fixture(scope="module")
def spark() -> Iterator[SparkEngine]:
    eng = SparkEngine()
    eng.spark.conf.set("spark.sql.shuffle.partitions", "1")  # tiny data: one task per stage
    yield eng
    eng.close()


def test_spark_gives_duckdbs_instances(tmp_path: Path, spark: SparkEngine) -> None:
    logs = {
        "hand": write_canonical(tmp_path / "hand.parquet", HAND),
        "interval": interval_log(tmp_path / "interval.parquet"),
    }
    for name, path in logs.items():
        with DuckDBEngine() as duck:
            duck.register_log(path)
            expected = activity_instances(duck)
        spark.register_log(path)
        assert activity_instances(spark) == expected, name
        if name == "hand":
            assert expected == EXPECTED
