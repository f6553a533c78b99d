"""URLs for the load benchmark: all of sigap, plus a bare endpoint that only inserts one row
(the yardstick the real submissions are compared with, served by the same stack)."""

from __future__ import annotations

from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.urls import path
from django.views.decorators.csrf import csrf_exempt

from sigap.urls import urlpatterns as sigap_urlpatterns


@csrf_exempt
def bare_insert(request: HttpRequest) -> HttpResponse:
    with connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO bench_bare (body) VALUES (%s) RETURNING id", [request.body[:4000].decode()]
        )
        (row_id,) = cursor.fetchone()
    return JsonResponse({"id": row_id}, status=201)


urlpatterns = [path("bench/bare", bare_insert), *sigap_urlpatterns]
