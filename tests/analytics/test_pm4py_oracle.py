"""pm4py as an independent oracle on real public-administration logs.

pm4py is AGPL-3.0: only this test (and the benchmark) imports it; `sigap` never does.
pm4py reads each file with its own parser; sigap with its importers.
"""

from __future__ import annotations

import warnings
from pathlib import Path
from typing import Any

import pytest

from sigap.analytics import discovery
from sigap.analytics.engine import DuckDBEngine
from sigap.analytics.eventlog import ColumnMapping
from sigap.analytics.importers import import_log

from .conftest import data_file

pm4py = pytest.importorskip("pm4py")

# (file, edges, variants): the reference figures published with the logs
LOGS = [
    ("running-example.xes", 16, 6),
    ("roadtraffic100traces.xes", 18, 10),
    ("receipt.csv.gz", 99, 116),
]


def _pm4py_frame(path: Path) -> Any:
    import pandas as pd

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        if path.name.endswith(".xes"):
            return pm4py.read_xes(str(path), show_progress_bar=False)
        df = pd.read_csv(path, dtype=str)
        df["time:timestamp"] = pd.to_datetime(df["time:timestamp"], utc=True, format="ISO8601")
        return pm4py.format_dataframe(
            df,
            case_id="case:concept:name",
            activity_key="concept:name",
            timestamp_key="time:timestamp",
        )


@pytest.fixture(scope="module", params=LOGS, ids=[name for name, _, _ in LOGS])
def both(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Any:
    name, n_edges, n_variants = request.param
    path = data_file(name)
    out = tmp_path_factory.mktemp("oracle") / "log.parquet"
    import_log(path, out, ColumnMapping(), format="csv" if name.endswith(".csv.gz") else None)
    eng = DuckDBEngine()
    eng.register_log(out)
    yield eng, _pm4py_frame(path), n_edges, n_variants
    eng.close()


def test_directly_follows_counts_equal_pm4py(both: Any) -> None:
    eng, df, n_edges, _ = both
    dfg, starts, ends = pm4py.discover_dfg(df)
    ours = discovery.directly_follows(eng)
    assert ours.counts() == dict(dfg)
    assert len(ours.edges) == n_edges
    assert ours.start_activities == dict(starts)
    assert ours.end_activities == dict(ends)


def test_edge_durations_equal_pm4py(both: Any) -> None:
    eng, df, _, _ = both
    perf, _, _ = pm4py.discover_performance_dfg(df)
    ours = {(e.source, e.target): e for e in discovery.directly_follows(eng).edges}
    assert ours.keys() == perf.keys()
    for key, stats in perf.items():
        assert abs(ours[key].mean_s - float(stats["mean"])) < 1e-6, key
        assert abs(ours[key].median_s - float(stats["median"])) < 1e-6, key
        assert abs(ours[key].min_s - float(stats["min"])) < 1e-6, key
        assert abs(ours[key].max_s - float(stats["max"])) < 1e-6, key


def test_variant_counts_equal_pm4py(both: Any) -> None:
    eng, df, _, n_variants = both
    theirs = {
        tuple(k): (v if isinstance(v, int) else len(v)) for k, v in pm4py.get_variants(df).items()
    }
    ours = {v.activities: v.count for v in discovery.variants(eng)}
    assert ours == theirs
    assert len(ours) == n_variants
