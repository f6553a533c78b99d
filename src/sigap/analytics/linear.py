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

The arrays stay in memory (~16 bytes an event, ~50 at the peak of a pass), so
`DuckDBEngine` takes this path only for logs that fit its budget (`fits`); larger logs, and any
log under an explicit DuckDB memory limit that it would exceed, go through the SQL path, which
streams out of core.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt
import pyarrow as pa
import pyarrow.parquet as pq

Row = tuple[Any, ...]
I64 = npt.NDArray[np.int64]
U64 = npt.NDArray[np.uint64]

BYTES_PER_EVENT = 64
"""Peak memory of the passes below per event, with margin (measured ~50 at 10M events)."""
DEFAULT_MAX_EVENTS = 20_000_000
"""Without an explicit memory limit: ~1.3 GB at the peak, well inside the 4 GB budget."""

# (group << DUR_BITS) | duration packs both into one int64 when durations fit; 2^47 µs is 4.4
# years, and up to 2^16 groups. Anything else takes the (slower, general) lexsort.
DUR_BITS = 47
SEP = "\x1f"
LUT_SIZE = 1 << 16


def fits(num_rows: int, memory_limit_bytes: int | None) -> bool:
    """Whether a log of `num_rows` events may take the in-memory path."""
    if memory_limit_bytes is not None:
        return num_rows * BYTES_PER_EVENT <= memory_limit_bytes
    return num_rows <= DEFAULT_MAX_EVENTS


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
        return cls(codes=codes, names=names, seq=seq, ts_us=ts)

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
        stats = _group_stats(src.astype(np.int64) * k + tgt, k * k, dur)
        return [(self.names[g // k], self.names[g % k], *s) for g, s in stats]

    def wait_rows(self) -> list[Row]:
        """Rows of `DFG_SQL` grouped by target only (the waiting before each activity)."""
        _, tgt, dur = self._pairs()
        stats = _group_stats(tgt.astype(np.int64), len(self.names), dur)
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
        keys, first, inverse, counts = np.unique(
            h, return_index=True, return_inverse=True, return_counts=True
        )
        sorted_dur = _sorted_within(inverse.astype(np.int64), dur)
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


def _mix(seq: npt.NDArray[np.int32], codes: npt.NDArray[np.int32]) -> U64:
    """A 64-bit hash of each (seq, code): splitmix64's finaliser over seq << 32 | code."""
    x = (seq.astype(np.uint64) << np.uint64(32)) | codes.astype(np.uint32).astype(np.uint64)
    x += np.uint64(0x9E3779B97F4A7C15)
    x = (x ^ (x >> np.uint64(30))) * np.uint64(0xBF58476D1CE4E5B9)
    x = (x ^ (x >> np.uint64(27))) * np.uint64(0x94D049BB133111EB)
    result: U64 = x ^ (x >> np.uint64(31))
    return result


def _sorted_within(groups: I64, values: I64) -> I64:
    """`values` ordered by (group, value): one packed-key sort when they fit, else a lexsort."""
    n_groups = int(groups.max()) + 1 if len(groups) else 0
    if (
        len(values)
        and n_groups <= 1 << (63 - DUR_BITS)
        and int(values.min()) >= 0
        and int(values.max()) < 1 << DUR_BITS
    ):
        packed = np.sort((groups << DUR_BITS) | values)
        result: I64 = packed & ((1 << DUR_BITS) - 1)
        return result
    return values[np.lexsort((values, groups))]


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


def _group_stats(key: I64, n_keys: int, dur: I64) -> list[tuple[int, tuple[Any, ...]]]:
    """Per key in [0, n_keys): (count, sum, [median, p90], min, max) of the durations, as
    DFG_SQL gives them (keys that never occur have no row)."""
    if not len(key):
        return []
    if n_keys <= DENSE_KEYS:
        per_key = np.bincount(key, minlength=n_keys)
        used = np.flatnonzero(per_key)
        lookup = np.zeros(n_keys, np.int64)
        lookup[used] = np.arange(len(used))
        dense = lookup[key]
        counts = per_key[used]
    else:
        used, dense = np.unique(key, return_inverse=True)
        counts = np.bincount(dense, minlength=len(used))
    sorted_dur = _sorted_within(dense.astype(np.int64), dur)
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
