"""Data quality of an event log: what in the data could make an analysis wrong, counted.

Every check runs as SQL over the relation `events` (so on DuckDB and on Spark alike; a log over
DuckDB's in-memory budget gets the same figures from numpy, chunk by chunk: `QualityRider`,
tested equal to the SQL in tests/analytics/test_streaming.py); the
import half (cases the file listed out of time order, timestamps without an offset, attributes
not imported) comes from the importer's `ImportNotes`. Definitions, exactly as computed:

- Duplicate: an event whose case, activity, timestamp and resource (NULL equal to NULL) are
  those of an earlier event of the case. When the log has life-cycle transitions, the count
  with the transition as part of the key is given too (a start and a complete event at the same
  instant are duplicates only without it).
- Timestamp tie: an event whose case and timestamp are those of an earlier event of the case;
  with the number of cases that have one. Events without a timestamp are never duplicates or
  ties (an unknown time is not the same time).
- Missing values: events where an optional column (resource, outcome, service, unit, life-cycle
  transition, start time) is NULL, told apart from a column the file does not have at all and
  from a column that is empty in every event.
- Implausible spans: cases whose first and last timestamps are more than `MAX_SPAN_YEARS` years
  of 365.25 days apart; events before 1990-01-01 UTC or more than one day after the check ran
  (with their cases); cases of two or more timed events that all happen at the same instant.
- Activity seen once: an activity with exactly one event in the whole log.
- Start after end: an event whose start time is later than its (completion) timestamp.

Examples are at most `EXAMPLES` case ids (or activity names, or attribute keys), the smallest
in string order, so both engines give the same ones; never anything else from a row.

A log kept in parts that never split a case (the analytics store's partitions) is checked part
by part: `quality_partial` keeps what adds up (counts per check, the first examples, events per
activity, missing values per column, the columns present), `merge_quality` turns the parts'
partials into exactly what `log_quality` gives on the whole log.

`describe` turns the figures into sentences, in Indonesian (default) or English. The wording
lives here, not in Django's catalogue, because `sigap analyze` runs without Django.
"""

from __future__ import annotations

import json
import time
from collections import Counter
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt
import pyarrow as pa
import pyarrow.compute as pc

from sigap.analytics.engine import Engine
from sigap.analytics.eventlog import ImportNotes
from sigap.analytics.streaming import NULL_US, ChunkLog, Rider, StreamingLog

EXAMPLES = 5
MAX_SPAN_YEARS = 5
US_PER_DAY = 86_400_000_000
EARLIEST_US = 631_152_000_000_000
"""1990-01-01T00:00:00Z in microseconds: no public-service system kept an event log before."""
OPTIONAL_VALUE_COLUMNS = ("resource", "lifecycle", "service", "unit", "transition", "start_ts")


@dataclass(frozen=True, slots=True)
class Check:
    """One check's result: `count` of `total` (events, cases or activities, as `of` says)."""

    count: int
    total: int
    of: str
    examples: tuple[str, ...] = ()
    cases: int | None = None
    """The cases affected, when the count is of events."""

    @property
    def share(self) -> float:
        return self.count / self.total if self.total else 0.0


@dataclass(frozen=True, slots=True)
class ColumnFill:
    """How filled an optional column is. `present` is False when the file has no such column."""

    column: str
    present: bool
    missing: int
    total: int
    examples: tuple[str, ...] = ()

    @property
    def empty(self) -> bool:
        """Present, but NULL in every event (as good as absent)."""
        return self.present and self.total > 0 and self.missing == self.total


@dataclass(frozen=True, slots=True)
class DataQuality:
    events: int
    cases: int
    activities: int
    duplicates: Check
    duplicates_with_transition: Check | None
    """None when the log has no life-cycle transitions."""
    ties: Check
    missing_timestamps: Check
    columns: tuple[ColumnFill, ...]
    long_cases: Check
    out_of_range: Check
    zero_length_cases: Check
    single_activities: Check
    start_after_end: Check | None
    """None when the log has no start times."""
    max_span_years: int
    # From the importer's notes; None when the log came without them.
    out_of_order_cases: Check | None = None
    naive_timestamps: Check | None = None
    timezone_assumed: str = "UTC"
    ignored_attributes: tuple[str, ...] = ()
    duplicates_dropped: int = 0

    def column(self, name: str) -> ColumnFill:
        for c in self.columns:
            if c.column == name:
                return c
        raise KeyError(name)


