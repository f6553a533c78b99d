"""The public service catalogue at /layanan/: no log-in, no form posting personal data.

Search is a GET form (it works without JavaScript, and a result page is a link one can share);
it forgives typos and everyday words (`sigap.catalogue.search`). The catalogue is also browsed by
life event and by unit. A service page shows the standard in force today with the 14 components
of PermenPANRB 15/2014, prints cleanly (static/sigap/print.css) and gives the registry's median
lead time of the service and its unit over the last 90 days.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from sigap.catalogue import selectors as catalogue_selectors
from sigap.catalogue.forms import HONEYPOT, CommentForm
from sigap.catalogue.models import Service, ServiceStandard
from sigap.catalogue.services import consultation_comment_submit
from sigap.documents.services import retention_days
from sigap.frontdoor import selectors
from sigap.surveys.selectors import unit_latest_public
from sigap.surveys.views import too_many
from sigap.throttling import ratelimit
from sigap.web.errors import errors_to_form

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
        **_consultation_context(found, standard, today),
        "service": found,
        "standard": standard,
        "steps": standard.ordered_steps() if standard else [],
        "today": today,
        "figures": selectors.service_figures(found, today),
        "ikm": unit_latest_public(found.unit_id),
        "document_retention_days": retention_days(found),
        "canonical": request.build_absolute_uri(request.path),
    }
    response = render(request, "frontdoor/service.html", context)
    if context["consultation_open"]:
        # The comment form carries a CSRF token: the page is nobody else's copy.
        patch_cache_control(response, private=True, max_age=0)
        return response
    return _public(request, response)


def _consultation_context(
    service: Service, standard: ServiceStandard | None, today: Any
) -> dict[str, Any]:
    """The draft under public consultation (with its answered comments and, while open, the
    comment form) and the consultation record of the version in force."""
    draft = catalogue_selectors.draft_consultation(service)
    record = (
        catalogue_selectors.consultation_records([standard]).get(standard.pk) if standard else None
    )
    return {
        "consultation": draft,
        "consultation_open": draft is not None and draft.is_open_on(today),
        "draft_steps": draft.standard.ordered_steps() if draft else [],
        "draft_comments": catalogue_selectors.public_comments(draft) if draft else [],
        "comment_form": CommentForm(),
        "record": record,
    }


@require_POST
@never_cache
def consultation_comment(request: HttpRequest, code: str) -> HttpResponse:
    """A comment of the public on the draft standard of a service (no account needed)."""
    found = selectors.active_services().filter(code=code).first()
    consultation = catalogue_selectors.draft_consultation(found) if found else None
    if found is None or consultation is None:
        return render(request, "frontdoor/not_found.html", {"code": code}, status=404)
    decision = ratelimit.hit(request, "consultation")
    if not decision.allowed:
        return too_many(request, decision)
    form = CommentForm(request.POST)
    if form.is_valid() and not form.cleaned_data[HONEYPOT]:
        try:
            consultation_comment_submit(
                consultation=consultation,
                text=form.cleaned_data["text"],
                name=form.cleaned_data["name"],
                contact=form.cleaned_data["contact"],
            )
        except ValidationError as exc:
            errors_to_form(form, exc, default_field="text")
        else:
            return render(request, "frontdoor/consultation_thanks.html", {"service": found})
    elif form.is_bound and form.cleaned_data.get(HONEYPOT):
        form.add_error(None, gettext("The form could not be sent. Please try again."))
    today = timezone.localdate()
    standard = found.standard_on(today)
    context = {
        **_consultation_context(found, standard, today),
        "comment_form": form,
        "service": found,
    }
    return render(request, "frontdoor/consultation_form.html", context, status=400)
