"""The analysis report: every result of one log, for people (HTML, XLSX) and for programs (JSON).

The HTML page is self-contained and works offline (inline CSS, the process map an inline SVG
picture, no script from elsewhere): a summary at the top, the key findings in sentences, then a
section per analysis with its heading in words; long tables show their first rows and fold the
rest. The XLSX has a sheet per table with typed cells (counts, shares as percentages, durations
in days or hours). Both speak Indonesian (default) or English (`sigap.analytics.wording`); the
JSON keeps the machine keys of the dataclasses.
"""

from __future__ import annotations

import dataclasses
import html
import json
import math
import operator
import re
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from sigap.analytics.conformance import Conformance, conformance
from sigap.analytics.delays import StepDelay, plan_delays, step_delays
from sigap.analytics.discovery import (
    Bottleneck,
    DirectlyFollowsGraph,
    Rework,
    Variant,
    bottlenecks,
    cached_variants,
    directly_follows,
    rework,
)
from sigap.analytics.engine import Engine
from sigap.analytics.eventlog import ImportNotes
from sigap.analytics.instances import InstanceStats, InstanceSummary, activity_instances
from sigap.analytics.performance import (
    Backlog,
    PerformanceSettings,
    ServicePerformance,
    as_of_us,
    backlog,
    case_facts,
    log_span,
    period_grain_for,
    service_performance,
)
from sigap.analytics.quality import DataQuality, describe, log_quality, plan_quality
from sigap.analytics.scorecards import MIN_CASES, OfficerScorecard, officer_scorecards
from sigap.analytics.streaming import StreamingLog
from sigap.analytics.whatif import WhatIf, plan_what_if, what_if
from sigap.analytics.wording import (
    MISSING,
    Lang,
    day,
    duration,
    integer,
    lang_of,
    number,
    percent,
    period,
    steps,
    text,
    working_days,
)

REPORT_FORMATS = ("html", "json", "xlsx")
TOP_VARIANTS = 20
WHAT_IFS = 3
"""what-if scenarios: for the top bottlenecks"""
WHAT_IF_CUT = 0.5
MAP_VARIANTS = 50_000
"""variants handed to the process map (its coverage is exact up to this many variants)"""
TOP_FINDINGS = 3
SHOWN_ROWS = 10
"""rows of a long table shown before the fold (<details>) in the HTML"""


@dataclass(frozen=True, slots=True)
class Report:
    source: str
    engine: str
    dfg: DirectlyFollowsGraph
    variants: tuple[Variant, ...]
    variant_count: int
    rework: tuple[Rework, ...]
    bottlenecks: tuple[Bottleneck, ...]
    conformance: Conformance | None
    performance: tuple[ServicePerformance, ...]
    performance_by_period: tuple[ServicePerformance, ...]
    backlog: tuple[Backlog, ...]
    scorecards: tuple[OfficerScorecard, ...]
    min_cases: int
    what_if: tuple[WhatIf, ...]
    overall: ServicePerformance | None = None
    """the whole log as one group: the summary's lead time and SLA share"""
    step_delays: tuple[StepDelay, ...] = ()
    period_grain: str = "month"
    """of `performance_by_period`: month, quarter or year (`period_grain_for`)"""
    first_day: str | None = None
    """first and last local day of the log, ISO 8601"""
    last_day: str | None = None
    timezone: str = "Asia/Jakarta"
    calendar: tuple[str, str] = ("", "")
    """The calendar working days were counted in: its label in Indonesian and in English."""
    instances: tuple[InstanceStats, ...] = ()
    """Activity instances (start/complete pairs, interval events); empty when the log has none."""
    all_variants: tuple[Variant, ...] = dataclasses.field(
        default=(), repr=False, metadata={"json": False}
    )
    """Every variant (up to `MAP_VARIANTS`), for the process map's case coverage and the variant
    explorer; not written to the JSON, which has the top `TOP_VARIANTS`."""
    quality: DataQuality | None = None
    """The data-quality checks of the log (`sigap.analytics.quality`) and the importer's notes."""
    notes: ImportNotes | None = None
    """What the importer found and did (None when the log did not come through it)."""