def _cases_sql(span_us: int, latest_us: int) -> str:
    """One row per case with the count of each problem in it."""
    missing = ",\n".join(
        f"sum(CASE WHEN {c} IS NULL THEN 1 ELSE 0 END) AS missing_{c}"
        for c in OPTIONAL_VALUE_COLUMNS
    )
    # One window, one sort: with the events of a case ordered by time, then by the duplicate
    # key, equal keys are neighbours, so "same as an earlier event" is "same as the row before"
    # (NULL equal to NULL). Three windows partitioned by each key would sort three times.
    same = "{c} IS NOT DISTINCT FROM lag({c}) OVER w"
    return f"""WITH flagged AS (
        SELECT *,
            CASE WHEN row_number() OVER w > 1 AND {same.format(c="ts_us")} THEN 1 ELSE 0 END
                AS tie,
            CASE WHEN row_number() OVER w > 1 AND {same.format(c="ts_us")}
                      AND {same.format(c="activity")} AND {same.format(c="resource")}
                 THEN 1 ELSE 0 END AS dup,
            CASE WHEN row_number() OVER w > 1 AND {same.format(c="ts_us")}
                      AND {same.format(c="activity")} AND {same.format(c="resource")}
                      AND {same.format(c="transition")}
                 THEN 1 ELSE 0 END AS dup_t
        FROM events
        WINDOW w AS (PARTITION BY case_id ORDER BY ts_us, activity, resource, transition, seq))
    SELECT case_id, count(*) AS n, count(ts_us) AS n_timed,
        sum(CASE WHEN ts_us IS NOT NULL THEN dup ELSE 0 END) AS dups,
        sum(CASE WHEN ts_us IS NOT NULL THEN dup_t ELSE 0 END) AS dups_t,
        sum(CASE WHEN ts_us IS NOT NULL THEN tie ELSE 0 END) AS ties,
        sum(CASE WHEN ts_us IS NULL THEN 1 ELSE 0 END) AS no_ts,
        sum(CASE WHEN ts_us < {EARLIEST_US} OR ts_us > {latest_us} THEN 1 ELSE 0 END)
            AS out_of_range,
        sum(CASE WHEN start_ts > ts THEN 1 ELSE 0 END) AS inverted,
        CASE WHEN max(ts_us) - min(ts_us) > {span_us} THEN 1 ELSE 0 END AS long_span,
        CASE WHEN count(ts_us) >= 2 AND max(ts_us) = min(ts_us) THEN 1 ELSE 0 END AS zero_length,
        {missing}
    FROM flagged GROUP BY case_id"""


_FLAGS = ("dups", "dups_t", "ties", "no_ts", "out_of_range", "inverted", "long_span",
          "zero_length", *(f"missing_{c}" for c in OPTIONAL_VALUE_COLUMNS))  # fmt: skip


def log_quality(
    engine: Engine, notes: ImportNotes | None = None, *, now_us: int | None = None,
    max_span_years: int = MAX_SPAN_YEARS,
) -> DataQuality:  # fmt: skip
    """Every check on the log registered in `engine`; `now_us` (microseconds since 1970 UTC)
    fixes "now" for the check of future timestamps (default: the clock)."""
    if now_us is None:
        now_us = time.time_ns() // 1000
    span_us = int(max_span_years * 365.25 * US_PER_DAY)
    present = set(engine.log_columns())
    lin = engine.linear_log()
    rider = plan_quality(engine, now_us, max_span_years)
    if isinstance(lin, StreamingLog) and rider is not None:  # over the memory budget: numpy
        lin.run(rider)  # unless it rode along the per-case facts pass
        figures = rider.figures()
    else:
        figures = _sql_figures(engine, span_us, now_us + US_PER_DAY)
    cases, events, total, with_, examples, activities = figures
    return _assemble(
        events, cases, total, with_, examples, [(a, int(n)) for a, n in activities], present,
        notes, max_span_years,
    )  # fmt: skip


def _case_sums(engine: Engine) -> tuple[int, int, dict[str, int], dict[str, int]]:
    """Cases, events, and per flag: its sum and the cases having it (from `quality_cases`)."""
    sums = ", ".join(f"sum({f}), sum(CASE WHEN {f} > 0 THEN 1 ELSE 0 END)" for f in _FLAGS)
    row = engine.rows(f"SELECT count(*), sum(n), {sums} FROM quality_cases")[0]
    total = {f: int(row[2 + 2 * i] or 0) for i, f in enumerate(_FLAGS)}
    with_ = {f: int(row[3 + 2 * i] or 0) for i, f in enumerate(_FLAGS)}
    return int(row[0]), int(row[1] or 0), total, with_


