"""Online applications through the citizen front door: latency under load, and page weight.

    .venv/bin/python bench/frontdoor_submit.py [--requests 2000] [--concurrency 1,4] [--workers 3]

What it does, all on 127.0.0.1 (issue 13, "Citizen front door"):
1. (re)creates the database `sigap_bench_submit` (never `test`), migrates it and seeds the demo
   kabupaten's catalogue (`sigap.demo`, no requests), plus one service whose standard asks for
   two documents (a PDF and a PNG), a typed field, a declaration and an optional document;
2. starts the production server exactly as `sigap serve` does (`serve.server_argv`: granian,
   one Python thread per worker process) on sigap's settings plus the bare endpoint of
   `load_urls.py` (one INSERT), with a fresh documents folder;
3. measures the first-load weight (HTML + the CSS and JS it links, no images) of the catalogue,
   a search, a service page and its application form, fetched through that server;
4. drives N online applications (`POST /layanan/<code>/ajukan/`, the real form: CSRF cookie and
   token from one GET of the form per client connection, multipart with the two files, the
   honeypot left empty, consent) from C client threads on kept-alive connections, each with a
   valid NIK, a synthetic client address (X-Forwarded-For, SIGAP_TRUSTED_PROXIES=1) and an
   idempotency key of its own, so neither the per-client rate limit (counted in the database
   as in production) nor the per-NIK limit is reached; then N POSTs of the bare endpoint in the
   same way. Latency is measured by the client, from sending the request to the end of the reply;
5. checks that every 302 to the receipt has its application, request and documents stored
   (`lost` must be 0, and nothing but 302s) and prints the figures; writes
   bench/out/frontdoor_submit.json. Exit status 1 on a loss, on any other reply, or on a page
   over 100 KB. The latency target (p95 <= 150 ms) is reported, not enforced: it depends on the
   machine's load, printed next to it.

"Without the upload transfer": the files are a 1-2 KB PDF and a small PNG, so the time to send
them is negligible on loopback, while the server still reads, sniffs, cleans and stores them
(fsync) as it does any upload.

Needs a PostgreSQL server on 127.0.0.1 (user postgres; BENCH_PG overrides the URL).
"""

from __future__ import annotations

import argparse
import gzip
import http.client
import json
import os
import re
import secrets
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
DB = "sigap_bench_submit"
PG = os.environ.get("BENCH_PG", "postgres://postgres@127.0.0.1:5432")
SERVICE = "bench-ajukan-online"
REQUIREMENTS: list[Any] = [
    "Fotokopi Kartu Keluarga",  # a document (a plain text item is one)
    {"name": "Pas foto 3x4", "kind": "document"},
    {"name": "Nomor KK", "kind": "field"},
    {"name": "Telah berusia 17 tahun", "kind": "statement"},
    {"name": "Surat pengantar RT/RW", "kind": "document", "optional": True},  # not sent
]
PAGES = ("/layanan/", "/layanan/?q=akte+lahir", "/layanan/dukcapil-akta-lahir/",
         "/layanan/dukcapil-akta-lahir/ajukan/")  # fmt: skip
TARGET_P95_MS = 150.0
BUDGET_BYTES = 100 * 1024
RECEIPT = "/ajukan/tanda-terima/?t="
for _path in (HERE, ROOT):  # the sibling benchmarks, and tests.weight / tests.documents.files
    if str(_path) not in sys.path:
        sys.path.insert(0, str(_path))


# --- pure helpers (tests/applications/test_bench_submit.py) -----------------------------------


def nik(i: int) -> str:
    """The i-th synthetic NIK (0 <= i < 9999 * 28 * 12): valid (province 32, kabupaten 04,
    kecamatan 01, born in 1990 on a day and month drawn from i, serial 0001-9999) and distinct
    for every i, so no NIK reaches the limit of five applications a day."""
    serial, rest = i % 9999 + 1, i // 9999
    day, month = rest % 28 + 1, rest // 28 % 12 + 1
    return f"320401{day:02d}{month:02d}90{serial:04d}"