def build_report(
    engine: Engine,
    *,
    source: str,
    procedure: Sequence[str] = (),
    settings: PerformanceSettings | None = None,
    min_cases: int = MIN_CASES,
    period_grain: str | None = None,
    progress: Callable[[str], None] = lambda step: None,
    notes: ImportNotes | None = None,
) -> Report:
    """Run every analysis on the log registered in `engine`; `progress` is told each step.

    `notes` (what the importer found) join the data-quality section.

    `period_grain` (month, quarter, year) is the length of the periods of the performance
    table; None picks it from the log's span (`period_grain_for`)."""
    settings = settings or PerformanceSettings()
    span = log_span(engine, settings)
    grain = period_grain or (period_grain_for(*span) if span else settings.period_grain)
    # One settings value for every analysis: the per-case facts are computed once for it.
    settings = dataclasses.replace(settings, period_grain=grain)
    # A log imported in file order (`notes.order == "file"`) has no usable timestamps, so the
    # time-based analyses (performance, backlog, scorecards, what-if) are left empty.
    timed = notes is None or notes.order != "file"
    now_us = time.time_ns() // 1000
    progress("data quality")
    _one_pass(engine, settings, now_us, timed)
    quality = log_quality(engine, notes, now_us=now_us)
    progress("process map")
    dfg = directly_follows(engine)
    progress("variants")
    variants = cached_variants(engine)
    progress("rework")
    rw = rework(engine)
    progress("bottlenecks")
    bn = bottlenecks(engine)
    delays = step_delays(engine, settings)
    progress("conformance")
    conf = conformance(engine, procedure) if procedure else None
    progress("service performance")
    perf = service_performance(engine, ("service",), settings) if timed else ()
    perf_period = service_performance(engine, ("service", "period"), settings) if timed else ()
    overall = service_performance(engine, (), settings) if timed else ()
    progress("backlog")
    bl = backlog(engine, ("service", "unit"), settings) if timed else ()
    progress("officer scorecards")
    cards = officer_scorecards(engine, min_cases=min_cases, settings=settings) if timed else ()
    progress("what-if")
    wi = tuple(what_if(engine, b.activity, cut=WHAT_IF_CUT) for b in bn[:WHAT_IFS]) if timed else ()
    progress("activity instances")
    inst = activity_instances(engine)
    return Report(
        source=source,
        engine=engine.name,
        dfg=dfg,
        variants=variants[:TOP_VARIANTS],
        variant_count=len(variants),
        rework=rw,
        bottlenecks=bn,
        conformance=conf,
        performance=perf,
        performance_by_period=perf_period,
        backlog=bl,
        scorecards=cards,
        min_cases=min_cases,
        what_if=wi,
        overall=overall[0] if overall else None,
        step_delays=delays,
        period_grain=grain,
        first_day=span[0].isoformat() if span else None,
        last_day=span[1].isoformat() if span else None,
        timezone=settings.timezone,
        calendar=(settings.calendar.label("id"), settings.calendar.label("en")),
        instances=inst,
        all_variants=variants[:MAP_VARIANTS],
        quality=quality,
        notes=notes,
    )


STEPS = 11  # calls of `progress` in build_report
EXPLORER_VARIANTS = 200
"""variants listed by the HTML's variant explorer"""


def _one_pass(engine: Engine, settings: PerformanceSettings, now_us: int, timed: bool) -> None:
    """On a log read in chunks (over the in-memory budget), the per-case analyses that would each
    read the whole file (data quality, step delays, what-if) ride along the per-case facts pass
    instead, run here: one read of the file for them all."""
    if not timed or not isinstance(engine.linear_log(), StreamingLog):
        return
    plan_quality(engine, now_us)
    plan_delays(engine, settings)
    plan_what_if(engine, [b.activity for b in bottlenecks(engine)[:WHAT_IFS]], cut=WHAT_IF_CUT)
    case_facts(engine, settings, as_of_us(engine, None))


def to_jsonable(obj: Any) -> Any:
    if dataclasses.is_dataclass(obj) and not isinstance(obj, type):
        return {
            f.name: to_jsonable(getattr(obj, f.name))
            for f in dataclasses.fields(obj)
            if f.metadata.get("json", True)
        }
    if isinstance(obj, dict):
        return {str(k): to_jsonable(v) for k, v in obj.items()}
    if isinstance(obj, list | tuple):
        return [to_jsonable(v) for v in obj]
    return obj


def write_report(report: Report, out: str | Path, *, lang: str = "id") -> Path:
    """Write the report; the format follows the extension (.html, .json, .xlsx). HTML and XLSX
    are in `lang` (id or en); JSON has the machine keys whatever the language."""
    out = Path(out)
    ext = out.suffix.lower().lstrip(".")
    if ext not in REPORT_FORMATS:
        raise ValueError(f"unknown report format {ext!r}; expected one of {REPORT_FORMATS}")
    language = lang_of(lang)
    out.parent.mkdir(parents=True, exist_ok=True)
    if ext == "json":
        data = to_jsonable(report)
        if report.quality is not None:
            data["quality_findings"] = to_jsonable(describe(report.quality, language))
        out.write_text(json.dumps(data, indent=2, ensure_ascii=False))
    elif ext == "html":
        out.write_text(interactive_html(report, language), encoding="utf-8")
    else:
        out.write_bytes(render_xlsx(report, lang=language))
    return out


# --- tables ----------------------------------------------------------------------------------

# How a column's values read. In the HTML every kind is printed in words by `wording`; in the
# XLSX each stays a typed number (unit in the header): see `_xlsx_cell`.
TEXT, COUNT, SHARE, DAYS, SECONDS, WORKING_DAYS, PERIOD, STEPS_SEQ = (
    "text", "count", "share", "days", "seconds", "working_days", "period", "steps",
)  # fmt: skip
NUMERIC = {COUNT, SHARE, DAYS, SECONDS, WORKING_DAYS}
# The tables in the order people read them; the last two are the HTML's appendix.
READING_ORDER = (
    "quality", "performance", "performance-by-period", "delays", "instances", "variants", "rework",
    "conformance",
    "backlog", "officers", "what-if", "edges", "start-end",
)  # fmt: skip


