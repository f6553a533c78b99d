"""Data-quality checks: hand-computed on a tiny canonical log, the same on DuckDB and Spark, and
the public suite's README figures ("Data-quality facts for importers") reproduced."""

from __future__ import annotations

import gzip
import os
import shutil
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from sigap.analytics.engine import DuckDBEngine, Engine
from sigap.analytics.eventlog import ImportNotes
from sigap.analytics.importers import import_log
from sigap.analytics.quality import (
    DataQuality,
    QualityPartial,
    describe,
    log_quality,
    merge_quality,
    number,
    percent,
    quality_partial,
)

from .conftest import DATA

NOW_US = int(datetime(2025, 6, 1, tzinfo=UTC).timestamp() * 1_000_000)


def at(*args: int) -> datetime:
    return datetime(*args, tzinfo=UTC)  # type: ignore[misc]


# case, activity, ts, resource, service, unit, transition, start_ts
TINY: list[tuple[Any, ...]] = [
    ("a", "submit", at(2025, 1, 1, 9), "x", "KTP", "U1", "start", None),
    ("a", "submit", at(2025, 1, 1, 9), "x", "KTP", "U1", "complete", None),  # dup; tie
    ("a", "verify", at(2025, 1, 1, 10), None, "KTP", "U1", "complete", None),
    ("a", "verify", at(2025, 1, 1, 10), None, "KTP", "U1", "complete", None),  # dup (both); tie
    ("b", "submit", at(1985, 6, 1), "y", "KTP", "U1", None, None),  # before 1990
    ("b", "issue", at(2025, 1, 2), "y", "KTP", "U1", None, None),  # case spans 39 years
    ("c", "submit", at(2025, 1, 3, 8), "y", "KTP", None, None, None),
    ("c", "verify", at(2025, 1, 3, 8), "y", "KTP", None, None, None),  # tie; zero-length case
    ("d", "submit", at(2030, 1, 1), "y", "KTP", "U1", None, at(2030, 1, 2)),  # future; inverted
    ("e", "submit", at(2025, 1, 4), "z", "KTP", "U1", None, None),
    ("e", "rare", None, "z", "KTP", "U1", None, None),  # no timestamp (order "file")
]


def write_canonical(
    path: Path, rows: list[tuple[Any, ...]], *, transition: bool = True, start: bool = True
) -> Path:
    """Rows (already in case, file order) as a canonical Parquet log; seq numbered per case."""
    seq: list[int] = []
    for i, r in enumerate(rows):
        seq.append(seq[-1] + 1 if i and rows[i - 1][0] == r[0] else 0)
    ts = pa.timestamp("us", tz="UTC")
    cols: dict[str, pa.Array] = {
        "case_id": pa.array([r[0] for r in rows], pa.string()),
        "seq": pa.array(seq, pa.int32()),
        "activity": pa.array([r[1] for r in rows], pa.string()),
        "ts": pa.array([r[2] for r in rows], ts),
        "resource": pa.array([r[3] for r in rows], pa.string()),
        "lifecycle": pa.array([None] * len(rows), pa.string()),
        "service": pa.array([r[4] for r in rows], pa.string()),
        "unit": pa.array([r[5] for r in rows], pa.string()),
    }
    if transition:
        cols["transition"] = pa.array([r[6] for r in rows], pa.string())
    if start:
        cols["start_ts"] = pa.array([r[7] for r in rows], ts)
    pq.write_table(pa.table(cols), path)
    return path


def quality_of(engine: Engine, path: Path, notes: ImportNotes | None = None) -> DataQuality:
    engine.register_log(path)
    return log_quality(engine, notes, now_us=NOW_US)


