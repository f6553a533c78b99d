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
        }