@dataclass(frozen=True, slots=True)
class Column:
    header: str
    """a key of `wording.WORDS`"""
    kind: str
    value: Callable[[Any], Any]


@dataclass(frozen=True, slots=True)
class Table:
    key: str
    """the section's anchor in the HTML"""
    title: str
    columns: tuple[Column, ...]
    items: tuple[Any, ...]
    note: str = ""


def _col(header: str, kind: str, attr: str | Callable[[Any], Any]) -> Column:
    if callable(attr):
        return Column(header, kind, attr)
    return Column(header, kind, operator.attrgetter(attr))


def _performance_columns(outcomes: bool = True) -> list[Column]:
    """`outcomes`: the log records step outcomes (returned, waiting, resumed...). Without them
    "first time right" would read 100 % and "waiting for the applicant" 0 for every case, which
    the log does not say: those columns are left out."""
    columns = [
        _col("h_volume", COUNT, "volume"),
        _col("h_closed", COUNT, "closed"),
        _col("h_lead_median", DAYS, "lead_days_median"),
        _col("h_lead_wd_median", WORKING_DAYS, "lead_working_days_median"),
        _col("h_lead_wd_p90", WORKING_DAYS, "lead_working_days_p90"),
        _col("h_sla_share", SHARE, "sla_share"),
    ]
    if outcomes:
        columns += [
            _col("h_ftr_share", SHARE, "first_time_right_share"),
            _col("h_waiting_median", DAYS, "waiting_days_median"),
            _col("h_processing_median", DAYS, "processing_days_median"),
            _col("h_waiting_share", SHARE, "waiting_share"),
        ]
    return columns


def _has_outcomes(report: Report) -> bool:
    """Whether any event of the log has an outcome (True when the report has no quality
    checks to tell)."""
    if report.quality is None:
        return True
    try:
        c = report.quality.column("lifecycle")
    except KeyError:
        return True
    return c.present and c.missing < c.total