def check_tiny(dq: DataQuality) -> None:
    assert (dq.events, dq.cases, dq.activities) == (11, 5, 4)
    assert (dq.duplicates.count, dq.duplicates.cases, dq.duplicates.examples) == (2, 1, ("a",))
    assert dq.duplicates_with_transition is not None
    assert dq.duplicates_with_transition.count == 1
    assert (dq.ties.count, dq.ties.cases, dq.ties.examples) == (3, 2, ("a", "c"))
    assert (dq.missing_timestamps.count, dq.missing_timestamps.examples) == (1, ("e",))
    assert (dq.out_of_range.count, dq.out_of_range.cases) == (2, 2)
    assert dq.out_of_range.examples == ("b", "d")
    assert (dq.long_cases.count, dq.long_cases.total, dq.long_cases.examples) == (1, 5, ("b",))
    assert (dq.zero_length_cases.count, dq.zero_length_cases.examples) == (1, ("c",))
    assert (dq.single_activities.count, dq.single_activities.total) == (2, 4)
    assert dq.single_activities.examples == ("issue", "rare")
    assert dq.start_after_end is not None
    assert (dq.start_after_end.count, dq.start_after_end.examples) == (1, ("d",))
    fill = {c.column: (c.present, c.missing, c.empty, c.examples) for c in dq.columns}
    assert fill == {
        "resource": (True, 2, False, ("a",)),
        "lifecycle": (True, 11, True, ("a", "b", "c", "d", "e")),
        "service": (True, 0, False, ()),
        "unit": (True, 2, False, ("c",)),
        "transition": (True, 7, False, ("b", "c", "d", "e")),
        "start_ts": (True, 10, False, ("a", "b", "c", "e")),
    }


def test_tiny_log_hand_computed(tmp_path: Path) -> None:
    with DuckDBEngine() as eng:
        check_tiny(quality_of(eng, write_canonical(tmp_path / "tiny.parquet", TINY)))


def test_partials_of_parts_merge_to_the_whole_log(tmp_path: Path) -> None:
    """Split by case in any way, the parts' partials merge into what the whole log gives, for
    the "now" of the partials or any later one (a future event that has since come to pass)."""
    whole = write_canonical(tmp_path / "tiny.parquet", TINY)
    later = int(datetime(2031, 1, 1, tzinfo=UTC).timestamp() * 1_000_000)
    notes = ImportNotes(out_of_order_cases=1, out_of_order_examples=["c"], naive_timestamps=2)
    with DuckDBEngine() as eng:
        reference = {NOW_US: quality_of(eng, whole)}
        reference[later] = log_quality(eng, now_us=later)
        with_notes = log_quality(eng, notes, now_us=NOW_US)
    # The future event of case d is out of range in 2025 and no longer in 2031.
    assert reference[NOW_US].out_of_range.examples == ("b", "d")
    assert reference[later].out_of_range.examples == ("b",)
    for grouping in (["abcde"], ["a", "b", "c", "d", "e"], ["ac", "bde"], ["e", "dcb", "a"]):
        partials = []
        for i, cases in enumerate(grouping):
            rows = [r for r in TINY if r[0] in cases]
            part = write_canonical(tmp_path / f"part{i}.parquet", rows)
            with DuckDBEngine() as eng:
                eng.register_log(part)
                made = quality_partial(eng, now_us=NOW_US)
            assert QualityPartial.from_json(made.to_json()) == made  # as kept on disk
            partials.append(made)
        for now, dq in reference.items():
            assert merge_quality(partials, now_us=now) == dq, (grouping, now)
        assert merge_quality(partials, notes, now_us=NOW_US) == with_notes
        check_tiny(merge_quality(partials, now_us=NOW_US))
        # An earlier "now" than the partials': the events in between were not kept.
        with pytest.raises(ValueError, match="derive it again"):
            merge_quality(partials, now_us=NOW_US - 1)


def test_absent_optional_columns_are_told_from_empty_ones(tmp_path: Path) -> None:
    path = write_canonical(tmp_path / "old.parquet", TINY, transition=False, start=False)
    with DuckDBEngine() as eng:
        dq = quality_of(eng, path)
    assert not dq.column("transition").present and not dq.column("start_ts").present
    assert dq.duplicates_with_transition is None and dq.start_after_end is None
    assert dq.column("lifecycle").present and dq.column("lifecycle").empty
    codes = [f.code for f in describe(dq)]
    assert "missing_transition" not in codes and "start_after_end" not in codes
    assert "missing_lifecycle" in codes


