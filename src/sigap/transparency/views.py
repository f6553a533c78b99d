"""The public transparency pages at /transparansi/: no log-in, precomputed rows only.

Every page has a clean permalink that names its period (/transparansi/<unit>/2026-Q3/), is
cacheable by anyone for a few minutes (the figures change once per refresh, and the refresh time
is the Last-Modified), prints without the site chrome and offers each table as CSV/XLSX.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.cache import patch_cache_control
from django.utils.http import http_date
from django.utils.translation import gettext, gettext_lazy
from django.views.decorators.http import require_GET

from sigap.catalogue.selectors import consultation_records
from sigap.innovation.outcomes import public_innovations
from sigap.leadership.models import ScorecardRefresh
from sigap.leadership.scoring import previous_period
from sigap.surveys.selectors import agency_ikm
from sigap.transparency import selectors, tables
from sigap.transparency.selectors import Period
from sigap.web.exports import export_tables

# Browsers and proxies may reuse a page for five minutes: the figures change once per refresh
# (daily), and five minutes keeps a just-published service standard from hiding for long.
CACHE_SECONDS = 300

KIND_NAMES = {
    "month": gettext_lazy("By month"),
    "quarter": gettext_lazy("By quarter"),
    "year": gettext_lazy("By year"),
}


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


def _period_nav(
    ranges: dict[str, tuple[str, str]], period: Period, url: Callable[[str], str]
) -> dict[str, Any]:
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
    refresh = selectors.last_refresh()
    exported = export_tables(request, tables.index_tables(units, label))
    if exported is not None:
        return _public(request, exported, refresh)

    def url(lb: str) -> str:
        return reverse("transparency:index_period", args=[lb])

    context: dict[str, Any] = {
        "period": current,
        "units": units,
        "refresh": refresh,
        "partial": bool(current and refresh and current.end > refresh.as_of),
        "nav": _period_nav(ranges, current, url) if current else None,
        "permalink": url(label) if current else "",
        "canonical": request.build_absolute_uri(request.path),
        "description": tables.index_description(label),
        # The agency's IKM in the period, as a figure above the table (readable on a phone).
        "agency": agency_ikm(label) if label else None,
    }
    return _public(request, render(request, "transparency/index.html", context), refresh)


@require_GET
def unit(request: HttpRequest, unit: str, period: str | None = None) -> HttpResponse:
    found = selectors.public_unit(unit)
    if found is None:
        return _not_found(request, code=unit)
    requested = selectors.parse_period(period) if period is not None else None
    if period is not None and requested is None:
        return _not_found(request, period=period)
    ranges = selectors.period_ranges(found)
    current = requested or _resolve(None, ranges)
    if current is None:  # nothing computed yet for this unit
        label, trend = "", []
    else:
        label, trend = current.label, selectors.trend(found, current)
    now = trend[-1] if trend and trend[-1].period_label == label else selectors.figures(None, label)
    services = selectors.services_with_standards(found, current)
    refresh = selectors.last_refresh()
    exported = export_tables(request, tables.unit_tables(found, trend, services, label))
    if exported is not None:
        return _public(request, exported, refresh)

    def url(lb: str) -> str:
        return reverse("transparency:unit_period", args=[found.code, lb])

    context: dict[str, Any] = {
        "unit": found,
        "period": current,
        "now": now,
        "charts": tables.trend_charts(trend),
        "services": services,
        # The public consultation of each standard in force stays published with it.
        "consultations": consultation_records(p.standard for p in services),
        "refresh": refresh,
        "partial": bool(current and refresh and current.end > refresh.as_of),
        "nav": _period_nav(ranges, current, url) if current else None,
        "permalink": url(label) if current else reverse("transparency:unit", args=[found.code]),
        "canonical": request.build_absolute_uri(request.path),
        "description": tables.unit_description(found, services, now, label),
    }
    return _public(request, render(request, "transparency/unit.html", context), refresh)


@require_GET
def innovations(request: HttpRequest) -> HttpResponse:
    """The agency's innovations in application, with their units, services, dates and measured
    effect (the headline sentence of each KPI, as the leadership pages show it). No person is
    named: the initiator by type only."""
    refresh = selectors.last_refresh()
    # A unit whose code is the path word keeps its pages at /transparansi/inovasi/<period>/.
    shadowed = selectors.public_unit("inovasi")
    shadowed_url = ""
    if shadowed is not None:
        ranges = selectors.period_ranges(shadowed)
        current = _resolve(None, ranges)
        if current is not None:
            shadowed_url = reverse("transparency:unit_period", args=[shadowed.code, current.label])
    context: dict[str, Any] = {
        "innovations": public_innovations(),
        "refresh": refresh,
        "shadowed": shadowed if shadowed_url else None,
        "shadowed_url": shadowed_url,
        "canonical": request.build_absolute_uri(request.path),
        "description": gettext(
            "Service innovations in application, the units and services they changed, and "
            "their measured effect on the service."
        ),
    }
    return _public(request, render(request, "transparency/innovations.html", context), refresh)
