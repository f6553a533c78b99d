"""A short, retryable 503 instead of a 500 when the database or the disk is briefly unavailable.

A PostgreSQL restart or failover breaks every open connection: the request that meets it fails
with `OperationalError`/`InterfaceError` (Django closes the broken connection and the next
request reconnects). A full disk fails a write with `ENOSPC`. Neither is the client's fault nor
a bug, and both pass: the client is told to retry (`Retry-After`), in both languages, and never
sees a stack trace or a generic "server error".

Django turns an exception raised in a view *or in another middleware* into a 500 response
inside that layer, so this middleware cannot catch it: `note_unavailable` (connected to
`got_request_exception`, sent while the exception is being handled) marks the request, and the
middleware swaps the 500 for the 503 on the way out. The JSON API catches its own exceptions
(`sigap.api.errors`) and answers with `unavailable_response` too.
"""

from __future__ import annotations

import errno
import json
import logging
import sys
from collections.abc import Callable
from typing import Any

from django.db import InterfaceError, OperationalError
from django.http import HttpRequest, HttpResponse

logger = logging.getLogger("sigap.operations")

RETRY_DATABASE = 5  # seconds: a restart or failover of PostgreSQL takes a few seconds
RETRY_DISK = 60  # a full disk needs an operator

MESSAGES = {
    "database": (
        "Layanan sedang tidak tersedia sebentar. Silakan coba lagi dalam beberapa detik.",
        "The service is briefly unavailable. Please try again in a few seconds.",
    ),
    "disk": (
        "Penyimpanan server sedang penuh; kiriman Anda tidak disimpan. Silakan coba lagi nanti.",
        "The server's storage is full; your submission was not saved. Please try again later.",
    ),
}

_MARK = "_sigap_unavailable"


def unavailable_kind(exc: BaseException | None) -> str | None:
    """ "database" or "disk" when `exc` is a passing outage the client may retry, else None."""
    if isinstance(exc, OperationalError | InterfaceError):
        return "database"
    if isinstance(exc, OSError) and exc.errno in (errno.ENOSPC, errno.EDQUOT):
        return "disk"
    return None


def unavailable_response(request: HttpRequest, kind: str) -> HttpResponse:
    indonesian, english = MESSAGES[kind]
    retry = RETRY_DATABASE if kind == "database" else RETRY_DISK
    if request.path.startswith("/api/") or "json" in request.headers.get("Accept", ""):
        body = {"error": {"code": "unavailable", "message": f"{indonesian} / {english}"}}
        response = HttpResponse(json.dumps(body), status=503, content_type="application/json")
    else:
        response = HttpResponse(
            f'<!doctype html><html lang="id"><meta charset="utf-8"><title>503</title>'
            f'<p>{indonesian}</p><p lang="en">{english}</p></html>',
            status=503,
            content_type="text/html; charset=utf-8",
        )
    response["Retry-After"] = str(retry)
    response["Cache-Control"] = "no-store"
    return response


def note_unavailable(sender: Any, request: HttpRequest | None = None, **kwargs: Any) -> None:
    """`got_request_exception` receiver: remember on the request that the failure passes."""
    kind = unavailable_kind(sys.exc_info()[1])
    if kind is not None and request is not None:
        setattr(request, _MARK, kind)


class UnavailableMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        kind = getattr(request, _MARK, None)
        if kind is not None and response.status_code == 500:
            logger.warning("answered 503 (%s unavailable)", kind)
            return unavailable_response(request, kind)
        return response