def _assemble(
    events: int, cases: int, total: dict[str, int], with_: dict[str, int],
    examples: dict[str, tuple[str, ...]], activities: Sequence[tuple[Any, int]],
    present: set[str], notes: ImportNotes | None, max_span_years: int,
) -> DataQuality:  # fmt: skip
    """The checks from the per-flag figures; `activities` (name, events) in name order."""
    once = [str(a) for a, n in activities if int(n) == 1]

    def check(flag: str, of: str = "events", *, with_cases: bool = True) -> Check:
        if of == "cases":
            return Check(with_[flag], cases, "cases", examples.get(flag, ()))
        cases_hit = with_[flag] if with_cases else None
        return Check(total[flag], events, "events", examples.get(flag, ()), cases_hit)

    # `transition` and `start_ts` are optional in the file; the other columns always exist.
    columns = tuple(
        ColumnFill(
            c,
            c not in ("transition", "start_ts") or c in present,
            total[f"missing_{c}"],
            events,
            examples.get(f"missing_{c}", ()),
        )
        for c in OPTIONAL_VALUE_COLUMNS
    )
    has_transition = _filled(columns, "transition")
    has_start = _filled(columns, "start_ts")
    out_of_order = naive = None
    if notes is not None:
        out_of_order = Check(
            notes.out_of_order_cases, cases, "cases", tuple(notes.out_of_order_examples)
        )
        naive = Check(notes.naive_timestamps, events, "events")
    return DataQuality(
        events=events,
        cases=cases,
        activities=len(activities),
        duplicates=check("dups"),
        duplicates_with_transition=check("dups_t") if has_transition else None,
        ties=check("ties"),
        missing_timestamps=check("no_ts"),
        columns=columns,
        long_cases=check("long_span", "cases"),
        out_of_range=check("out_of_range"),
        zero_length_cases=check("zero_length", "cases"),
        single_activities=Check(len(once), len(activities), "activities", tuple(once[:EXAMPLES])),
        start_after_end=check("inverted") if has_start else None,
        max_span_years=max_span_years,
        out_of_order_cases=out_of_order,
        naive_timestamps=naive,
        timezone_assumed=notes.timezone_assumed if notes else "UTC",
        ignored_attributes=tuple(notes.ignored_attributes) if notes else (),
        duplicates_dropped=notes.duplicates_dropped if notes else 0,
    )


# -- partials: the checks of a log split in parts, merged ---------------------------------------


@dataclass(frozen=True, slots=True)
class QualityPartial:
    """The checks of one part of a log, in a form that adds up: the log's quality is
    `merge_quality` of its parts' partials, equal to `log_quality` on the whole log, provided
    no case spans two parts (every per-case check then adds up).

    Everything but the future-timestamp check is fixed by the part's events. That one depends
    on "now": the part keeps the events later than `now_us` + one day (with their case), so the
    merge can tell, for any later "now", which of them are still in the future; events before
    1990 are kept as a count per case. A partial cannot answer for an earlier "now" than its
    own (the events between were not kept): `merge_quality` refuses it, and the caller derives
    the part again."""

    events: int
    cases: int
    now_us: int
    max_span_years: int
    columns: tuple[str, ...]
    """The columns the part's file has."""
    totals: dict[str, int]
    """Per flag of `_FLAGS` but `out_of_range`: its sum over the part's cases."""
    hits: dict[str, int]
    """Per flag of `_FLAGS` but `out_of_range`: the part's cases having it."""
    examples: dict[str, tuple[str, ...]]
    """Per flag of `_FLAGS` but `out_of_range`: its first `EXAMPLES` cases in the part."""
    activities: tuple[tuple[str | None, int], ...]
    """(activity, events) in the part, every activity."""
    early: tuple[tuple[str, int], ...]
    """(case, events before 1990), for the cases that have some."""
    late: tuple[tuple[str, int], ...]
    """(case, timestamp µs) of every event later than `now_us` + one day."""

    def to_json(self) -> str:
        return json.dumps(
            {f: getattr(self, f) for f in self.__dataclass_fields__}, separators=(",", ":")
        )

    @classmethod
    def from_json(cls, text: str) -> QualityPartial:
        d = json.loads(text)
        return cls(
            events=int(d["events"]),
            cases=int(d["cases"]),
            now_us=int(d["now_us"]),
            max_span_years=int(d["max_span_years"]),
            columns=tuple(d["columns"]),
            totals={k: int(v) for k, v in d["totals"].items()},
            hits={k: int(v) for k, v in d["hits"].items()},
            examples={k: tuple(v) for k, v in d["examples"].items()},
            activities=tuple((a, int(n)) for a, n in d["activities"]),
            early=tuple((c, int(n)) for c, n in d["early"]),
            late=tuple((c, int(ts)) for c, ts in d["late"]),
        )


_ADDITIVE = tuple(f for f in _FLAGS if f != "out_of_range")


