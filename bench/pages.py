"""Page-time benchmark: the scorecard and transparency pages on the full demo database.

    .venv/bin/python bench/pages.py [--requests 50] [--no-server]
    .venv/bin/python bench/pages.py --crawl [--tries 3]   # every page x every role (crawl.py)

On the demo in var/ (`sigap demo`: 200,000 requests, 1.3M events), for each page: N requests
through the real WSGI stack, after a few warm-up requests that are not counted.

1. In process: Django's test Client (the whole middleware stack, the views, the templates; no
   socket). Reports p50/p95 of the time per request, and the SQL queries one request makes
   (CaptureQueriesContext).
2. Through the production server, started as `sigap serve` starts it (`serve.server_argv`:
   granian) with one worker, so the requests are served one at a time and the figures are
   latencies, not queueing: p50/p95 of the server time — Django's, from the WSGI call to the
   response headers, sent back in a `Server-Timing` header by a wrapper around the
   application — and of the time the client waits on a kept-alive connection.

Leadership pages are read as demo.pimpinan (the whole agency in scope); transparency pages and
the home page anonymously. The baseline, measured in the same run: a bare endpoint (no
template, no database: what the stack itself costs) and the home page. The target of the
issue is p95 <= 200 ms server time on every scorecard and transparency page.

This module is also the URL conf and the WSGI application of the server run (`pages:urls`,
`pages:application`): sigap's URLs plus the bare endpoint.
"""

from __future__ import annotations

import argparse
import http.client
import os
import socket
import statistics
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
TARGET_MS = 200.0
WARMUP = 3
LEADER = "demo.pimpinan"


# --- the URL conf and WSGI application (for the server, and for the in-process client) --------


def ping(request: Any) -> Any:
    """The bare endpoint: the middleware stack and a response, no template, no query."""
    from django.http import HttpResponse

    return HttpResponse(b"ok", content_type="text/plain")


def __getattr__(name: str) -> Any:
    # Lazy (PEP 562): the patterns need Django set up, which the importer does first.
    if name == "urlpatterns":
        from django.urls import path

        from sigap.urls import urlpatterns as sigap_urlpatterns

        return [path("bench/ping", ping), *sigap_urlpatterns]
    if name == "application":
        return _application()
    raise AttributeError(name)


def _setup() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sigap.settings")
    if str(BENCH) not in sys.path:
        sys.path.insert(0, str(BENCH))
    import django
    from django.conf import settings

    django.setup()
    settings.ROOT_URLCONF = "pages"


def _application() -> Any:
    _setup()
    from django.core.wsgi import get_wsgi_application

    django_app = get_wsgi_application()

    def timed(environ: dict[str, Any], start_response: Any) -> Any:
        """Django's time for the request, up to its headers, as a Server-Timing header.

        Django renders the whole (non-streaming) response before it starts it, so this is the
        server's work on the request less the HTTP parsing and writing done by the server.
        """
        started = time.perf_counter()

        def start(status: str, headers: list[tuple[str, str]], exc_info: Any = None) -> Any:
            ms = (time.perf_counter() - started) * 1000
            return start_response(
                status, [*headers, ("Server-Timing", f"app;dur={ms:.3f}")], exc_info
            )

        return django_app(environ, start)

    return timed


# --- the pages --------------------------------------------------------------------------------


@dataclass
class Page:
    label: str
    path: str
    login: bool
    group: str  # baseline / leadership / transparency


