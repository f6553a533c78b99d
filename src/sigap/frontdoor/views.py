"""The public service catalogue at /layanan/: no log-in, no form posting personal data.

Search is a GET form (it works without JavaScript, and a result page is a link one can share);
it forgives typos and everyday words (`sigap.catalogue.search`). The catalogue is also browsed by
life event and by unit. A service page shows the standard in force today with the 14 components
of PermenPANRB 15/2014, prints cleanly (static/sigap/print.css) and gives the registry's median
lead time of the service and its unit over the last 90 days.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import patch_cache_control
from django.views.decorators.http import require_GET

from sigap.catalogue.models import Service
from sigap.documents.services import retention_days
from sigap.frontdoor import selectors
from sigap.surveys.selectors import unit_latest_public
from sigap.surveys.views import too_many
from sigap.throttling import ratelimit

# As the transparency pages: shared caches may keep a page five minutes for anonymous visitors
# (a published standard shows within five minutes); a signed-in person's page carries their name.
CACHE_SECONDS = 300
QUERY_MAX = 100


def _public(request: HttpRequest, response: HttpResponse) -> HttpResponse:
    if request.user.is_authenticated:
        patch_cache_control(response, private=True, max_age=0)
    else:
        patch_cache_control(response, public=True, max_age=CACHE_SECONDS)
    return response


def _int(value: str | None) -> int | None:
    return int(value) if value and value.isdigit() and len(value) < 10 else None


@require_GET
def catalogue(request: HttpRequest) -> HttpResponse:
    query = " ".join(request.GET.get("q", "").split())[:QUERY_MAX]
    event_code = request.GET.get("peristiwa", "")
    unit_id = _int(request.GET.get("unit"))
    if query:
        # Each search scores every service: a client may not make it a cheap flood.
        decision = ratelimit.hit(request, "search")
        if not decision.allowed:
            return too_many(request, decision)
    today = timezone.localdate()
    services = list(selectors.active_services())
    standards = selectors.standards_in_force(services, today)
    events = list(selectors.life_events())
    units = list(selectors.units_with_services())
    event = next((e for e in events if e.code == event_code), None)
    unit = next((u for u in units if u.pk == unit_id), None)
    results: list[Service] | None = None
    if query:
        results = selectors.find(query, services, standards)
    elif event is not None:
        results = [s for s in services if any(e.pk == event.pk for e in s.life_events.all())]
    elif unit is not None:
        results = [s for s in services if s.unit_id == unit.pk]
    context: dict[str, Any] = {
        "query": query,
        "event": event,
        "unit": unit,
        "events": events,
        "units": units,
        "results": [(s, standards.get(s.pk)) for s in results] if results is not None else None,
        "total": len(services),
        "canonical": request.build_absolute_uri(reverse("frontdoor:catalogue")),
    }
    unknown = (event_code and event is None) or (request.GET.get("unit") and unit is None)
    status = 404 if unknown else 200
    return _public(request, render(request, "frontdoor/catalogue.html", context, status=status))


@require_GET
def service(request: HttpRequest, code: str) -> HttpResponse:
    found = selectors.active_services().filter(code=code).first()
    if found is None:
        return render(request, "frontdoor/not_found.html", {"code": code}, status=404)
    today = timezone.localdate()
    standard = found.standard_on(today)
    context: dict[str, Any] = {
        "service": found,
        "standard": standard,
        "steps": standard.ordered_steps() if standard else [],
        "today": today,
        "figures": selectors.service_figures(found, today),
        "ikm": unit_latest_public(found.unit_id),
        "document_retention_days": retention_days(found),
        "canonical": request.build_absolute_uri(request.path),
    }
    return _public(request, render(request, "frontdoor/service.html", context))
