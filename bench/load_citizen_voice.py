"""Load benchmark of citizen-voice submissions: one command, PostgreSQL on loopback.

    .venv/bin/python bench/load_citizen_voice.py [--duration 60] [--workers 3] [--connections 8]

What it does, all on 127.0.0.1:
1. (re)creates the database `sigap_bench` (never `test`), migrates it, seeds one agency with
   a few services;
2. starts the production server exactly as `sigap serve` does (granian, one Python thread per
   worker process: `serve.server_argv`) on sigap's own settings plus a bare endpoint that only
   inserts one row;
3. drives it with wrk: a 60 s mixed run (70 % SKM surveys, 30 % complaints, JSON API, the real
   write functions, rate limiting on) and a 60 s run of the bare endpoint, after a short warm-up;
4. checks zero loss (every 2xx reply has its row; rows without a reply are the requests still
   in flight when wrk stopped, at most one per connection) and prints the figures.

Rate limits stay on: every request carries a synthetic client address in X-Forwarded-For
(SIGAP_TRUSTED_PROXIES=1), drawn from 16 million, so the per-address limits are counted in the
database as in production but no synthetic client reaches them.

Needs wrk (`apt-get install -y wrk`) and a PostgreSQL server on 127.0.0.1 (user postgres).
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
DB = "sigap_bench"
PG = os.environ.get("BENCH_PG", "postgres://postgres@127.0.0.1:5432")
SERVICES = ("ktp-el", "kk", "akta-lahir", "izin-usaha")


def _env(port: int) -> dict[str, str]:
    from sigap import keys

    env = dict(os.environ)
    env.update(keys.generate())  # throwaway keys for this run (production settings need them)
    env.update(
        {
            "SIGAP_DATABASE_URL": f"{PG}/{DB}",
            "SIGAP_ALLOWED_HOSTS": "127.0.0.1,localhost",
            "SIGAP_TRUSTED_PROXIES": "1",  # wrk plays the proxy: X-Forwarded-For is the client
            "SIGAP_VAR_DIR": str(Path(tempfile.gettempdir()) / "sigap-bench-var"),
            "DJANGO_SETTINGS_MODULE": "load_settings",
            "PYTHONPATH": os.pathsep.join([str(HERE), env.get("PYTHONPATH", "")]),
        }
    )
    return env


def prepare(env: dict[str, str]) -> None:
    import psycopg

    with psycopg.connect(f"{PG}/postgres", autocommit=True) as conn:
        conn.execute(f"DROP DATABASE IF EXISTS {DB} WITH (FORCE)")
        conn.execute(f"CREATE DATABASE {DB}")
    os.environ.update(env)
    sys.path.insert(0, str(HERE))
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    call_command("migrate", interactive=False, verbosity=0)
    from datetime import date

    from sigap.catalogue.models import Service, ServiceStandard
    from sigap.organisation.models import Agency, Unit

    agency = Agency.objects.create(code="bench", name="Kabupaten Bench", kind="kabupaten")
    root = Unit.objects.create(agency=agency, code="pemda", name="Pemda", kind="pemda")
    for i, code in enumerate(SERVICES):
        unit = Unit.objects.create(
            agency=agency, parent=root, code=f"unit-{i}", name=f"Unit {i}", kind="unit_layanan"
        )
        service = Service.objects.create(unit=unit, code=code, name=code.upper())
        ServiceStandard.objects.create(
            service=service, version=1, valid_from=date(2024, 1, 1), sla_working_days=3,
            tariff_rupiah=0, product="-", complaint_channel="-", legal_basis="-",
        )  # fmt: skip
    with connection.cursor() as cursor:
        cursor.execute(
            "CREATE TABLE bench_bare (id bigserial PRIMARY KEY, body text NOT NULL, "
            "created_at timestamptz NOT NULL DEFAULT now())"
        )


def counts() -> dict[str, int]:
    from django.db import connection

    with connection.cursor() as cursor:
        out = {}
        for name, table in (
            ("surveys", "surveys_surveyresponse"),
            ("complaints", "complaints_complaint"),
            ("complaint_events", "complaints_complaintevent"),
            ("bare", "bench_bare"),
        ):
            cursor.execute(f"SELECT count(*) FROM {table}")
            out[name] = cursor.fetchone()[0]
    return out


def _cpu_seconds(pids: list[int]) -> float:
    """User + system CPU seconds of these processes so far (Linux /proc)."""
    total = 0
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except (FileNotFoundError, ProcessLookupError):
            continue
        total += int(fields[11]) + int(fields[12])
    return total / os.sysconf("SC_CLK_TCK")


def _tree(root: int) -> list[int]:
    out = subprocess.run(["pgrep", "-P", str(root)], capture_output=True, text=True).stdout
    return [root, *(pid for child in out.split() for pid in _tree(int(child)))]


class CpuMeter:
    """CPU time per request of the server, of PostgreSQL and of wrk over one run: where the
    machine's cores went. PostgreSQL's figure is its backends serving the benchmark database,
    sampled twice a second (a backend that ends between two samples loses at most half a second
    of its time: the workers reconnect every CONN_MAX_AGE)."""

    def __init__(self, server: int, database: str = DB) -> None:
        import threading

        self.server = server
        self.database = database
        self.first: dict[int, float] = {}
        self.last: dict[int, float] = {}
        self.stop = threading.Event()
        self.sampler = threading.Thread(target=self._sample, daemon=True)

    def _sample(self) -> None:
        import psycopg

        with psycopg.connect(f"{PG}/postgres", autocommit=True) as conn:
            while True:
                rows = conn.execute(
                    "SELECT pid FROM pg_stat_activity WHERE datname = %s", [self.database]
                )
                pids = [r[0] for r in rows]
                for pid in pids:
                    spent = _cpu_seconds([pid])
                    self.first.setdefault(pid, spent)
                    self.last[pid] = spent
                if self.stop.wait(0.5):
                    return

    def _others(self) -> tuple[float, float]:
        import resource

        child = resource.getrusage(resource.RUSAGE_CHILDREN)
        # wrk is the only child process that ends meanwhile.
        return _cpu_seconds(_tree(self.server)), child.ru_utime + child.ru_stime

    def __enter__(self) -> CpuMeter:
        self.start = self._others()
        self.sampler.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop.set()
        self.sampler.join()
        server, wrk = (b - a for a, b in zip(self.start, self._others(), strict=True))
        postgres = sum(self.last[pid] - self.first[pid] for pid in self.last)
        self.spent = {"server": server, "postgres": postgres, "wrk": wrk}

    def per_request_ms(self, requests: int) -> dict[str, float]:
        out = {name: round(1000 * spent / requests, 3) for name, spent in self.spent.items()}
        out["total"] = round(sum(out.values()), 3)
        return out


def wrk(port: int, mode: str, seconds: int, connections: int) -> dict[str, float]:
    env = dict(os.environ, BENCH_MODE=mode, BENCH_SERVICES=",".join(SERVICES))
    out = subprocess.run(
        ["wrk", "-t2", f"-c{connections}", f"-d{seconds}s", "--timeout", "10s",
         "-s", str(HERE / "load_wrk.lua"), f"http://127.0.0.1:{port}"],
        env=env, capture_output=True, text=True, check=True,
    ).stdout  # fmt: skip
    line = next(x for x in out.splitlines() if x.startswith("BENCH_JSON "))
    return json.loads(line.removeprefix("BENCH_JSON "))


def wait_for(port: int) -> None:
    import urllib.request

    for _ in range(100):
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/api/v1/services", timeout=1)
            return
        except OSError:
            time.sleep(0.2)
    raise SystemExit("the server did not start")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--duration", type=int, default=60)
    parser.add_argument("--workers", type=int, default=3)
    parser.add_argument("--connections", type=int, default=8)
    parser.add_argument("--port", type=int, default=8931)
    args = parser.parse_args()
    if shutil.which("wrk") is None:
        raise SystemExit("wrk is needed: apt-get install -y wrk")
    env = _env(args.port)
    load_before = os.getloadavg()[0]
    prepare(env)
    from sigap.web.management.commands.serve import server_argv

    # The server exactly as `sigap serve` runs it, on the benchmark's WSGI module (sigap plus
    # the bare endpoint).
    argv = server_argv("load_wsgi:application", f"127.0.0.1:{args.port}", args.workers)
    server = subprocess.Popen(argv, env=env, cwd=str(ROOT), start_new_session=True)
    try:
        wait_for(args.port)
        wrk(args.port, "mixed", 5, args.connections)  # warm-up: imports, connections, caches
        wrk(args.port, "bare", 3, args.connections)
        time.sleep(1)
        results = {}
        for mode in ("mixed", "bare"):
            before = counts()
            with CpuMeter(server.pid) as meter:
                result = wrk(args.port, mode, args.duration, args.connections)
            time.sleep(2)  # let in-flight requests finish before counting rows
            after = counts()
            stored = (
                after["bare"] - before["bare"]
                if mode == "bare"
                else after["surveys"] - before["surveys"] + after["complaints"]
                - before["complaints"]
            )  # fmt: skip
            result["stored"] = stored
            result["rate"] = result["ok"] / (result["duration_us"] / 1e6)
            result["cpu_ms"] = meter.per_request_ms(max(1, int(result["requests"])))
            results[mode] = result
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)
    mixed, bare = results["mixed"], results["bare"]
    report = {
        "duration_s": args.duration,
        "server": "granian (sigap serve)",
        "workers": args.workers,
        "connections": args.connections,
        "cpus": os.cpu_count(),
        # Other work on the machine competes for the same cores: report how busy it was.
        "load_average_1min_before": round(load_before, 2),
        "load_average_1min_after": round(os.getloadavg()[0], 2),
        "submissions_per_s": round(mixed["rate"], 1),
        "p50_ms": mixed["p50_us"] / 1000,
        "p99_ms": mixed["p99_us"] / 1000,
        "replies_2xx": mixed["ok"],
        "rows_stored": mixed["stored"],
        "lost": max(0, mixed["ok"] - mixed["stored"]),
        "in_flight_at_stop": mixed["stored"] - mixed["ok"],
        "rejections_4xx": mixed["client_err"] + mixed["limited"],
        "errors_5xx": mixed["server_err"],
        "socket_errors": mixed["socket_errors"],
        "bare_inserts_per_s": round(bare["rate"], 1),
        "bare_p50_ms": bare["p50_us"] / 1000,
        "bare_p99_ms": bare["p99_us"] / 1000,
        "bare_lost": max(0, bare["ok"] - bare["stored"]),
        "ratio_to_bare": round(mixed["rate"] / bare["rate"], 3) if bare["rate"] else None,
        # CPU milliseconds per request (server processes, all of PostgreSQL, wrk) and what they
        # allow on this many idle cores: a ceiling derived from the run, not a measured rate.
        "cpu_ms_per_submission": mixed["cpu_ms"],
        "cpu_ms_per_bare_insert": bare["cpu_ms"],
        "cpu_bound_submissions_per_s": round(
            1000 * (os.cpu_count() or 1) / mixed["cpu_ms"]["total"]
        ),
        "cpu_bound_bare_inserts_per_s": round(
            1000 * (os.cpu_count() or 1) / bare["cpu_ms"]["total"]
        ),
    }
    print(json.dumps(report, indent=2))
    out = HERE / "out"
    out.mkdir(exist_ok=True)
    (out / "load_citizen_voice.json").write_text(json.dumps(report, indent=2) + "\n")
    return 0 if report["lost"] == 0 and report["errors_5xx"] == 0 else 1


if __name__ == "__main__":
    raise SystemExit(main())