def address(i: int) -> str:
    """The i-th synthetic client address (10.0.0.1 onwards; 16 million of them)."""
    n = i + 1
    return f"10.{n >> 16 & 255}.{n >> 8 & 255}.{n & 255}"


@dataclass(frozen=True)
class Upload:
    field: str
    filename: str
    content_type: str
    data: bytes


def multipart(fields: dict[str, str], files: list[Upload], boundary: str) -> bytes:
    """A multipart/form-data body, as a browser sends a form with files."""
    out = []
    for name, value in fields.items():
        out.append(
            f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n'.encode()
            + value.encode()
            + b"\r\n"
        )
    for f in files:
        out.append(
            f'--{boundary}\r\nContent-Disposition: form-data; name="{f.field}"; '
            f'filename="{f.filename}"\r\nContent-Type: {f.content_type}\r\n\r\n'.encode()
            + f.data
            + b"\r\n"
        )
    out.append(f"--{boundary}--\r\n".encode())
    return b"".join(out)


def application(i: int, csrf_token: str, files: list[Upload], boundary: str) -> bytes:
    """The body of the i-th online application: what a person fills in on the form."""
    fields = {
        "csrfmiddlewaretoken": csrf_token, "name": f"Pemohon Uji {i}", "nik": nik(i),
        "phone": f"0812{i:08d}", "email": "", "kecamatan": "Sukamaju", "desa": "Mekarsari",
        "consent": "on", "website": "", "key": f"bench-{i:08d}-{secrets.token_hex(8)}",
        "req_nomor-kk": f"3204010101{i % 1000000:06d}", "req_telah-berusia-17-tahun": "on",
    }  # fmt: skip
    return multipart(fields, files, boundary)


def uploads() -> list[Upload]:
    """The two documents of every application: a small real PDF and PNG (tests.documents)."""
    from tests.documents import files

    return [
        Upload("req_fotokopi-kartu-keluarga", "kk.pdf", "application/pdf", files.pdf("KK")),
        Upload("req_pas-foto-3x4", "foto.png", "image/png", files.png(96, 128)),
    ]


# --- the database and the server --------------------------------------------------------------


def _env(var: Path) -> dict[str, str]:
    from sigap import keys

    env = dict(os.environ)
    env.update(keys.generate())  # throwaway keys for this run (production settings need them)
    env.update(
        {
            "SIGAP_DATABASE_URL": f"{PG}/{DB}",
            "SIGAP_ALLOWED_HOSTS": "127.0.0.1,localhost",
            "SIGAP_TRUSTED_PROXIES": "1",  # the client plays the proxy: X-Forwarded-For
            "SIGAP_VAR_DIR": str(var),  # the uploaded documents land in var/documents
            "DJANGO_SETTINGS_MODULE": "load_settings",  # sigap + the bare endpoint
            "PYTHONPATH": os.pathsep.join([str(HERE), env.get("PYTHONPATH", "")]),
        }
    )
    return env


def prepare(env: dict[str, str]) -> None:
    import psycopg

    if DB == "test":  # the lead's database: never
        raise SystemExit("refusing to touch the database `test`")
    with psycopg.connect(f"{PG}/postgres", autocommit=True) as conn:
        conn.execute(f"DROP DATABASE IF EXISTS {DB} WITH (FORCE)")
        conn.execute(f"CREATE DATABASE {DB}")
    os.environ.update(env)
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    call_command("migrate", interactive=False, verbosity=0)
    from sigap.catalogue.models import Service, ServiceStandard
    from sigap.demo.build import DemoBuilder, Options

    # The demo kabupaten's catalogue (41 services, their standards and units), no requests.
    DemoBuilder(Options(requests=0, appraisals=False, citizen_voice=False, tracking=False)).run()
    unit = Service.objects.get(code="dukcapil-ktp-el").unit
    service = Service.objects.create(unit=unit, code=SERVICE, name="Layanan uji permohonan daring")
    ServiceStandard.objects.create(
        service=service, version=1, valid_from=date(2024, 1, 1), sla_working_days=3,
        tariff_rupiah=0, product="-", complaint_channel="-", legal_basis="-",
        requirements=REQUIREMENTS,
    )  # fmt: skip
    with connection.cursor() as cursor:
        cursor.execute(
            "CREATE TABLE bench_bare (id bigserial PRIMARY KEY, body text NOT NULL, "
            "created_at timestamptz NOT NULL DEFAULT now())"
        )
        cursor.execute("VACUUM ANALYZE")  # this PostgreSQL runs without autovacuum


