"""An officer's integrity record for an SKP period, shown next to the rating.

One selector, `integrity_records`, reads the Inspektorat's results for many employees at
once: the open flags (flagged `IntegritySignal` rows about the officer, from a run whose period
overlaps the SKP period, counted in the cases dated inside it that the Inspektorat has not
decided yet) and the confirmed findings (`SignalDecision` rows with the outcome "confirmed"
whose cases' period overlaps it). The
signal computation itself lives in `sigap.analytics.integrity`; this only reads its rows.

Who sees what (docs/meritocracy.md, "Integrity next to the rating"): whoever may read the
rating sees the kinds and the counts, in words; the links to the signal pages (receipts,
complaints) and the Inspektorat's reasons only those who may open the oversight pages of the
officer's unit; the officer never sees their own open flags (an open flag is a suspicion under
review), only confirmed findings.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

from django.utils import timezone

from sigap.access import can
from sigap.integrity.models import IntegritySignal, SignalDecision
from sigap.integrity.selectors import OVERSIGHT_ACTIONS, case_dates
from sigap.organisation.models import Employee, Unit

if TYPE_CHECKING:
    from sigap.access import AnyUser

# Signals that name an officer (unequal treatment is about a service, never a person).
OFFICER_KINDS = (
    IntegritySignal.Kind.OVERCHARGE,
    IntegritySignal.Kind.QUEUE_JUMPING,
    IntegritySignal.Kind.OFFICER_RISK,
)
MANY = 100  # employees from which the selector filters in Python rather than in SQL


def _label(kind: str) -> str:
    return str(IntegritySignal.Kind(kind).label)


@dataclass(frozen=True)
class OpenFlag:
    """A flagged signal with cases no decision covers yet."""

    kind: str
    cases: int  # the undecided cases behind it
    score: float | None  # the officer-risk score; None for the other kinds
    signal_id: int | None  # only when the viewer may open the signal page

    @property
    def label(self) -> str:
        return _label(self.kind)


@dataclass(frozen=True)
class ConfirmedFinding:
    kind: str
    cases: int
    period_start: date
    period_end: date
    decided_on: date
    reason: str | None  # only for those who may open the oversight pages

    @property
    def label(self) -> str:
        return _label(self.kind)


@dataclass(frozen=True)
class IntegrityRecord:
    employee_id: int
    start: date
    end: date
    flags: tuple[OpenFlag, ...] = ()
    findings: tuple[ConfirmedFinding, ...] = ()
    # False when the viewer is the officer: open flags are withheld from them (always, so the
    # page does not tell them whether there are any).
    flags_shown: bool = True

    @property
    def clean(self) -> bool:
        return not self.flags and not self.findings

    @property
    def confirmed(self) -> int:
        return len(self.findings)


def _overlapping(start: date, end: date, prefix: str = "") -> dict[str, date]:
    return {f"{prefix}period_start__lte": end, f"{prefix}period_end__gte": start}


def integrity_records(
    employee_ids: Iterable[int],
    start: date,
    end: date,
    *,
    viewer: AnyUser | None = None,
) -> dict[int, IntegrityRecord]:
    """The integrity record of each employee for [start, end]; three queries in all (five
    when the run reaches outside the period and the cases' dates are read).

    `viewer` None: a system reader (the write functions, reports) that sees every count and no
    detail. Employees without anything get a clean record too, so callers can index freely.
    """
    ids = sorted(set(employee_ids))
    if not ids:
        return {}
    wanted = set(ids)
    # Decisions and flagged signals are few: for a whole pemda (a calibration page of 1,500
    # people) reading them all and keeping the wanted ones beats a 1,500-value IN list.
    few = {"officer_id__in": ids} if len(ids) <= MANY else {}
    decided: dict[tuple[int, str], set[str]] = defaultdict(set)
    findings: dict[int, list[tuple[SignalDecision, str]]] = defaultdict(list)
    for decision in (
        SignalDecision.objects.filter(**few)
        .select_related("unit")
        .only(
            "officer_id", "kind", "outcome", "cases", "period_start", "period_end",
            "decided_at", "reason", "unit__path",
        )
        .order_by("decided_at", "pk")
    ):  # fmt: skip
        if decision.officer_id not in wanted:
            continue
        decided[(decision.officer_id, decision.kind)].update(decision.cases)
        confirmed = decision.outcome == SignalDecision.Outcome.CONFIRMED
        if confirmed and decision.period_start <= end and decision.period_end >= start:
            findings[decision.officer_id].append((decision, decision.unit.path))
    signals = [
        signal
        for signal in IntegritySignal.objects.filter(
            **few,
            officer_id__isnull=False,
            flagged=True,
            kind__in=OFFICER_KINDS,
            **_overlapping(start, end, "run__"),
        )
        .select_related("unit", "run")
        .only(
            "officer_id", "kind", "value", "evidence", "unit__path",
            "run__period_start", "run__period_end",
        )
        .order_by("officer_id", "kind", "pk")
        if signal.officer_id in wanted
    ]  # fmt: skip
    undecided = {
        signal.pk: [
            code
            for code in signal.evidence
            if not _covered(decided, signal.officer_id, signal.kind, code)  # type: ignore[arg-type]
        ]
        for signal in signals
    }
    # A run that reaches outside the period (a rolling 365 days against a calendar year): only
    # the cases dated inside it count; a case of no known date is kept (shown, not hidden).
    partial = [s for s in signals if s.run.period_start < start or s.run.period_end > end]
    dates = case_dates(code for s in partial for code in undecided[s.pk]) if partial else {}
    partial_ids = {s.pk for s in partial}
    flags: dict[int, list[tuple[IntegritySignal, int]]] = defaultdict(list)
    for signal in signals:
        assert signal.officer_id is not None
        codes = undecided[signal.pk]
        if signal.pk in partial_ids:
            codes = [c for c in codes if c not in dates or start <= dates[c] <= end]
        if codes:
            flags[signal.officer_id].append((signal, len(codes)))
    viewer_pk = getattr(viewer, "pk", None)
    own_id = (
        Employee.objects.filter(user_id=viewer_pk).values_list("pk", flat=True).first()
        if viewer_pk is not None
        else None
    )
    may_see: dict[str, bool] = {}

    def details(path: str) -> bool:
        if viewer is None:
            return False
        if path not in may_see:
            unit = Unit(path=path)
            may_see[path] = any(can(viewer, a, unit) for a in OVERSIGHT_ACTIONS)
        return may_see[path]

    out: dict[int, IntegrityRecord] = {}
    for employee_id in ids:
        own = employee_id == own_id
        if employee_id not in flags and employee_id not in findings:  # most people: cheap
            out[employee_id] = IntegrityRecord(employee_id, start, end, flags_shown=not own)
            continue
        shown_flags = tuple(
            OpenFlag(
                kind=s.kind,
                cases=n,
                score=s.value if s.kind == IntegritySignal.Kind.OFFICER_RISK else None,
                signal_id=s.pk if details(s.unit.path) else None,
            )
            for s, n in flags.get(employee_id, [])
        )
        shown_findings = tuple(
            ConfirmedFinding(
                kind=d.kind,
                cases=len(d.cases),
                period_start=d.period_start,
                period_end=d.period_end,
                decided_on=timezone.localtime(d.decided_at).date(),
                reason=d.reason if details(path) else None,
            )
            for d, path in findings.get(employee_id, [])
        )
        out[employee_id] = IntegrityRecord(
            employee_id=employee_id,
            start=start,
            end=end,
            flags=() if own else shown_flags,
            findings=shown_findings,
            flags_shown=not own,
        )
    return out


def _covered(decided: dict[tuple[int, str], set[str]], officer: int, kind: str, code: str) -> bool:
    """Whether a decision covers this case. The officer-risk signal's cases are prefixed with
    the kind they come from ("overcharge:<receipt>"): deciding that kind decides them too."""
    if code in decided.get((officer, kind), ()):
        return True
    source, _, inner = code.partition(":")
    return bool(inner) and inner in decided.get((officer, source), ())


def integrity_record(
    employee: Employee, start: date, end: date, *, viewer: AnyUser | None = None
) -> IntegrityRecord:
    return integrity_records([employee.pk], start, end, viewer=viewer)[employee.pk]


def year_bounds(year: int) -> tuple[date, date]:
    return date(year, 1, 1), date(year, 12, 31)
