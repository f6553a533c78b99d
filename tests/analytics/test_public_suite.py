"""The public event-log suite: sigap reads each log as the field does and gives pm4py's figures.

Twelve logs from pm4py's own test data (`data/public-suite/README.md`: origin, licences, every
quirk), with pm4py's reference figures in `data/public-suite/reference/`. Each analysable log is
imported in the documented order (completion time, ties in file order; file order for the
partial-order example, which has no timestamps) and its events, cases, activities, every
directly-follows count, the number of variants and the start and end activities must equal
pm4py's exactly. Edge mean durations are compared with pm4py run live (when installed: it is
AGPL, so only tests import it). The data live in the repository, so this test never skips.
"""

from __future__ import annotations

import gzip
import hashlib
import json
import os
import re
import shutil
import warnings
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from sigap.analytics import discovery
from sigap.analytics.engine import DuckDBEngine, Engine, SparkEngine
from sigap.analytics.eventlog import EventLogError
from sigap.analytics.importers import ImportedLog, import_log

SUITE = Path(__file__).resolve().parent / "data" / "public-suite"

# stored file -> the original's name (its reference figures) and the order it is read in
LOGS: dict[str, tuple[str, str]] = {
    "reviewing.xes.gz": ("reviewing.xes", "completion"),
    "receipt.xes.gz": ("receipt.xes", "completion"),
    "interval_event_log.xes.gz": ("interval_event_log.xes", "completion"),
    "interval_event_log.csv.gz": ("interval_event_log.csv", "completion"),
    "roadtraffic50traces.xes.gz": ("roadtraffic50traces.xes", "completion"),
    "running-example.csv.gz": ("running-example.csv", "completion"),
    "partial-order-example.xes.gz": ("partial-order-example.xes", "file"),
    "fairness/hiring_log_high.xes.gz": ("fairness/hiring_log_high.xes.gz", "completion"),
    "fairness/hospital_log_high.xes.gz": ("fairness/hospital_log_high.xes.gz", "completion"),
    "fairness/lending_log_high.xes.gz": ("fairness/lending_log_high.xes.gz", "completion"),
    "fairness/renting_log_high.xes.gz": ("fairness/renting_log_high.xes.gz", "completion"),
}
SPARK_LOGS = (
    "running-example.csv.gz",
    "roadtraffic50traces.xes.gz",
    "interval_event_log.csv.gz",
    "reviewing.xes.gz",
)
TIMED_LOGS = (
    "running-example.csv.gz",
    "receipt.xes.gz",
    "roadtraffic50traces.xes.gz",
    "interval_event_log.csv.gz",
)


def reference(stored: str) -> dict[str, Any]:
    original = LOGS[stored][0] if stored in LOGS else stored.removesuffix(".gz")
    figures: dict[str, Any] = json.loads((SUITE / "reference" / f"{original}.json").read_text())
    return figures


@pytest.fixture(scope="module")
def imported(tmp_path_factory: pytest.TempPathFactory) -> dict[str, ImportedLog]:
    tmp = tmp_path_factory.mktemp("suite")
    return {
        stored: import_log(SUITE / stored, tmp / f"{i}.parquet", order=order)
        for i, (stored, (_, order)) in enumerate(LOGS.items())
    }


def figures(engine: Engine) -> dict[str, Any]:
    """The reference JSON's figures, computed by sigap on the registered log."""
    dfg = discovery.directly_follows(engine)
    return {
        "events": dfg.events,
        "cases": dfg.cases,
        "activities": len(dfg.activities),
        "dfg": {f"{e.source} -> {e.target}": e.count for e in dfg.edges},
        "variants": len(discovery.variants(engine)),
        "start": dfg.start_activities,
        "end": dfg.end_activities,
    }


def test_copies_are_the_published_files() -> None:
    readme = (SUITE / "README.md").read_text()
    expected = dict(
        (name, digest) for digest, name in re.findall(r"^([0-9a-f]{64})  (\S+)$", readme, re.M)
    )
    assert len(expected) == 12
    for name, digest in expected.items():
        stored = SUITE / name if name.endswith(".gz") else SUITE / f"{name}.gz"
        content = (
            stored.read_bytes() if name.endswith(".gz") else gzip.decompress(stored.read_bytes())
        )
        assert hashlib.sha256(content).hexdigest() == digest, name


@pytest.mark.parametrize("stored", list(LOGS))
def test_figures_equal_pm4py_reference(stored: str, imported: dict[str, ImportedLog]) -> None:
    with DuckDBEngine() as engine:
        engine.register_log(imported[stored].path)
        ours = figures(engine)
    ref = reference(stored)
    assert ours == {k: ref[k] for k in ours}
    log = imported[stored]
    assert (log.events, log.cases, log.activities) == (ref["events"], ref["cases"],
                                                       ref["activities"])  # fmt: skip


def test_import_notes_tell_each_quirk(imported: dict[str, ImportedLog]) -> None:
    notes = {name: log.notes for name, log in imported.items()}
    assert notes["interval_event_log.csv.gz"].out_of_order_cases == 39
    assert notes["interval_event_log.csv.gz"].paired_instances == 8109
    assert notes["interval_event_log.xes.gz"].out_of_order_cases == 39
    assert notes["reviewing.xes.gz"].paired_instances > 0
    assert notes["roadtraffic50traces.xes.gz"].naive_timestamps == 201
    assert notes["partial-order-example.xes.gz"].missing_timestamps == 25
    assert notes["partial-order-example.xes.gz"].order == "file"
    assert all(n.duplicates_dropped == 0 for n in notes.values())  # kept: pm4py counts them


