"""The "Kinerja layanan" pages: per unit and service, read from the precomputed result tables
(filled by `sigap analytics refresh`), scoped by the access helper. No page aggregates events."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET

from sigap.access import Action, has_any_role, scoped
from sigap.metrics.selectors import OpenCounts, open_counts
from sigap.performance.models import PerformanceRun, UnitServicePerformance
from sigap.service_requests.models import ServiceRequest

DEVIATION_KINDS = {
    "skipped": _("Skipped"),
    "extra": _("Extra or repeated"),
    "out_of_order": _("Out of order"),
}


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
    return render(
        request,
        "performance/list.html",
        {
            "rows": [(p, live.get((p.unit_id, p.service_id), none)) for p in rows],
            "run": PerformanceRun.objects.first(),
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
