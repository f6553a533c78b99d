"""Anonymous routes: nothing that could identify a reporter reaches a view, a log or the DB.

`AnonymousRouteMiddleware` (first in MIDDLEWARE) blanks the client address, user agent,
referrer and forwarding headers of every request under ANONYMOUS_PREFIXES before any other
code sees them, and tells browsers and proxies not to keep or refer the pages.
`ScrubAnonymousRoutes` is a logging filter: it drops access-log lines of those routes and
coarsens any other record about them (an error) to the day, without the request.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime

from django.http import HttpRequest, HttpResponse

ANONYMOUS_PREFIXES = ("/lapor/",)
IDENTIFYING_META = (
    "REMOTE_ADDR",
    "REMOTE_HOST",
    "HTTP_USER_AGENT",
    "HTTP_REFERER",
    "HTTP_X_FORWARDED_FOR",
    "HTTP_X_REAL_IP",
    "HTTP_FORWARDED",
    "HTTP_CF_CONNECTING_IP",
    "HTTP_TRUE_CLIENT_IP",
    "HTTP_VIA",
)


def is_anonymous_route(path: str) -> bool:
    return path.startswith(ANONYMOUS_PREFIXES)


class AnonymousRouteMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if not is_anonymous_route(request.path):
            return self.get_response(request)
        for key in IDENTIFYING_META:
            if key in request.META:
                request.META[key] = ""
        response = self.get_response(request)
        response["Cache-Control"] = "no-store"
        response["Referrer-Policy"] = "no-referrer"
        return response


class ScrubAnonymousRoutes(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        request = getattr(record, "request", None)
        path = getattr(request, "path", None)
        if isinstance(path, str):
            hit = is_anonymous_route(path)
        else:
            try:
                message = record.getMessage()
            except Exception:  # a malformed record is not ours to judge
                return True
            hit = any(f" {prefix}" in message for prefix in ANONYMOUS_PREFIXES)
        if not hit:
            return True
        if record.name == "django.server":
            return False  # an access-log line: time to the second and the route
        day = datetime.fromtimestamp(record.created).replace(
            hour=0, minute=0, second=0, microsecond=0
        )
        record.created = day.timestamp()
        record.msecs = 0
        record.relativeCreated = 0
        record.request = None
        return True
