"""The page a form refused by Django's CSRF check gets (settings.CSRF_FAILURE_VIEW).

Django's own page is English-first, technical and a dead end. This one says, in the site
language, what happened and what to do: nothing was saved; open the form again and send it
once more; cookies must be allowed for this site. Django's reason (a technical English sentence)
is logged by the CSRF middleware and never shown.
"""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.http import url_has_allowed_host_and_scheme


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    # The way back is the page the form was on (the same path, opened afresh with GET); a path
    # that could lead off-site ("//host/...") gets the home page instead.
    back = request.path
    if not url_has_allowed_host_and_scheme(back, allowed_hosts=None):
        back = ""
    return render(
        request,
        "web/csrf_failure.html",
        # Marked by the whistleblowing app's AnonymousRouteMiddleware (first in MIDDLEWARE), so
        # this shared page need not import that app.
        {"back": back, "whistleblowing": getattr(request, "anonymous_route", False)},
        status=403,
    )
