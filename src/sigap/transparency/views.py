"""The public transparency pages at /transparansi/: no log-in, precomputed rows only.

Every page has a clean permalink that names its period (/transparansi/<unit>/2026-Q3/), is
cacheable by anyone for a few minutes (the figures change once per refresh, and the refresh time
is the Last-Modified), prints without the site chrome and offers each table as CSV/XLSX.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.cache import patch_cache_control
from django.utils.formats import number_format
from django.utils.http import http_date
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET

from sigap.leadership.models import ScorecardRefresh
from sigap.leadership.scoring import previous_period
from sigap.transparency import selectors
from sigap.transparency.selectors import Kind, Period, UnitFigures
from sigap.web.charts import Chart, Series, TableColumn
from sigap.web.exports import Rows, export_tables

# Browsers and proxies may reuse a page for five minutes: the figures change once per refresh
# (daily), and five minutes keeps a just-published service standard from hiding for long.
CACHE_SECONDS = 300

KIND_NAMES = {
    "month": gettext_lazy("By month"),
    "quarter": gettext_lazy("By quarter"),
    "year": gettext_lazy("By year"),
}

TableBuilder = Callable[[], tuple[str, Sequence[object], Rows]]


def _public(
    request: HttpRequest, response: HttpResponse, refresh: ScorecardRefresh | None
) -> HttpResponse:
    """Cache headers of a public page: shared caches for anonymous visitors only (a logged-in
    person's page carries their name in the header)."""
    if request.user.is_authenticated:
        patch_cache_control(response, private=True, max_age=0)
    else:
        patch_cache_control(response, public=True, max_age=CACHE_SECONDS)
    if refresh is not None:
        response["Last-Modified"] = http_date(refresh.finished_at.timestamp())
    return response


def _not_found(request: HttpRequest, *, code: str = "", period: str = "") -> HttpResponse:
    return render(
        request, "transparency/not_found.html", {"code": code, "period": period}, status=404
    )


def _pct(value: float | None) -> str:
    return "—" if value is None else number_format(value, 1, use_l10n=True) + "%"


def _pct_raw(value: float | None) -> float | None:
    return None if value is None else round(value, 1)


def _period_nav(ranges: dict[str, tuple[str, str]], period: Period, url: Callable[[str], str]):  # type: ignore[no-untyped-def]
    """Links to the previous / next period of the same kind and to the newest of every kind."""
    first, last = ranges.get(period.kind, (period.label, period.label))
    previous = previous_period(period.label)
    following = selectors.next_period(period.label)
    return {
        "previous": (previous, url(previous)) if previous >= first else None,
        "next": (following, url(following)) if following <= last else None,
        "kinds": [
            (KIND_NAMES[kind], url(ranges[kind][1]), kind == period.kind)
            for kind in selectors.KINDS
            if kind in ranges
        ],
    }


def _resolve(period: str | None, ranges: dict[str, tuple[str, str]]) -> Period | None:
    """The page's period: the one in the URL, else the newest computed quarter (or any kind)."""
    if period is not None:
        return selectors.parse_period(period)
    for kind in (selectors.DEFAULT_KIND, *selectors.KINDS):
        if kind in ranges:
            return selectors.parse_period(ranges[kind][1])
    return None


@require_GET
def index(request: HttpRequest, period: str | None = None) -> HttpResponse:
    ranges = selectors.period_ranges()
    current = _resolve(period, ranges)
    if period is not None and current is None:
        return _not_found(request, period=period)
    units = selectors.public_units(current)
    label = current.label if current else ""

    def units_table() -> tuple[str, Sequence[object], Rows]:
        headers = [
            _("Unit"), _("Period"), _("Requests"),
            _("Judged against the SLA"), _("Within the SLA"), _("SLA compliance (%)"),
            _("SKM respondents"), "IKM", _("Mutu"),
            _("Complaints judged"), _("Followed up on time"), _("Complaints on time (%)"),
        ]  # fmt: skip
        rows = []
        for u in units:
            f = u.figures or selectors.figures(None, label)
            rows.append([
                u.unit.name, label, f.volume,
                f.sla.whole, f.sla.part, _pct_raw(f.sla.percent),
                f.ikm.respondents, f.ikm.value, f.ikm.mutu,
                f.complaints.whole, f.complaints.part, _pct_raw(f.complaints.percent),
            ])  # fmt: skip
        return f"transparansi-unit-{label}", headers, rows

    def services_table() -> tuple[str, Sequence[object], Rows]:
        headers = [_("Unit"), _("Service"), _("Description")]
        rows = [[u.unit.name, s.name, s.description] for u in units for s in u.services]
        return "transparansi-layanan", headers, rows

    tables: dict[str, TableBuilder] = {"units": units_table, "services": services_table}
    exported = export_tables(request, tables)
    refresh = selectors.last_refresh()
    if exported is not None:
        return _public(request, exported, refresh)
    context: dict[str, Any] = {
        "period": current,
        "units": units,
        "refresh": refresh,
        "partial": bool(current and refresh and current.end > refresh.as_of),
        "nav": (
            _period_nav(ranges, current, lambda lb: reverse("transparency:index_period", args=[lb]))
            if current
            else None
        ),
        "permalink": reverse("transparency:index_period", args=[label]) if current else "",
        "canonical": request.build_absolute_uri(request.path),
        "description": _(
            "Service standards and performance of every public service unit: SLA compliance, "
            "community satisfaction (IKM) and complaints followed up on time%(period)s."
        )
        % {"period": f" ({label})" if label else ""},
    }
    return _public(request, render(request, "transparency/index.html", context), refresh)


def _charts(trend: list[UnitFigures]) -> dict[str, Chart]:
    labels = [f.period_label for f in trend]

    def of(part: int, whole: int) -> str:
        return _("%(part)s of %(whole)s") % {
            "part": number_format(part, force_grouping=True),
            "whole": number_format(whole, force_grouping=True),
        }

    return {
        "sla": Chart(
            id="sla",
            title=_("Requests completed within the service standard's time limit"),
            kind="line",
            categories=labels,
            series=[Series(_("SLA compliance"), [f.sla.percent for f in trend])],
            unit="%",
            x_label=_("Period"),
            table_columns=(
                TableColumn(
                    _("Within the SLA, of requests judged"),
                    [of(f.sla.part, f.sla.whole) for f in trend],
                ),
            ),
        ),
        "ikm": Chart(
            id="ikm",
            title=_("Community satisfaction index (IKM, 25–100)"),
            kind="line",
            categories=labels,
            series=[Series("IKM", [f.ikm.value for f in trend])],
            x_label=_("Period"),
            decimals=2,
            table_columns=(
                TableColumn(_("Mutu"), [f.ikm.mutu or "—" for f in trend]),
                TableColumn(
                    _("Respondents"),
                    [number_format(f.ikm.respondents, force_grouping=True) for f in trend],
                ),
            ),
        ),
        "complaints": Chart(
            id="complaints",
            title=_("Complaints followed up within the SP4N-LAPOR! deadline"),
            kind="line",
            categories=labels,
            series=[Series(_("Followed up on time"), [f.complaints.percent for f in trend])],
            unit="%",
            x_label=_("Period"),
            table_columns=(
                TableColumn(
                    _("On time, of complaints judged"),
                    [of(f.complaints.part, f.complaints.whole) for f in trend],
                ),
            ),
        ),
    }


@require_GET
def unit(request: HttpRequest, unit: str, period: str | None = None) -> HttpResponse:
    found = selectors.public_unit(unit)
    if found is None:
        return _not_found(request, code=unit)
    requested = None
    if period is not None:
        requested = selectors.parse_period(period)
        if requested is None:
            return _not_found(request, period=period)
    ranges = selectors.period_ranges(found)
    current = requested or _resolve(None, ranges)
    kind: Kind = current.kind if current else selectors.DEFAULT_KIND
    label, trend = selectors.trend(found, kind, current.label if current else None)
    now = (
        trend[-1]
        if trend and trend[-1].period_label == label
        else selectors.figures(None, label or "")
    )
    services = selectors.services_with_standards(found, current)
    charts = _charts(trend)
    label = label or ""

    def trend_table(
        name: str, headers: list[str], row: Callable[[UnitFigures], list[object]]
    ) -> TableBuilder:
        return lambda: (
            f"transparansi-{found.code}-{name}-{label}",
            [_("Period"), *headers],
            [[f.period_label, *row(f)] for f in trend],
        )

    def services_table() -> tuple[str, Sequence[object], Rows]:
        headers = [
            _("Service"), _("Standard version"), _("In force since"),
            _("Time limit (working days)"), _("Tariff (rupiah)"), _("Product"),
            _("Period"), _("Requests"), _("Judged against the SLA"), _("Within the SLA"),
            _("SLA compliance (%)"),
        ]  # fmt: skip
        rows = []
        for p in services:
            std, fig = p.standard, p.period_figures
            rows.append([
                p.service.name,
                std.version if std else None, std.valid_from if std else None,
                std.sla_working_days if std else None, std.tariff_rupiah if std else None,
                std.product if std else "",
                label, fig.volume if fig else 0, fig.sla_cases if fig else 0,
                fig.sla_met if fig else 0,
                _pct_raw(fig.sla_share * 100) if fig and fig.sla_share is not None else None,
            ])  # fmt: skip
        return f"transparansi-{found.code}-layanan-{label}", headers, rows

    tables: dict[str, TableBuilder] = {
        "sla": trend_table(
            "sla",
            [_("Judged against the SLA"), _("Within the SLA"), _("SLA compliance (%)")],
            lambda f: [f.sla.whole, f.sla.part, _pct_raw(f.sla.percent)],
        ),
        "ikm": trend_table(
            "ikm",
            [
                _("Requests"),
                _("SKM respondents"),
                _("Sample needed (Krejcie–Morgan)"),
                "IKM",
                _("Mutu"),
            ],
            lambda f: [f.volume, f.ikm.respondents, f.ikm.required, f.ikm.value, f.ikm.mutu],
        ),
        "complaints": trend_table(
            "pengaduan",
            [_("Complaints judged"), _("Followed up on time"), _("Complaints on time (%)")],
            lambda f: [f.complaints.whole, f.complaints.part, _pct_raw(f.complaints.percent)],
        ),
        "services": services_table,
    }
    exported = export_tables(request, tables)
    refresh = selectors.last_refresh()
    if exported is not None:
        return _public(request, exported, refresh)

    def url(lb: str) -> str:
        return reverse("transparency:unit_period", args=[found.code, lb])

    summary = []
    if now.sla.percent is not None:
        summary.append(_("SLA compliance %(v)s") % {"v": _pct(now.sla.percent)})
    if now.ikm.value is not None:
        summary.append(
            _("IKM %(v)s (mutu %(m)s)")
            % {"v": number_format(now.ikm.value, 2, use_l10n=True), "m": now.ikm.mutu}
        )
    if now.complaints.percent is not None:
        summary.append(
            _("complaints followed up on time %(v)s") % {"v": _pct(now.complaints.percent)}
        )
    names = ", ".join(p.service.name for p in services[:6])
    description = _("%(unit)s: service standards (%(services)s)") % {
        "unit": found.name,
        "services": names,
    }
    if summary and label:
        description += f"; {label}: " + ", ".join(summary)
    context: dict[str, Any] = {
        "unit": found,
        "period": current if current and current.label == label else selectors.parse_period(label),
        "now": now,
        "trend": trend,
        "charts": charts,
        "services": services,
        "refresh": refresh,
        "partial": bool(current and refresh and current.end > refresh.as_of),
        "nav": _period_nav(ranges, current, url) if current else None,
        "permalink": url(label) if label else reverse("transparency:unit", args=[found.code]),
        "canonical": request.build_absolute_uri(request.path),
        "description": description + ".",
    }
    return _public(request, render(request, "transparency/unit.html", context), refresh)
