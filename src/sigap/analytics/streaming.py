"""The linear pass out of core: a canonical log too large for memory, read chunk by chunk.

`sigap.analytics.linear` holds a whole log as arrays (~100 bytes an event at the peak of a
pass). Here the same passes run over chunks of the file instead: row groups are read in file
order, only the columns an analysis needs, and cut at a case start (the rows after the last
`seq == 0` of a chunk, the start of a case that may go on, are carried into the next one). Every
chunk is then a `LinearLog` of whole cases, and what it yields adds up across chunks:

- string columns become codes into dictionaries kept across the whole file (`_Names`: each
  chunk's own dictionary is mapped to them), so codes mean the same name in every chunk;
- counts, sums, per-case facts and scorecard parts (cases, judged, met, redone) are per chunk
  and concatenated or added;
- exact quantiles (edges, waiting, the officers' median handling time) need every duration:
  each is kept as one int64, (group << 47) | (duration + 2^46), in one buffer for the file
  (8 bytes a pair); at the end one `np.partition` at the groups' bounds and at the order
  statistics `quantile_cont` reads puts exactly those in place (no full sort: ~3x cheaper), and
  the sums are segment sums between the bounds.

Two passes read the file, each when first asked for: discovery (seq, activity, ts: edges,
waiting, variants, the time range) and per-case facts (plus lifecycle, resource, service, unit,
case_id), which adds up the officers' scorecards on the way (each chunk's SLA flags are at hand
there; scorecards asked with other flags read the file once more). Other modules' per-case
analyses (data quality, step delays, what-if) are `Rider`s: planned before the facts pass
(`build_report` does), they ride along it and add up its chunks, so the file is read twice for
the whole report; asked without a plan, each reads it once on its own. The results equal the SQL's
row for row (`tests/analytics/test_streaming.py`, with chunks of a few rows). Logs this pass
cannot read exactly (see `StreamingLog.open`) go through the SQL.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import numpy.typing as npt
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from sigap.analytics.linear import (
    SEP,
    LinearLog,
    Row,
    _mix,
    _quantile,
    _sorted_within,
    _unique,
    ranked_scorecards,
)

if TYPE_CHECKING:
    from sigap.analytics.performance import CalendarArrays, PerformanceSettings

I64 = npt.NDArray[np.int64]

CHUNK_ROWS = 1_000_000
"""Rows read per chunk (whole row groups; the tests make it a few rows). At 100M events, chunks
of 4M rows passed 12 GB in the per-case facts pass (that run was stopped; 1M: 3.9 GB, the same
code); at 10M events they took ~1.4x the memory of 1M and were not quicker (discovery 17.2 s
against 14.3 s, under the same load)."""
BYTES_PER_EVENT = 40
"""Peak memory of the streaming passes per event, with margin: measured 3.2 GB at 100M events
(~6.4 events a case): the per-case facts (~100 bytes a case), one buffer of durations at a time
(8 bytes a pair) and DuckDB's aggregation states over the facts."""
DUR_BITS = 47
BIAS = 1 << 46
"""Durations enter the packed keys shifted by this: -2^46..2^46 µs (±2.2 years) fit."""
NULL_US = np.iinfo(np.int64).min
"""A NULL timestamp of another column than `ts` (no real time is that far back)."""
GROUP_LIMIT = 1 << 16
"""Groups per packed buffer: (group << 47) stays below 2^63."""
EDGE_WIDTH = 256
"""An edge's group is source * 256 + target: up to 256 activities."""


class Unsupported(Exception):
    """This log cannot be read exactly by the streaming pass: the SQL runs instead."""


def fits(num_rows: int, memory_limit_bytes: int | None) -> bool:
    """Whether a log of `num_rows` events may take the streaming path under an explicit limit."""
    return memory_limit_bytes is None or num_rows * BYTES_PER_EVENT <= memory_limit_bytes


class _Names:
    """A dictionary kept across the chunks of one file: each chunk's codes are mapped to it."""

    def __init__(self) -> None:
        self.names: list[str] = []
        self.index: dict[str, int] = {}

    def codes(self, column: pa.ChunkedArray) -> npt.NDArray[np.int32]:
        """The column as codes into `names` (-1 for NULL)."""
        parts = []
        for chunk in column.chunks:
            if not pa.types.is_dictionary(chunk.type):  # e.g. a column NULL throughout
                chunk = pc.dictionary_encode(chunk.cast(pa.string()))
            lut = np.array([self._code(str(n)) for n in chunk.dictionary.to_pylist()] + [-1],
                           np.int32)  # fmt: skip
            indices = chunk.indices
            if indices.null_count:
                indices = pc.fill_null(indices, -1)  # reads lut[-1]: NULL
            parts.append(lut[indices.to_numpy(zero_copy_only=False)])
        return np.concatenate(parts) if parts else np.empty(0, np.int32)

    def _code(self, name: str) -> int:
        code = self.index.get(name)
        if code is None:
            code = self.index[name] = len(self.names)
            self.names.append(name)
        return code