def quality_partial(
    engine: Engine, *, now_us: int | None = None, max_span_years: int = MAX_SPAN_YEARS
) -> QualityPartial:
    """The partial of the log registered in `engine` (one part of a larger log), as of
    `now_us` (default: the clock)."""
    if now_us is None:
        now_us = time.time_ns() // 1000
    span_us = int(max_span_years * 365.25 * US_PER_DAY)
    latest = now_us + US_PER_DAY
    engine.materialize("quality_cases", _cases_sql(span_us, latest))
    cases, events, total, with_ = _case_sums(engine)
    examples = _case_examples(engine)
    late = [
        (str(c), int(ts))
        for c, ts in engine.rows(
            f"SELECT case_id, ts_us FROM events WHERE ts_us > {latest} ORDER BY case_id, ts_us"
        )
    ]
    late_per_case = Counter(c for c, _ in late)
    early = [
        (str(c), int(n) - late_per_case[str(c)])
        for c, n in engine.rows(
            "SELECT case_id, out_of_range FROM quality_cases WHERE out_of_range > 0 "
            "ORDER BY case_id"
        )
    ]
    return QualityPartial(
        events=events,
        cases=cases,
        now_us=now_us,
        max_span_years=max_span_years,
        columns=tuple(engine.log_columns()),
        totals={f: total[f] for f in _ADDITIVE},
        hits={f: with_[f] for f in _ADDITIVE},
        examples={f: v for f, v in examples.items() if f != "out_of_range"},
        activities=tuple(
            (None if a is None else str(a), int(n))
            for a, n in engine.rows("SELECT activity, count(*) FROM events GROUP BY activity")
        ),
        early=tuple((c, n) for c, n in early if n > 0),
        late=tuple(late),
    )


def merge_quality(
    partials: Sequence[QualityPartial], notes: ImportNotes | None = None, *,
    now_us: int | None = None,
) -> DataQuality:  # fmt: skip
    """The quality of a log from the partials of its parts (no case in two parts), as of
    `now_us` (default: the clock): what `log_quality` gives on the whole log. Pure."""
    if now_us is None:
        now_us = time.time_ns() // 1000
    spans = {p.max_span_years for p in partials} or {MAX_SPAN_YEARS}
    if len(spans) > 1:
        raise ValueError(f"partials checked against different spans: {sorted(spans)} years")
    ahead = [p.now_us for p in partials if p.now_us > now_us]
    if ahead:
        raise ValueError(
            f"a partial was made as of {max(ahead)} µs, after the {now_us} µs asked: it did not "
            "keep the events in between; derive it again"
        )
    latest = now_us + US_PER_DAY
    total = {f: sum(p.totals[f] for p in partials) for f in _ADDITIVE}
    with_ = {f: sum(p.hits[f] for p in partials) for f in _ADDITIVE}
    # The first examples of the whole log are among the first of its parts.
    examples = {
        f: tuple(sorted(c for p in partials for c in p.examples.get(f, ()))[:EXAMPLES])
        for f in _ADDITIVE
    }
    out_of_range: Counter[str] = Counter()
    for p in partials:
        out_of_range.update(dict(p.early))
        out_of_range.update(c for c, ts in p.late if ts > latest)
    total["out_of_range"] = sum(out_of_range.values())
    with_["out_of_range"] = len(out_of_range)
    examples["out_of_range"] = tuple(sorted(out_of_range)[:EXAMPLES])
    activities: Counter[str | None] = Counter()
    for p in partials:
        for a, n in p.activities:
            activities[a] += n
    # SQL's ORDER BY puts a NULL activity last.
    ordered = sorted(activities.items(), key=lambda an: (an[0] is None, an[0] or ""))
    return _assemble(
        sum(p.events for p in partials), sum(p.cases for p in partials), total, with_,
        {f: v for f, v in examples.items() if v}, ordered,
        {c for p in partials for c in p.columns}, notes, spans.pop(),
    )  # fmt: skip


Figures = tuple[int, int, dict[str, int], dict[str, int], dict[str, tuple[str, ...]], list[Any]]
"""cases, events, per flag its sum and the cases having it, examples, (activity, events)"""


def _sql_figures(engine: Engine, span_us: int, latest_us: int) -> Figures:
    engine.materialize("quality_cases", _cases_sql(span_us, latest_us))
    sums = ", ".join(f"sum({f}), sum(CASE WHEN {f} > 0 THEN 1 ELSE 0 END)" for f in _FLAGS)
    row = engine.rows(f"SELECT count(*), sum(n), {sums} FROM quality_cases")[0]
    total = {f: int(row[2 + 2 * i] or 0) for i, f in enumerate(_FLAGS)}
    with_ = {f: int(row[3 + 2 * i] or 0) for i, f in enumerate(_FLAGS)}
    activities = engine.rows(
        "SELECT activity, count(*) FROM events GROUP BY activity ORDER BY activity"
    )
    return int(row[0]), int(row[1] or 0), total, with_, _case_examples(engine), activities