def pages() -> list[Page]:
    """The pages measured, chosen from the demo: the busiest units and their busiest service."""
    from django.db.models import Count
    from django.urls import NoReverseMatch, reverse

    from sigap.service_requests.models import ServiceRequest

    busiest = list(
        ServiceRequest.objects.values("unit_id", "unit__code", "unit__name")
        .annotate(n=Count("id"))
        .order_by("-n")[:3]
    )
    if not busiest:
        sys.exit("pages.py: no service requests in the database: build the demo (`sigap demo`)")
    top = busiest[0]
    service = (
        ServiceRequest.objects.filter(unit_id=top["unit_id"])
        .values("service_id")
        .annotate(n=Count("id"))
        .order_by("-n")
        .first()
    )
    assert service is not None
    out = [
        Page("bare endpoint", "/bench/ping", False, "baseline"),
        Page("home", reverse("home"), False, "baseline"),
    ]

    def add(label: str, name: str, login: bool, group: str, **kwargs: Any) -> None:
        try:
            out.append(Page(label, reverse(name, kwargs=kwargs or None), login, group))
        except NoReverseMatch:
            print(f"  (skipped {name}: not in this build's URLs)", file=sys.stderr)

    add("leadership:scorecard", "leadership:scorecard", True, "leadership")
    add(
        f"leadership:unit ({top['unit__code']})",
        "leadership:unit",
        True,
        "leadership",
        unit_id=top["unit_id"],
    )
    add(
        "leadership:service",
        "leadership:service",
        True,
        "leadership",
        unit_id=top["unit_id"],
        service_id=service["service_id"],
    )
    add("leadership:roadmap", "leadership:roadmap", True, "leadership")
    add("transparency:index", "transparency:index", False, "transparency")
    for unit in busiest:
        path = _transparency_unit_path(unit)
        if path:
            out.append(
                Page(f"transparency:unit ({unit['unit__code']})", path, False, "transparency")
            )
    return out


def _transparency_unit_path(unit: dict[str, Any]) -> str | None:
    """`transparency:unit` takes the unit's slug or id, whichever the URL declares."""
    from django.urls import NoReverseMatch, reverse

    for kwargs in (
        {"unit": unit["unit__code"]},
        {"slug": unit["unit__code"]},
        {"unit_code": unit["unit__code"]},
        {"code": unit["unit__code"]},
        {"unit_id": unit["unit_id"]},
        {"pk": unit["unit_id"]},
    ):
        try:
            return reverse("transparency:unit", kwargs=kwargs)
        except NoReverseMatch:
            continue
    print("  (skipped transparency:unit: not in this build's URLs)", file=sys.stderr)
    return None


# --- measuring --------------------------------------------------------------------------------


@dataclass
class Result:
    page: Page
    status: int = 0
    queries: int = 0
    inproc_ms: list[float] = field(default_factory=list)
    server_ms: list[float] = field(default_factory=list)
    client_ms: list[float] = field(default_factory=list)


def pct(values: list[float], q: int) -> float | None:
    if not values:
        return None
    if len(values) == 1:
        return values[0]
    return statistics.quantiles(values, n=100, method="inclusive")[q - 1]


def in_process(results: list[Result], n: int) -> str:
    """Through the Django test Client; returns the session cookie of the logged-in leader."""
    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext, setup_test_environment

    setup_test_environment()  # lets the Client's host through ALLOWED_HOSTS
    leader = get_user_model().objects.filter(username=LEADER).first()
    if leader is None:
        sys.exit(f"pages.py: no user {LEADER}: build the demo (`sigap demo`)")
    # A page that fails is reported with its status, not raised: the others still get measured.
    anonymous = Client(raise_request_exception=False)
    logged_in = Client(raise_request_exception=False)
    logged_in.force_login(leader)
    for result in results:
        client = logged_in if result.page.login else anonymous
        for _ in range(WARMUP):
            client.get(result.page.path)
        with CaptureQueriesContext(connection) as queries:
            response = client.get(result.page.path)
        result.status, result.queries = response.status_code, len(queries)
        if result.status != 200:
            print(f"  {result.page.path}: HTTP {result.status}, not timed", file=sys.stderr)
            continue
        for _ in range(n):
            started = time.perf_counter()
            client.get(result.page.path)
            result.inproc_ms.append((time.perf_counter() - started) * 1000)
    return str(logged_in.cookies["sessionid"].value)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def through_server(results: list[Result], n: int, session: str) -> None:
    from django.conf import settings

    from sigap.web.management.commands.serve import server_argv

    port = _free_port()
    # The same database as the in-process run (VAR_DIR is relative to the working directory).
    env = dict(os.environ, DJANGO_SETTINGS_MODULE="sigap.settings")
    env["SIGAP_VAR_DIR"] = str(settings.VAR_DIR)
    env["PYTHONPATH"] = os.pathsep.join([str(BENCH), env.get("PYTHONPATH", "")])
    hosts = env.get("SIGAP_ALLOWED_HOSTS", "")
    env["SIGAP_ALLOWED_HOSTS"] = ",".join(h for h in (hosts, "127.0.0.1", "localhost") if h)
    server = subprocess.Popen(server_argv("pages:application", f"127.0.0.1:{port}", 1), env=env)
    conn: http.client.HTTPConnection | None = None
    try:
        _wait_for(port, server)
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
        cookie = f"{settings.SESSION_COOKIE_NAME}={session}"
        for result in results:
            if result.status != 200:
                continue
            headers = {"Cookie": cookie} if result.page.login else {}
            for _ in range(WARMUP):
                _get(conn, result.page.path, headers)
            for _ in range(n):
                started = time.perf_counter()
                status, app_ms = _get(conn, result.page.path, headers)
                result.client_ms.append((time.perf_counter() - started) * 1000)
                if status != result.status:
                    print(f"  {result.page.path}: HTTP {status} via the server", file=sys.stderr)
                result.server_ms.append(app_ms)
    finally:
        if conn is not None:
            conn.close()
        server.terminate()
        server.wait(timeout=30)