def report_tables(report: Report, lang: Lang) -> list[Table]:
    """Every table of the report in reading order, shared by the HTML and XLSX writers."""

    def t(key: str, **values: object) -> str:
        return text(key, lang, **values)

    dfg = report.dfg
    grain = t(f"grain_{report.period_grain}")
    waiting_share = {b.activity: b.share_of_waiting for b in report.bottlenecks}
    kinds = {"skipped": "deviation_skipped", "extra": "deviation_extra",
             "out_of_order": "deviation_out_of_order"}  # fmt: skip
    tables = [
        Table(
            "quality",
            t("quality"),
            (
                _col("h_check", TEXT, "title"),
                _col("h_finding", TEXT, "sentence"),
                _col("h_count", COUNT, "count"),
                _col("h_examples", TEXT, lambda f: ", ".join(f.examples)),
                _col("h_level", TEXT, lambda f: t(f"level_{f.severity}")),
            ),
            tuple(
                sorted(describe(report.quality, lang), key=lambda f: f.severity != "warning")
                if report.quality is not None
                else ()
            ),
        ),
        Table(
            "variants",
            t(
                "variants_title",
                shown=integer(len(report.variants), lang),
                total=integer(report.variant_count, lang),
            ),
            (
                _col("h_steps", STEPS_SEQ, "activities"),
                _col("h_cases", COUNT, "count"),
                _col("h_share_cases", SHARE, lambda v: v.count / dfg.cases if dfg.cases else None),
                _col("h_median_duration", SECONDS, "median_duration_s"),
                _col("h_mean_duration", SECONDS, "mean_duration_s"),
            ),
            report.variants,
        ),
        Table(
            "performance",
            t("performance"),
            (_col("h_service", TEXT, "service"), *_performance_columns(_has_outcomes(report))),
            report.performance,
        ),
        Table(
            "performance-by-period",
            t("performance_by", grain=grain),
            (
                _col("h_service", TEXT, "service"),
                _col("h_period", PERIOD, "period"),
                *_performance_columns(_has_outcomes(report)),
            ),
            report.performance_by_period,
        ),
        Table(
            "delays",
            t("delays"),
            (
                _col("h_step", TEXT, "activity"),
                _col("h_cases", COUNT, "cases"),
                _col("h_share_cases", SHARE, "share_of_cases"),
                _col("h_delay_wd", WORKING_DAYS, "mean_working_days"),
                _col("h_delay_time", SECONDS, "mean_wait_s"),
                _col("h_share_waiting", SHARE, lambda d: waiting_share.get(d.activity)),
            ),
            report.step_delays,
            t("delay_definition"),
        ),
        Table(
            "rework",
            t("rework"),
            (
                _col("h_step", TEXT, "activity"),
                _col("h_cases", COUNT, "cases"),
                _col("h_share_cases", SHARE, "share_of_cases"),
                _col("h_repeats", COUNT, "repeats"),
            ),
            report.rework,
        ),
    ]
    if report.conformance:
        c = report.conformance
        tables.append(
            Table(
                "conformance",
                t("conformance"),
                (
                    _col(
                        "h_deviation",
                        TEXT,
                        lambda d: t(kinds[d.kind]) if d.kind in kinds else d.kind,
                    ),
                    _col("h_step", TEXT, "activity"),
                    _col("h_cases", COUNT, "cases"),
                ),
                c.deviations,
                _conformance_sentence(c, lang),
            )
        )
    tables += [
        Table(
            "backlog",
            t("backlog"),
            (
                _col("h_service", TEXT, "service"),
                _col("h_unit", TEXT, "unit"),
                _col("h_open", COUNT, "open"),
                _col("h_age_median", WORKING_DAYS, "age_working_days_median"),
                _col("h_age_max", WORKING_DAYS, "age_working_days_max"),
                _col("h_age_0_5", COUNT, "age_0_5"),
                _col("h_age_6_10", COUNT, "age_6_10"),
                _col("h_age_11_20", COUNT, "age_11_20"),
                _col("h_age_over_20", COUNT, "age_over_20"),
                _col("h_over_sla", COUNT, "over_sla"),
            ),
            report.backlog,
        ),
        Table(
            "officers",
            t("scorecards", n=integer(report.min_cases, lang)),
            (
                _col("h_service", TEXT, "service"),
                _col("h_officer", TEXT, "officer"),
                _col("h_cases", COUNT, "cases"),
                _col("h_handling_median", SECONDS, "handling_median_s"),
                _col("h_sla_share", SHARE, "sla_share"),
                _col("h_rework_caused", COUNT, "rework_caused"),
                _col("h_throughput_pct", SHARE, "throughput_percentile"),
                _col("h_speed_pct", SHARE, "speed_percentile"),
                _col("h_peers", COUNT, "peers"),
            ),
            report.scorecards,
        ),
        Table(
            "what-if",
            t("what_if"),
            (
                _col("h_step", TEXT, "activity"),
                _col("h_scenario", TEXT, lambda w: _scenario(w.scenario, lang)),
                _col("h_affected", COUNT, "cases_affected"),
                _col("h_mean_before", DAYS, "lead_days_mean_before"),
                _col("h_mean_after", DAYS, "lead_days_mean_after"),
                _col("h_median_before", DAYS, "lead_days_median_before"),
                _col("h_median_after", DAYS, "lead_days_median_after"),
            ),
            report.what_if,
        ),
        Table(
            "edges",
            t("edges"),
            (
                _col("h_from", TEXT, "source"),
                _col("h_to", TEXT, "target"),
                _col("h_count", COUNT, "count"),
                _col("h_median_time", SECONDS, "median_s"),
                _col("h_mean_time", SECONDS, "mean_s"),
                _col("h_p90_time", SECONDS, "p90_s"),
            ),
            tuple(sorted(dfg.edges, key=lambda e: (-e.count, e.source, e.target))),
        ),
        Table(
            "start-end",
            t("start_end"),
            (
                _col("h_step", TEXT, lambda a: a),
                _col("h_events", COUNT, lambda a: dfg.activities[a]),
                _col("h_start", COUNT, lambda a: dfg.start_activities.get(a, 0)),
                _col("h_end", COUNT, lambda a: dfg.end_activities.get(a, 0)),
            ),
            tuple(sorted(dfg.activities, key=lambda a: (-dfg.activities[a], a))),
        ),
    ]
    if report.instances:
        summary = InstanceSummary.of(report.instances)
        tables.append(
            Table(
                "instances",
                t(
                    "instances_title",
                    service=percent(summary.service_share, lang),
                    waiting=percent(summary.waiting_share, lang),
                ),
                (
                    _col("h_step", TEXT, "activity"),
                    _col("h_instances", COUNT, "instances"),
                    _col("h_service_median", SECONDS, "service_median_s"),
                    _col("h_service_mean", SECONDS, "service_mean_s"),
                    _col("h_service_p90", SECONDS, "service_p90_s"),
                    _col("h_wait_before_median", SECONDS, "waiting_median_s"),
                    _col("h_wait_before_mean", SECONDS, "waiting_mean_s"),
                    _col("h_unmatched_starts", COUNT, "unmatched_starts"),
                    _col("h_unmatched_completes", COUNT, "unmatched_completes"),
                ),
                report.instances,
            )
        )
    order = {key: i for i, key in enumerate(READING_ORDER)}
    return sorted((_without_empty_columns(tb) for tb in tables), key=lambda tb: order[tb.key])


def _without_empty_columns(table: Table) -> Table:
    """`table` without the columns empty in every row (a log without services or units, no
    service standards...); the first column stays when no other names the rows."""
    if not table.items:
        return table
    kept = [c for c in table.columns if any(c.value(it) is not None for it in table.items)]
    if not any(c.kind in (TEXT, PERIOD, STEPS_SEQ) for c in kept):
        kept.insert(0, table.columns[0])
    return dataclasses.replace(table, columns=tuple(kept))


def _scenario(scenario: str, lang: Lang) -> str:
    if scenario == "remove":
        return text("scenario_remove", lang)
    cut = re.fullmatch(r"cut (\d+)% waiting", scenario)
    return (
        text("scenario_cut", lang, share=percent(int(cut[1]) / 100, lang, 0)) if cut else scenario
    )