class QualityRider(Rider):
    """`_sql_figures` over a canonical log read in chunks of whole cases: every flag is counted
    per case in numpy, so the sums, the cases having each and the examples add up across
    chunks. (Such a log has a timestamp, an activity and a seq on every event:
    `StreamingLog.open`.)"""

    def __init__(self, span_us: int, latest_us: int, present: set[str]) -> None:
        self.span_us, self.latest_us = span_us, latest_us
        self.strings = [c for c in ("resource", "lifecycle", "service", "unit", "transition")
                        if c in present]  # fmt: skip
        self.columns = (*self.strings, *(["start_ts"] if "start_ts" in present else []))
        self.case_ids = True
        self.total = dict.fromkeys(_FLAGS, 0)
        self.with_ = dict.fromkeys(_FLAGS, 0)
        self.examples: dict[str, list[str]] = {}
        self.cases = self.events = 0
        self.per_activity = np.zeros(0, np.int64)
        self.names: list[str] = []

    def add(self, chunk: ChunkLog) -> None:
        flags = _chunk_flags(chunk, self.strings, self.span_us, self.latest_us)
        self.cases += len(chunk.case_starts())
        self.events += len(chunk.seq)
        ids = chunk.case_ids().combine_chunks()
        # canonical logs list their cases in case_id order: then a chunk's first hits are its
        # smallest ids, and no hit needs sorting
        in_order = len(ids) < 2 or bool(pc.all(pc.less(ids[:-1], ids[1:])).as_py())
        for f, per_case in flags.items():
            hit = np.flatnonzero(per_case)
            self.total[f] += int(per_case.sum())
            self.with_[f] += len(hit)
            if len(hit):
                new = ids.take(pa.array(hit[:EXAMPLES] if in_order else hit)).to_pylist()
                self.examples[f] = sorted([*self.examples.get(f, []), *new])[:EXAMPLES]
        counts = np.bincount(chunk.codes, minlength=len(chunk.names))
        counts[: len(self.per_activity)] += self.per_activity
        self.per_activity, self.names = counts, chunk.names

    def figures(self) -> Figures:
        assert self.complete
        activities = sorted((self.names[a], int(self.per_activity[a]))
                            for a in np.flatnonzero(self.per_activity))  # fmt: skip
        examples = {f: tuple(v) for f, v in self.examples.items()}
        return self.cases, self.events, self.total, self.with_, examples, activities


def plan_quality(
    engine: Engine, now_us: int, max_span_years: int = MAX_SPAN_YEARS
) -> QualityRider | None:
    """On a log read in chunks, have `log_quality(engine, now_us=now_us)` ride along the next
    per-case facts pass instead of reading the file itself (None: not such a log)."""
    lin = engine.linear_log()
    if not isinstance(lin, StreamingLog):
        return None
    span_us = int(max_span_years * 365.25 * US_PER_DAY)
    latest_us = now_us + US_PER_DAY
    present = set(engine.log_columns())

    def make() -> QualityRider:
        rider = QualityRider(span_us, latest_us, present)
        lin.ride_along(rider)
        return rider

    return engine.memo(f"quality_rider:{span_us}:{latest_us}", make)


def _chunk_flags(
    chunk: ChunkLog, strings: Sequence[str], span_us: int, latest_us: int
) -> dict[str, npt.NDArray[np.int64]]:
    """Per case of a chunk, the count of each problem in it (the columns of `_cases_sql`)."""
    n_cases = len(chunk.case_starts())
    case = chunk.case_of_row()
    ts = chunk.ts_us
    lengths = np.diff(np.append(chunk.case_starts(), len(ts)))

    def per_case(rows: npt.NDArray[Any]) -> npt.NDArray[np.int64]:
        return np.bincount(case[rows], minlength=n_cases).astype(np.int64)

    flags: dict[str, npt.NDArray[np.int64]] = {}
    # Ties: the events of a case in time order (file order when time never goes back in it), an
    # event tying with the one before. Duplicates are ties too: only the rows of tie groups are
    # sorted by (group, activity, resource, transition) to find them.
    order = None if chunk.monotonic() else np.lexsort((ts, case))
    c_s, t_s = (case, ts) if order is None else (case[order], ts[order])
    tie = np.zeros(len(ts), bool)
    tie[1:] = (c_s[1:] == c_s[:-1]) & (t_s[1:] == t_s[:-1])
    flags["ties"] = np.bincount(c_s[tie], minlength=n_cases).astype(np.int64)
    member = tie.copy()
    member[:-1] |= tie[1:]
    at = np.flatnonzero(member)
    rows = at if order is None else order[at]
    group = np.cumsum(~tie)[at]

    def codes(column: str) -> npt.NDArray[np.int32]:
        if column in strings:
            return chunk.column_codes(column)[0]
        return np.full(len(ts), -1, np.int32)  # not in the file: NULL, equal to NULL

    act, res, tr = chunk.codes[rows], codes("resource")[rows], codes("transition")[rows]
    o = np.lexsort((tr, res, act, group))
    g, a, r, t = group[o], act[o], res[o], tr[o]
    same = (g[1:] == g[:-1]) & (a[1:] == a[:-1]) & (r[1:] == r[:-1])
    of_case = c_s[at][o][1:]
    flags["dups"] = np.bincount(of_case[same], minlength=n_cases).astype(np.int64)
    flags["dups_t"] = np.bincount(of_case[same & (t[1:] == t[:-1])],
                                  minlength=n_cases).astype(np.int64)  # fmt: skip
    flags["no_ts"] = np.zeros(n_cases, np.int64)
    flags["out_of_range"] = per_case((ts < EARLIEST_US) | (ts > latest_us))
    start = chunk.columns.get("start_ts")
    if start is None:
        flags["inverted"] = np.zeros(n_cases, np.int64)
    else:
        flags["inverted"] = per_case((start != NULL_US) & (start > ts))
    starts = chunk.case_starts()
    span = np.maximum.reduceat(ts, starts) - np.minimum.reduceat(ts, starts)
    flags["long_span"] = (span > span_us).astype(np.int64)
    flags["zero_length"] = ((lengths >= 2) & (span == 0)).astype(np.int64)
    for c in OPTIONAL_VALUE_COLUMNS:
        if c == "start_ts":
            flags[f"missing_{c}"] = lengths if start is None else per_case(start == NULL_US)
        elif c in strings:
            flags[f"missing_{c}"] = per_case(codes(c) < 0)
        else:
            flags[f"missing_{c}"] = lengths
    return {f: flags[f] for f in _FLAGS}