def _get(conn: http.client.HTTPConnection, path: str, headers: dict[str, str]) -> tuple[int, float]:
    """GET on the kept-alive connection: the status and Django's time (Server-Timing)."""
    conn.request("GET", path, headers=headers)
    response = conn.getresponse()
    response.read()
    timing = response.getheader("Server-Timing", "")
    if not timing.startswith("app;dur="):
        raise SystemExit(f"pages.py: {path}: no Server-Timing header from the server")
    return response.status, float(timing.removeprefix("app;dur="))


def _wait_for(port: int, server: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if server.poll() is not None:
            sys.exit("pages.py: the server exited before serving")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                return
        except OSError:
            time.sleep(0.2)
    sys.exit("pages.py: the server did not start within 60 s")


# --- report -----------------------------------------------------------------------------------


def fmt(value: float | None) -> str:
    return "-" if value is None else f"{value:.1f}"


def report(results: list[Result], n: int, served: bool) -> int:
    from sigap.service_requests.models import ServiceEvent, ServiceRequest

    print(
        f"\nPages on {ServiceRequest.objects.count():,} requests / "
        f"{ServiceEvent.objects.count():,} events; {n} requests per page after {WARMUP} "
        "warm-up; times in ms"
    )
    head = f"{'page':<44} {'HTTP':>4} {'SQL':>4} {'in-proc p50':>11} {'p95':>7}"
    if served:
        head += f" {'server p50':>10} {'p95':>7} {'client p95':>10}"
    print(head)
    print("-" * len(head))
    failed = []
    for r in results:
        row = (
            f"{r.page.label[:44]:<44} {r.status:>4} {r.queries:>4} "
            f"{fmt(pct(r.inproc_ms, 50)):>11} {fmt(pct(r.inproc_ms, 95)):>7}"
        )
        if served:
            row += (
                f" {fmt(pct(r.server_ms, 50)):>10} {fmt(pct(r.server_ms, 95)):>7}"
                f" {fmt(pct(r.client_ms, 95)):>10}"
            )
        print(row)
        if r.page.group != "baseline":
            worst = max((v for v in (pct(r.inproc_ms, 95), pct(r.server_ms, 95)) if v), default=0)
            if worst > TARGET_MS or r.status != 200:
                failed.append(f"{r.page.label} (p95 {worst:.0f} ms, HTTP {r.status})")
    print()
    if failed:
        print(f"Over the target (p95 <= {TARGET_MS:.0f} ms, HTTP 200): " + "; ".join(failed))
        return 1
    print(f"Every scorecard and transparency page: HTTP 200 and p95 <= {TARGET_MS:.0f} ms.")
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=50, help="per page (default 50)")
    parser.add_argument("--no-server", action="store_true", help="only the in-process run")
    parser.add_argument(
        "--crawl",
        action="store_true",
        help="every GET page of the permission matrix as every demo role (bench/crawl.py)",
    )
    parser.add_argument("--tries", type=int, default=3, help="--crawl: tries per page (median)")
    parser.add_argument("--only", default="", help="--crawl: only views whose name contains this")
    args = parser.parse_args(argv)
    if args.requests < 2:
        parser.error("--requests must be at least 2")
    _setup()
    if args.crawl:
        from crawl import crawl  # bench/ is on sys.path (_setup)

        return crawl(tries=args.tries, only=args.only)
    results = [Result(page) for page in pages()]
    session = in_process(results, args.requests)
    if not args.no_server:
        through_server(results, args.requests, session)
    return report(results, args.requests, not args.no_server)


if __name__ == "__main__":
    sys.exit(main())