def counts(documents_dir: Path) -> dict[str, int]:
    from django.db import connection

    out = {}
    with connection.cursor() as cursor:
        for name, table in (
            ("applications", "applications_onlineapplication"),
            ("requests", "service_requests_servicerequest"),
            ("documents", "documents_document"),
            ("bare", "bench_bare"),
        ):
            cursor.execute(f"SELECT count(*) FROM {table}")
            out[name] = cursor.fetchone()[0]
    out["files"] = sum(1 for p in documents_dir.glob("*/*") if not p.name.startswith("."))
    return out


# --- the client ------------------------------------------------------------------------------


def _get(conn: http.client.HTTPConnection, path: str, headers: dict[str, str]) -> Any:
    conn.request("GET", path, headers=headers)
    response = conn.getresponse()
    return response, response.read()


FIRST_VISIT = {"Accept-Language": "id-ID,id;q=0.9,en;q=0.8", "Accept-Encoding": "gzip, br"}


class FirstVisit:
    """A browser with an empty cache on one page: every body it fetches, as sent."""

    def __init__(self, conn: http.client.HTTPConnection) -> None:
        self.conn = conn
        self.wire = 0
        self.encodings: set[str] = set()

    def get(self, url: str) -> bytes:
        response, body = _get(self.conn, url, FIRST_VISIT)
        if response.status != 200:
            raise SystemExit(f"{url}: HTTP {response.status}")
        self.wire += len(body)
        encoding = response.getheader("Content-Encoding", "") or "identity"
        self.encodings.add(encoding)
        return gzip.decompress(body) if encoding == "gzip" else body

    def static(self, name: str) -> bytes:
        return self.get(f"/static/{name}")


def page_weights(port: int) -> list[dict[str, Any]]:
    """The first load of each page through the server, as a browser with an empty cache makes
    it: the HTML, then each CSS and JS file it links (tests.weight.first_load, the measure of the
    tests); `on_the_wire_bytes` is the bodies' bytes as the server sent them."""
    from tests.weight import first_load

    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    out = []
    for path in PAGES:
        visit = FirstVisit(conn)
        weight = first_load(visit.get(path), read=visit.static)
        out.append(
            {
                "page": path,
                "bytes": weight.total,
                "html_bytes": weight.html,
                "assets": weight.assets,
                "gzipped_bytes": weight.gzipped,
                "on_the_wire_bytes": visit.wire,
                "content_encoding": sorted(visit.encodings),
                "within_100_kb": weight.total <= BUDGET_BYTES,
            }
        )
    conn.close()
    return out


@dataclass
class Run:
    """What the clients of one run saw."""

    latencies_ms: list[float] = field(default_factory=list)
    statuses: Counter[str] = field(default_factory=Counter)
    last_location: str = ""
    seconds: float = 0.0
    errors: list[str] = field(default_factory=list)


Body = Callable[[int, str], tuple[str, bytes, dict[str, str]]]
"""(request number, CSRF token) -> (path, body, headers) of one POST."""