def _filled(columns: Sequence[ColumnFill], name: str) -> bool:
    c = next(c for c in columns if c.column == name)
    return c.present and c.missing < c.total


def _case_examples(engine: Engine) -> dict[str, tuple[str, ...]]:
    """The first `EXAMPLES` case ids (string order) having each problem, in one query."""
    union = " UNION ALL ".join(
        f"SELECT '{f}' AS flag, case_id FROM quality_cases WHERE {f} > 0" for f in _FLAGS
    )
    rows = engine.rows(
        f"""SELECT flag, case_id FROM (
            SELECT flag, case_id, row_number() OVER (PARTITION BY flag ORDER BY case_id) AS r
            FROM ({union}) AS hit) AS ranked
        WHERE r <= {EXAMPLES} ORDER BY flag, case_id"""
    )
    out: dict[str, list[str]] = {}
    for flag, case_id in rows:
        out.setdefault(str(flag), []).append(str(case_id))
    return {k: tuple(v) for k, v in out.items()}


# -- sentences ---------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Finding:
    """One check told in words. `code` is for programs (a stable key), never shown."""

    code: str
    title: str
    sentence: str
    count: int
    share: float | None
    examples: tuple[str, ...]
    severity: str  # "info" or "warning"


LANGS = ("id", "en")
_TEXT: dict[str, dict[str, str]] = {
    "id": {
        "events": "kejadian",
        "cases": "kasus",
        "dup.title": "Kejadian ganda",
        "dup.some": "{n} ({p}) mengulang kejadian sebelumnya dengan kasus, aktivitas, waktu dan "
        "petugas yang sama.",
        "dup.transition": " Bila transisi siklus hidup ikut dibandingkan: {n}.",
        "dup.none": "Tidak ada kejadian ganda.",
        "dropped.title": "Kejadian ganda yang dibuang",
        "dropped.some": "{n} kejadian ganda dibuang saat impor, sesuai permintaan.",
        "tie.title": "Waktu kembar",
        "tie.some": "{n} ({p}) memiliki waktu yang sama dengan kejadian sebelumnya dalam kasus "
        "yang sama, di {c} ({q}); urutannya mengikuti urutan dalam berkas.",
        "tie.none": "Tidak ada dua kejadian dalam satu kasus dengan waktu yang sama.",
        "order.title": "Urutan dalam berkas",
        "order.some": "{c} ({q}) tidak tercatat menurut urutan waktu dalam berkas; kejadiannya "
        "diurutkan saat impor.",
        "order.none": "Semua kasus tercatat menurut urutan waktu dalam berkas.",
        "naive.title": "Zona waktu",
        "naive.some": "{n} ({p}) tidak menyebut zona waktu dan dibaca sebagai waktu {tz}.",
        "naive.none": "Semua waktu menyebut zona waktunya.",
        "no_ts.title": "Waktu kosong",
        "no_ts.some": "{n} ({p}) tidak memiliki waktu; urutannya mengikuti berkas dan durasinya "
        "tidak dihitung.",
        "no_ts.none": "Semua kejadian memiliki waktu.",
        "col.title": "Isian {col}",
        "col.absent": "Log tidak memiliki kolom {col}.",
        "col.empty": "Tidak ada kejadian yang memiliki {col} (kolomnya tidak ada di berkas atau "
        "kosong seluruhnya).",
        "col.some": "{n} dari {t} kejadian ({p}) tidak memiliki {col}.",
        "col.none": "Semua kejadian memiliki {col}.",
        "long.title": "Kasus yang terlalu panjang",
        "long.some": "{c} ({q}) berlangsung lebih dari {y} tahun dari kejadian pertama hingga "
        "terakhir.",
        "long.none": "Tidak ada kasus yang berlangsung lebih dari {y} tahun.",
        "range.title": "Waktu di luar rentang wajar",
        "range.some": "{n} ({p}) di {c} bertanggal sebelum tahun 1990 atau lebih dari satu hari "
        "setelah pemeriksaan ini.",
        "range.none": "Semua waktu berada antara tahun 1990 dan hari ini.",
        "zero.title": "Kasus tanpa durasi",
        "zero.some": "{c} ({q}) dengan dua kejadian atau lebih terjadi seluruhnya pada saat yang "
        "sama.",
        "zero.none": "Tidak ada kasus yang seluruh kejadiannya terjadi pada saat yang sama.",
        "once.title": "Aktivitas yang muncul sekali",
        "once.some": "{n} dari {t} aktivitas hanya muncul sekali di seluruh log.",
        "once.none": "Setiap aktivitas muncul lebih dari sekali.",
        "inverted.title": "Mulai setelah selesai",
        "inverted.some": "{n} ({p}) memiliki waktu mulai setelah waktu selesainya.",
        "inverted.none": "Tidak ada kejadian yang dimulai setelah selesai.",
        "ignored.title": "Atribut yang tidak diimpor",
        "ignored.some": "{n} atribut bertingkat atau berupa daftar tidak diimpor.",
        "resource": "petugas",
        "lifecycle": "hasil langkah",
        "service": "layanan",
        "unit": "unit kerja",
        "transition": "transisi siklus hidup",
        "start_ts": "waktu mulai",
    },
    "en": {
        "events": "events",
        "cases": "cases",
        "dup.title": "Duplicate events",
        "dup.some": "{n} ({p}) repeat an earlier event's case, activity, time and resource.",
        "dup.transition": " With the life-cycle transition compared too: {n}.",
        "dup.none": "No duplicate events.",
        "dropped.title": "Duplicate events dropped",
        "dropped.some": "{n} duplicate events were dropped on import, as asked.",
        "tie.title": "Timestamp ties",
        "tie.some": "{n} ({p}) share their case and time with an earlier event, in {c} ({q}); "
        "their order follows the file.",
        "tie.none": "No two events of a case share a time.",
        "order.title": "Order in the file",
        "order.some": "{c} ({q}) are not listed in time order in the file; their events were "
        "sorted on import.",
        "order.none": "Every case is listed in time order in the file.",
        "naive.title": "Time zone",
        "naive.some": "{n} ({p}) carry no time zone and were read as {tz} time.",
        "naive.none": "Every timestamp carries its time zone.",
        "no_ts.title": "Missing timestamps",
        "no_ts.some": "{n} ({p}) have no timestamp; their order follows the file and no "
        "duration is computed for them.",
        "no_ts.none": "Every event has a timestamp.",
        "col.title": "Filled {col}",
        "col.absent": "The log has no {col} column.",
        # no article before {col}: "a outcome" / "a unit" cannot both be right
        "col.empty": "No event has any {col} (the file has no such column, or it is empty "
        "throughout).",
        "col.some": "{n} of {t} events ({p}) have no {col}.",
        "col.none": "Every event has its {col}.",
        "long.title": "Implausibly long cases",
        "long.some": "{c} ({q}) last more than {y} years from first to last event.",
        "long.none": "No case lasts more than {y} years.",
        "range.title": "Timestamps out of range",
        "range.some": "{n} ({p}) in {c} are dated before 1990 or more than one day after this "
        "check.",
        "range.none": "Every timestamp lies between 1990 and today.",
        "zero.title": "Cases without duration",
        "zero.some": "{c} ({q}) with two or more events happen entirely at one instant.",
        "zero.none": "No case happens entirely at one instant.",
        "once.title": "Activities seen once",
        "once.some": "{n} of {t} activities occur only once in the whole log.",
        "once.none": "Every activity occurs more than once.",
        "inverted.title": "Start after end",
        "inverted.some": "{n} ({p}) start after they end.",
        "inverted.none": "No event starts after it ends.",
        "ignored.title": "Attributes not imported",
        "ignored.some": "{n} nested or list attributes were not imported.",
        "resource": "resource",
        "lifecycle": "outcome",
        "service": "service",
        "unit": "unit",
        "transition": "life-cycle transition",
        "start_ts": "start time",
    },
}