def findings(report: Report, lang: Lang) -> list[str]:
    """The key findings in sentences: the steps that delay cases most (`StepDelay`), and how
    many cases follow the procedure when one was given."""
    found = [
        text(
            "delay_sentence",
            lang,
            step=d.activity,
            working=working_days(d.mean_working_days, lang),
            duration=duration(d.mean_wait_s, lang),
            share=percent(d.share_of_cases, lang),
        )
        for d in report.step_delays[:TOP_FINDINGS]
        if d.mean_wait_s > 0
    ]
    if report.conformance is not None:
        found.append(_conformance_sentence(report.conformance, lang))
    return found


def _conformance_sentence(c: Conformance, lang: Lang) -> str:
    return text(
        "conformance_sentence",
        lang,
        conforming=integer(c.conforming, lang),
        cases=integer(c.cases, lang),
        share=percent(c.share, lang),
        procedure=steps(c.procedure),
    )


def summary(report: Report, lang: Lang) -> list[tuple[str, str, Any]]:
    """(label, value in words, value for a spreadsheet cell) lines of the summary at the top:
    counts and the SLA share stay typed numbers in the XLSX."""
    from sigap.spreadsheets import Figure, Ratio

    def t(key: str, **values: object) -> str:
        return text(key, lang, **values)

    def count(label: str, n: int) -> tuple[str, str, Any]:
        return (t(label), integer(n, lang), Figure(n, "#,##0"))

    def words(label: str, value: str) -> tuple[str, str, Any]:
        return (t(label), value, value)

    dfg = report.dfg
    lines = [
        count("events", dfg.events),
        count("cases", dfg.cases),
        count("activities", len(dfg.activities)),
        count("variants", report.variant_count),
    ]
    if report.first_day and report.last_day:
        first, last = (date.fromisoformat(d) for d in (report.first_day, report.last_day))
        lines.append(
            words("covered", t("covered_value", first=day(first, lang), last=day(last, lang)))
        )
    if report.notes is not None:
        # Which order the events were read in changes every figure after it (variants, map,
        # delays): the reader must see it without opening the data-quality notes.
        lines.append(words("order", t(f"order_{report.notes.order}")))
    label = report.calendar[0 if lang == "id" else 1]
    if label:
        lines.append(words("calendar", t("calendar_value", calendar=label, tz=report.timezone)))
    o = report.overall
    if o is not None and o.lead_days_median is not None:
        lead = t(
            "lead_median_value",
            duration=duration(o.lead_days_median * 86_400, lang),
            working=working_days(o.lead_working_days_median, lang),
        )
        lines.append(words("lead_median", lead))
    if o is not None and o.sla_cases and o.sla_share is not None:
        share = t("sla_value", share=percent(o.sla_share, lang), cases=integer(o.sla_cases, lang))
        lines.append((t("sla_share"), share, Ratio(o.sla_share)))
    if report.performance_by_period:  # no period table, nothing to say about its periods
        lines.append(words("grain", t(f"grain_{report.period_grain}")))
    return lines


# --- HTML ------------------------------------------------------------------------------------

CSS = """
body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;margin:0 auto;max-width:72rem;
 padding:1.5rem;color:#1f2328;line-height:1.45}
h1{font-size:1.6rem;margin:0 0 1rem}h2{font-size:1.25rem;margin:2rem 0 .5rem;
 border-bottom:2px solid #d0d7de;padding-bottom:.25rem}
nav ol{columns:2;font-size:.95rem;padding-left:1.2rem}
dl.summary{display:grid;grid-template-columns:max-content 1fr;gap:.3rem 1.5rem;margin:0}
dl.summary dt{font-weight:600}dl.summary dd{margin:0}
.findings li{margin:.3rem 0}.note{color:#57606a;font-size:.9rem;max-width:50rem}
.scroll{overflow-x:auto}
table{border-collapse:collapse;margin:.5rem 0 1rem;font-size:.875rem}
th,td{border:1px solid #d0d7de;padding:.25rem .5rem;vertical-align:top}
th{background:#f6f8fa;text-align:left;vertical-align:bottom;max-width:9rem;font-weight:600}
td.n{white-space:nowrap;font-variant-numeric:tabular-nums}
td.n,th.n{text-align:right}td.p{white-space:nowrap}tbody tr:nth-child(even){background:#fafbfc}
details>summary{cursor:pointer;color:#0969da;margin:.25rem 0}
.map svg{border:1px solid #d0d7de;max-width:100%;height:auto}
footer{margin-top:3rem;color:#57606a;font-size:.85rem}
@media print{body{max-width:none;padding:0;font-size:10pt}nav{display:none}
 details{display:block}details>summary{display:none}details>*{display:revert}
 h2{break-after:avoid}tr,.map{break-inside:avoid}a{color:inherit;text-decoration:none}}
.quality li{margin:0 0 .3em}.quality li.warning{color:#8a4b00}
"""
# Printing opens every folded table: a paper copy has no button to unfold it.
PRINT_JS = (
    "addEventListener('beforeprint',()=>document.querySelectorAll('details')"
    ".forEach(d=>d.open=true));"
)