def test_notes_and_sentences(tmp_path: Path) -> None:
    notes = ImportNotes(
        source_rows=11,
        out_of_order_cases=1,
        out_of_order_examples=("b",),
        naive_timestamps=11,
        timezone_assumed="Asia/Jakarta",
        ignored_attributes=("composite:list",),
        duplicates_dropped=3,
    )
    with DuckDBEngine() as eng:
        dq = quality_of(eng, write_canonical(tmp_path / "tiny.parquet", TINY), notes)
    found = {f.code: f for f in describe(dq)}
    assert found["duplicates"].sentence == (
        "2 kejadian (18,2 %) mengulang kejadian sebelumnya dengan kasus, aktivitas, waktu dan "
        "petugas yang sama. Bila transisi siklus hidup ikut dibandingkan: 1 kejadian."
    )
    assert found["duplicates"].severity == "warning"
    assert found["ties"].sentence.startswith("3 kejadian (27,3 %)")
    assert "di 2 kasus (40,0 %)" in found["ties"].sentence
    assert found["out_of_order"].sentence.startswith("1 kasus (20,0 %) tidak tercatat")
    assert found["out_of_order"].examples == ("b",)
    assert found["naive_timestamps"].sentence == (
        "11 kejadian (100,0 %) tidak menyebut zona waktu dan dibaca sebagai waktu Asia/Jakarta."
    )
    assert found["missing_resource"].sentence == (
        "2 dari 11 kejadian (18,2 %) tidak memiliki petugas."
    )
    assert found["missing_service"].severity == "info"
    assert found["ignored_attributes"].examples == ("composite:list",)
    assert found["duplicates_dropped"].count == 3
    english = {f.code: f for f in describe(dq, "en")}
    assert english["long_cases"].sentence == (
        "1 cases (20.0%) last more than 5 years from first to last event."
    )
    for f in describe(dq) + describe(dq, "en"):
        assert "_" not in f.sentence + f.title, f  # no code names in the text
    with pytest.raises(ValueError, match="unknown language"):
        describe(dq, "fr")


def test_clean_log_says_so(tmp_path: Path) -> None:
    rows = [
        ("a", "submit", at(2025, 1, 1, 9), "x", "KTP", "U1", None, None),
        ("a", "issue", at(2025, 1, 2, 9), "x", "KTP", "U1", None, None),
        ("b", "submit", at(2025, 1, 1, 9), "x", "KTP", "U1", None, None),
        ("b", "issue", at(2025, 1, 3, 9), "x", "KTP", "U1", None, None),
    ]
    path = write_canonical(tmp_path / "clean.parquet", rows, transition=False, start=False)
    with DuckDBEngine() as eng:
        dq = quality_of(eng, path)
    found = describe(dq)
    warnings = [f for f in found if f.severity == "warning"]
    assert warnings == []
    assert next(f for f in found if f.code == "duplicates").sentence == "Tidak ada kejadian ganda."


def test_number_formats() -> None:
    assert (number(10893), number(10893, "en")) == ("10.893", "10,893")
    assert (percent(0.0622), percent(0.0622, "en")) == ("6,2 %", "6.2%")
    assert percent(0.0001) == "< 0,1 %" and percent(0.0) == "0,0 %"


# -- both engines ------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def spark() -> Iterator[Engine]:
    pytest.importorskip("pyspark")
    if shutil.which("java") is None and not os.environ.get("CI"):
        pytest.skip("Spark needs Java 17 (apt-get install openjdk-17-jre-headless)")
    from sigap.analytics.engine import SparkEngine

    eng = SparkEngine()
    eng.spark.conf.set("spark.sql.shuffle.partitions", "1")
    yield eng
    eng.close()


@pytest.mark.spark
def test_spark_gives_the_same_quality(tmp_path: Path, spark: Engine) -> None:
    path = write_canonical(tmp_path / "tiny.parquet", TINY)
    check_tiny(quality_of(spark, path))
    old = write_canonical(tmp_path / "old.parquet", TINY, transition=False, start=False)
    with DuckDBEngine() as duck:
        assert quality_of(spark, old) == quality_of(duck, old)


# -- the public suite --------------------------------------------------------------------------


def suite_file(name: str) -> Path:
    """A public-suite file: the repository's copy (gzipped where the original was not)."""
    candidates = [DATA / "public-suite" / name, DATA / "public-suite" / f"{name}.gz"]
    for c in candidates:
        if c.exists():
            return c
    raise FileNotFoundError(f"public-suite file {name} is not in tests/analytics/data")


def _open(path: Path, mode: str = "rb") -> Any:
    return gzip.open(path, mode) if path.name.endswith(".gz") else path.open(mode)


def _time(value: str | None) -> datetime | None:
    if value is None or value.strip() in ("", "?"):
        return None
    t = datetime.fromisoformat(value.strip())
    return (t if t.tzinfo else t.replace(tzinfo=UTC)).astimezone(UTC)


