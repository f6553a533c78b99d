"""The one error shape of the JSON API: `{"error": {"code", "message", "fields"}}`.

Messages are fixed sentences written here: an exception's own text (Python's, pydantic's,
Django's) never reaches a client.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import BadRequest, RequestDataTooBig, SuspiciousOperation
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import InterfaceError, OperationalError
from django.http import Http404, HttpRequest, HttpResponse
from ninja import NinjaAPI, Schema
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as NinjaValidationError
from ninja.parser import Parser

from sigap.operations.middleware import unavailable_response
from sigap.throttling.ratelimit import RateLimited

__all__ = ["Error", "ErrorBody", "JsonOnlyParser", "RateLimited", "install"]

JSON = "application/json"


class UnsupportedMediaType(Exception):
    """A body that is not declared `application/json`."""


class JsonOnlyParser(Parser):
    """Bodies are read only when declared `application/json`.

    A browser sends a cross-site form (`text/plain`, `application/x-www-form-urlencoded`,
    `multipart/form-data`) without asking the server first, so a page elsewhere could submit
    surveys from its visitors' browsers if such a body were parsed as JSON; `application/json`
    from another site needs a CORS preflight, which this API never grants.
    """

    def parse_body(self, request: HttpRequest) -> Any:
        if request.content_type != JSON:
            raise UnsupportedMediaType
        return super().parse_body(request)


class ErrorBody(Schema):
    code: str
    message: str
    fields: dict[str, list[str]] | None = None


class Error(Schema):
    error: ErrorBody


def _body(code: str, message: str, fields: dict[str, list[str]] | None = None) -> dict[str, Any]:
    return {"error": {"code": code, "message": message, "fields": fields}}


def install(api: NinjaAPI) -> None:
    def respond(
        request: HttpRequest, status: int, code: str, message: str, fields: Any = None
    ) -> HttpResponse:
        return api.create_response(request, _body(code, message, fields), status=status)

    @api.exception_handler(NinjaValidationError)
    def invalid_schema(request: HttpRequest, exc: NinjaValidationError) -> HttpResponse:
        fields: dict[str, list[str]] = {}
        for err in exc.errors:
            loc = [str(p) for p in err.get("loc", ()) if p not in ("body", "payload", "query")]
            fields.setdefault(".".join(loc) or "body", []).append(str(err.get("msg", "invalid")))
        return respond(request, 422, "invalid", "The request does not match the schema.", fields)

    @api.exception_handler(DjangoValidationError)
    def invalid_value(request: HttpRequest, exc: DjangoValidationError) -> HttpResponse:
        fields = exc.message_dict if hasattr(exc, "error_dict") else {"": exc.messages}
        message = "; ".join(f"{k}: {v[0]}" if k else v[0] for k, v in fields.items())
        return respond(request, 400, "invalid", message, fields)

    @api.exception_handler(Http404)
    def not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
        return respond(request, 404, "not_found", str(exc) or "Not found.")

    @api.exception_handler(RateLimited)
    def rate_limited(request: HttpRequest, exc: RateLimited) -> HttpResponse:
        response = respond(
            request,
            429,
            "rate_limited",
            f"Too many submissions from this address (limit {exc.limit}); "
            f"retry in {exc.retry_after} s.",
        )
        response["Retry-After"] = str(exc.retry_after)
        return response

    @api.exception_handler(AuthenticationError)
    def unauthorised(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
        return respond(request, 401, "unauthorised", "A valid API key is required.")

    @api.exception_handler(HttpError)
    def http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
        # django-ninja turns any failure of the body parser into HttpError(400), chained.
        if isinstance(exc.__cause__, UnsupportedMediaType):
            return respond(
                request, 415, "unsupported_media_type",
                "The body must be JSON, sent as Content-Type: application/json.",
            )  # fmt: skip
        if exc.__cause__ is not None:
            return respond(request, 400, "invalid_json", "The body is not valid JSON.")
        return respond(request, exc.status_code, "error", str(exc))

    @api.exception_handler(OperationalError)
    @api.exception_handler(InterfaceError)
    def database_unavailable(request: HttpRequest, exc: Exception) -> HttpResponse:
        # A database restart or failover: retryable, never a 500 (sigap.operations.middleware).
        return unavailable_response(request, "database")

    @api.exception_handler(RequestDataTooBig)
    def too_large(request: HttpRequest, exc: RequestDataTooBig) -> HttpResponse:
        return respond(request, 413, "too_large", "The body is too large.")

    @api.exception_handler(SuspiciousOperation)
    def suspicious(request: HttpRequest, exc: SuspiciousOperation) -> HttpResponse:
        return respond(request, 400, "bad_request", "The request is malformed.")

    @api.exception_handler(BadRequest)
    def bad_request(request: HttpRequest, exc: BadRequest) -> HttpResponse:
        return respond(request, 400, "bad_request", "The request is malformed.")

    @api.exception_handler(Exception)
    def crash(request: HttpRequest, exc: Exception) -> HttpResponse:  # pragma: no cover
        import logging

        logging.getLogger("sigap.api").exception("API error")
        return respond(request, 500, "server_error", "Something went wrong on our side.")
