"""Shared helpers for the analytics tests: tiny logs written to CSV and imported the normal way."""

from __future__ import annotations

import csv
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path

import pytest

from sigap.analytics.engine import DuckDBEngine, Engine
from sigap.analytics.eventlog import ColumnMapping
from sigap.analytics.importers import import_log

DATA = Path(__file__).resolve().parent / "data"
SHARED = Path(__file__).resolve().parents[2] / "../shared/data/event-logs"


def data_file(name: str) -> Path:
    """An in-repo copy of a real log, else the shared one."""
    for candidate in (DATA / name, SHARED / name):
        if candidate.exists():
            return candidate
    pytest.skip(f"{name} not found")


def write_csv(path: Path, rows: Sequence[Sequence[object]], header: Sequence[str]) -> Path:
    with path.open("w", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(header)
        w.writerows(rows)
    return path


LogFactory = Callable[..., Path]


@pytest.fixture
def make_log(tmp_path: Path) -> LogFactory:
    """Write rows (case, activity, timestamp[, resource, outcome, service, unit]); import."""

    def make(rows: Sequence[Sequence[object]], name: str = "log") -> Path:
        width = max(len(r) for r in rows)
        header = ("case", "activity", "timestamp", "resource", "outcome", "service", "unit")
        padded = [list(r) + [""] * (width - len(r)) for r in rows]
        src = write_csv(tmp_path / f"{name}.csv", padded, header[:width])
        mapping = ColumnMapping(
            case="case",
            activity="activity",
            timestamp="timestamp",
            resource="resource" if width > 3 else None,
            lifecycle="outcome" if width > 4 else None,
            service="service" if width > 5 else None,
            unit="unit" if width > 6 else None,
        )
        out = tmp_path / f"{name}.parquet"
        import_log(src, out, mapping)
        return out

    return make


@pytest.fixture
def duck() -> Iterator[Callable[[Path], Engine]]:
    engines: list[Engine] = []

    def open_(path: Path) -> Engine:
        eng = DuckDBEngine()
        eng.register_log(path)
        engines.append(eng)
        return eng

    yield open_
    for eng in engines:
        eng.close()
