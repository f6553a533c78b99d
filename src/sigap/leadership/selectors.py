"""Reads of the leadership pages, always scoped by `sigap.access`: precomputed rows, and the
live "past the due date" list of a service (the one definition, `overdue_q`)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

from django.db.models import QuerySet

from sigap.access import Action, scoped
from sigap.catalogue.models import Service
from sigap.leadership import scoring
from sigap.leadership.models import (
    PeriodKind,
    RoadmapAction,
    ScorecardRefresh,
    ServiceScorecard,
    UnitScorecard,
)
from sigap.organisation.models import Unit
from sigap.performance.models import OfficerScore, StepBottleneck, UnitServicePerformance
from sigap.service_requests.models import ServiceRequest
from sigap.service_requests.selectors import overdue_q

if TYPE_CHECKING:
    from sigap.access import AnyUser


def latest_refresh() -> ScorecardRefresh | None:
    return ScorecardRefresh.objects.order_by("-finished_at").first()


def periods(kind: str) -> list[str]:
    """Period labels of `kind` that have rows, newest first (one indexed DISTINCT)."""
    return list(
        UnitScorecard.objects.filter(period_kind=kind)
        .order_by("-period_label")
        .values_list("period_label", flat=True)
        .distinct()
    )


def parse_period(
    kind: str | None, label: str | None, refresh: ScorecardRefresh | None
) -> tuple[str, str | None, list[str]]:
    """The kind and period a page shows: as asked when valid, else the latest complete period
    of the kind (the running one has only some of its days)."""
    kind = kind if kind in PeriodKind.values else PeriodKind.QUARTER.value
    labels = periods(kind)
    if label in labels:
        return kind, label, labels
    if not labels:
        return kind, None, labels
    if refresh is not None:
        for candidate in labels:
            if scoring.bounds(candidate)[1] < refresh.as_of:
                return kind, candidate, labels
    return kind, labels[0], labels


def scorecard_rows(user: AnyUser, kind: str, label: str | None) -> QuerySet[UnitScorecard]:
    rows = UnitScorecard.objects.filter(period_kind=kind, period_label=label or "")
    return scoped(user, Action.SCORECARD_VIEW, rows).select_related("unit").order_by("unit__path")


def top_units(units: Iterable[Unit]) -> dict[int, str]:
    """For each unit below a first-level unit (an OPD, a kecamatan), that unit's name: one
    query, from the materialised paths."""
    tops: dict[int, int] = {}
    for u in units:
        ids = [int(p) for p in u.path.strip("/").split("/") if p]
        if len(ids) > 2:
            tops[u.pk] = ids[1]
    names = dict(Unit.objects.filter(pk__in=set(tops.values())).values_list("pk", "name"))
    return {pk: names[top] for pk, top in tops.items() if top in names}


def units_in_scope(user: AnyUser) -> QuerySet[Unit]:
    return scoped(user, Action.SCORECARD_VIEW, Unit.objects.all(), unit_field="")


def unit_series(unit: Unit, kind: str) -> list[UnitScorecard]:
    return list(UnitScorecard.objects.filter(unit=unit, period_kind=kind).order_by("period_start"))


def service_series(unit: Unit, service_id: int, kind: str) -> list[ServiceScorecard]:
    return list(
        ServiceScorecard.objects.filter(unit=unit, service_id=service_id, period_kind=kind)
        .select_related("service")
        .order_by("period_start")
    )


def unit_services(unit: Unit, kind: str, label: str | None) -> list[ServiceScorecard]:
    return list(
        ServiceScorecard.objects.filter(unit=unit, period_kind=kind, period_label=label or "")
        .select_related("service")
        .order_by("-volume", "service__name")
    )


@dataclass(frozen=True)
class Progress:
    period: str
    value: float | None


def roadmap_actions(user: AnyUser, unit: Unit | None = None) -> QuerySet[RoadmapAction]:
    qs = scoped(user, Action.SCORECARD_VIEW, RoadmapAction.objects.all())
    if unit is not None:
        qs = qs.filter(unit=unit)
    return qs.select_related("unit").order_by("-priority", "pk")


def progress(actions: Iterable[RoadmapAction]) -> dict[int, list[Progress]]:
    """For each action, its metric in every period after its baseline (one query in all)."""
    actions = list(actions)
    if not actions:
        return {}
    wanted: dict[tuple[int, str], list[RoadmapAction]] = defaultdict(list)
    for a in actions:
        wanted[(a.unit_id, a.baseline_period_kind)].append(a)
    rows = (
        UnitScorecard.objects.filter(unit_id__in={a.unit_id for a in actions})
        .filter(period_kind__in={a.baseline_period_kind for a in actions})
        .order_by("period_start")
        .only("unit_id", "period_kind", "period_label", *{a.metric_key for a in actions})
    )
    out: dict[int, list[Progress]] = {a.pk: [] for a in actions}
    for row in rows:
        for a in wanted.get((row.unit_id, row.period_kind), []):
            if row.period_label > a.baseline_period:
                out[a.pk].append(Progress(row.period_label, getattr(row, a.metric_key)))
    return out


@dataclass(frozen=True)
class ServiceDrillDown:
    """What the leadership service page shows under the scorecard, down to a case."""

    perf: UnitServicePerformance | None
    bottlenecks: list[StepBottleneck]
    officers: list[OfficerScore]
    overdue: list[ServiceRequest]
    """Open requests past their due date now (`overdue_q`), oldest due first."""
    late: list[ServiceRequest]
    """Requests of the period closed beyond the SLA (kept by the refresh), latest first."""


def service_drill_down(
    unit: Unit, service: Service, current: ServiceScorecard | None, today: date, cases: int
) -> ServiceDrillDown:
    perf = (
        UnitServicePerformance.objects.filter(unit=unit, service=service)
        .only("pk", "volume")
        .first()
    )
    bottlenecks = list(StepBottleneck.objects.filter(perf=perf).order_by("rank")) if perf else []
    officers = (
        list(OfficerScore.objects.filter(perf=perf).select_related("officer").order_by("-cases"))
        if perf
        else []
    )
    # The (status, due_date) index; a page of `cases`. A file with the applicant is paused,
    # never overdue.
    fields = ("receipt_code", "submitted_at", "due_date", "finished_at", "status")
    overdue = list(
        ServiceRequest.objects.filter(unit=unit, service=service)
        .filter(overdue_q(today))
        .order_by("due_date")
        .only(*fields)[:cases]
    )
    late_codes = current.late_cases if current is not None else []
    found = {
        r.receipt_code: r
        for r in ServiceRequest.objects.filter(receipt_code__in=late_codes).only(*fields)
    }
    late = [found[c] for c in late_codes if c in found]
    return ServiceDrillDown(perf, bottlenecks, officers, overdue, late)
