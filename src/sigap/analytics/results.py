"""Precomputed result tables for pages and the API: narrow Parquet files, one per result.

A page ("Kinerja layanan") reads these with a filter on unit and service; it never aggregates
events inside a request. `write_results` is run after each refresh of the store.
"""

from __future__ import annotations

import dataclasses
import os
import tempfile
from collections.abc import Sequence
from datetime import datetime
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq

from sigap.analytics.discovery import bottlenecks, cached_variants, directly_follows, rework
from sigap.analytics.engine import Engine
from sigap.analytics.performance import PerformanceSettings, backlog, service_performance
from sigap.analytics.scorecards import MIN_CASES, officer_scorecards

RESULTS = (
    "performance",
    "backlog",
    "dfg_edges",
    "variants",
    "rework",
    "bottlenecks",
    "scorecards",
)


def write_results(
    engine: Engine,
    out_dir: str | Path,
    settings: PerformanceSettings | None = None,
    *,
    as_of: datetime | None = None,
    min_cases: int = MIN_CASES,
) -> dict[str, Path]:
    """Compute every result table of the registered log and write them to `out_dir`."""
    settings = settings or PerformanceSettings()
    tables: dict[str, Sequence[Any]] = {
        "performance": service_performance(
            engine, ("unit", "service", "period"), settings, as_of=as_of
        ),
        "backlog": backlog(engine, ("unit", "service"), settings, as_of=as_of),
        "dfg_edges": directly_follows(engine).edges,
        "variants": cached_variants(engine)[:100],
        "rework": rework(engine),
        "bottlenecks": bottlenecks(engine),
        "scorecards": officer_scorecards(engine, min_cases=min_cases, settings=settings),
    }
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    return {name: _write(out / f"{name}.parquet", rows) for name, rows in tables.items()}


def _write(path: Path, rows: Sequence[Any]) -> Path:
    records = [
        {
            k: (" → ".join(v) if isinstance(v, tuple) else v)
            for k, v in dataclasses.asdict(r).items()
        }
        for r in rows
    ]
    table = pa.Table.from_pylist(records) if records else pa.table({})
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
    os.close(fd)
    pq.write_table(table, tmp)
    os.replace(tmp, path)
    return path


__all__ = ["RESULTS", "write_results"]
