"""Results whose cost follows the change: per-partition partials, combined exactly.

The store (`sigap.analytics.refresh`) is split in partition files, and a case never spans two of
them. So everything the result tables need splits by partition too:

- the per-case facts (`case_facts`: start, close, lead time in working days, pauses, SLA...);
- the waits before each step (the time since the case's previous event), one row per event;
- the finished-step traces of closed cases, counted (conformance);
- the steps each officer handled with their durations, and per (service, officer) the cases
  touched, judged and within the SLA, and the steps redone (scorecards).

`derive` computes these for one partition file and keeps them next to it under the file's name
(files are never rewritten in place, so a name always means the same events). A refresh derives
only the partitions it rewrote; `combine` then reads every partition's partials and computes
the results with the same SQL the analyses run on a whole log. Medians and p90s are exact: they
are taken over the stored per-case facts and per-event durations themselves, not merged from
per-partition summaries.

What depends on `as_of` (the moment the results are "as of": the last event of the store):
only the age and the running pause of an open case. Open cases have their own partition, which
every refresh derives again; the facts of closed cases do not change with `as_of`.

The settings (calendar, time zone, standards, outcomes) are part of every partial's name (a
fingerprint): a new holiday or standard derives every partition again.

The store's data quality (`sigap.analytics.quality`) is a partial too (`quality.json`): every
check adds up over partitions because a case never spans two, and `merge_quality` gives exactly
what `log_quality` gives on the whole store. The check of future timestamps depends on "now", not
on the events: a partition keeps the events later than its derivation's "now" (plus a day), so
the merge judges them against the "now" of each refresh; a refresh asked for an earlier "now"
than a partial's (a clock set back) derives that partition again.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import os
import shutil
import tempfile
import time
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq

from sigap.analytics.conformance import step_traces
from sigap.analytics.discovery import SEP
from sigap.analytics.engine import DuckDBEngine
from sigap.analytics.performance import (
    Backlog,
    PerformanceSettings,
    ServicePerformance,
    backlog,
    case_facts,
    service_performance,
    use_case_facts,
)
from sigap.analytics.quality import DataQuality, QualityPartial, merge_quality, quality_partial
from sigap.analytics.refresh import OPEN, partition_key, partitions, read_state, store_lock
from sigap.analytics.scorecards import MIN_CASES, RANKED_SQL, OfficerScorecard, scorecards_from_rows
from sigap.rules.sla import within_sla_sql

DERIVED = "derived"
PARTIALS = ("facts", "waits", "traces", "handled", "officers", "redone")
QUALITY = "quality.json"
META = "meta.json"

# The facts `service_performance` and `backlog` read, by unit and service (not the case and
# officer names: the widest columns, and not needed once the partials are made).
FACT_COLUMNS = """service, unit, closed, returned, start_period, closed_period, lead_us, lead_wd,
    paused_us, paused_wd, age_us, age_wd, sla_days"""

# Waits before each step, as `sigap.performance.services` reports them per unit and service.
WAITS_SQL = """SELECT unit, service, activity, wait FROM (
        SELECT unit, service, activity,
               ts_us - lag(ts_us) OVER (PARTITION BY case_id ORDER BY seq) AS wait
        FROM events) WHERE wait IS NOT NULL"""


@dataclass(frozen=True, slots=True)
class Results:
    """What the result tables are made of, for the whole store."""

    as_of_us: int | None
    performance: tuple[ServicePerformance, ...]
    backlog: tuple[Backlog, ...]
    waits: list[tuple[Any, ...]]
    """(unit, service, activity, events, total wait µs, median wait µs, all waits of the unit
    and service µs), by unit, service and total wait, largest first"""
    traces: list[tuple[str | None, str | None, tuple[str, ...], bool, int]]
    scorecards: tuple[OfficerScorecard, ...]
    quality: DataQuality | None = None
    """The store checked as an event log, merged from the partitions' quality partials."""


def fingerprint(settings: PerformanceSettings) -> str:
    """Stable across processes (unlike `hash`): the settings as text, hashed."""
    return hashlib.sha256(repr(settings).encode()).hexdigest()[:16]


def derived_dir(store: Path, part: Path, settings: PerformanceSettings) -> Path:
    return Path(store) / DERIVED / f"{part.stem}.{fingerprint(settings)}"