class ChunkLog(LinearLog):
    """One chunk of whole cases, its string columns coded in the file's dictionaries."""

    def __init__(self, cols: dict[str, Any], names: dict[str, _Names]) -> None:
        super().__init__(codes=cols["activity"], names=list(names["activity"].names),
                         seq=cols["seq"], ts_us=cols["ts"])  # fmt: skip
        for column, registry in names.items():
            if column != "activity" and column in cols:
                self._memo[f"column:{column}"] = (cols[column], list(registry.names))
        self._case_ids: pa.Array | None = cols.get("case_id")
        self.columns = cols
        """every column read, as arrays (string columns as codes, `start_ts` as µs)"""

    def case_ids(self) -> pa.ChunkedArray:
        assert self._case_ids is not None
        return pa.chunked_array([self._case_ids], pa.string())


class _Buffer:
    """Packed (group, duration) keys of the whole file, filled chunk by chunk."""

    def __init__(self, capacity: int) -> None:
        self.keys = np.empty(capacity, np.int64)  # pages are touched only as they fill
        self.size = 0
        self.counts = np.zeros(0, np.int64)
        self._runs: tuple[Any, Any, Any] = (self.counts, self.counts, self.counts)

    def add(self, groups: npt.NDArray[Any], dur: I64) -> None:
        if len(dur) and (int(dur.min()) < -BIAS or int(dur.max()) >= BIAS):
            raise Unsupported("a duration beyond the packed keys")
        n = len(dur)
        out = self.keys[self.size : self.size + n]
        np.left_shift(groups, DUR_BITS, out=out, dtype=np.int64, casting="unsafe")
        out |= dur + BIAS
        self.size += n
        per = np.bincount(groups, minlength=len(self.counts))
        per[: len(self.counts)] += self.counts
        self.counts = per

    def stats(
        self, quantiles: Sequence[float], *, bounds: bool = True
    ) -> list[tuple[int, tuple[Any, ...]]]:
        """Per group with durations: (count, sum, [quantiles], min, max), as `_group_stats`.
        Leaves the durations unpacked, each group's in a run, smallest group first."""
        keys = self.keys[: self.size]
        used = np.flatnonzero(self.counts)
        if not len(used):
            return []
        counts = self.counts[used]
        offsets = np.concatenate(([0], np.cumsum(counts)[:-1])).astype(np.int64)
        # Each order statistic read is a position of the sorted keys, the groups in a row: only
        # those positions need their element in place. The groups' bounds too (`bounds`) for
        # sums, min and max, and for `regroup`; else those are 0.
        kth = {*offsets.tolist(), *(offsets + counts - 1).tolist()} if bounds else set()
        for q in quantiles:
            rn = (counts - 1).astype(np.float64) * q
            kth.update((offsets + np.floor(rn).astype(np.int64)).tolist())
            kth.update((offsets + np.ceil(rn).astype(np.int64)).tolist())
        if len(keys):
            keys.partition(sorted(kth))
        keys &= (1 << DUR_BITS) - 1
        keys -= BIAS
        sums = np.add.reduceat(keys, offsets) if bounds else np.zeros(len(used), np.int64)
        qs = [_quantile(keys, offsets, counts, q) for q in quantiles]
        lows = keys[offsets] if bounds else sums
        highs = keys[offsets + counts - 1] if bounds else sums
        out = []
        for i, g in enumerate(used):
            stats = (int(counts[i]), int(sums[i]), [float(q[i]) for q in qs], int(lows[i]),
                     int(highs[i]))  # fmt: skip
            out.append((int(g), stats))
        # the keys now hold bare durations, each group's in its run: `regroup` can use them
        self._runs = (used, offsets, counts)
        return out

    def regroup(self, mapping: npt.NDArray[np.int64]) -> None:
        """After `stats`: the same durations under groups `mapping[group]` (an edge's target),
        packed again in place, run by run (no second buffer)."""
        used, offsets, counts = self._runs
        for g, lo, n in zip(used.tolist(), offsets.tolist(), counts.tolist(), strict=True):
            self.keys[lo : lo + n] += (int(mapping[g]) << DUR_BITS) + BIAS
        self.counts = np.zeros(int(mapping.max()) + 1 if len(mapping) else 0, np.int64)
        np.add.at(self.counts, mapping[used], counts)