def test_partial_order_example_is_refused_in_time_order(tmp_path: Path) -> None:
    with pytest.raises(EventLogError, match=r"--order file") as info:
        import_log(SUITE / "partial-order-example.xes.gz", tmp_path / "p.parquet")
    assert info.value.column == "time:timestamp"


def test_composite_log_names_its_three_missing_columns(tmp_path: Path) -> None:
    with pytest.raises(EventLogError) as info:
        import_log(SUITE / "composite_list_attributes.xes.gz", tmp_path / "c.parquet")
    message = str(info.value)
    assert message.startswith("composite_list_attributes.xes.gz: no such columns:")
    assert "case 'case:concept:name', activity 'concept:name', timestamp 'time:timestamp'" in (
        message
    )
    assert reference("composite_list_attributes.xes.gz")["activities"] == 0


# README, "Figures that depend on event order": what pm4py's discover_dfg gives, as it sorts by
# start_timestamp whenever that column is present.
START_ORDER_CHANGES = {
    "make delivery -> confirm payment": 895,
    "confirm payment -> make delivery": 230,
    "prepare delivery -> make delivery": 895,
    "prepare delivery -> confirm payment": 230,
    "place order -> send invoice": 1258,
    "send invoice -> pay": 638,
    "place order -> pay": 8,
}


@pytest.mark.parametrize("stored", ["interval_event_log.csv.gz", "interval_event_log.xes.gz"])
def test_start_order_gives_pm4py_discover_dfg_figures(stored: str, tmp_path: Path) -> None:
    log = import_log(SUITE / stored, tmp_path / "s.parquet", order="start")
    with DuckDBEngine() as engine:
        engine.register_log(log.path)
        ours = figures(engine)
    ref = reference(stored)
    assert len(ours["dfg"]) == 14 and ours["variants"] == 9
    assert ours["start"] == {"place order": 1266}
    assert ours["end"] == {"confirm payment": 895, "make delivery": 230, "cancel order": 141}
    assert {k: ours["dfg"].get(k, 0) for k in START_ORDER_CHANGES} == START_ORDER_CHANGES
    assert "send invoice -> place order" not in ours["dfg"]
    unchanged = set(ref["dfg"]) - set(START_ORDER_CHANGES) - {"send invoice -> place order"}
    assert {k: ours["dfg"][k] for k in unchanged} == {k: ref["dfg"][k] for k in unchanged}
    assert log.notes.out_of_order_cases == 0  # the files list each case in start order


# --- edge durations against pm4py, run live ------------------------------------------------


def _pm4py_frame(stored: str) -> Any:
    """The log as pm4py reads it: its own parser, then events sorted by case and completion
    time with ties in file order (format_dataframe's order), only the three columns it needs."""
    pm4py = pytest.importorskip("pm4py")
    import pandas as pd

    path = SUITE / stored
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        if ".xes" in stored:
            df = pm4py.read_xes(str(path), show_progress_bar=False)
        else:
            df = pd.read_csv(path, dtype=str)
            df["time:timestamp"] = pd.to_datetime(df["time:timestamp"], utc=True,
                                                  format="ISO8601")  # fmt: skip
    df = df[["case:concept:name", "concept:name", "time:timestamp"]].copy()
    df["@@file_row"] = range(len(df))
    return df.sort_values(["case:concept:name", "time:timestamp", "@@file_row"], kind="stable")


@pytest.mark.parametrize("stored", TIMED_LOGS)
def test_edge_mean_durations_equal_pm4py(stored: str, imported: dict[str, ImportedLog]) -> None:
    df = _pm4py_frame(stored)
    import pm4py

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        perf, _, _ = pm4py.discover_performance_dfg(
            df.drop(columns="@@file_row"),
            case_id_key="case:concept:name",
            activity_key="concept:name",
            timestamp_key="time:timestamp",
        )
    with DuckDBEngine() as engine:
        engine.register_log(imported[stored].path)
        ours = {(e.source, e.target): e for e in discovery.directly_follows(engine).edges}
    assert set(ours) == set(perf)
    for key, stats in perf.items():
        assert ours[key].mean_s == pytest.approx(float(stats["mean"]), abs=1e-6), key


# --- the same figures on Spark (a few logs: Spark's cost per query is fixed and high) -------


@pytest.fixture(scope="module")
def spark() -> Iterator[SparkEngine]:
    pytest.importorskip("pyspark")
    if shutil.which("java") is None and not os.environ.get("CI"):
        pytest.skip("Spark needs Java 17 (apt-get install openjdk-17-jre-headless)")
    eng = SparkEngine()
    eng.spark.conf.set("spark.sql.shuffle.partitions", "1")  # small data: one task per stage
    yield eng
    eng.close()


@pytest.mark.spark
@pytest.mark.parametrize("stored", SPARK_LOGS)
def test_spark_gives_the_same_figures(
    stored: str, imported: dict[str, ImportedLog], spark: SparkEngine
) -> None:
    spark.register_log(imported[stored].path)
    ours = figures(spark)
    ref = reference(stored)
    assert ours == {k: ref[k] for k in ours}
