"""Anonymous routes: nothing that could identify a reporter reaches a view, a log or the DB.

`AnonymousRouteMiddleware` (first in MIDDLEWARE) blanks the client address, user agent,
referrer and forwarding headers of every request under ANONYMOUS_PREFIXES before any other
code sees them, and tells browsers and proxies not to keep the pages nor refer them off-site.

The referrer policy is `same-origin`, not `no-referrer`: with `no-referrer` Chromium sends
`Origin: null` on the form posts and Django's CSRF check refuses every real browser. With
`same-origin` a post from our own page carries `Origin: <this site>` (and a Referer naming a
page of this site), which the CSRF check accepts, while a link to another site still carries
no referrer at all. The Referer that reaches us is cut to this site's origin when it names this
site (Django's CSRF check reads it over HTTPS when a client sends no Origin) and blanked when
it names another site (where the reporter came from).
`ScrubAnonymousRoutes` is a logging filter: it drops access-log lines of those routes and
coarsens any other record about them (an error) to the day, without the request.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime
from urllib.parse import urlsplit

from django.conf import settings
from django.core.exceptions import DisallowedHost
from django.core.files.uploadhandler import MemoryFileUploadHandler
from django.http import HttpRequest, HttpResponse

from sigap.whistleblowing.conf import setting

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


REFERRER_POLICY = "same-origin"


def is_anonymous_route(path: str) -> bool:
    return path.startswith(ANONYMOUS_PREFIXES)


def own_origin_or_blank(request: HttpRequest, referer: str) -> str:
    """`scheme://host/` when the Referer names this site (all the CSRF check compares), ""
    otherwise: the page of another site a reporter came from says who they might be."""
    try:
        parts = urlsplit(referer)
        host = request.get_host()
    except (ValueError, DisallowedHost):
        return ""
    scheme = "https" if request.is_secure() else "http"
    origin = f"{parts.scheme}://{parts.netloc}"
    # This site's own names: the host asked for, and those the deployment trusts for CSRF.
    if (parts.scheme == scheme and parts.netloc == host) or origin in getattr(
        settings, "CSRF_TRUSTED_ORIGINS", []
    ):
        return origin + "/"
    return ""


def max_request_bytes() -> int:
    """Every allowed file at its largest, plus room for the text fields."""
    return setting("WBS_MAX_FILES") * setting("WBS_MAX_FILE_BYTES") + 1024 * 1024


class MemoryOnlyUploadHandler(MemoryFileUploadHandler):
    """Evidence stays in memory until it is encrypted: Django would otherwise spool uploads
    over 2.5 MB to a temporary file, in clear, on the server's disk."""

    def handle_raw_input(self, *args: object, **kwargs: object) -> None:
        self.activated = True


class AnonymousRouteMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if not is_anonymous_route(request.path):
            return self.get_response(request)
        # The receipt throttle's per-client tag: keyed, truncated, per hour; the address itself
        # is gone below before any view runs. (Imported here: the logging set-up imports this
        # module before the models are ready.)
        from sigap.whistleblowing.throttle import client_tag

        request.wbs_client = client_tag(request)  # type: ignore[attr-defined]
        # Read by pages outside this app (the CSRF failure page) without importing it.
        request.anonymous_route = True  # type: ignore[attr-defined]
        referer = own_origin_or_blank(request, request.META.get("HTTP_REFERER", ""))
        for key in IDENTIFYING_META:
            if key in request.META:
                request.META[key] = ""
        if referer:
            request.META["HTTP_REFERER"] = referer
        if request.method == "POST":
            try:
                length = int(request.META.get("CONTENT_LENGTH") or 0)
            except ValueError:
                length = 0
            if length > max_request_bytes():
                # Refused before the body is read: nothing of it reaches memory or disk.
                response = HttpResponse(
                    "Request too large.", status=413, content_type="text/plain; charset=utf-8"
                )
                response["Cache-Control"] = "no-store"
                return response
            request.upload_handlers = [MemoryOnlyUploadHandler(request)]
        response = self.get_response(request)
        response["Cache-Control"] = "no-store"
        response["Referrer-Policy"] = REFERRER_POLICY
        session_scoped(response)
        return response


def session_scoped(response: HttpResponse) -> None:
    """No cookie set on an anonymous route outlives the browser session: a persistent cookie
    (Django's CSRF cookie lasts a year by default) would show on the device, long after, that
    it had opened the whistleblowing form. The token a session cookie carries is all the CSRF
    check needs."""
    for morsel in response.cookies.values():
        if str(morsel["max-age"]) == "0":
            continue  # a deletion (delete_cookie): it must keep its date in the past
        morsel["expires"] = ""
        morsel["max-age"] = ""


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
