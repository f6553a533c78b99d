"""The linear pass over a canonical log in numpy: the DuckDB engine's fast path for discovery.

A canonical log is stored sorted by (case, seq) with seq 0, 1, 2... in each case (see
`sigap.analytics.eventlog`), so read as arrays in file order:

- the event after row i is the next event of the same case exactly when `seq[i + 1] > 0`: the
  directly-follows pairs are a shifted compare, their durations a subtraction;
- a case is the run of rows from one `seq == 0` to the next: per-case facts are segmented
  reductions (`np.add.reduceat`) at those offsets;
- exact per-group quantiles are one sort of (group, duration) packed into one 64-bit key.

Only three columns are read (`seq`, `activity` as dictionary codes, `ts`), never `case_id`.

The rows returned have the same shape and the same values as the SQL they replace
(`sigap.analytics.discovery.DFG_SQL`, `VARIANTS_SQL`), so everything downstream is shared with
the Spark engine: quantiles use DuckDB's `quantile_cont` interpolation exactly (which
`tests/analytics/test_linear.py` checks row for row against the SQL on real and generated logs).
Variants are keyed, as in the SQL, by a 64-bit hash of each (position, activity) summed per case
plus the case's length; only the hash function differs, and it never reaches a result.

The arrays stay in memory (~16 bytes an event held, ~80 at the peak of a pass), so
`DuckDBEngine` takes this path only for logs that fit its budget (`fits`); larger logs take the
same passes chunk by chunk (`sigap.analytics.streaming`), and logs under an explicit DuckDB
memory limit that both would exceed go through the SQL path, which streams out of core.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

Row = tuple[Any, ...]
I64 = npt.NDArray[np.int64]
U64 = npt.NDArray[np.uint64]

BYTES_PER_EVENT = 100
"""Peak memory of the passes per event, with margin (discovery at 10M events: 921 MiB peak RSS,
~150 MiB of it the interpreter and DuckDB)."""
DEFAULT_MAX_EVENTS = 15_000_000
"""Without an explicit memory limit. The full analysis at 10M peaked at 1.5-1.6 GB (the arrays,
the per-case facts among them; ~1.9 GB when DuckDB held the facts), so 15M stays near 2.5 GB,
inside the 4 GB budget."""

# (group << DUR_BITS) | duration packs both into one int64 when durations fit; 2^47 µs is 4.4
# years, and up to 2^16 groups. Anything else takes the (slower, general) lexsort.
DUR_BITS = 47
KEY_BITS = 63
"""(case, activity, seq) packed into one sortable int64 when their widths add up to this."""
SEP = "\x1f"
LUT_SIZE = 1 << 16


def fits(num_rows: int, memory_limit_bytes: int | None, max_events: int | None = None) -> bool:
    """Whether a log of `num_rows` events may take the in-memory path (`max_events`: instead of
    `DEFAULT_MAX_EVENTS` when there is no explicit limit)."""
    if memory_limit_bytes is not None:
        return num_rows * BYTES_PER_EVENT <= memory_limit_bytes
    return num_rows <= (DEFAULT_MAX_EVENTS if max_events is None else max_events)


def num_rows(path: str | Path) -> int:
    return int(pq.ParquetFile(str(path)).metadata.num_rows)


@dataclass(eq=False)
class LinearLog:
    """The columns of one canonical log in file order, and the passes over them."""

    codes: npt.NDArray[np.int32]
    """activity of each event, as an index into `names`"""
    names: list[str]
    seq: npt.NDArray[np.int32]
    ts_us: I64
    path: str = ""
    _memo: dict[str, Any] = field(default_factory=dict)

    @classmethod
    def read(cls, path: str | Path) -> LinearLog | None:
        """The log's columns, or None if the file is not one this pass can read exactly."""
        table = pq.read_table(str(path), columns=["seq", "activity", "ts"],
                              read_dictionary=["activity"])  # fmt: skip
        ts_type = table.schema.field("ts").type
        if not pa.types.is_timestamp(ts_type) or ts_type.unit != "us":
            return None  # epoch_us() of another unit would round; let the SQL do it
        if any(table.column(c).null_count for c in ("seq", "activity", "ts")):
            return None
        activity = table.column("activity")
        if table.num_rows == 0 or not pa.types.is_dictionary(activity.type):
            return None
        activity = activity.unify_dictionaries()
        codes = np.concatenate(
            [c.indices.to_numpy(zero_copy_only=False) for c in activity.chunks]
        ).astype(np.int32, copy=False)
        names = [str(n) for n in activity.chunks[0].dictionary.to_pylist()]
        seq = table.column("seq").to_numpy().astype(np.int32, copy=False)
        ts = table.column("ts").to_numpy().view(np.int64)  # datetime64[us] -> µs since 1970
        if seq[0] != 0:
            return None
        return cls(codes=codes, names=names, seq=seq, ts_us=ts, path=str(path))

    # --- shared pieces -------------------------------------------------------------------

    def _pairs(self) -> tuple[npt.NDArray[np.int32], npt.NDArray[np.int32], I64]:
        """(source, target, duration) of every directly-follows pair, in file order."""
        if "pairs" not in self._memo:
            cont = self.seq[1:] > 0
            dur = np.subtract(self.ts_us[1:], self.ts_us[:-1])[cont]
            self._memo["pairs"] = (self.codes[:-1][cont], self.codes[1:][cont], dur)
        pairs: tuple[npt.NDArray[np.int32], npt.NDArray[np.int32], I64] = self._memo["pairs"]
        return pairs

    def _case_starts(self) -> npt.NDArray[np.intp]:
        if "starts" not in self._memo:
            self._memo["starts"] = np.flatnonzero(self.seq == 0)
        starts: npt.NDArray[np.intp] = self._memo["starts"]
        return starts

    def _column_codes(self, column: str) -> tuple[npt.NDArray[np.int32], list[str]]:
        """A string column as dictionary codes (-1 for NULL) and the dictionary, read once."""
        key = f"column:{column}"
        if key not in self._memo:
            table = pq.read_table(self.path, columns=[column], read_dictionary=[column])
            col = table.column(column)
            if not pa.types.is_dictionary(col.type):  # e.g. a column that is NULL throughout
                col = pc.dictionary_encode(col.cast(pa.string()))
            col = col.unify_dictionaries()
            indices = pa.chunked_array([c.indices for c in col.chunks], pa.int32())
            if indices.null_count:
                indices = pc.fill_null(indices, -1)
            codes = indices.to_numpy().astype(np.int32, copy=False)
            names = [str(n) for n in col.chunks[0].dictionary.to_pylist()] if col.chunks else []
            self._memo[key] = (codes, names)
        result: tuple[npt.NDArray[np.int32], list[str]] = self._memo[key]
        return result

    def column_codes(self, column: str) -> tuple[npt.NDArray[np.int32], list[str]]:
        """A string column of the log as dictionary codes (-1 for NULL) and the dictionary,
        read once and shared (scorecards and the per-case facts read the same ones)."""
        return self._column_codes(column)

    def case_ids(self) -> pa.ChunkedArray:
        """The id of each case, in file order: read dictionary-encoded and taken at the case
        starts chunk by chunk (no dictionary of every id across the file)."""
        column = pq.read_table(self.path, columns=["case_id"], read_dictionary=["case_id"])
        starts = self._case_starts()
        parts, offset = [], 0
        for chunk in column.column("case_id").chunks:
            lo, hi = np.searchsorted(starts, [offset, offset + len(chunk)])
            parts.append(chunk.take(pa.array(starts[lo:hi] - offset)).cast(pa.string()))
            offset += len(chunk)
        return pa.chunked_array(parts, pa.string())

    def monotonic(self) -> bool:
        """Whether time never goes back within a case (then first and last are min and max)."""
        return self._monotonic()

    def case_starts(self) -> npt.NDArray[np.intp]:
        """The row where each case starts (its `seq == 0` row), in file order."""
        return self._case_starts()

    def case_of_row(self) -> npt.NDArray[np.int32]:
        """The case (0, 1, 2... in file order) of each row."""
        return self._case_of_row()

    def _case_of_row(self) -> npt.NDArray[np.int32]:
        if "case_of_row" not in self._memo:
            case_of_row = np.cumsum(self.seq == 0, dtype=np.int32)
            case_of_row -= 1
            self._memo["case_of_row"] = case_of_row
        result: npt.NDArray[np.int32] = self._memo["case_of_row"]
        return result

    def _monotonic(self) -> bool:
        if "monotonic" not in self._memo:
            dur = self._pairs()[2]
            self._memo["monotonic"] = not len(dur) or int(dur.min()) >= 0
        return bool(self._memo["monotonic"])

    def _event_hashes(self) -> U64:
        """`_mix(seq, code)` of every event; from a small table of all (seq, code) when there
        are few (a gather costs less than the arithmetic)."""
        k = len(self.names)
        width = int(self.seq.max()) + 1
        if width * k > LUT_SIZE:
            return _mix(self.seq, self.codes)
        seqs, codes = np.divmod(np.arange(width * k, dtype=np.int64), k)
        table = _mix(seqs.astype(np.int32), codes.astype(np.int32))
        hashes: U64 = table[self.seq * np.int32(k) + self.codes]
        return hashes

    # --- results, shaped as the SQL's rows ----------------------------------------------

    def edge_rows(self) -> list[Row]:
        """Rows of `DFG_SQL` grouped by (source, target)."""
        src, tgt, dur = self._pairs()
        k = len(self.names)
        # (source, target) as one number; 32-bit arithmetic while k² fits
        key = src.astype(np.int64) if k * k >= 1 << 31 else src.copy()
        key *= k
        key += tgt
        stats = _group_stats(key, k * k, dur)
        return [(self.names[g // k], self.names[g % k], *s) for g, s in stats]

    def wait_rows(self) -> list[Row]:
        """Rows of `DFG_SQL` grouped by target only (the waiting before each activity)."""
        _, tgt, dur = self._pairs()
        stats = _group_stats(tgt, len(self.names), dur)
        return [(None, self.names[g], *s) for g, s in stats]

    def variant_rows(self) -> list[Row]:
        """Rows of `VARIANTS_SQL` without a filter: (variant, cases, median, total duration)."""
        starts = self._case_starts()
        lengths = np.diff(np.append(starts, len(self.seq))).astype(np.int64)
        with np.errstate(over="ignore"):
            # The length enters as one more (position, activity) whose activity code no real
            # activity has, as the SQL groups by (hash, length).
            h = np.add.reduceat(self._event_hashes(), starts)
            h += _mix(lengths.astype(np.int32), np.full(len(lengths), -1, np.int32))
        ends = np.append(starts[1:], len(self.seq)) - 1
        if self._monotonic():  # time never goes back within a case: last minus first
            dur = self.ts_us[ends] - self.ts_us[starts]
        else:  # as the SQL: max - min
            dur = np.maximum.reduceat(self.ts_us, starts) - np.minimum.reduceat(self.ts_us, starts)
        keys = _unique(h)
        inverse = np.searchsorted(keys, h)
        counts = np.bincount(inverse, minlength=len(keys))
        # Any case of a variant spells it (they all have the same sequence): one of them.
        first = np.empty(len(keys), np.intp)
        first[inverse] = np.arange(len(h))
        sorted_dur = _sorted_within(inverse, len(keys), dur)
        offsets = np.concatenate(([0], np.cumsum(counts)[:-1]))
        med = _quantile(sorted_dur, offsets, counts, 0.5)
        totals = np.add.reduceat(sorted_dur, offsets)
        rows = []
        for i in range(len(keys)):
            s = int(starts[first[i]])
            acts = SEP.join(self.names[c] for c in self.codes[s : s + int(lengths[first[i]])])
            rows.append((acts, int(counts[i]), float(med[i]), int(totals[i])))
        rows.sort(key=lambda r: (-r[1], r[0]))
        return rows

    def scorecard_rows(
        self,
        judged: npt.NDArray[np.bool_],
        met: npt.NDArray[np.bool_],
        min_cases: int,
        repeated: Sequence[str],
    ) -> list[Row]:
        """Rows of the scorecards' SQL (`sigap.analytics.scorecards`): per (service, officer)
        with at least `min_cases` cases, in (service, officer) order: service ('' for none),
        officer, steps, cases, median handling time, judged cases, met, rework caused,
        throughput and speed percent ranks among the service's officers shown, their number.

        `judged` and `met` are per case, in file order (`DuckDBEngine.per_case`); `repeated`:
        the activities some case does more than once (`rework`), the only ones that can have
        been redone."""
        parts = self.scorecard_parts(judged, met, repeated)
        if parts is None:
            return []
        per_so = np.bincount(parts.so, minlength=parts.n_keys)
        used = np.flatnonzero(per_so)
        counts = per_so[used]
        sorted_dur = _sorted_within(parts.so, parts.n_keys, parts.dur)
        offsets = np.concatenate(([0], np.cumsum(counts)[:-1]))
        med = _quantile(sorted_dur, offsets, counts, 0.5)
        n_off = len(parts.officers)
        shown = [
            (parts.services[int(k) // n_off], parts.officers[int(k) % n_off], int(counts[i]),
             int(parts.cases[k]), float(med[i]), int(parts.judged[k]), int(parts.met[k]),
             int(parts.redone[k]))
            for i, k in enumerate(used)
            if parts.cases[k] >= min_cases
        ]  # fmt: skip
        return ranked_scorecards(shown)

    def scorecard_parts(
        self,
        judged: npt.NDArray[np.bool_],
        met: npt.NDArray[np.bool_],
        repeated: Sequence[str],
    ) -> ScorecardParts | None:
        """What the scorecards add up, per service×officer key (`svc * len(officers) + res`):
        the key and handling time of each step, and per key the cases, judged cases, met and
        redone events; None when the log names no officer. Every part but the steps' median
        adds up over logs of whole cases (the streaming pass merges them chunk by chunk)."""
        res, officers = self._column_codes("resource")
        svc_raw, services = self._column_codes("service")
        services = list(services)
        if "" not in services:  # coalesce(service, ''): no service and '' are one group
            services.append("")
        svc = np.where(svc_raw < 0, np.int32(services.index("")), svc_raw)
        n_off, n_keys = len(officers), len(services) * len(officers)
        if not n_off:
            return None
        # Steps: each event after a case's first, credited to its officer, under the service of
        # the event before it (the pair's source row, as `pairs.service`). Masks and 32-bit
        # keys: these passes are bound by memory traffic, not arithmetic.
        cont = self.seq[1:] > 0
        named = res[1:][cont] >= 0  # over the pairs
        steps = cont.copy()  # over the rows after the first: a pair with a named officer
        steps[cont] = named
        so: npt.NDArray[np.int64] | npt.NDArray[np.int32]
        if n_keys < 1 << 31:
            so = svc[:-1][steps].astype(np.int32)
            so *= np.int32(n_off)
        else:
            so = svc[:-1][steps].astype(np.int64)
            so *= n_off
        so += res[1:][steps]
        dur = self._pairs()[2][named]
        # Cases: distinct (service×officer, case) pairs, one sort of both packed in one number
        # (32 bits when they fit: half the memory traffic of 64); each service×officer is then
        # a run of the sorted pairs, found by binary search, so no count needs a bincount.
        case = self._case_of_row()[1:][steps]
        n_cases = len(judged)
        pair: npt.NDArray[Any]
        cases: npt.NDArray[Any]
        bounds: npt.NDArray[Any]
        d_case: npt.NDArray[Any]
        if n_keys * n_cases < 1 << 63:
            width: Any = np.int32 if n_keys * n_cases < 1 << 31 else np.int64
            pair = so.astype(width)
            pair *= width(n_cases)
            pair += case
            pair.sort()
            keep = np.empty(len(pair), bool)
            keep[:1] = True
            np.not_equal(pair[1:], pair[:-1], out=keep[1:])
            pair = pair[keep]
            bounds = np.searchsorted(pair, np.arange(n_keys + 1, dtype=width) * width(n_cases))
            cases = np.diff(bounds)
            d_case = pair % width(n_cases)
        else:  # more (service×officer, case) pairs than 63 bits number: sort them as rows
            both = np.unique(np.stack([so, case.astype(so.dtype)], axis=1), axis=0)
            d_case = both[:, 1]
            cases = np.bincount(both[:, 0], minlength=n_keys)
            bounds = np.concatenate(([0], np.cumsum(cases)))
        # per service×officer with cases (runs of positive length), the judged and met ones
        runs = np.flatnonzero(cases)
        n_judged = np.zeros(n_keys, np.int64)
        n_met = np.zeros(n_keys, np.int64)
        if len(runs):
            n_judged[runs] = np.add.reduceat(judged[d_case], bounds[runs], dtype=np.int64)
            n_met[runs] = np.add.reduceat(met[d_case], bounds[runs], dtype=np.int64)
        redone = self._redone(res, svc, n_off, n_keys, repeated)
        return ScorecardParts(services, officers, n_keys, so, dur, cases, n_judged, n_met, redone)

    def _redone(
        self,
        res: npt.NDArray[np.int32],
        svc: npt.NDArray[Any],
        n_off: int,
        n_keys: int,
        repeated: Sequence[str],
    ) -> npt.NDArray[np.int64]:
        """Per service×officer: their events whose activity the same case does again later."""
        wanted = np.zeros(len(self.names) + 1, bool)
        again_names = set(repeated)
        wanted[[i for i, n in enumerate(self.names) if n in again_names]] = True
        at = np.flatnonzero(wanted[self.codes])  # rows of activities that are ever repeated
        case, seq, codes = self._case_of_row()[at], self.seq[at], self.codes[at]
        if not len(at):
            return np.zeros(n_keys, np.int64)
        bits_seq = max(int(seq.max()), 1).bit_length()
        bits_code = max(len(self.names) - 1, 1).bit_length()
        bits_case = max(int(case.max()), 1).bit_length()
        if bits_case + bits_code + bits_seq <= KEY_BITS:
            key = (
                (case.astype(np.int64) << (bits_code + bits_seq))
                | (codes.astype(np.int64) << bits_seq)
                | seq
            )
            key.sort()
            same = (key[:-1] >> bits_seq) == (key[1:] >> bits_seq)
            again = key[:-1][same]
            rows = self._case_starts()[again >> (bits_code + bits_seq)] + (
                again & ((1 << bits_seq) - 1)
            )
        else:
            order = np.lexsort((seq, codes, case))
            same = (case[order][:-1] == case[order][1:]) & (codes[order][:-1] == codes[order][1:])
            rows = at[order[:-1][same]]
        rows = rows[res[rows] >= 0]
        result: npt.NDArray[np.int64] = np.bincount(
            svc[rows].astype(np.int64) * n_off + res[rows], minlength=n_keys
        )
        return result


@dataclass(frozen=True, eq=False)
class ScorecardParts:
    """`LinearLog.scorecard_parts`: keys are `service * len(officers) + officer`."""

    services: list[str]
    officers: list[str]
    n_keys: int
    so: npt.NDArray[Any]
    """the key of each step"""
    dur: I64
    """the handling time of each step"""
    cases: npt.NDArray[Any]
    judged: npt.NDArray[np.int64]
    met: npt.NDArray[np.int64]
    redone: npt.NDArray[np.int64]


def ranked_scorecards(shown: list[Row]) -> list[Row]:
    """The scorecards' rows from (service, officer, steps, cases, median, judged, met, redone)
    of the officers shown: in (service, officer) order, with the throughput and speed percent
    ranks among the service's officers shown, and their number."""
    shown = sorted(shown, key=lambda r: (r[0], r[1]))
    rows: list[Row] = []
    for service in sorted({r[0] for r in shown}):
        peers = [r for r in shown if r[0] == service]
        n = len(peers)
        step_counts = sorted(p[2] for p in peers)
        medians = sorted(p[4] for p in peers)
        for r in peers:
            # percent_rank(): (rank - 1) / (n - 1), rank - 1 being the peers strictly before
            # (fewer steps; a slower, i.e. greater, median handling time)
            fewer = bisect_left(step_counts, r[2])
            slower = n - bisect_right(medians, r[4])
            rows.append((*r, fewer / (n - 1) if n > 1 else 0.0,
                         slower / (n - 1) if n > 1 else 0.0, n))  # fmt: skip
    return rows


def _unique(values: npt.NDArray[Any]) -> npt.NDArray[Any]:
    """The distinct values, sorted. np.unique's hash table is ~20x slower than a sort here."""
    s = np.sort(values)
    keep = np.empty(len(s), bool)
    keep[:1] = True
    np.not_equal(s[1:], s[:-1], out=keep[1:])
    result: npt.NDArray[Any] = s[keep]
    return result


def _mix(seq: npt.NDArray[np.int32], codes: npt.NDArray[np.int32]) -> U64:
    """A 64-bit hash of each (seq, code): splitmix64's finaliser over seq << 32 | code."""
    x = (seq.astype(np.uint64) << np.uint64(32)) | codes.astype(np.uint32).astype(np.uint64)
    x += np.uint64(0x9E3779B97F4A7C15)
    x = (x ^ (x >> np.uint64(30))) * np.uint64(0xBF58476D1CE4E5B9)
    x = (x ^ (x >> np.uint64(27))) * np.uint64(0x94D049BB133111EB)
    result: U64 = x ^ (x >> np.uint64(31))
    return result


def _sorted_within(groups: npt.NDArray[Any], n_groups: int, values: I64) -> I64:
    """`values` ordered by (group, value), for groups in [0, n_groups): one packed-key sort when
    they fit in 64 bits, else a lexsort."""
    if (
        len(values)
        and n_groups <= 1 << (63 - DUR_BITS)
        and int(values.min()) >= 0
        and int(values.max()) < 1 << DUR_BITS
    ):
        packed = groups.astype(np.int64)  # in place from here: one array of 8 bytes an item
        packed <<= DUR_BITS
        packed |= values
        packed.sort()
        packed &= (1 << DUR_BITS) - 1
        return packed
    result: I64 = values[np.lexsort((values, groups))]
    return result


def _quantile(
    sorted_values: I64, offsets: npt.NDArray[Any], counts: npt.NDArray[Any], q: float
) -> npt.NDArray[np.float64]:
    """DuckDB's quantile_cont of each segment, to the bit: with RN = (n - 1) * q and its floor
    and ceiling FRN, CRN: x[FRN] if they are equal, else x[FRN] * (CRN - RN) + x[CRN] * (RN - FRN)
    (checked against DuckDB on random data in the tests)."""
    rn = (counts - 1).astype(np.float64) * q
    lo = np.floor(rn)
    hi = np.ceil(rn)
    a = sorted_values[offsets + lo.astype(np.int64)].astype(np.float64)
    b = sorted_values[offsets + hi.astype(np.int64)].astype(np.float64)
    result: npt.NDArray[np.float64] = np.where(lo == hi, a, a * (hi - rn) + b * (rn - lo))
    return result


DENSE_KEYS = 1 << 22
"""Keys below this are made dense by counting (a bincount), above it by sorting (np.unique)."""


def _group_stats(key: npt.NDArray[Any], n_keys: int, dur: I64) -> list[tuple[int, tuple[Any, ...]]]:
    """Per key in [0, n_keys): (count, sum, [median, p90], min, max) of the durations, as
    DFG_SQL gives them (keys that never occur have no row)."""
    if not len(key):
        return []
    if n_keys <= DENSE_KEYS:
        per_key = np.bincount(key, minlength=n_keys)
        used = np.flatnonzero(per_key)
        counts = per_key[used]
        # Sorting by the raw key orders the groups as `used` does: no need to renumber them.
        sorted_dur = _sorted_within(key, n_keys, dur)
    else:
        used, dense = np.unique(key, return_inverse=True)
        counts = np.bincount(dense, minlength=len(used))
        sorted_dur = _sorted_within(dense, len(used), dur)
    offsets = np.concatenate(([0], np.cumsum(counts)[:-1]))
    sums = np.add.reduceat(sorted_dur, offsets)
    q50 = _quantile(sorted_dur, offsets, counts, 0.5)
    q90 = _quantile(sorted_dur, offsets, counts, 0.9)
    lows = sorted_dur[offsets]
    highs = sorted_dur[offsets + counts - 1]
    out: list[tuple[int, tuple[Any, ...]]] = []
    for i in range(len(used)):
        quantiles = [float(q50[i]), float(q90[i])]
        stats = (int(counts[i]), int(sums[i]), quantiles, int(lows[i]), int(highs[i]))
        out.append((int(used[i]), stats))
    return out


__all__: Sequence[str] = ["DEFAULT_MAX_EVENTS", "LinearLog", "fits", "num_rows"]
