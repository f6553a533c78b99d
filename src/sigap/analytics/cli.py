"""`sigap analyze LOG`: analyse an event-log file without a database.

    sigap analyze permits.csv --case case_id --activity step --timestamp time --out report.html
    sigap analyze log.xes --engine spark --out report.json --procedure "submit,verify,issue"
    sigap analyze receipt.xes --calendar NL --out report.xlsx
    sigap analyze log.xes --out report.xlsx --lang en --period quarter

The log is checked and converted to sigap's canonical Parquet form, then analysed; any problem
with the file is reported with its row and column, and the exit status is 2.

Events are sorted within each case by completion time (`time:timestamp`), ties in file order:
what pm4py's `format_dataframe` does, so the figures match pm4py's. `--order start` sorts by the
start time (`start_timestamp`) where a log has one, which is what pm4py's `discover_dfg` does
when that column is present; `--order file` keeps the file's order (for logs without usable
timestamps; no durations, so the time-based analyses are skipped).
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

from sigap.analytics.engine import ENGINES, connect
from sigap.analytics.eventlog import ORDERS, ColumnMapping, EventLogError, ImportNotes
from sigap.analytics.importers import FORMATS, detect_format, duplicate_events, import_log
from sigap.analytics.performance import PERIOD_GRAINS, PerformanceSettings
from sigap.analytics.report import STEPS, build_report, write_report
from sigap.analytics.scorecards import MIN_CASES
from sigap.analytics.wording import LANGS, Lang, integer, lang_of, text
from sigap.rules.calendar import CalendarRangeError, calendar_for


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="sigap analyze", description=__doc__.split("\n\n")[0])
    p.add_argument("log", type=Path, help="the event log file")
    p.add_argument("--format", choices=FORMATS, help="default: from the file name")
    p.add_argument("--engine", choices=ENGINES, default="duckdb")
    p.add_argument("--out", type=Path, default=Path("report.html"), help=".html, .json or .xlsx")
    p.add_argument("--store", type=Path, help="keep the canonical Parquet log here")
    p.add_argument(
        "--lang",
        choices=LANGS,
        default="id",
        help="language of an HTML or XLSX report and of these console lines",
    )
    m = p.add_argument_group("column mapping (defaults: XES names)")
    d = ColumnMapping()
    m.add_argument("--case", default=d.case)
    m.add_argument("--activity", default=d.activity)
    m.add_argument("--timestamp", default=d.timestamp)
    m.add_argument("--resource", default=d.resource)
    m.add_argument("--lifecycle", help="outcome column (done, returned, waiting, resumed...)")
    m.add_argument("--service")
    m.add_argument("--unit")
    m.add_argument(
        "--start-timestamp",
        default=d.start_timestamp,
        help="an interval log's start time (optional under its default name)",
    )
    m.add_argument(
        "--transition",
        default=d.transition,
        help="XES life-cycle transition: start/complete (optional under its default name)",
    )
    m.add_argument("--timestamp-format", help='strptime format, e.g. "%%d/%%m/%%Y %%H:%%M"')
    m.add_argument("--timezone", default=d.timezone, help="for timestamps without an offset")
    r = p.add_argument_group("reading the events")
    r.add_argument(
        "--order",
        choices=ORDERS,
        default="completion",
        help="how events are ordered within a case (ties keep file order): 'completion' by "
        "completion time, as pm4py's format_dataframe (the default); 'start' by start time "
        "where the log has one, as pm4py's discover_dfg when a start_timestamp column exists; "
        "'file' as the file lists them, for logs without usable timestamps (no durations; "
        "the time-based analyses are skipped)",
    )
    r.add_argument(
        "--drop-duplicates",
        action="store_true",
        help="keep only the first of events repeating the same case, activity, timestamp, "
        "resource and life-cycle (default: keep them all and count them)",
    )
    r.add_argument(
        "--strict-order",
        action="store_true",
        help="refuse a file that lists a case's events out of time order (default: sort them)",
    )
    a = p.add_argument_group("analysis")
    a.add_argument("--procedure", help="declared steps, comma-separated, for conformance")
    a.add_argument("--local-timezone", default="Asia/Jakarta", help="for working days")
    a.add_argument(
        "--calendar",
        default="ID",
        help="which days are working days: ID (Indonesia: national holidays and cuti bersama, "
        "the default), another country code of the holidays package (NL, DE, DE-BY...: its "
        "public holidays and weekend) or none (every day counts)",
    )
    a.add_argument(
        "--closing-outcomes",
        default="completed,rejected",
        help="outcomes that close a case (comma-separated); a log without outcomes closes each "
        "case at its last event",
    )
    a.add_argument("--min-cases", type=int, default=MIN_CASES, help="for officer scorecards")
    a.add_argument(
        "--period",
        choices=PERIOD_GRAINS,
        help="periods of the performance table; default: months for a log of up to 3 years, "
        "quarters up to 10, years beyond",
    )
    a.add_argument("--no-progress", action="store_true")
    return p


def main(argv: list[str]) -> int:
    args = parser().parse_args(argv)
    mapping = ColumnMapping(
        case=args.case,
        activity=args.activity,
        timestamp=args.timestamp,
        resource=args.resource or None,
        lifecycle=args.lifecycle,
        service=args.service,
        unit=args.unit,
        transition=args.transition or None,
        start_timestamp=args.start_timestamp or None,
        timestamp_format=args.timestamp_format,
        timezone=args.timezone,
    )
    procedure = tuple(s.strip() for s in args.procedure.split(",")) if args.procedure else ()
    try:
        calendar = calendar_for(args.calendar)
    except ValueError as exc:
        print(f"sigap analyze: --calendar: {exc}", file=sys.stderr)
        return 2
    settings = PerformanceSettings(
        calendar=calendar,
        timezone=args.local_timezone,
        closing_outcomes=tuple(s.strip() for s in args.closing_outcomes.split(",")),
    )
    from tqdm import tqdm

    bar = tqdm(
        total=STEPS + 1, desc="import", unit="step", disable=args.no_progress, file=sys.stderr
    )
    try:
        with tempfile.TemporaryDirectory(prefix="sigap-") as tmp:
            store = args.store or Path(tmp) / "log.parquet"
            fmt = args.format or detect_format(args.log)
            imported = import_log(
                args.log,
                store,
                mapping,
                format=fmt,
                order=args.order,
                drop_duplicates=args.drop_duplicates,
                strict_order=args.strict_order,
            )
            duplicates = duplicate_events(imported.path)
            bar.update()

            def step(name: str) -> None:
                bar.set_description(name)
                bar.update()

            engine = connect(args.engine)
            try:
                engine.register_log(imported.path)
                report = build_report(
                    engine,
                    source=args.log.name,
                    procedure=procedure,
                    settings=settings,
                    min_cases=args.min_cases,
                    period_grain=args.period,
                    progress=step,
                    notes=imported.notes,
                )
            finally:
                engine.close()
        out = write_report(report, args.out, lang=args.lang)
    except CalendarRangeError as exc:
        bar.close()
        print(
            f"sigap analyze: {args.log.name}: --calendar {args.calendar}: {exc}; check the "
            "log's timestamps, or count every day with --calendar none",
            file=sys.stderr,
        )
        return 2
    except EventLogError as exc:
        bar.close()
        print(f"sigap analyze: {exc}", file=sys.stderr)
        return 2
    except ValueError as exc:
        bar.close()
        print(f"sigap analyze: {exc}", file=sys.stderr)
        return 2
    bar.close()
    lang = lang_of(args.lang)
    print(f"{text('cli_import', lang)}: {summary(imported.notes, duplicates, lang)}")
    done = text(
        "cli_done",
        lang,
        events=integer(imported.events, lang),
        cases=integer(imported.cases, lang),
        variants=integer(report.variant_count, lang),
        out=out,
    )
    print(done)
    return 0


def summary(notes: ImportNotes, duplicates_kept: int = 0, lang: Lang = "id") -> str:
    """One line saying what the importer did beyond reading rows, in `lang`."""

    def t(key: str, **values: object) -> str:
        return text(key, lang, **values)

    def n(value: int) -> str:
        return integer(value, lang)

    parts = [t("cli_rows", n=n(notes.source_rows)), t(f"cli_order_{notes.order}")]
    if notes.duplicates_dropped:
        parts.append(t("cli_dropped", n=n(notes.duplicates_dropped)))
    parts.append(t("cli_kept", n=n(duplicates_kept)))
    if notes.out_of_order_cases:
        examples = ", ".join(notes.out_of_order_examples)
        parts.append(t("cli_resorted", n=n(notes.out_of_order_cases), examples=examples))
    if notes.naive_timestamps:
        parts.append(t("cli_naive", n=n(notes.naive_timestamps), tz=notes.timezone_assumed))
    if notes.missing_timestamps:
        parts.append(t("cli_missing", n=n(notes.missing_timestamps)))
    if notes.paired_instances:
        parts.append(t("cli_paired", n=n(notes.paired_instances)))
    if notes.ignored_attributes:
        parts.append(t("cli_ignored", keys=", ".join(notes.ignored_attributes)))
    if notes.order == "file":
        parts.append(t("cli_no_durations"))
    return "; ".join(parts)


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