def _html_cell(kind: str, value: Any, lang: Lang) -> str:
    if value is None:
        return text("not_recorded", lang) if kind == TEXT else MISSING
    if kind == COUNT:
        return integer(value, lang)
    if kind == SHARE:
        return percent(value, lang)
    if kind == DAYS:
        return duration(float(value) * 86_400, lang)
    if kind == SECONDS:
        return duration(float(value), lang)
    if kind == WORKING_DAYS:
        return number(value, lang)
    if kind == PERIOD:
        return period(value, lang)
    if kind == STEPS_SEQ:
        return steps(value)
    return str(value)


def _td_class(kind: str) -> str:
    return " class=n" if kind in NUMERIC else " class=p" if kind == PERIOD else ""


def _html_table(table: Table, lang: Lang) -> str:
    esc = html.escape
    head = "".join(
        f"<th{' class=n' if c.kind in NUMERIC else ''} scope=col>{esc(text(c.header, lang))}</th>"
        for c in table.columns
    )
    rows = [
        "<tr>"
        + "".join(
            f"<td{_td_class(c.kind)}>{esc(_html_cell(c.kind, c.value(item), lang))}</td>"
            for c in table.columns
        )
        + "</tr>"
        for item in table.items
    ]

    def block(body: list[str]) -> str:
        return (
            f"<div class=scroll><table><thead><tr>{head}</tr></thead>"
            f"<tbody>{''.join(body)}</tbody></table></div>"
        )

    if len(rows) <= SHOWN_ROWS + 2:  # folding away one or two rows helps nobody
        return block(rows)
    # The rest in a fold of its own (header repeated): every row is on the page once, and a
    # printout (which opens the folds) has each row once too.
    more = esc(text("more_rows", lang, n=integer(len(rows) - SHOWN_ROWS, lang)))
    return (
        block(rows[:SHOWN_ROWS])
        + f"<details><summary>{more}</summary>{block(rows[SHOWN_ROWS:])}</details>"
    )


def interactive_html(report: Report, lang: Lang) -> str:
    """The HTML page with the interactive process map (frequency sliders) and the variant
    explorer of `sigap.analytics.processmap`, fed every variant the report kept."""
    from sigap.analytics.processmap import process_map_html, variant_explorer_html

    variants = report.all_variants or report.variants

    def fmt_duration(seconds: float | None) -> str:
        return duration(seconds, lang)

    def fmt_count(n: int) -> str:
        return integer(n, lang)

    return render_html(
        report,
        lang=lang,
        process_map=process_map_html(
            report.dfg, variants, lang=lang, fmt_duration=fmt_duration, fmt_count=fmt_count
        ),
        variant_explorer=variant_explorer_html(
            variants,
            report.dfg.cases,
            lang=lang,
            top=EXPLORER_VARIANTS,
            fmt_duration=fmt_duration,
            fmt_count=fmt_count,
        ),
    )


def render_html(
    report: Report,
    *,
    lang: Lang = "id",
    process_map: str | None = None,
    variant_explorer: str | None = None,
) -> str:
    """The report as one self-contained HTML page.

    `process_map` is the body of the map's section (an inline SVG, or an interactive map with
    inline script and no external file); default: `process_map_svg`. `variant_explorer` is
    the body of the variants' section; default: the table of the top variants."""
    esc = html.escape

    def t(key: str, **values: object) -> str:
        return text(key, lang, **values)

    picture = process_map if process_map is not None else process_map_svg(report.dfg, lang=lang)
    tables = [tb for tb in report_tables(report, lang) if tb.items or tb.key == "conformance"]
    # The data-quality findings follow the key findings (before the map), as sentences.
    main_keys = READING_ORDER[1 : READING_ORDER.index("what-if") + 1]
    by_key = {tb.key: tb for tb in tables}
    if variant_explorer is not None and "variants" in by_key:
        # The explorer lists more variants than the table it replaces: its heading (and the
        # contents' line) says how many it lists, not the table's top 20.
        listed = min(EXPLORER_VARIANTS, len(report.all_variants or report.variants))
        total = integer(report.variant_count, lang)
        title = (
            t("variants_all", total=total)
            if listed >= report.variant_count
            else t("variants_title", shown=integer(listed, lang), total=total)
        )
        by_key["variants"] = dataclasses.replace(by_key["variants"], title=title)
    quality = by_key.get("quality")
    toc = [("summary", t("summary")), ("findings", t("findings"))]
    toc += [("quality", quality.title)] if quality else []
    toc += [("map", t("map"))]
    toc += [(k, by_key[k].title) for k in main_keys if k in by_key]
    appendix = [tb for tb in tables if tb.key not in main_keys and tb.key != "quality"]
    if appendix:
        toc.append(("appendix", t("appendix")))
    parts = [
        f"<!doctype html><html lang={lang}><head><meta charset=utf-8>",
        "<meta name=viewport content='width=device-width,initial-scale=1'>",
        f"<title>{esc(t('title', source=report.source))}</title>",
        f"<style>{CSS}</style></head><body>",
        f"<h1>{esc(t('title', source=report.source))}</h1>",
        "<nav><ol>"
        + "".join(f"<li><a href='#{k}'>{esc(v)}</a></li>" for k, v in toc)
        + "</ol></nav>",
        f"<section id=summary><h2>{esc(t('summary'))}</h2><dl class=summary>",
        *(f"<dt>{esc(k)}</dt><dd>{esc(v)}</dd>" for k, v, _ in summary(report, lang)),
        "</dl></section>",
        f"<section id=findings><h2>{esc(t('findings'))}</h2>",
    ]
    found = findings(report, lang)
    if found:
        parts.append("<ul class=findings>" + "".join(f"<li>{esc(s)}</li>" for s in found) + "</ul>")
    if any(d.mean_wait_s > 0 for d in report.step_delays[:TOP_FINDINGS]):
        parts.append(f"<p class=note>{esc(t('delay_definition'))}</p>")
    elif report.notes is not None and report.notes.order == "file" and not report.step_delays:
        parts.append(f"<p>{esc(t('no_findings_file'))}</p>")
    else:
        parts.append(f"<p>{esc(t('no_findings'))}</p>")
    parts.append("</section>")
    if quality:
        parts.append(f"<section id=quality><h2>{esc(quality.title)}</h2><ul class=quality>")
        for f in quality.items:
            examples = (
                f" <small>({esc(t('examples'))}: {esc(', '.join(f.examples))})</small>"
                if f.examples
                else ""
            )
            parts.append(
                f"<li class={f.severity}><b>{esc(f.title)}</b>: {esc(f.sentence)}{examples}</li>"
            )
        parts.append("</ul></section>")
    parts += [
        # The process map's place: the map (and its controls, if any) goes inside this div.
        f"<section id=map><h2>{esc(t('map'))}</h2><p class=note>{esc(t('map_note'))}</p>",
        f"<div class=map>{picture}</div></section>",
    ]

    def section(tb: Table, level: int = 2) -> str:
        note = f"<p class=note>{esc(tb.note)}</p>" if tb.note else ""
        body = _html_table(tb, lang) if tb.items else f"<p>{esc(t('none'))}</p>"
        if tb.key == "variants" and variant_explorer is not None:
            body = variant_explorer
        return f"<section id={tb.key}><h{level}>{esc(tb.title)}</h{level}>{note}{body}</section>"

    parts += [section(by_key[k]) for k in main_keys if k in by_key]
    if appendix:
        parts.append(f"<section id=appendix><h2>{esc(t('appendix'))}</h2>")
        parts += [section(tb, 3) for tb in appendix]
        parts.append("</section>")
    parts += [
        f"<footer>{esc(t('footer', engine=report.engine))}</footer>",
        f"<script>{PRINT_JS}</script></body></html>",
    ]
    return "".join(parts)


