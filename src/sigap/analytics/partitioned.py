"""A canonical log laid out for a cluster: Parquet files under `agency=<code>/month=<YYYY-MM>/`.

    python -m sigap.analytics.partitioned var/analytics/events.parquet out/events/ --agency 3201

Each case goes, whole, into the partition of its FIRST event (`seq = 0`): the agency named on
that event (or one code for the whole log) and the month of that event in the agency's local
time. Why the first event:

- **No analysis crosses a partition.** Every result is built per case (the next event of a case,
  its variant, its clock); with all of a case's events in one partition, a job that reads any set
  of partitions sees whole cases, never half of one.
- **The month is the case's period.** Service performance puts a case in the month its clock
  starts (its first event, local time), so reading the partitions of March gives exactly the
  cases of March in the report, with all their events, even those that happened in April.
- **A case never moves.** Later events of a case do not change its first event, so the next
  export puts every case in the partition it was in before: the files of past months change only
  where a case that started then got new events, and a month's new cases land in a new partition.

Within a partition the files keep the canonical order (by case, then seq) as written, but the
files of a directory carry no `sigap_sorted` mark: readers of a directory take the window path.
"""

from __future__ import annotations

import argparse
import re
import shutil
import sys
from dataclasses import dataclass
from pathlib import Path

import duckdb

from sigap.analytics.eventlog import EventLogError

PARTITION_COLUMNS = ("agency", "month")
"""The hive-style partition columns, outermost first."""

_CODE = re.compile(r"[A-Za-z0-9._-]+")
_MONTH = re.compile(r"\d{4}-(0[1-9]|1[0-2])")


@dataclass(frozen=True, slots=True)
class PartitionedLog:
    path: Path
    partitions: tuple[tuple[str, str], ...]
    """(agency, month) of every partition written, sorted."""
    events: int
    cases: int


def check_month(value: str, *, what: str = "month") -> str:
    """A month filter as YYYY-MM (as the partition values are written), or a ValueError."""
    if not _MONTH.fullmatch(value):
        raise ValueError(f"{what} must be a month written YYYY-MM, not {value!r}")
    return value


def export_partitioned(
    log: str | Path,
    out_dir: str | Path,
    *,
    agency: str | None = None,
    agency_column: str | None = None,
    timezone: str = "Asia/Jakarta",
    overwrite: bool = False,
) -> PartitionedLog:
    """Write the canonical log at `log` under `out_dir`, partitioned by agency and month.

    The agency is either one code for the whole log (`agency`, e.g. the pemda's kode wilayah) or
    the value of `agency_column` on each case's first event (e.g. `unit`, or a `case:` dimension).
    `timezone` is the agency's local time zone, for the month (use the same as the analyses').
    Every column of the log is kept; the partition values live in the directory names.
    """
    if (agency is None) == (agency_column is None):
        raise ValueError("give either agency (one code for the log) or agency_column")
    if agency is not None and not _CODE.fullmatch(agency):
        raise ValueError(
            f"agency code {agency!r} may hold only letters, digits, '.', '_' and '-' "
            "(it becomes a directory name)"
        )
    log, out = Path(log), Path(out_dir)
    if out.exists() and any(out.iterdir()):
        if not overwrite:
            raise ValueError(f"{out} is not empty; pass overwrite=True to replace it")
        shutil.rmtree(out)
    con = duckdb.connect()
    try:
        con.execute("SET TimeZone = 'UTC'")
        source = f"read_parquet('{_q(log)}', file_row_number = true)"
        columns = [r[0] for r in con.execute(f"DESCRIBE SELECT * FROM {source}").fetchall()]
        for name in PARTITION_COLUMNS:
            if name in columns:
                raise EventLogError(
                    f"the log already has a column named {name!r}, which the partitioned layout "
                    "uses for its directories",
                    file=log,
                    column=name,
                )
        if agency_column is not None and agency_column not in columns:
            raise EventLogError("no such column in the log", file=log, column=agency_column)
        agency_sql = f"'{agency}'" if agency is not None else _ident(agency_column or "")
        con.execute(
            f"""CREATE TEMP TABLE first AS
            SELECT case_id, {agency_sql} AS agency,
                strftime(timezone('{_q(timezone)}', ts), '%Y-%m') AS month,
                file_row_number AS row
            FROM {source} WHERE seq = 0"""
        )
        if agency_column is not None:
            bad = con.execute(
                f"""SELECT row, agency FROM first
                WHERE agency IS NULL OR NOT regexp_full_match(agency, '{_CODE.pattern}')
                ORDER BY row LIMIT 1"""
            ).fetchone()
            if bad is not None:
                raise EventLogError(
                    f"agency value {bad[1]!r} on a case's first event: it must be a code of "
                    "letters, digits, '.', '_' and '-' (it becomes a directory name)",
                    file=log,
                    row=int(bad[0]) + 1,
                    column=agency_column,
                )
        keep = ", ".join(f"e.{_ident(c)}" for c in columns if c != "file_row_number")
        out.parent.mkdir(parents=True, exist_ok=True)
        con.execute("SET preserve_insertion_order = true")
        con.execute(
            f"""COPY (
                SELECT {keep}, f.agency, f.month
                FROM read_parquet('{_q(log)}') e JOIN first f USING (case_id)
                ORDER BY f.agency, f.month, e.case_id, e.seq
            ) TO '{_q(out)}' (FORMAT parquet, COMPRESSION zstd, ROW_GROUP_SIZE 122880,
                PARTITION_BY (agency, month), FILENAME_PATTERN 'part-{{i}}')"""
        )
        parts = con.execute("SELECT agency, month FROM first GROUP BY ALL ORDER BY ALL").fetchall()
        counts = con.execute(f"SELECT count(*), count(*) FILTER (seq = 0) FROM {source}").fetchone()
    finally:
        con.close()
    assert counts is not None
    return PartitionedLog(
        path=out,
        partitions=tuple((str(a), str(m)) for a, m in parts),
        events=int(counts[0]),
        cases=int(counts[1]),
    )


def _q(value: str | Path) -> str:
    return str(value).replace("'", "''")


def _ident(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(
        prog="python -m sigap.analytics.partitioned", description=__doc__.split("\n\n")[0]
    )
    p.add_argument("log", type=Path, help="a canonical log (e.g. the store's events.parquet)")
    p.add_argument("out", type=Path, help="the directory to write (then copy it to the bucket)")
    who = p.add_mutually_exclusive_group(required=True)
    who.add_argument("--agency", help="one agency code for the whole log (e.g. 3201)")
    who.add_argument("--agency-column", help="take the agency from this column of the case")
    p.add_argument("--timezone", default="Asia/Jakarta", help="local time zone for the month")
    p.add_argument("--overwrite", action="store_true", help="replace a non-empty directory")
    args = p.parse_args(argv)
    try:
        result = export_partitioned(
            args.log,
            args.out,
            agency=args.agency,
            agency_column=args.agency_column,
            timezone=args.timezone,
            overwrite=args.overwrite,
        )
    except ValueError as exc:  # EventLogError included: it names file, row and column
        print(f"sigap partitioned: {exc}", file=sys.stderr)
        return 2
    print(
        f"{result.events:,} events, {result.cases:,} cases in "
        f"{len(result.partitions)} partitions → {result.path}"
    )
    return 0


__all__ = ["PARTITION_COLUMNS", "PartitionedLog", "check_month", "export_partitioned"]

if __name__ == "__main__":
    raise SystemExit(main())
