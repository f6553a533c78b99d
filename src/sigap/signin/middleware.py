"""Every staff request passes here: the idle timeout, then the second factor. One place, so no
view can forget either.

Idle timeout: the session remembers when it was last used (`sigap.seen`, epoch seconds) and
ends after SIGAP["SESSION_IDLE_MINUTES"] (30) without a request. The stamp is rewritten only
when it is a minute old, so an active user costs one session write a minute, not one per
request (SESSION_SAVE_EVERY_REQUEST would write on every page and every chart); the timeout is
therefore exact to the minute. SESSION_COOKIE_AGE (8 hours) bounds a session however active.

Second factor: a user who must have one (services.requires_two_factor) and whose session has
not checked it reaches only the log-in, second-factor and enrolment pages (and log-out and the
language switch); everything else redirects there, the page asked for kept as `next`.
"""

from __future__ import annotations

import time
from collections.abc import Callable

from django.conf import settings
from django.contrib.auth import logout
from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import resolve_url
from django.urls import reverse

from sigap.signin import conf, services
from sigap.signin.views import second_factor_url

SEEN_KEY = "sigap.seen"
TOUCH_EVERY = 60  # seconds

# The clock, one name for the tests to move.
clock: Callable[[], float] = time.time

OPEN_WITHOUT_SECOND_FACTOR = (
    "login",
    "logout",
    "set_language",
    "two_factor_verify",
    "two_factor_recovery",
    "two_factor_enrol",
    "two_factor_qr",
)


def stamp_at_login(sender: object, request: HttpRequest, user: object, **kwargs: object) -> None:
    """The idle clock starts at log-in (a `user_logged_in` receiver, see apps.py), so the
    first page after it writes nothing to the session."""
    if getattr(request, "session", None) is not None:
        request.session[SEEN_KEY] = int(clock())


class StaffSessionMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        self._open: frozenset[str] | None = None

    def open_paths(self) -> frozenset[str]:
        if self._open is None:  # reversed on first use: the URLconf is not loaded at start-up
            self._open = frozenset(reverse(name) for name in OPEN_WITHOUT_SECOND_FACTOR)
        return self._open

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated:
            return self.get_response(request)
        now = int(clock())
        seen = request.session.get(SEEN_KEY)
        if isinstance(seen, int) and now - seen > conf.idle_seconds():
            logout(request)
            return redirect_to_login(request.get_full_path())
        if not isinstance(seen, int) or now - seen >= TOUCH_EVERY:
            request.session[SEEN_KEY] = now
        if (
            not services.is_verified(request)
            and request.path_info not in self.open_paths()
            and not request.path_info.startswith(settings.STATIC_URL)
            and services.requires_two_factor(user)
        ):
            target = (
                request.get_full_path()
                if request.method in ("GET", "HEAD")
                else str(resolve_url(settings.LOGIN_REDIRECT_URL))
            )
            return HttpResponseRedirect(second_factor_url(user, target))
        return self.get_response(request)