def drive(port: int, numbers: range, concurrency: int, body: Body, form: str | None) -> Run:
    """POST one request per number from `concurrency` threads, each on its own kept-alive
    connection; a thread first GETs `form` (when given) for its CSRF cookie and token."""
    run = Run()
    lock = threading.Lock()
    todo = iter(numbers)

    def client() -> None:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
        cookie, token = "", ""
        if form is not None:
            response, page = _get(conn, form, {"X-Forwarded-For": address(10_000_000)})
            token = _csrf_token(page)
            cookie = _csrf_cookie(response.getheader("Set-Cookie", ""))
        mine: list[float] = []
        seen: Counter[str] = Counter()
        location = ""
        while True:
            with lock:
                i = next(todo, None)
            if i is None:
                break
            path, data, headers = body(i, token)
            if cookie:
                headers["Cookie"] = cookie
            headers["X-Forwarded-For"] = address(i)
            started = time.perf_counter()
            try:
                conn.request("POST", path, body=data, headers=headers)
                response = conn.getresponse()
                response.read()
            except (OSError, http.client.HTTPException) as exc:
                seen["connection error"] += 1
                with lock:
                    run.errors.append(f"{i}: {exc!r}")
                conn.close()
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
                continue
            mine.append((time.perf_counter() - started) * 1000)
            status = str(response.status)
            if response.status == 302:
                location = response.getheader("Location", "")
                status = "302 receipt" if RECEIPT in location else "302 elsewhere"
            seen[status] += 1
        conn.close()
        with lock:
            run.latencies_ms.extend(mine)
            run.statuses.update(seen)
            run.last_location = run.last_location or location

    threads = [threading.Thread(target=client) for _ in range(concurrency)]
    started = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    run.seconds = time.perf_counter() - started
    return run


def _csrf_token(page: bytes) -> str:
    found = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', page)
    if found is None:
        raise SystemExit("the application form has no CSRF token")
    return found.group(1).decode()


def _csrf_cookie(set_cookie: str) -> str:
    found = re.search(r"(csrftoken=[^;,\s]+)", set_cookie)
    if found is None:
        raise SystemExit("the application form set no CSRF cookie")
    return found.group(1)


def submissions(files: list[Upload]) -> Body:
    boundary = f"----sigapbench{uuid.uuid4().hex}"
    headers = {"Content-Type": f"multipart/form-data; boundary={boundary}"}

    def body(i: int, token: str) -> tuple[str, bytes, dict[str, str]]:
        return f"/layanan/{SERVICE}/ajukan/", application(i, token, files, boundary), dict(headers)

    return body


def bare(i: int, _token: str) -> tuple[str, bytes, dict[str, str]]:
    return "/bench/bare", f"application {i}".encode(), {"Content-Type": "text/plain"}


# --- the report -------------------------------------------------------------------------------


def latency(run: Run) -> dict[str, Any]:
    from pages import pct  # bench/pages.py: the percentiles of the other page benchmarks

    ms = run.latencies_ms

    def p(q: int) -> float | None:
        value = pct(ms, q)
        return None if value is None else round(value, 2)

    return {
        "requests": len(ms),
        "per_s": round(len(ms) / run.seconds, 1) if run.seconds else None,
        "p50_ms": p(50),
        "p95_ms": p(95),
        "p99_ms": p(99),
        "max_ms": round(max(ms), 2) if ms else None,
        "statuses": dict(run.statuses),
    }


def measure(
    port: int, server: int, numbers: range, concurrency: int, body: Body, form: str | None,
    documents_dir: Path,
) -> tuple[Run, dict[str, int], dict[str, float]]:  # fmt: skip
    """One run: what the clients saw, the rows and files it stored, its CPU per request."""
    from load_citizen_voice import CpuMeter

    before = counts(documents_dir)
    client_cpu = time.process_time()
    with CpuMeter(server, database=DB) as meter:
        run = drive(port, numbers, concurrency, body, form)
    cpu = meter.per_request_ms(max(1, len(run.latencies_ms)))
    cpu.pop("wrk", None)  # no wrk here: the client is this process
    cpu["client"] = round(1000 * (time.process_time() - client_cpu) / max(1, len(numbers)), 3)
    cpu["total"] = round(cpu["server"] + cpu["postgres"] + cpu["client"], 3)
    time.sleep(1)  # nothing is in flight (every client waited for its replies); to be sure
    after = counts(documents_dir)
    return run, {k: after[k] - before[k] for k in after}, cpu


