"""The canonical event log every analysis reads, and how a file's columns map onto it.

A canonical log is one Parquet file, sorted by (case_id, seq), with these columns:

| column     | type                      | meaning                                              |
|------------|---------------------------|------------------------------------------------------|
| case_id    | VARCHAR, not null         | the case (one service request)                       |
| seq        | INTEGER, not null         | 0-based position of the event in its case            |
| activity   | VARCHAR, not null         | the step                                             |
| ts         | TIMESTAMPTZ (UTC), not null | when it happened                                   |
| resource   | VARCHAR, null             | the officer (or system) who did it                   |
| lifecycle  | VARCHAR, null             | lifecycle / outcome (`done`, `returned`, `waiting`...) |
| service    | VARCHAR, null             | case attribute: the service (jenis layanan)          |
| unit       | VARCHAR, null             | case attribute: the unit (unit kerja)                |

Optional columns (a file without them reads as if they were all NULL; see `OPTIONAL_COLUMNS`):

| column     | type                      | meaning                                              |
|------------|---------------------------|------------------------------------------------------|
| transition | VARCHAR, null             | XES `lifecycle:transition` (start, complete, ...)    |
| start_ts   | TIMESTAMPTZ (UTC), null   | when the activity instance started (interval logs)   |
| case:*     | VARCHAR, null             | case dimensions: the other trace/case attributes     |

`lifecycle` is the *outcome* of a step (it stops and resumes the SLA clock and closes a case);
`transition` is the XES life-cycle of an event, which pairs start and complete events into
activity instances. They are kept apart because one log may carry both.

Storing the log sorted lets every analysis make one pass in (case, time) order instead of sorting.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

CANONICAL_COLUMNS: tuple[str, ...] = (
    "case_id",
    "seq",
    "activity",
    "ts",
    "resource",
    "lifecycle",
    "service",
    "unit",
)
OPTIONAL_COLUMNS: dict[str, str] = {"transition": "VARCHAR", "start_ts": "TIMESTAMPTZ"}
"""Column -> DuckDB type of the optional canonical columns, in the order they follow the others."""
DIMENSION_PREFIX = "case:"
"""Extra columns named `case:<attribute>` are case dimensions (XES trace attributes, CSV
`case:` columns); analyses ignore them unless asked for one."""

ORDERS = ("completion", "start", "file")
"""How events are ordered within a case: by completion time (`ts`, pm4py's default after
`format_dataframe`), by start time (`start_ts`, then `ts`), or as the file lists them (for logs
without usable timestamps; no durations then). Ties always keep file order."""

# Outcomes (in `lifecycle`) that stop the SLA clock until the next `resumed` event.
PAUSE_OUTCOMES: frozenset[str] = frozenset({"waiting", "returned"})
RESUME_OUTCOME = "resumed"
RETURN_OUTCOME = "returned"
# A case that ends with this outcome stopped early by design (an application turned down).
REJECTED_OUTCOME = "rejected"


class EventLogError(ValueError):
    """Bad input: says which file, row and column, and why. Nothing was loaded."""

    def __init__(
        self,
        message: str,
        *,
        file: str | Path,
        row: int | None = None,
        column: str | None = None,
    ) -> None:
        self.file = str(file)
        self.row = row
        self.column = column
        self.reason = message
        where = [Path(self.file).name]
        if row is not None:
            where.append(f"row {row}")
        if column is not None:
            where.append(f"column {column!r}")
        super().__init__(f"{', '.join(where)}: {message}")


@dataclass(frozen=True, slots=True)
class ImportNotes:
    """What the importer found and did, beyond the rows it wrote: the import half of the
    data-quality section (`sigap.analytics.quality` computes the rest from the canonical log).

    Examples are a few case ids (or attribute keys), never whole rows.
    """

    source_rows: int = 0
    order: str = "completion"
    duplicates_dropped: int = 0
    """Exact duplicates removed because `drop_duplicates` was asked (kept by default)."""
    out_of_order_cases: int = 0
    """Cases whose events the file does not list in time order (sorted on import)."""
    out_of_order_examples: tuple[str, ...] = ()
    naive_timestamps: int = 0
    """Timestamps without a UTC offset, read in `timezone_assumed`."""
    timezone_assumed: str = "UTC"
    missing_timestamps: int = 0
    """Timestamps empty or "?" (only with order "file"; otherwise the import is refused)."""
    ignored_attributes: tuple[str, ...] = ()
    """Nested or list attribute keys (XES) that were not imported."""
    paired_instances: int = 0
    """Activity instances formed from `start`/`complete` transitions or a start-time column."""


@dataclass(frozen=True, slots=True)
class ColumnMapping:
    """Which source column holds each canonical field.

    Defaults are the XES standard names (also used by most process-mining CSV exports). `row` in
    errors is 1-based over the data rows (a CSV's header is line 1, so row n is line n + 1; for XES
    it is the n-th event in the file).
    """

    case: str = "case:concept:name"
    activity: str = "concept:name"
    timestamp: str = "time:timestamp"
    resource: str | None = "org:resource"
    lifecycle: str | None = None
    service: str | None = None
    unit: str | None = None
    transition: str | None = "lifecycle:transition"
    """XES life-cycle (start/complete...); optional under its default name."""
    start_timestamp: str | None = "start_timestamp"
    """An interval log's start time (pm4py's name); optional under its default name."""
    timestamp_format: str | None = None
    """A strptime format (e.g. "%d-%m-%Y %H:%M") when timestamps are not ISO 8601."""
    timezone: str = "UTC"
    """How to read timestamps that carry no offset (all of them or none must carry one)."""

    def required(self) -> dict[str, str]:
        return {"case": self.case, "activity": self.activity, "timestamp": self.timestamp}

    def optional(self) -> dict[str, str | None]:
        return {
            "resource": self.resource,
            "lifecycle": self.lifecycle,
            "service": self.service,
            "unit": self.unit,
            "transition": self.transition,
            "start_timestamp": self.start_timestamp,
        }