# README table: duplicates (with the transition in the key), ties (cases), missing resource
# (None: no resource at all), missing timestamps. The bool: whether the log has timestamps
# (partial-order-example.xes is read in file order).
SUITE: dict[str, tuple[bool, int, int | None, int, int, int | None, int]] = {
    "reviewing.xes": (True, 232, 0, 816, 98, 0, 0),
    "receipt.xes": (True, 0, 0, 0, 0, 0, 0),
    "interval_event_log.xes": (True, 0, None, 1, 1, None, 0),
    "interval_event_log.csv": (True, 0, None, 1, 1, None, 0),
    "roadtraffic50traces.xes": (True, 0, 0, 1, 1, 150, 0),
    "running-example.csv": (True, 0, None, 0, 0, 0, 0),
    "partial-order-example.xes": (False, 0, None, 0, 0, None, 25),
    "fairness/hiring_log_high.xes.gz": (True, 4, None, 10_893, 7_809, None, 0),
    "fairness/hospital_log_high.xes.gz": (True, 0, None, 0, 0, None, 0),
    "fairness/lending_log_high.xes.gz": (True, 0, None, 1_431, 1_431, None, 0),
    "fairness/renting_log_high.xes.gz": (True, 0, None, 0, 0, None, 0),
}


@pytest.mark.parametrize("name", list(SUITE))
def test_public_suite_readme_figures(name: str, tmp_path: Path) -> None:
    timed, dups, dups_t, ties, tie_cases, no_resource, no_ts = SUITE[name]
    imported = import_log(suite_file(name), tmp_path / "log.parquet",
                          order="completion" if timed else "file")  # fmt: skip
    with DuckDBEngine() as eng:
        dq = quality_of(eng, imported.path)
    assert dq.duplicates.count == dups
    if dups_t is None:
        assert dq.duplicates_with_transition is None
    else:
        assert dq.duplicates_with_transition is not None
        assert dq.duplicates_with_transition.count == dups_t
    assert (dq.ties.count, dq.ties.cases) == (ties, tie_cases)
    resource = dq.column("resource")
    if no_resource is None:
        assert resource.empty
    else:
        assert (resource.missing, resource.total) == (no_resource, dq.events)
    assert dq.missing_timestamps.count == no_ts
    if name == "fairness/hiring_log_high.xes.gz":
        assert dq.duplicates.examples == ("1079", "1082", "3314", "8826")
    if dq.start_after_end is not None:  # "No event in the two interval logs starts after it ends"
        assert dq.start_after_end.count == 0


# -- the analysis report -----------------------------------------------------------------------


def test_report_has_a_quality_section_in_every_format(tmp_path: Path) -> None:
    import json

    import openpyxl

    from sigap.analytics.report import build_report, write_report

    # Without the event that has no timestamp: the analyses before the new importer need one.
    path = write_canonical(tmp_path / "tiny.parquet", TINY[:-1])
    notes = ImportNotes(out_of_order_cases=1, out_of_order_examples=("b",))
    with DuckDBEngine() as eng:
        eng.register_log(path)
        report = build_report(eng, source="tiny.parquet", notes=notes)
    assert report.quality is not None and report.quality.duplicates.count == 2
    page = write_report(report, tmp_path / "r.html").read_text()
    section = page[page.index("<h2>Kualitas data</h2>") : page.index("<h2>Peta proses")]
    assert page.index("<h1>") < page.index("<h2>Kualitas data</h2>")  # after the summary
    assert "2 kejadian (20,0 %) mengulang kejadian sebelumnya" in section
    assert "1 kasus (20,0 %) tidak tercatat" in section
    assert "<small>(contoh: a)</small>" in section
    data = json.loads(write_report(report, tmp_path / "r.json").read_text())
    assert data["quality"]["ties"]["count"] == 3
    found = {f["code"]: f for f in data["quality_findings"]}
    assert found["duplicates"]["severity"] == "warning"
    book = openpyxl.load_workbook(write_report(report, tmp_path / "r.xlsx"))
    rows = list(book["Kualitas data"].iter_rows(values_only=True))
    assert rows[0] == ("Pemeriksaan", "Temuan", "Jumlah", "Contoh", "Tingkat")
    assert ("Kejadian ganda", found["duplicates"]["sentence"], 2, "a", "perlu diperhatikan") in rows