def number(n: int, lang: str = "id") -> str:
    """12345 -> "12.345" (id) or "12,345" (en)."""
    text = f"{n:,}"
    return text.replace(",", ".") if lang == "id" else text


def percent(share: float, lang: str = "id") -> str:
    """0.0622 -> "6,2 %" (id) or "6.2%" (en); a share above 0 never prints as 0."""
    pct = share * 100
    text = "< 0.1" if 0 < pct < 0.05 else f"{pct:.1f}"
    if lang == "id":
        return text.replace(".", ",") + " %"
    return text + "%"


def describe(dq: DataQuality, lang: str = "id") -> list[Finding]:
    """Every check as a finding with a sentence, in the order of the report's section."""
    if lang not in _TEXT:
        raise ValueError(f"unknown language {lang!r}; expected one of {LANGS}")
    return list(_findings(dq, lang))


def _findings(dq: DataQuality, lang: str) -> Iterator[Finding]:
    t = _TEXT[lang]

    def n_of(count: int, of: str) -> str:
        return f"{number(count, lang)} {t[of]}"

    def say(
        code: str, key: str, c: Check, *, warn: bool = True, extra: str = "", **more: Any
    ) -> Finding:
        hit = c.count > 0
        fields = {
            "n": n_of(c.count, c.of) if c.of != "activities" else number(c.count, lang),
            "t": number(c.total, lang),
            "p": percent(c.share, lang),
            "c": n_of(c.count if c.of == "cases" else (c.cases or 0), "cases"),
            "q": percent(
                (c.count if c.of == "cases" else (c.cases or 0)) / dq.cases if dq.cases else 0.0,
                lang,
            ),
            **more,
        }
        sentence = t[f"{key}.{'some' if hit else 'none'}"].format(**fields) + (extra if hit else "")
        return Finding(
            code=code,
            title=t[f"{key}.title"],
            sentence=sentence[0].upper() + sentence[1:],
            count=c.count,
            share=c.share,
            examples=c.examples if hit else (),
            severity="warning" if hit and warn else "info",
        )

    extra = ""
    if dq.duplicates_with_transition is not None:
        extra = t["dup.transition"].format(n=n_of(dq.duplicates_with_transition.count, "events"))
    yield say("duplicates", "dup", dq.duplicates, extra=extra)
    if dq.duplicates_dropped:
        dropped = Check(dq.duplicates_dropped, dq.events + dq.duplicates_dropped, "events")
        yield say("duplicates_dropped", "dropped", dropped, warn=False, n=number(
            dq.duplicates_dropped, lang))  # fmt: skip
    # A log with no timestamp at all (read in file order) has no ties, order, time zones or
    # spans to speak of: "every timestamp carries its time zone" would be said of none.
    timed = dq.missing_timestamps.count < dq.events
    if timed:
        yield say("ties", "tie", dq.ties)
    if dq.out_of_order_cases is not None and timed:
        yield say("out_of_order", "order", dq.out_of_order_cases, warn=False)
    if dq.naive_timestamps is not None and timed:
        yield say("naive_timestamps", "naive", dq.naive_timestamps, tz=dq.timezone_assumed)
    yield say("missing_timestamps", "no_ts", dq.missing_timestamps)
    for col in dq.columns:
        name = t[col.column]
        title = t["col.title"].format(col=name)
        code = f"missing_{col.column}"
        if not col.present or col.empty:
            key = "col.absent" if not col.present else "col.empty"
            if col.column in ("transition", "start_ts") and not col.present:
                continue  # most logs have neither; saying so for every log is noise
            yield Finding(code, title, t[key].format(col=name), col.missing, None, (), "info")
            continue
        c = Check(col.missing, col.total, "events", col.examples)
        key = "col.some" if col.missing else "col.none"
        sentence = t[key].format(
            n=number(col.missing, lang), t=number(col.total, lang), p=percent(c.share, lang),
            col=name,
        )  # fmt: skip
        yield Finding(
            code, title, sentence, col.missing, c.share, col.examples,
            "warning" if col.missing else "info",
        )  # fmt: skip
    if timed:
        y = number(dq.max_span_years, lang)
        yield say("long_cases", "long", dq.long_cases, y=y)
        yield say("out_of_range", "range", dq.out_of_range)
        yield say("zero_length_cases", "zero", dq.zero_length_cases)
    yield say("single_activities", "once", dq.single_activities, warn=False)
    if dq.start_after_end is not None:
        yield say("start_after_end", "inverted", dq.start_after_end)
    if dq.ignored_attributes:
        yield Finding(
            "ignored_attributes",
            t["ignored.title"],
            t["ignored.some"].format(n=number(len(dq.ignored_attributes), lang)),
            len(dq.ignored_attributes),
            None,
            tuple(dq.ignored_attributes[:EXAMPLES]),
            "info",
        )


__all__: Sequence[str] = [
    "Check",
    "ColumnFill",
    "DataQuality",
    "Finding",
    "QualityPartial",
    "describe",
    "log_quality",
    "merge_quality",
    "number",
    "percent",
    "quality_partial",
]