def level(
    submit: tuple[Run, dict[str, int], dict[str, float]],
    bare_: tuple[Run, dict[str, int], dict[str, float]],
    concurrency: int,
) -> dict[str, Any]:
    """The figures of one concurrency level, and whether every reply has its rows."""
    run, stored, cpu = submit
    bare_run, bare_stored, bare_cpu = bare_
    accepted = run.statuses["302 receipt"]
    other = sum(n for status, n in run.statuses.items() if status != "302 receipt")
    bare_ok = bare_run.statuses["201"]
    s, b = latency(run), latency(bare_run)
    return {
        "concurrency": concurrency,
        "submit": s,
        "bare": b,
        "ratio_p50_to_bare": _ratio(s["p50_ms"], b["p50_ms"]),
        "ratio_p95_to_bare": _ratio(s["p95_ms"], b["p95_ms"]),
        "ratio_rate_to_bare": _ratio(s["per_s"], b["per_s"]),
        "target_met": s["p95_ms"] is not None and s["p95_ms"] <= TARGET_P95_MS,
        "redirects_to_receipt": accepted,
        "other_replies": other,
        "stored": stored,
        "lost": max(0, accepted - stored["applications"]),
        # Every application: one request, two documents, two files; nothing without a reply.
        "consistent": stored["applications"] == stored["requests"] == accepted
        and stored["documents"] == stored["files"] == 2 * accepted,
        "bare_2xx": bare_ok,
        "bare_lost": max(0, bare_ok - bare_stored["bare"]),
        "bare_other_replies": sum(n for st, n in bare_run.statuses.items() if st != "201"),
        # CPU milliseconds per request: the server processes, the PostgreSQL backends of the
        # benchmark database, the client (this process's threads).
        "cpu_ms_per_submission": cpu,
        "cpu_ms_per_bare_insert": bare_cpu,
        "connection_errors": run.errors[:5] + bare_run.errors[:5],
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=2000, help="per level (default 2000)")
    parser.add_argument(
        "--concurrency", default="1,4", help="client connections, one run per level"
    )
    parser.add_argument("--workers", type=int, default=3)
    parser.add_argument("--warmup", type=int, default=100)
    parser.add_argument("--port", type=int, default=8932)
    args = parser.parse_args(argv)
    levels = [int(c) for c in args.concurrency.split(",")]
    if args.requests * len(levels) + args.warmup > 9999 * 28 * 12:
        parser.error("too many requests for distinct NIKs")
    from load_citizen_voice import wait_for

    var = Path(tempfile.mkdtemp(prefix="sigap-bench-submit-"))
    env = _env(var)
    load_before = os.getloadavg()[0]
    prepare(env)
    documents_dir = var / "documents"
    files = uploads()
    from sigap.web.management.commands.serve import server_argv

    # The server exactly as `sigap serve` runs it, on the benchmark's WSGI module (sigap plus
    # the bare endpoint).
    argv_ = server_argv("load_wsgi:application", f"127.0.0.1:{args.port}", args.workers)
    server = subprocess.Popen(argv_, env=env, cwd=str(ROOT), start_new_session=True)
    form = f"/layanan/{SERVICE}/ajukan/"
    results = []
    try:
        wait_for(args.port)
        weights = page_weights(args.port)
        # Warm-up (not counted): imports, connections, caches, on both endpoints.
        n = args.requests
        warm = range(n * len(levels), n * len(levels) + args.warmup)
        drive(args.port, warm, max(levels), submissions(files), form)
        drive(args.port, warm, max(levels), bare, None)
        time.sleep(1)
        last = ""
        for k, concurrency in enumerate(levels):
            numbers = range(k * n, (k + 1) * n)  # distinct NIKs, addresses, keys per level
            load = os.getloadavg()[0]
            submit = measure(
                args.port, server.pid, numbers, concurrency, submissions(files), form,
                documents_dir,
            )  # fmt: skip
            bare_ = measure(args.port, server.pid, numbers, concurrency, bare, None, documents_dir)
            results.append(
                {**level(submit, bare_, concurrency), "load_average_1min_before": round(load, 2)}
            )
            last = submit[0].last_location or last
        # The receipt the last application was sent to opens.
        receipt_status = _get(
            http.client.HTTPConnection("127.0.0.1", args.port, timeout=60), last, {}
        )[0].status
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)
        shutil.rmtree(var, ignore_errors=True)

    report = {
        "database": "postgresql",
        "server": "granian (sigap serve)",
        "workers": args.workers,
        "cpus": os.cpu_count(),
        # Other work on the machine competes for the same cores: report how busy it was.
        "load_average_1min_before": round(load_before, 2),
        "load_average_1min_after": round(os.getloadavg()[0], 2),
        "requests_per_level": args.requests,
        "upload_bytes": {u.filename: len(u.data) for u in files},
        "target_p95_ms": TARGET_P95_MS,
        "levels": results,
        "receipt_page_status": receipt_status,
        "page_weights": weights,
    }
    print(json.dumps(report, indent=2))
    out = HERE / "out"
    out.mkdir(exist_ok=True)
    (out / "frontdoor_submit.json").write_text(json.dumps(report, indent=2) + "\n")
    print(_summary(report), file=sys.stderr)
    ok = (
        all(
            r["lost"] == 0 and r["other_replies"] == 0 and r["consistent"]
            and r["bare_lost"] == 0 and r["bare_other_replies"] == 0
            for r in results
        )
        and receipt_status == 200
        and all(w["within_100_kb"] for w in weights)
    )  # fmt: skip
    return 0 if ok else 1