def derive(
    part: Path, out: Path, settings: PerformanceSettings, as_of_us: int,
    *, now_us: int | None = None,
) -> None:  # fmt: skip
    """Compute the partials of one partition file into the folder `out` (made atomically);
    its data quality as of `now_us` (default: the clock)."""
    if now_us is None:
        now_us = time.time_ns() // 1000
    tmp = Path(tempfile.mkdtemp(dir=out.parent, prefix=f".{out.name}."))
    try:
        eng = DuckDBEngine()
        with eng:
            eng.register_log(part)
            facts = case_facts(eng, settings, as_of_us)
            con = eng.con

            def save(name: str, sql: str) -> None:
                con.execute(f"COPY ({sql}) TO '{_q(tmp / name)}.parquet' (FORMAT parquet)")

            save("facts", f"SELECT * FROM {facts}")
            save("waits", WAITS_SQL)
            traces = step_traces(eng, closing_outcomes=settings.closing_outcomes)
            pq.write_table(
                pa.table(
                    {
                        "unit": pa.array([t[0] for t in traces], pa.string()),
                        "service": pa.array([t[1] for t in traces], pa.string()),
                        "trace": pa.array([SEP.join(t[2]) for t in traces], pa.string()),
                        "stopped": pa.array([t[3] for t in traces], pa.bool_()),
                        "n": pa.array([t[4] for t in traces], pa.int64()),
                    }
                ),
                tmp / "traces.parquet",
            )
            # The scorecards' inputs (`sigap.analytics.scorecards`), before their thresholds.
            save(
                "handled",
                """SELECT coalesce(service, '') AS service, target_resource AS officer, dur_us
                FROM pairs WHERE target IS NOT NULL AND target_resource IS NOT NULL""",
            )
            save(
                "officers",
                f"""WITH touched AS (
                    SELECT DISTINCT coalesce(service, '') AS service,
                           target_resource AS officer, case_id
                    FROM pairs WHERE target IS NOT NULL AND target_resource IS NOT NULL),
                judged AS (
                    SELECT case_id, {within_sla_sql("lead_wd", "paused_wd", "sla_days")} AS met
                    FROM {facts} WHERE closed AND sla_days IS NOT NULL)
                SELECT t.service, t.officer, count(*) AS cases, count(j.case_id) AS judged,
                       count(CASE WHEN j.met THEN 1 END) AS met
                FROM touched t LEFT JOIN judged j ON j.case_id = t.case_id
                GROUP BY t.service, t.officer""",
            )
            # A step is redone when its case has the same activity again later (the
            # scorecards look only at activities some variant repeats: the same steps).
            save(
                "redone",
                """SELECT service, officer, count(*) AS redone FROM (
                    SELECT coalesce(service, '') AS service, resource AS officer,
                           lead(seq) OVER (PARTITION BY case_id, activity ORDER BY seq) AS again
                    FROM events) r
                WHERE again IS NOT NULL AND officer IS NOT NULL GROUP BY service, officer""",
            )
            max_ts = eng.rows("SELECT max(ts_us) FROM events")[0][0]
            (tmp / QUALITY).write_text(quality_partial(eng, now_us=now_us).to_json())
        (tmp / META).write_text(json.dumps({"max_ts_us": max_ts, "quality_now_us": now_us}))
        shutil.rmtree(out, ignore_errors=True)  # an open partition derived at an older as_of
        os.replace(tmp, out)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def refresh_partials(
    store: str | Path, settings: PerformanceSettings, *, now_us: int | None = None
) -> tuple[list[Path], int | None, list[str]]:
    """Derive the partitions of the store's generation in use that have no partials yet (and
    the open one, always; and one whose data quality was made as of a later "now" than
    `now_us`, default the clock); remove the partials of files no longer in use.

    Returns the partials' folders (in partition order), `as_of` (µs) and the keys derived."""
    store = Path(store)
    if now_us is None:
        now_us = time.time_ns() // 1000
    parts = partitions(store)
    (store / DERIVED).mkdir(exist_ok=True)
    if not parts:
        return [], None, []
    as_of = max(_max_ts(p) for p in parts)
    folders, done = [], []
    for part in parts:
        out = derived_dir(store, part, settings)
        if partition_key(part) == OPEN or not _holds(out, now_us):
            derive(part, out, settings, as_of, now_us=now_us)
            done.append(partition_key(part))
        folders.append(out)
    keep = {f.name for f in folders}
    # The previous generation's partials stay while a reader may still use that generation.
    keep |= {
        derived_dir(store, p, settings).name
        for p in (store / f"events-{int(_generation(store)) - 1}").glob("*.parquet")
    }
    for old in (store / DERIVED).iterdir():
        if old.name not in keep:
            shutil.rmtree(old, ignore_errors=True)
    return folders, as_of, done


