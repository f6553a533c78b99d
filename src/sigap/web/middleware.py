"""Bahasa Indonesia first, whatever the browser says.

Django's LocaleMiddleware follows the browser's Accept-Language, and many browsers in
Indonesia are set to English. sigap answers in the site language (settings.LANGUAGE_CODE)
unless the person chose another one with the language switcher (the language cookie).
"""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.core.exceptions import BadRequest
from django.http import HttpRequest, HttpResponse
from django.utils import translation
from django.utils.cache import patch_vary_headers


class LanguageMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        self.supported = {code for code, _name in settings.LANGUAGES}

    def __call__(self, request: HttpRequest) -> HttpResponse:
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME, "")
        language = chosen if chosen in self.supported else settings.LANGUAGE_CODE
        request.LANGUAGE_CODE = language
        # override() restores what was active before: this request's language does not leak
        # into whatever the thread runs next.
        with translation.override(language):
            response = self.get_response(request)
        patch_vary_headers(response, ("Cookie",))
        response.headers.setdefault("Content-Language", language)
        return response


class RejectNulMiddleware:
    """A NUL character in the path or the query string is a 400 before any view runs.

    PostgreSQL text cannot hold NUL: a view that filters on a raw query parameter (`?q=%00`)
    would fail with a database error, a 500. Django's form fields already refuse NUL in what
    they read; this covers every value read straight from `request.GET` or the path. The JSON
    API and Open311 refuse NUL themselves, in their own error formats.
    """

    OWN_FORMAT = ("/api/", "/open311/")

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if not request.path.startswith(self.OWN_FORMAT) and (
            "\x00" in request.path
            or any(
                "\x00" in key or any("\x00" in v for v in values)
                for key, values in request.GET.lists()
            )
        ):
            raise BadRequest("NUL character in the path or query string")
        return self.get_response(request)
