"""The "Kinerja layanan" pages: per unit and service, read from the precomputed result tables
(filled by `sigap analytics refresh`), scoped by the access helper. No page aggregates events."""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET

from sigap.access import Action, has_any_role, scoped
from sigap.metrics.selectors import OpenCounts, open_counts
from sigap.organisation.models import Unit
from sigap.performance.models import DataQualityFinding, PerformanceRun, UnitServicePerformance
from sigap.service_requests.models import ServiceRequest

DEVIATION_KINDS = {
    "skipped": _("Skipped"),
    "extra": _("Extra or repeated"),
    "out_of_order": _("Out of order"),
}

# The data-quality checks of the last refresh (`sigap.performance.quality`), in page order.
QUALITY_CHECKS = {
    "no_events": _("Requests without any event"),
    "before_submission": _("Events dated before their request was submitted"),
    "future_events": _("Events dated in the future"),
    "back_in_time": _("Requests whose events go back in time"),
    "officer_missing": _("Finished steps without an officer"),
    "duplicate_events": _("Events repeating the step, time and officer of an earlier event"),
    "store_duplicates": _("Duplicate events in the analytics store"),
    "store_out_of_range": _("Events dated before 1990 or more than a day ahead"),
    "store_long_cases": _("Requests spanning more than five years"),
    "store_zero_length": _("Requests whose events all share one instant"),
    "store_ties": _("Events sharing their request and time with an earlier event"),
    "store_single_activities": _("Steps that occur only once"),
}
# Worth knowing, but not an error in the data.
QUALITY_INFO = frozenset({"store_ties", "store_single_activities"})


@dataclass(frozen=True)
class QualityRow:
    label: str
    count: int
    total: int
    share: float | None
    examples: list[str]
    warning: bool


def _quality(request: HttpRequest, run: PerformanceRun | None) -> list[QualityRow]:
    """The last run's findings the reader may see: the operational ones of the units in their
    scope, summed; the store's (all units together) only when their scope is every unit."""
    if run is None:
        return []
    findings = list(
        scoped(
            request.user,
            Action.PERFORMANCE_VIEW,
            DataQualityFinding.objects.filter(run=run, unit__isnull=False),
        )
    )
    every_unit = Unit.objects.count()
    if scoped(request.user, Action.PERFORMANCE_VIEW, Unit.objects.all(), "").count() == every_unit:
        findings += DataQualityFinding.objects.filter(run=run, unit__isnull=True)
    summed: dict[str, list[DataQualityFinding]] = {}
    for f in findings:
        summed.setdefault(f.code, []).append(f)
    rows = []
    for code, label in QUALITY_CHECKS.items():
        found = summed.get(code, [])
        count = sum(f.count for f in found)
        if not count:
            continue
        total = sum(f.total for f in found)
        examples = sorted({e for f in found for e in f.examples})[:5]
        rows.append(
            QualityRow(
                str(label), count, total, count / total if total else None, examples,
                code not in QUALITY_INFO,
            )
        )  # fmt: skip
    return rows


def _rows(request: HttpRequest):  # type: ignore[no-untyped-def]
    if not has_any_role(request.user, Action.PERFORMANCE_VIEW):
        raise PermissionDenied
    return scoped(
        request.user, Action.PERFORMANCE_VIEW, UnitServicePerformance.objects.all()
    ).select_related("unit", "service")


def _live(request: HttpRequest, **filters: object) -> dict[tuple[object, ...], OpenCounts]:
    """Open, overdue and paused requests now, per (unit, service): the registry's live figures,
    counted as the request list counts them (not from the analytics snapshot)."""
    requests = scoped(
        request.user, Action.PERFORMANCE_VIEW, ServiceRequest.objects.filter(**filters)
    )
    return open_counts(requests, timezone.localdate(), ("unit_id", "service_id"))


@login_required
@require_GET
def performance_list(request: HttpRequest) -> HttpResponse:
    rows = list(_rows(request))
    live = _live(request)
    none = OpenCounts(0, 0, 0)
    run = PerformanceRun.objects.first()
    return render(
        request,
        "performance/list.html",
        {
            "rows": [(p, live.get((p.unit_id, p.service_id), none)) for p in rows],
            "run": run,
            "quality": _quality(request, run),
            "today": timezone.localdate(),
        },
    )


@login_required
@require_GET
def performance_detail(request: HttpRequest, pk: int) -> HttpResponse:
    perf = _rows(request).filter(pk=pk).first()
    if perf is None:
        raise Http404
    deviations = [
        (DEVIATION_KINDS.get(d.kind, d.kind), d) for d in perf.deviations.order_by("rank")
    ]
    live = _live(request, unit_id=perf.unit_id, service_id=perf.service_id)
    return render(
        request,
        "performance/detail.html",
        {
            "p": perf,
            "live": live.get((perf.unit_id, perf.service_id), OpenCounts(0, 0, 0)),
            "today": timezone.localdate(),
            "run": PerformanceRun.objects.first(),
            "bottlenecks": perf.bottlenecks.order_by("rank"),
            "deviations": deviations,
            "scorecards": perf.scorecards.select_related("officer").order_by("-cases"),
        },
    )