def _ratio(a: float | None, b: float | None) -> float | None:
    return round(a / b, 2) if a is not None and b else None


def _summary(report: dict[str, Any]) -> str:
    lines = [
        f"load average {report['load_average_1min_before']} -> "
        f"{report['load_average_1min_after']}; {report['requests_per_level']} requests per "
        f"level; target p95 <= {TARGET_P95_MS:.0f} ms",
    ]
    for r in report["levels"]:
        s, b = r["submit"], r["bare"]
        lines += [
            f"concurrency {r['concurrency']} (load {r['load_average_1min_before']}):",
            f"  online applications {s['per_s']}/s, p50 {s['p50_ms']} ms, p95 {s['p95_ms']} ms, "
            f"p99 {s['p99_ms']} ms ({'met' if r['target_met'] else 'NOT met'})",
            f"  bare insert         {b['per_s']}/s, p50 {b['p50_ms']} ms, p95 {b['p95_ms']} ms, "
            f"p99 {b['p99_ms']} ms",
            f"  ratio to bare: p50 {r['ratio_p50_to_bare']}x, p95 {r['ratio_p95_to_bare']}x, "
            f"rate {r['ratio_rate_to_bare']}; CPU ms per application "
            f"{r['cpu_ms_per_submission']}, per bare insert {r['cpu_ms_per_bare_insert']}",
            f"  302 to receipt {r['redirects_to_receipt']}, other replies {r['other_replies']}, "
            f"stored {r['stored']}, lost {r['lost']}",
        ]
    for w in report["page_weights"]:
        lines.append(
            f"  {w['page']:<40} {w['bytes']:>7,} bytes (HTML {w['html_bytes']:,}), "
            f"gzipped {w['gzipped_bytes']:,}, on the wire {w['on_the_wire_bytes']:,} "
            f"({'/'.join(w['content_encoding'])})"
        )
    return "\n".join(lines)


if __name__ == "__main__":
    raise SystemExit(main())