def combine(
    folders: Sequence[Path],
    settings: PerformanceSettings,
    as_of_us: int,
    *,
    min_cases: int = MIN_CASES,
) -> Results:
    """The results of the whole store from the partials of its partitions."""
    eng = DuckDBEngine()
    with eng:
        con = eng.con

        def src(name: str) -> str:
            files = ", ".join(f"'{_q(f / name)}.parquet'" for f in folders)
            return f"read_parquet([{files}], union_by_name = true)"

        facts = con.execute(f"SELECT {FACT_COLUMNS} FROM {src('facts')}").to_arrow_table()
        use_case_facts(eng, settings, as_of_us, facts)
        as_of = datetime(1970, 1, 1, tzinfo=UTC) + timedelta(microseconds=as_of_us)
        perf = service_performance(eng, ("unit", "service"), settings, as_of=as_of)
        back = backlog(eng, ("unit", "service"), settings, as_of=as_of)
        waits = con.execute(
            f"""SELECT unit, service, activity, count(*), sum(wait), median(wait),
                   sum(sum(wait)) OVER (PARTITION BY unit, service)
            FROM {src("waits")} GROUP BY unit, service, activity
            ORDER BY unit, service, sum(wait) DESC, activity"""
        ).fetchall()
        traces = [
            (unit, service, tuple(str(trace).split(SEP)), bool(stopped), int(n))
            for unit, service, trace, stopped, n in con.execute(
                f"""SELECT unit, service, trace, stopped, sum(n) FROM {src("traces")}
                GROUP BY unit, service, trace, stopped ORDER BY ALL"""
            ).fetchall()
        ]
        redone = f"""SELECT service, officer, sum(redone) AS redone FROM {src("redone")}
            GROUP BY service, officer"""
        cards = con.execute(
            f"""WITH per_cases AS (
                SELECT service, officer, sum(cases) AS cases, sum(judged) AS judged,
                       sum(met) AS met
                FROM {src("officers")} GROUP BY service, officer
                HAVING sum(cases) >= {int(min_cases)}),
            per_steps AS (
                SELECT service, officer, count(*) AS steps, median(dur_us) AS med
                FROM {src("handled")} GROUP BY service, officer),
            {RANKED_SQL.format(redone=redone)}"""
        ).fetchall()
    return Results(
        as_of_us=as_of_us,
        performance=perf,
        backlog=back,
        waits=waits,
        traces=traces,
        scorecards=scorecards_from_rows(cards),
    )


def store_results(
    store: str | Path, settings: PerformanceSettings, *, min_cases: int = MIN_CASES,
    now_us: int | None = None,
) -> Results:  # fmt: skip
    """Bring the partials up to date with the store's generation in use, and combine them;
    the data quality as of `now_us` (default: the clock).

    Under the store's lock: a refresh does not move the generation meanwhile, and two runs do
    not derive the same partition at once."""
    if now_us is None:
        now_us = time.time_ns() // 1000
    with store_lock(Path(store)):
        folders, as_of, _ = refresh_partials(store, settings, now_us=now_us)
        if as_of is None:
            return Results(None, (), (), [], [], ())
        results = combine(folders, settings, as_of, min_cases=min_cases)
        return dataclasses.replace(results, quality=store_quality(folders, now_us=now_us))


def store_quality(folders: Sequence[Path], *, now_us: int) -> DataQuality:
    """The data quality of the whole store from its partitions' partials (`folders`, as
    `refresh_partials` returns them): reads one small file per partition, never the events."""
    return merge_quality(
        [QualityPartial.from_json((f / QUALITY).read_text()) for f in folders], now_us=now_us
    )


def _holds(out: Path, now_us: int) -> bool:
    """The partials in `out` are complete (a store from before the quality partials has none)
    and their data quality can be judged as of `now_us`."""
    try:
        meta = json.loads((out / META).read_text())
    except FileNotFoundError:
        return False
    made = meta.get("quality_now_us")
    return made is not None and made <= now_us and (out / QUALITY).exists()


def _max_ts(part: Path) -> int:
    """The last event time of a partition (µs), from its Parquet statistics."""
    meta = pq.ParquetFile(part).metadata
    col = meta.schema.names.index("ts")
    best: int | None = None
    for i in range(meta.num_row_groups):
        stats = meta.row_group(i).column(col).statistics
        if stats is None or not stats.has_min_max:
            return _max_ts_scan(part)
        value = stats.max
        if isinstance(value, datetime) and value.tzinfo is None:
            value = value.replace(tzinfo=UTC)
        us = int(
            (value - datetime(1970, 1, 1, tzinfo=UTC)) / timedelta(microseconds=1)
            if isinstance(value, datetime)
            else value
        )
        best = us if best is None else max(best, us)
    return best if best is not None else _max_ts_scan(part)


def _max_ts_scan(part: Path) -> int:
    with DuckDBEngine() as eng:
        eng.register_log(part)
        return int(eng.rows("SELECT max(ts_us) FROM events")[0][0])


def _generation(store: Path) -> int:
    return int(read_state(store).get("generation") or 0)


def _q(path: Path) -> str:
    return str(path).replace("'", "''")


__all__ = [
    "Results",
    "combine",
    "derive",
    "fingerprint",
    "refresh_partials",
    "store_quality",
    "store_results",
]