# --- XLSX ------------------------------------------------------------------------------------

XLSX_UNITS = {
    "id": {DAYS: " (hari)", SECONDS: " (jam)", WORKING_DAYS: ""},
    "en": {DAYS: " (days)", SECONDS: " (hours)", WORKING_DAYS: ""},
}


def _xlsx_cell(kind: str, value: Any, lang: Lang) -> Any:
    from sigap.spreadsheets import Figure, Ratio

    if value is None:
        return text("not_recorded", lang) if kind == TEXT else None
    if kind == COUNT:
        return Figure(int(value), "#,##0")
    if kind == SHARE:
        return Ratio(float(value))
    if kind == DAYS:
        return Figure(round(float(value), 2), "#,##0.00")
    if kind == SECONDS:
        return Figure(round(float(value) / 3600, 2), "#,##0.00")
    if kind == WORKING_DAYS:
        return Figure(round(float(value), 1), "#,##0.0")
    return _html_cell(kind, value, lang)


def render_xlsx(report: Report, *, lang: Lang = "id") -> bytes:
    """The report as a workbook through the one spreadsheet writer (`sigap.spreadsheets`): the
    summary, then a sheet per table, headers in words, cells typed, the header row frozen."""
    from sigap import spreadsheets

    lines: list[list[Any]] = [[label, cell] for label, _, cell in summary(report, lang)]
    found = len(lines) + 2  # the row of the findings' heading, after the title and a blank
    lines += [[], [text("findings", lang)], *([s] for s in findings(report, lang))]
    sheets = [
        spreadsheets.Sheet(
            text("summary", lang),
            rows=[[text("title", lang, source=report.source)], *lines],
            header_rows=1,
            bold_rows=(found,),
            widths={"A": 48, "B": 60},
        )
    ]
    for tb in report_tables(report, lang):
        if not tb.items:
            continue
        header = [text(c.header, lang) + XLSX_UNITS[lang].get(c.kind, "") for c in tb.columns]
        rows = [[_xlsx_cell(c.kind, c.value(it), lang) for c in tb.columns] for it in tb.items]
        widths = {}
        for i, c in enumerate(tb.columns):
            longest = max([len(header[i])] + [len(str(_html_cell(c.kind, c.value(it), lang)))
                                              for it in tb.items[:200]])  # fmt: skip
            widths[get_column_letter(i + 1)] = float(min(max(longest + 2, 10), 60))
        sheets.append(
            spreadsheets.Sheet(
                _sheet_name(tb.title), rows=[header, *rows], header_rows=1, widths=widths,
                freeze="A2",
            )
        )  # fmt: skip
    return spreadsheets.to_xlsx(sheets)