class Rider:
    """Something added up over every chunk of a log: in a pass of its own (`StreamingLog.run`),
    or riding along the per-case facts pass when planned before it (`StreamingLog.ride_along`),
    which then reads its columns too: one read of the file serves both."""

    columns: tuple[str, ...] = ()
    """columns besides seq, activity and ts (string columns come as codes; `start_ts` as µs)"""
    case_ids: bool = False
    complete: bool = False

    def add(self, chunk: ChunkLog) -> None:
        raise NotImplementedError

    def finish(self) -> None:
        """After the last chunk: e.g. reduce what was kept per case, so it is freed before the
        rest of the report runs (the DuckDB aggregations over the per-case facts)."""


@dataclass(eq=False)
class StreamingLog:
    """A canonical log read in chunks; the same results as `LinearLog`'s, pass by pass."""

    path: str
    num_rows: int
    chunk_rows: int = CHUNK_ROWS
    ts_min: int = 0
    ts_max: int = 0
    _edges: list[Row] = field(default_factory=list)
    _waits: list[Row] = field(default_factory=list)
    _variants: list[Row] = field(default_factory=list)
    _riders: list[Rider] = field(default_factory=list)
    _cards: list[tuple[Any, Any, list[str], _Cards]] = field(default_factory=list)
    """the scorecards added up by each facts pass: (its judged and met flags, the repeated
    activities, the sums)"""

    @classmethod
    def open(cls, path: str | Path, chunk_rows: int | None = None) -> StreamingLog | None:
        """The log after its discovery pass, or None if it is not one this pass reads exactly
        (timestamps not in µs, NULL seq/activity/ts, a file not starting a case, over 256
        activities, durations beyond ±2.2 years)."""
        schema = pq.read_schema(str(path))
        ts_type = schema.field("ts").type
        if not pa.types.is_timestamp(ts_type) or ts_type.unit != "us":
            return None
        log = cls(str(path), int(pq.ParquetFile(str(path)).metadata.num_rows),
                  chunk_rows or CHUNK_ROWS)  # fmt: skip
        if not log.num_rows:
            return None
        try:
            log._discover()
        except Unsupported:
            return None
        return log

    # --- reading ---------------------------------------------------------------------------

    def _chunks(
        self, columns: Sequence[str], names: dict[str, _Names], *, case_ids: bool = False
    ) -> Iterator[ChunkLog]:
        """The file as logs of whole cases, ~`chunk_rows` rows each, in file order."""
        wanted = ["seq", "activity", "ts", *columns] + (["case_id"] if case_ids else [])
        # case ids read dictionary-encoded: only those at case starts are decoded
        dictionary = [c for c in wanted if c in names or c == "case_id"]
        pf = pq.ParquetFile(self.path, read_dictionary=dictionary)
        groups = pf.metadata.num_row_groups
        carry: dict[str, Any] | None = None
        batch: list[int] = []
        rows = 0
        for g in range(groups):
            batch.append(g)
            rows += pf.metadata.row_group(g).num_rows
            if rows < self.chunk_rows and g < groups - 1:
                continue
            table = pf.read_row_groups(batch, columns=wanted)
            batch, rows = [], 0
            cols = self._arrays(table, names, case_ids)
            if carry is not None:
                cols = {k: _concat(carry[k], v) for k, v in cols.items()}
            starts = np.flatnonzero(cols["seq"] == 0)
            if carry is None and (not len(starts) or starts[0] != 0):
                raise Unsupported("the file does not start with a case's first event")
            # up to the last case start: the case from there may go on in the next row groups
            last = len(cols["seq"]) if g == groups - 1 else int(starts[-1])
            head = int(np.searchsorted(starts, last))  # cases before `last`
            if last:
                yield ChunkLog({k: v[:head] if k == "case_id" else v[:last]
                                 for k, v in cols.items()}, names)  # fmt: skip
            carry = {k: v[head:] if k == "case_id" else v[last:] for k, v in cols.items()}

    def ride_along(self, rider: Rider) -> None:
        """Have `rider` see every chunk of the next per-case facts pass."""
        self._riders.append(rider)

    def run(self, rider: Rider) -> None:
        """Feed `rider` every chunk of the log, unless it rode along a pass already."""
        if rider.complete:
            return
        for chunk in self.chunks(rider.columns, case_ids=rider.case_ids):
            rider.add(chunk)
        rider.complete = True
        rider.finish()

    def chunks(self, columns: Sequence[str] = (), *, case_ids: bool = False) -> Iterator[ChunkLog]:
        """The file as logs of whole cases in file order, for a pass of another module: string
        `columns` coded in dictionaries kept across the file (`chunk.names` for activities,
        `chunk.column_codes(c)` for the others); `start_ts` as µs, `NULL_US` where NULL."""
        names = {c: _Names() for c in ("activity", *columns) if c != "start_ts"}
        return self._chunks([c for c in columns if c != "activity"], names, case_ids=case_ids)

    @staticmethod
    def _arrays(table: pa.Table, names: dict[str, _Names], case_ids: bool) -> dict[str, Any]:
        for c in ("seq", "activity", "ts"):
            if table.column(c).null_count:
                raise Unsupported(f"NULL {c}")
        seq = table.column("seq").to_numpy().astype(np.int32, copy=False)
        cols: dict[str, Any] = {
            "seq": seq,
            "ts": table.column("ts").to_numpy().view(np.int64),
        }
        for column, registry in names.items():
            if column in table.column_names:
                cols[column] = registry.codes(table.column(column))
        if "start_ts" in table.column_names:
            start = table.column("start_ts")
            start = start.cast(pa.timestamp("us", tz=start.type.tz)).cast(pa.int64())
            cols["start_ts"] = pc.fill_null(start, NULL_US).to_numpy()
        if case_ids:
            # only the first row of each case: the ids of the cases, in order
            cols["case_id"] = (
                table.column("case_id")
                .filter(pa.array(seq == 0))
                .combine_chunks()
                .cast(pa.string())
            )
        return cols

    # --- discovery: edges, waits, variants ------------------------------------------------

    def _discover(self) -> None:
        names = {"activity": _Names()}
        # One buffer: the edges, then (regrouped in place) the waiting before each target.
        edges = _Buffer(self.num_rows)
        hashes, durations = [], []
        spelled: dict[int, str] = {}
        lo, hi = None, None
        for chunk in self._chunks((), names):
            if len(names["activity"].names) > EDGE_WIDTH:
                raise Unsupported("more activities than the packed edges hold")
            src, tgt, dur = chunk._pairs()
            key = src.astype(np.int32) * np.int32(EDGE_WIDTH)
            key += tgt
            edges.add(key, dur)
            h, case_dur = _case_hashes(chunk)
            hashes.append(h)
            durations.append(case_dur)
            _spell_new(chunk, h, spelled)
            c_lo, c_hi = int(chunk.ts_us.min()), int(chunk.ts_us.max())
            lo = c_lo if lo is None else min(lo, c_lo)
            hi = c_hi if hi is None else max(hi, c_hi)
        assert lo is not None and hi is not None
        self.ts_min, self.ts_max = lo, hi
        act = names["activity"].names
        self._edges = [(act[g // EDGE_WIDTH], act[g % EDGE_WIDTH], *s)
                       for g, s in edges.stats((0.5, 0.9))]  # fmt: skip
        edges.regroup(np.arange(EDGE_WIDTH * EDGE_WIDTH, dtype=np.int64) % EDGE_WIDTH)
        self._waits = [(None, act[g], *s) for g, s in edges.stats((0.5, 0.9))]
        del edges
        self._variants = _variant_rows(np.concatenate(hashes), np.concatenate(durations), spelled)

    def num_cases(self) -> int:
        return sum(int(v[1]) for v in self._variants)

    def edge_rows(self) -> list[Row]:
        return self._edges

    def wait_rows(self) -> list[Row]:
        return self._waits

    def variant_rows(self) -> list[Row]:
        return self._variants

    # --- per-case facts -------------------------------------------------------------------

    def case_facts(
        self, settings: PerformanceSettings, as_of_us: int, cal: CalendarArrays
    ) -> tuple[pa.Table, npt.NDArray[np.bool_], npt.NDArray[np.bool_]]:
        """`linear_case_facts` of every chunk, one after the other (cases never straddle one)."""
        from sigap.analytics.performance import linear_case_facts

        riders = [r for r in self._riders if not r.complete]
        self._riders = []
        own = ("lifecycle", "resource", "service", "unit")
        extra = sorted({c for r in riders for c in r.columns} - {"activity", *own})
        names = {c: _Names() for c in ("activity", *own, *extra) if c != "start_ts"}
        has_outcomes = self._has_outcomes()
        tables, judged, met = [], [], []
        # The scorecards' parts need each chunk's flags and its resource and service, which this
        # pass reads: added up here, the scorecards need no pass of their own.
        repeated = self.repeated()
        cards = _Cards(self.num_rows)
        for chunk in self._chunks((*own, *extra), names, case_ids=True):
            table, j, m = linear_case_facts(chunk, settings, as_of_us, cal,
                                            has_outcomes=has_outcomes)  # fmt: skip
            tables.append(table)
            judged.append(j)
            met.append(m)
            cards.add(chunk, j, m, repeated)
            for rider in riders:
                rider.add(chunk)
        cards.finish()  # frees the steps' durations before the riders reduce theirs
        for rider in riders:
            rider.complete = True
            rider.finish()
        all_judged, all_met = np.concatenate(judged), np.concatenate(met)
        self._cards.append((all_judged, all_met, repeated, cards))
        return pa.concat_tables(tables), all_judged, all_met

    def _has_outcomes(self) -> bool:
        """Whether any event has a lifecycle: from the row groups' statistics when they count
        the NULLs, else read (one column)."""
        meta = pq.ParquetFile(self.path).metadata
        schema = meta.schema.to_arrow_schema()
        if "lifecycle" not in schema.names:
            return False
        col = schema.get_field_index("lifecycle")
        for g in range(meta.num_row_groups):
            rg = meta.row_group(g)
            stats = rg.column(col).statistics
            if stats is None or not stats.has_null_count:
                break
            if stats.null_count < rg.num_rows:
                return True
        else:
            return False
        return bool(pq.read_table(self.path, columns=["lifecycle"]).column(0).null_count
                    < self.num_rows)  # fmt: skip

    # --- scorecards -----------------------------------------------------------------------

    def scorecard_rows(
        self,
        judged: npt.NDArray[np.bool_],
        met: npt.NDArray[np.bool_],
        min_cases: int,
        repeated: Sequence[str],
    ) -> list[Row] | None:
        """`LinearLog.scorecard_rows` chunk by chunk; None when there are more service×officer
        pairs than the packed keys hold (the SQL runs then). Added up during the facts pass
        when these are its flags (the same settings), else in a pass of their own."""
        for j, m, r, cards in self._cards:
            if j is judged and m is met and list(r) == list(repeated):
                return cards.rows(min_cases)
        names = {c: _Names() for c in ("activity", "resource", "service")}
        cards = _Cards(self.num_rows)
        first_case = 0
        for chunk in self._chunks(("resource", "service"), names):
            n = len(chunk.case_starts())
            cards.add(chunk, judged[first_case : first_case + n],
                      met[first_case : first_case + n], repeated)  # fmt: skip
            first_case += n
        return cards.rows(min_cases)

    def repeated(self) -> list[str]:
        """The activities some variant does more than once (as `discovery.rework`'s)."""
        again = {a for v in self._variants for a, n in Counter(v[0].split(SEP)).items() if n > 1}
        return sorted(again)


class _Cards:
    """The scorecards' parts of every chunk, added up (`LinearLog.scorecard_parts`)."""

    def __init__(self, capacity: int) -> None:
        self.keys: dict[tuple[str, str], int] = {}
        self.steps = _Buffer(capacity)
        self.cases, self.judged, self.met, self.redone = (np.zeros(0, np.int64) for _ in range(4))
        self.too_many = False
        self._stats: dict[int, tuple[Any, ...]] | None = None

    def add(
        self,
        chunk: LinearLog,
        judged: npt.NDArray[np.bool_],
        met: npt.NDArray[np.bool_],
        repeated: Sequence[str],
    ) -> None:
        parts = chunk.scorecard_parts(judged, met, repeated)
        if parts is None or self.too_many:
            return
        n_off = len(parts.officers)
        # this chunk's keys (service × officer codes) as keys of the whole file: keys with
        # steps, and keys whose events were redone (maybe a case's first event, no step: their
        # steps may be in another chunk)
        lut = np.full(parts.n_keys, -1, np.int64)
        present = (np.bincount(parts.so, minlength=parts.n_keys) > 0) | (parts.redone > 0)
        for k in np.flatnonzero(present):
            name = (parts.services[int(k) // n_off], parts.officers[int(k) % n_off])
            lut[k] = self.keys.setdefault(name, len(self.keys))
        if len(self.keys) > GROUP_LIMIT:
            self.too_many = True
            return
        self.steps.add(lut[parts.so], parts.dur)
        self.cases, self.judged, self.met, self.redone = (
            _add_at(total, lut, part)
            for total, part in ((self.cases, parts.cases), (self.judged, parts.judged),
                                (self.met, parts.met), (self.redone, parts.redone))
        )  # fmt: skip

    def finish(self) -> None:
        """The medians of the steps' durations, then the durations dropped (670 MB at 100M
        events: freed before DuckDB aggregates the per-case facts)."""
        if self._stats is None and not self.too_many:
            # the median only: no sums, no bounds to put in place
            self._stats = dict(self.steps.stats((0.5,), bounds=False))
            self.steps = _Buffer(0)

    def rows(self, min_cases: int) -> list[Row] | None:
        if self.too_many:
            return None
        self.finish()
        stats = self._stats
        assert stats is not None
        shown = [
            (service, officer, stats[k][0], int(self.cases[k]), stats[k][2][0],
             int(self.judged[k]), int(self.met[k]), int(self.redone[k]))
            for (service, officer), k in self.keys.items()
            if k in stats and self.cases[k] >= min_cases
        ]  # fmt: skip
        return ranked_scorecards(shown)


def _concat(a: Any, b: Any) -> Any:
    if isinstance(a, pa.Array):
        return pa.concat_arrays([a, b])
    return np.concatenate([a, b])


def _add_at(total: I64, lut: npt.NDArray[np.int64], part: npt.NDArray[Any]) -> I64:
    """`total` (per key of the file) plus `part` (per key of a chunk, mapped by `lut`)."""
    size = max(len(total), int(lut.max()) + 1 if len(lut) else 0)
    out = np.zeros(size, np.int64)
    out[: len(total)] = total
    mapped = lut >= 0
    np.add.at(out, lut[mapped], part[mapped])
    return out


def _case_hashes(chunk: LinearLog) -> tuple[npt.NDArray[np.uint64], I64]:
    """Per case of a chunk: its variant's key (as `LinearLog.variant_rows`) and max - min ts."""
    starts = chunk.case_starts()
    lengths = np.diff(np.append(starts, len(chunk.seq))).astype(np.int64)
    with np.errstate(over="ignore"):
        h = np.add.reduceat(chunk._event_hashes(), starts)
        h += _mix(lengths.astype(np.int32), np.full(len(lengths), -1, np.int32))
    if chunk.monotonic():
        ends = np.append(starts[1:], len(chunk.seq)) - 1
        dur = chunk.ts_us[ends] - chunk.ts_us[starts]
    else:
        dur = np.maximum.reduceat(chunk.ts_us, starts) - np.minimum.reduceat(chunk.ts_us, starts)
    return h, dur


def _spell_new(chunk: LinearLog, h: npt.NDArray[np.uint64], spelled: dict[int, str]) -> None:
    """The activities of one case of each variant not seen in earlier chunks."""
    keys = _unique(h)
    new = np.array([k for k in keys.tolist() if k not in spelled], np.uint64)
    if not len(new):
        return
    # the first case of each new variant: sorted positions, the first hit of each key
    order = np.argsort(h, kind="stable")
    at = np.searchsorted(h[order], new)
    starts = chunk.case_starts()
    ends = np.append(starts[1:], len(chunk.seq))
    for k, i in zip(new.tolist(), order[at].tolist(), strict=True):
        spelled[k] = SEP.join(chunk.names[c] for c in chunk.codes[starts[i] : ends[i]])


def _variant_rows(h: npt.NDArray[np.uint64], dur: I64, spelled: dict[int, str]) -> list[Row]:
    """Rows of `VARIANTS_SQL` from every case's key and duration (as `LinearLog.variant_rows`)."""
    keys = _unique(h)
    inverse = np.searchsorted(keys, h)
    counts = np.bincount(inverse, minlength=len(keys))
    sorted_dur = _sorted_within(inverse, len(keys), dur)
    offsets = np.concatenate(([0], np.cumsum(counts)[:-1]))
    med = _quantile(sorted_dur, offsets, counts, 0.5)
    totals = np.add.reduceat(sorted_dur, offsets)
    rows = [(spelled[int(k)], int(counts[i]), float(med[i]), int(totals[i]))
            for i, k in enumerate(keys.tolist())]  # fmt: skip
    rows.sort(key=lambda r: (-r[1], r[0]))
    return rows


__all__: Sequence[str] = ["CHUNK_ROWS", "ChunkLog", "Rider", "StreamingLog", "fits"]
