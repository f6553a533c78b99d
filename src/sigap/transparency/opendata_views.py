"""The open data at /data/: a CKAN-compatible action API, the resources and a DCAT-AP catalogue.

Public (no log-in) and read-only, like the transparency pages. Every answer carries a strong
ETag (a hash of its bytes) and honours If-None-Match with a 304, a Last-Modified (the newest
metadata_modified it holds) and `Cache-Control: public, max-age=3600`: the bytes never depend on
the visitor (no name, no language), so shared caches may keep them whoever asked. The searches
of package_search with a `q` count against the "search" rate limit, like the catalogue search.
See docs/open-data.md.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.utils.cache import patch_cache_control
from django.utils.http import http_date
from django.views.decorators.http import require_GET

from sigap.throttling import ratelimit
from sigap.transparency import opendata
from sigap.transparency.opendata import Dataset, Links

CACHE_SECONDS = 3600
SEARCH_ROWS = 10
SEARCH_MAX_ROWS = 1000
JSON_TYPE = "application/json; charset=utf-8"


def _links(request: HttpRequest) -> Links:
    def package(name: str) -> str:
        url = reverse("transparency:opendata_action", args=["package_show"])
        return request.build_absolute_uri(f"{url}?id={name}")

    def resource(name: str, fmt: str) -> str:
        return request.build_absolute_uri(
            reverse("transparency:opendata_resource", args=[name, fmt])
        )

    return Links(
        absolute=request.build_absolute_uri,
        package=package,
        resource=resource,
        page=request.build_absolute_uri(reverse("transparency:index")),
        catalog=request.build_absolute_uri(reverse("transparency:opendata_catalog")),
    )


def _answer(
    request: HttpRequest,
    body: bytes,
    content_type: str,
    modified: datetime | None,
    *,
    status: int = 200,
    filename: str = "",
) -> HttpResponse:
    """The response with its validators; 304 when the client holds these exact bytes."""
    etag = f'"{hashlib.sha256(body).hexdigest()[:40]}"'
    wanted = [t.strip() for t in request.headers.get("If-None-Match", "").split(",")]
    fresh = status == 200 and (etag in wanted or f"W/{etag}" in wanted or "*" in wanted)
    response = HttpResponse(status=304) if fresh else HttpResponse(body, content_type, status)
    response["ETag"] = etag
    if modified is not None:
        response["Last-Modified"] = http_date(modified.timestamp())
    if filename and not fresh:
        response["Content-Disposition"] = f'inline; filename="{filename}"'
    response["Access-Control-Allow-Origin"] = "*"  # harvesters and browser clients alike
    patch_cache_control(response, public=True, max_age=CACHE_SECONDS)
    return response


def _json(value: object) -> bytes:
    return json.dumps(value, ensure_ascii=False, indent=1).encode()


def _newest(found: Sequence[Dataset]) -> datetime | None:
    return max((d.modified for d in found if d.modified), default=None)


def _help(request: HttpRequest, action: str) -> str:
    url = reverse("transparency:opendata_action", args=["help_show"])
    return request.build_absolute_uri(f"{url}?name={action}")


def _ckan(
    request: HttpRequest,
    action: str,
    result: object,
    modified: datetime | None,
) -> HttpResponse:
    body = {"help": _help(request, action), "success": True, "result": result}
    return _answer(request, _json(body), JSON_TYPE, modified)


def _ckan_error(
    request: HttpRequest, action: str, status: int, error: dict[str, Any]
) -> HttpResponse:
    body = {"help": _help(request, action), "success": False, "error": error}
    return _answer(request, _json(body), JSON_TYPE, None, status=status)


def _int(value: str | None, default: int) -> int | None:
    if value is None or value == "":
        return default
    return int(value) if value.isdigit() and len(value) < 8 else None


@require_GET
def action(request: HttpRequest, name: str) -> HttpResponse:
    """/data/api/3/action/<name>: package_list, package_show, package_search (CKAN API 3)."""
    if name == "package_list":
        found = opendata.datasets()
        return _ckan(request, name, [d.name for d in found], _newest(found))
    if name == "package_show":
        wanted = request.GET.get("id", "").strip()
        if not wanted:
            return _ckan_error(
                request, name, 409, {"id": ["Missing value"], "__type": "Validation Error"}
            )
        found = opendata.datasets()
        ds = next((d for d in found if wanted in (d.name, d.id)), None)
        if ds is None:
            return _ckan_error(
                request, name, 404, {"message": "Not found", "__type": "Not Found Error"}
            )
        return _ckan(request, name, opendata.package(ds, _links(request)), ds.modified)
    if name == "package_search":
        q = " ".join(request.GET.get("q", "").split())[:200]
        rows, start = _int(request.GET.get("rows"), SEARCH_ROWS), _int(request.GET.get("start"), 0)
        if rows is None or start is None:
            return _ckan_error(
                request,
                name,
                409,
                {"rows": ["Invalid integer"], "__type": "Validation Error"}
                if rows is None
                else {"start": ["Invalid integer"], "__type": "Validation Error"},
            )
        if q and q != "*:*":
            decision = ratelimit.hit(request, "search")
            if not decision.allowed:
                response = _ckan_error(
                    request,
                    name,
                    429,
                    {
                        "message": f"Too many requests; retry in {decision.retry_after} s.",
                        "__type": "Rate Limit Error",
                    },
                )
                response["Retry-After"] = str(decision.retry_after)
                return response
        found = opendata.datasets()
        matched = opendata.search(found, q) if q and q != "*:*" else list(found)
        page = matched[start : start + min(rows, SEARCH_MAX_ROWS)]
        links = _links(request)
        result = {
            "count": len(matched),
            "sort": "name asc",
            "facets": {},
            "search_facets": {},
            "results": [opendata.package(d, links) for d in page],
        }
        return _ckan(request, name, result, _newest(found))
    return _ckan_error(
        request,
        name,
        400,
        {"message": f"Bad request - Action name not known: {name[:60]}", "__type": "Bad Request"},
    )


@require_GET
def resource(request: HttpRequest, name: str, fmt: str) -> HttpResponse:
    """/data/dataset/<name>.<csv|json>: the dataset's rows."""
    ds = opendata.dataset(name)
    if ds is None or fmt not in ("csv", "json"):
        body = _json(
            {"success": False, "error": {"message": "Not found", "__type": "Not Found Error"}}
        )
        return _answer(request, body, JSON_TYPE, None, status=404)
    if fmt == "csv":
        return _answer(
            request, ds.csv(), "text/csv; charset=utf-8", ds.modified, filename=f"{name}.csv"
        )
    return _answer(request, _json(ds.json()), JSON_TYPE, ds.modified, filename=f"{name}.json")


@require_GET
def catalog(request: HttpRequest) -> HttpResponse:
    """/data/catalog.jsonld: the DCAT-AP catalogue of every dataset."""
    found = opendata.datasets()
    body = _json(opendata.catalog(found, _links(request)))
    return _answer(request, body, "application/ld+json; charset=utf-8", _newest(found))