def get_column_letter(n: int) -> str:
    """1 → A, 27 → AA: a spreadsheet column's letters."""
    letters = ""
    while n:
        n, r = divmod(n - 1, 26)
        letters = chr(65 + r) + letters
    return letters


def _sheet_name(title: str) -> str:
    """A table's title as a sheet name: before a colon or a bracket ("Hambatan")."""
    return re.split(r"[:(]", title)[0].strip()[:31].strip()  # Excel's limit is 31 characters


def process_map_svg(dfg: DirectlyFollowsGraph, *, max_edges: int = 60, lang: Lang = "id") -> str:
    """The DFG as an SVG: activities in columns by their distance from a start activity, edges
    drawn with a width by frequency and labelled with count and median duration."""
    edges = sorted(dfg.edges, key=lambda e: -e.count)[:max_edges]
    rank: dict[str, int] = {a: 0 for a in dfg.start_activities}
    frontier = list(rank)
    succ: dict[str, list[str]] = {}
    for e in edges:
        succ.setdefault(e.source, []).append(e.target)
    while frontier:
        nxt = []
        for a in frontier:
            for b in succ.get(a, []):
                if b not in rank:
                    rank[b] = rank[a] + 1
                    nxt.append(b)
        frontier = nxt
    depth = max(rank.values(), default=0) + 1
    for a in dfg.activities:
        rank.setdefault(a, depth)
    columns: dict[int, list[str]] = {}
    for a in sorted(dfg.activities, key=lambda a: -dfg.activities[a]):
        columns.setdefault(rank[a], []).append(a)
    box_w, box_h, gap_x, gap_y = 170, 44, 90, 30
    pos: dict[str, tuple[float, float]] = {}
    for col, acts in columns.items():
        for i, a in enumerate(acts):
            pos[a] = (20 + col * (box_w + gap_x), 20 + i * (box_h + gap_y))
    width = 40 + (max(columns) + 1) * (box_w + gap_x)
    height = 40 + max(len(v) for v in columns.values()) * (box_h + gap_y)
    top = max((e.count for e in edges), default=1)
    svg = [
        f"<svg xmlns='http://www.w3.org/2000/svg' width='{width}' height='{height}' "
        f"viewBox='0 0 {width} {height}' font-family='sans-serif' font-size='11'>",
        "<defs><marker id='arrow' viewBox='0 0 10 10' refX='10' refY='5' markerWidth='6' "
        "markerHeight='6' orient='auto-start-reverse'><path d='M0,0L10,5L0,10z' fill='#555'/>"
        "</marker></defs>",
    ]
    for e in edges:
        (x1, y1), (x2, y2) = pos[e.source], pos[e.target]
        w = 1 + 5 * math.sqrt(e.count / top)
        label = f"{integer(e.count, lang)} · {duration(e.median_s, lang)}"
        if e.source == e.target:
            cx, cy = x1 + box_w / 2, y1
            path = f"M{cx - 15},{cy} C{cx - 30},{cy - 35} {cx + 30},{cy - 35} {cx + 15},{cy}"
            lx, ly = cx, cy - 30
        else:
            sx, sy = x1 + box_w, y1 + box_h / 2
            tx, ty = x2, y2 + box_h / 2
            if x2 <= x1:  # backwards: go round below the boxes
                sx, sy, tx, ty = x1 + box_w / 2, y1 + box_h, x2 + box_w / 2, y2 + box_h
                my = max(sy, ty) + 40
                path = f"M{sx},{sy} C{sx},{my} {tx},{my} {tx},{ty}"
                lx, ly = (sx + tx) / 2, my - 8
            else:
                mx = (sx + tx) / 2
                path = f"M{sx},{sy} C{mx},{sy} {mx},{ty} {tx},{ty}"
                lx, ly = mx, (sy + ty) / 2 - 4
        svg.append(
            f"<path d='{path}' fill='none' stroke='#888' stroke-width='{w:.1f}' "
            f"marker-end='url(#arrow)'><title>{html.escape(e.source)} → "
            f"{html.escape(e.target)}: {html.escape(label)}</title></path>"
            f"<text x='{lx:.0f}' y='{ly:.0f}' text-anchor='middle' fill='#444'>"
            f"{html.escape(label)}</text>"
        )
    for a, (x, y) in pos.items():
        fill = "#d8f0d8" if a in dfg.start_activities else "#e8eef8"
        stroke = "#a33" if a in dfg.end_activities else "#557"
        svg.append(
            f"<rect x='{x}' y='{y}' width='{box_w}' height='{box_h}' rx='6' fill='{fill}' "
            f"stroke='{stroke}'/><text x='{x + box_w / 2}' y='{y + 18}' text-anchor='middle' "
            f"font-weight='bold'>{html.escape(a[:26])}</text><text x='{x + box_w / 2}' "
            f"y='{y + 34}' text-anchor='middle'>{integer(dfg.activities[a], lang)}</text>"
        )
    svg.append("</svg>")
    return "".join(svg)


__all__ = [
    "REPORT_FORMATS",
    "STEPS",
    "Report",
    "build_report",
    "findings",
    "process_map_svg",
    "render_html",
    "render_xlsx",
    "report_tables",
    "summary",
    "write_report",
]
