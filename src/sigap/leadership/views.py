"""The leadership pages (Pimpinan): agency scorecard → unit → service → officer → case, and the
transformation roadmap. Every page reads the rows `sigap leadership refresh` wrote, scoped by
the access helper: leadership over its subtree, a unit head over the unit."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from sigap.access import Action, can, has_any_role
from sigap.catalogue.models import Service
from sigap.leadership import scoring, selectors
from sigap.leadership.models import (
    ActionStatus,
    PeriodKind,
    RoadmapAction,
    ServiceScorecard,
    UnitScorecard,
)
from sigap.leadership.services import roadmap_action_set_status
from sigap.metrics import registry
from sigap.organisation.models import Unit
from sigap.rules.ikm import element
from sigap.spreadsheets import Ratio
from sigap.web import formatting
from sigap.web.charts import Chart, Series
from sigap.web.errors import errors_to_messages
from sigap.web.exports import export_tables

# (dimension, field, heading, format, sample field): the columns of the agency scorecard.
COLUMNS: tuple[tuple[str, str, Any, str, str | None], ...] = (
    ("speed", "sla_share", gettext_lazy("SLA compliance"), "pct", "sla_cases"),
    ("", "lead_wd_median", gettext_lazy("Median lead time (working days)"), "num1", "closed"),
    ("accuracy", "ftr_share", gettext_lazy("First time right"), "pct", "closed"),
    (
        "responsiveness",
        "complaints_on_time_share",
        gettext_lazy("Complaints followed up on time"),
        "pct",
        "complaints",
    ),
    ("satisfaction", "ikm", gettext_lazy("IKM"), "num2", "skm_responses"),
    ("transparency", "transparency_score", gettext_lazy("Transparency"), "pct", None),
    (
        "integrity",
        "integrity_rate",
        gettext_lazy("Integrity signals per 1,000 requests"),
        "num2",
        "volume",
    ),
    (
        "appraisal",
        "appraisal_diff_index",
        gettext_lazy("SKP differentiation"),
        "num2",
        "appraisal_rated",
    ),
)


def _fmt(value: float | None, kind: str) -> str:
    if kind == "pct":
        return formatting.percent(value, 1)
    return formatting.decimal(value, 2 if kind == "num2" else 1)


def _change(delta: float, kind: str) -> str:
    """A change between periods, signed: "+2,5 pp" for a share (percentage points)."""
    if kind == "pct":
        return formatting.decimal(delta * 100, 1) + " pp"
    return _fmt(delta, kind)


@dataclass(frozen=True)
class Cell:
    field: str
    text: str
    sample: int | None
    small: bool
    rank: int | None
    peers: int
    arrow: str  # ▲ ▼ ▬ or ""
    sense: str  # better / worse / same / ""
    change: str


ARROW_LABELS = {
    "better": gettext_lazy("better than the previous period"),
    "worse": gettext_lazy("worse than the previous period"),
    "same": gettext_lazy("the same as the previous period"),
}


def _cell(row: UnitScorecard, dim: str, field: str, fmt: str, sample: str | None) -> Cell:
    value = getattr(row, field)
    n = getattr(row, sample) if sample else None
    delta = (row.trends or {}).get(field)
    s = scoring.sense(delta, higher_is_better=field not in scoring.LOWER_IS_BETTER)
    arrow = ""
    if s is not None and delta is not None:
        arrow = "▬" if s is scoring.Sense.SAME else ("▲" if delta > 0 else "▼")
    change = ""
    if delta is not None:
        change = ("+" if delta > 0 else "") + _change(delta, fmt)
    return Cell(
        field=field,
        text=_fmt(value, fmt),
        sample=n,
        small=n is not None and value is not None and n < scoring.MIN_SAMPLE,
        rank=getattr(row, f"rank_{dim}") if dim else None,
        peers=(row.ranked_peers or {}).get(dim, 0) if dim else 0,
        arrow=arrow,
        sense=s.value if s else "",
        change=change,
    )


# The agency table leaves lead time to the unit page, so that every column fits a screen.
AGENCY_COLUMNS = tuple(c for c in COLUMNS if c[1] != "lead_wd_median")


def _cells(
    row: UnitScorecard, columns: tuple[tuple[str, str, Any, str, str | None], ...] = COLUMNS
) -> list[Cell]:
    return [_cell(row, d, f, fmt, s) for d, f, _h, fmt, s in columns]


def _require_role(request: HttpRequest) -> None:
    if not has_any_role(request.user, Action.SCORECARD_VIEW):
        raise PermissionDenied


def _unit_in_scope(request: HttpRequest, unit_id: int) -> Unit:
    _require_role(request)
    unit = Unit.objects.filter(pk=unit_id).first()
    # Out of scope is the same answer as a unit that does not exist.
    if unit is None or not can(request.user, Action.SCORECARD_VIEW, unit):
        raise Http404
    return unit


def _period_context(request: HttpRequest) -> dict[str, Any]:
    refresh = selectors.latest_refresh()
    kind, label, labels = selectors.parse_period(
        request.GET.get("kind"), request.GET.get("period"), refresh
    )
    return {
        "refresh": refresh,
        "kind": kind,
        "period": label,
        "periods": labels,
        "kinds": PeriodKind.choices,
    }


def _export_row(r: UnitScorecard) -> list[object]:
    # Shares are Ratio cells: a percentage in XLSX (0.954 shown as 95.4%), the number in CSV.
    return [
        r.unit.name, r.period_label, r.volume, r.closed, r.sla_met, r.sla_cases, Ratio(r.sla_share),
        r.lead_wd_median, r.first_time_right, Ratio(r.ftr_share), r.complaints_on_time,
        r.complaints, Ratio(r.complaints_on_time_share), r.skm_responses, r.ikm, r.ikm_mutu,
        r.services_published, r.services, Ratio(r.standards_published), r.digital_requests,
        Ratio(r.digital_share), r.tracked, Ratio(r.tracking_share), Ratio(r.transparency_score),
        r.integrity_signals, r.wbs_cases,
        r.integrity_rate, r.appraisal_year, r.appraisal_rated,
        r.appraisal_diff_index, r.rank_speed, r.rank_accuracy, r.rank_responsiveness,
        r.rank_satisfaction, r.rank_transparency, r.rank_integrity, r.rank_appraisal, r.peers,
    ]  # fmt: skip


def _export_headers() -> list[str]:
    return [
        _("Unit"), _("Period"), _("Requests"), _("Closed"), _("Within the SLA"),
        _("Judged against the SLA"), _("SLA compliance"), _("Median lead time (working days)"),
        _("First time right"), _("Closed"), _("First-time-right share"),
        _("Complaints followed up on time"), _("Complaints judged"), _("On-time share"),
        _("SKM responses"), "IKM", _("Mutu"), _("Services with a standard"), _("Services"),
        _("Standards published"), _("Digital requests"), _("Digital channel share"),
        _("Requests tracked"), _("Tracking-page use"), _("Transparency"),
        _("Flagged integrity signals"), _("Whistleblowing reports"),
        _("Flagged signals per 1,000 requests"), _("SKP year"), _("Employees rated"),
        _("SKP differentiation"),
        _("Rank: speed"), _("Rank: accuracy"), _("Rank: responsiveness"),
        _("Rank: satisfaction"), _("Rank: transparency"), _("Rank: integrity"),
        _("Rank: appraisal"), _("Peer units"),
    ]  # fmt: skip


def _pooled(rows: list[UnitScorecard]) -> dict[str, str]:
    """The units shown taken together: shares pooled from their counts (not a mean of shares).
    IKM and the other figures do not pool from the stored counts and are left out."""

    def total(field: str) -> int:
        return sum(getattr(r, field) for r in rows)

    return {
        "volume": str(total("volume")),
        "sla_share": _fmt(scoring.share(total("sla_met"), total("sla_cases")), "pct"),
        "ftr_share": _fmt(scoring.share(total("first_time_right"), total("closed")), "pct"),
        "complaints_on_time_share": _fmt(
            scoring.share(total("complaints_on_time"), total("complaints")), "pct"
        ),
        "digital_share": _fmt(scoring.share(total("digital_requests"), total("volume")), "pct"),
    }


@login_required
@require_GET
def scorecard(request: HttpRequest) -> HttpResponse:
    _require_role(request)
    ctx = _period_context(request)
    rows = list(selectors.scorecard_rows(request.user, ctx["kind"], ctx["period"]))
    export = export_tables(
        request,
        {
            "scorecard": lambda: (
                f"scorecard-{ctx['period']}",
                _export_headers(),
                (_export_row(r) for r in rows),
            )
        },
    )
    if export is not None:
        return export
    chart = Chart(
        id="sla-by-unit",
        title=_("SLA compliance by unit"),
        kind="bar",
        categories=[r.unit.name for r in rows],
        series=[
            Series(
                _("SLA compliance"),
                [_series_value(r.sla_share, "pct") for r in rows],
            )
        ],
        unit="%",
        x_label=_("Unit"),
    )
    pooled = _pooled(rows)
    tops = selectors.top_units(r.unit for r in rows)
    return render(
        request,
        "leadership/scorecard.html",
        {
            **ctx,
            "rows": [(r, _cells(r, AGENCY_COLUMNS), tops.get(r.unit_id, "")) for r in rows],
            "columns": [(d, h) for d, _f, h, _fmt, _s in AGENCY_COLUMNS],
            "pooled": [pooled.get(f, "") for _d, f, _h, _fmt, _s in AGENCY_COLUMNS],
            "pooled_volume": pooled["volume"],
            "chart": chart,
            "min_sample": scoring.MIN_SAMPLE,
        },
    )


TREND_CHARTS: tuple[tuple[str, Any, str, Any], ...] = (
    ("sla_share", gettext_lazy("SLA compliance"), "pct", "%"),
    ("lead_wd_median", gettext_lazy("Median lead time (working days)"), "num1", ""),
    ("ftr_share", gettext_lazy("First time right"), "pct", "%"),
    ("complaints_on_time_share", gettext_lazy("Complaints followed up on time"), "pct", "%"),
    ("ikm", gettext_lazy("IKM"), "num2", ""),
    ("digital_share", gettext_lazy("Digital channel share"), "pct", "%"),
    ("standards_published", gettext_lazy("Services with a published standard"), "pct", "%"),
    ("tracking_share", gettext_lazy("Tracking-page use"), "pct", "%"),
    ("integrity_rate", gettext_lazy("Flagged integrity signals per 1,000 requests"), "num2", ""),
    ("appraisal_diff_index", gettext_lazy("SKP differentiation index"), "num2", ""),
)


def _series_value(value: float | None, fmt: str) -> float | None:
    """A share as the chart's 0–100 value; exact in decimal (0.9565 → 95.65, not
    95.64999...), so that the chart's label rounds like the table's `percent`."""
    if value is None:
        return None
    return float(Decimal(repr(value)) * 100) if fmt == "pct" else value


@login_required
@require_GET
def unit_page(request: HttpRequest, unit_id: int) -> HttpResponse:
    unit = _unit_in_scope(request, unit_id)
    ctx = _period_context(request)
    series = selectors.unit_series(unit, ctx["kind"])
    current = next((r for r in series if r.period_label == ctx["period"]), None)
    services = selectors.unit_services(unit, ctx["kind"], ctx["period"])
    export = export_tables(
        request,
        {
            "periods": lambda: (
                f"scorecard-{unit.code}-{ctx['kind']}",
                _export_headers(),
                (_export_row(r) for r in series),
            ),
            "services": lambda: (
                f"services-{unit.code}-{ctx['period']}",
                [_("Service"), _("Period"), _("Requests"), _("Closed"), _("Within the SLA"),
                 _("Judged against the SLA"), _("SLA compliance"),
                 _("Median lead time (working days)"), _("First-time-right share"),
                 _("Digital channel share")],
                ([s.service.name, s.period_label, s.volume, s.closed, s.sla_met, s.sla_cases,
                  Ratio(s.sla_share), s.lead_wd_median, Ratio(s.ftr_share),
                  Ratio(s.digital_share)]
                 for s in services),
            ),
        },
    )  # fmt: skip
    if export is not None:
        return export
    categories = [formatting.period(r.period_label) for r in series]
    charts = [
        Chart(
            id=f"trend-{field}",
            title=str(title),
            kind="line",
            categories=categories,
            series=[Series(str(title), [_series_value(getattr(r, field), fmt) for r in series])],
            unit=str(unit_label),
            x_label=_("Period"),
            decimals=1 if fmt != "num2" else 2,
        )
        for field, title, fmt, unit_label in TREND_CHARTS
    ]
    weakest = element(current.weakest_element).name if current and current.weakest_element else ""
    return render(
        request,
        "leadership/unit.html",
        {
            **ctx,
            "unit": unit,
            "row": current,
            "cells": _cells(current) if current else [],
            "columns": [(d, h) for d, _f, h, _fmt, _s in COLUMNS],
            "series": [(r, _cells(r)) for r in reversed(series)],
            "charts": charts,
            "services": services,
            "weakest": weakest,
            "min_sample": scoring.MIN_SAMPLE,
            "can_see_roadmap": True,
        },
    )


CASES_SHOWN = 20


@login_required
@require_GET
def service_page(request: HttpRequest, unit_id: int, service_id: int) -> HttpResponse:
    unit = _unit_in_scope(request, unit_id)
    service = get_object_or_404(Service, pk=service_id)
    ctx = _period_context(request)
    series = selectors.service_series(unit, service.pk, ctx["kind"])
    if not series and service.unit_id != unit.pk:
        raise Http404
    current: ServiceScorecard | None = next(
        (r for r in series if r.period_label == ctx["period"]), None
    )
    drill = selectors.service_drill_down(unit, service, current, timezone.localdate(), CASES_SHOWN)
    perf, bottlenecks, officers = drill.perf, drill.bottlenecks, drill.officers
    overdue, late = drill.overdue, drill.late
    export = export_tables(
        request,
        {
            "periods": lambda: (
                f"{service.code}-{unit.code}-{ctx['kind']}",
                [_("Period"), _("Requests"), _("Closed"), _("Within the SLA"),
                 _("Judged against the SLA"), _("SLA compliance"),
                 _("Median lead time (working days)"), _("First time right"),
                 _("First-time-right share"), _("Digital requests"), _("Digital channel share")],
                ([r.period_label, r.volume, r.closed, r.sla_met, r.sla_cases, Ratio(r.sla_share),
                  r.lead_wd_median, r.first_time_right, Ratio(r.ftr_share), r.digital_requests,
                  Ratio(r.digital_share)] for r in series),
            ),
            "bottlenecks": lambda: (
                f"bottlenecks-{service.code}-{unit.code}",
                [_("Step"), _("Events"), _("Median waiting (days)"), _("Total waiting (days)"),
                 _("Share of all waiting")],
                ([b.activity, b.events, b.median_wait_days, b.total_wait_days,
                  Ratio(b.share_of_waiting)] for b in bottlenecks),
            ),
            "officers": lambda: (
                f"officers-{service.code}-{unit.code}",
                [_("Officer"), "NIP", _("Requests"), _("Steps"), _("Median handling (hours)"),
                 _("SLA compliance"), _("Steps redone")],
                ([o.officer.name, o.officer.nip, o.cases, o.steps, o.handling_median_hours,
                  Ratio(o.sla_share), o.rework_caused] for o in officers),
            ),
        },
    )  # fmt: skip
    if export is not None:
        return export
    categories = [formatting.period(r.period_label) for r in series]
    charts = [
        Chart(
            id="service-sla",
            title=_("SLA compliance"),
            kind="line",
            categories=categories,
            series=[
                Series(_("SLA compliance"), [_series_value(r.sla_share, "pct") for r in series])
            ],
            unit="%",
            x_label=_("Period"),
        ),
        Chart(
            id="service-volume",
            title=_("Requests"),
            kind="bar",
            categories=categories,
            series=[Series(_("Requests"), [float(r.volume) for r in series])],
            x_label=_("Period"),
            decimals=0,
        ),
    ]
    return render(
        request,
        "leadership/service.html",
        {
            **ctx,
            "unit": unit,
            "service": service,
            "row": current,
            "series": list(reversed(series)),
            "charts": charts,
            "perf": perf,
            "bottlenecks": bottlenecks,
            "officers": officers,
            "overdue": overdue,
            "late": late,
            "appraisal_year": (ctx["refresh"].as_of.year - 1) if ctx["refresh"] else None,
        },
    )


def _roadmap_context(request: HttpRequest, unit: Unit | None) -> dict[str, Any]:
    actions = list(selectors.roadmap_actions(request.user, unit))
    progress = selectors.progress(actions)
    fmt = {k: f for k, _t, f, _u in TREND_CHARTS}
    fmt["standards_published"] = "pct"
    items = []
    for a in actions:
        f = fmt.get(a.metric_key, "num2")
        items.append(
            {
                "action": a,
                "baseline": _fmt(a.baseline_value, f),
                "target": _fmt(a.target_value, f),
                "progress": [(p.period, _fmt(p.value, f)) for p in progress.get(a.pk, [])],
                "can_edit": can(request.user, Action.ROADMAP_EDIT, a.unit),
            }
        )
    return {"items": items, "statuses": ActionStatus.choices}


def _roadmap_export(items: list[dict[str, Any]]) -> tuple[list[str], Any]:
    headers = [
        _("Unit"), _("Direction"), _("Action"), _("Evidence"), _("Metric"), _("Baseline"),
        _("Baseline period"), _("Target"), _("Gap (0–1)"), _("Citizens affected"),
        _("Priority (gap × citizens)"), _("Status"), _("Progress"),
    ]  # fmt: skip
    rows = (
        [
            i["action"].unit.name, i["action"].get_direction_display(), i["action"].title_text,
            i["action"].evidence_text, _metric_label(i["action"].metric_key),
            i["action"].baseline_value,
            i["action"].baseline_period, i["action"].target_value, i["action"].gap,
            i["action"].citizens, i["action"].priority, i["action"].get_status_display(),
            "; ".join(f"{p}: {v}" for p, v in i["progress"]),
        ]
        for i in items
    )  # fmt: skip
    return headers, rows


def _roadmap_page(request: HttpRequest, unit: Unit | None) -> HttpResponse:
    """The roadmap of every unit in scope (`unit` None) or of one unit, or its export."""
    ctx = _roadmap_context(request, unit)
    headers, rows = _roadmap_export(ctx["items"])
    filename = f"roadmap-{unit.code}" if unit is not None else "roadmap"
    export = export_tables(request, {"roadmap": lambda: (filename, headers, rows)})
    if export is not None:
        return export
    return render(
        request,
        "leadership/roadmap.html",
        {**ctx, "unit": unit, "refresh": selectors.latest_refresh()},
    )


@login_required
@require_GET
def roadmap(request: HttpRequest) -> HttpResponse:
    _require_role(request)
    return _roadmap_page(request, None)


@login_required
@require_GET
def roadmap_unit(request: HttpRequest, unit_id: int) -> HttpResponse:
    return _roadmap_page(request, _unit_in_scope(request, unit_id))


def _metric_label(key: str) -> str:
    """The figure a roadmap action targets, by its name ("SLA compliance", not "sla_share")."""
    found = registry.METRICS.get(key)
    return str(found.label) if found is not None else key


@login_required
@require_POST
def roadmap_action_status(request: HttpRequest, pk: int) -> HttpResponse:
    _require_role(request)
    action = RoadmapAction.objects.select_related("unit").filter(pk=pk).first()
    if action is None or not can(request.user, Action.SCORECARD_VIEW, action.unit):
        raise Http404
    if not can(request.user, Action.ROADMAP_EDIT, action.unit):
        raise PermissionDenied
    try:
        roadmap_action_set_status(
            action=action,
            user=request.user,
            status=request.POST.get("status", ""),
            note=request.POST.get("note", ""),
        )
    except ValidationError as exc:
        errors_to_messages(
            request, exc, labels={"note": _("Note (needed to dismiss)"), "status": _("New status")}
        )
    else:
        messages.success(
            request,
            _("The action is now “%(s)s”.") % {"s": ActionStatus(request.POST["status"]).label},
        )
    back = request.POST.get("next", "")
    if not back.startswith("/pimpinan/"):
        back = reverse("leadership:roadmap_unit", args=[action.unit_id])
    return redirect(back)
