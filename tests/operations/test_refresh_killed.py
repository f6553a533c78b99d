"""Fault test: the analytics refresh killed half way (SIGKILL, no chance to clean up).

`sigap analytics refresh` writes the analytics store (Parquet files replaced by rename, the
watermark last) and then replaces the result tables the "Kinerja layanan" pages read (one
transaction). A separate process runs it against a SQLite database file and is paused at a known
point by a wrapper that replaces one internal function with a sleep — the refresh code itself
has no test hook — and then killed:

- `copy`: a new Parquet file of the store is written under its temporary name, not yet renamed;
- `store`: the new event log is in place, the watermark not yet moved;
- `results`: inside the transaction, after the old result rows were deleted and new ones
  inserted.

Afterwards the previous results are still what is served (the result tables are exactly as
before), and the next ordinary run completes, leaves no temporary file behind, and gives the
same results as a run from scratch.
"""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]

WORLD = """
import django
django.setup()
from datetime import datetime
from zoneinfo import ZoneInfo
from tests import factories
from sigap.service_requests import services
world = factories.build_world()
J = ZoneInfo("Asia/Jakarta")
for day in (7, 8, 9, 10):
    sr = factories.submit(world, at=datetime(2025, 7, day, 9, tzinfo=J))
    services.service_request_receive(request=sr, officer=world.officer_a,
                                     at=datetime(2025, 7, day, 10, tzinfo=J))
"""
MORE = """
import django
django.setup()
from datetime import datetime
from zoneinfo import ZoneInfo
from sigap.catalogue.models import Service
from sigap.service_requests import services
from tests import factories
J = ZoneInfo("Asia/Jakarta")
rujukan = Service.objects.get(code="rujukan")
for day in (14, 15):
    services.service_request_submit(service=rujukan, applicant=factories.APPLICANT,
        channel="counter", submitted_at=datetime(2025, 7, day, 9, tzinfo=J))
"""
PAUSED_REFRESH = """
import sys, time
import django
django.setup()
import sigap.analytics.refresh as store_refresh
import sigap.performance.services as perf


def pause(*args, **kwargs):
    print("PAUSED", flush=True)
    time.sleep(600)


if sys.argv[1] == "copy":  # a new Parquet file is written under its temporary name
    import os, types
    store_refresh.os = types.SimpleNamespace(**{**vars(os), "replace": pause})
elif sys.argv[1] == "store":  # the events are replaced; the watermark is written next
    store_refresh._atomic_text = pause
else:  # in _save's transaction: old rows deleted, new ones inserted; officers looked up next
    class Paused:
        class objects:
            filter = staticmethod(pause)
    perf.Employee = Paused
from django.core.management import call_command
call_command("analytics", "refresh")
"""
RESULT_TABLES = (
    "performance_unitserviceperformance",
    "performance_stepbottleneck",
    "performance_processdeviation",
    "performance_officerscore",
)


def _env(tmp_path: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("SIGAP_", "PYTEST"))}
    env.update(
        SIGAP_DATABASE_URL=f"sqlite:///{tmp_path / 'sigap.sqlite3'}",
        SIGAP_VAR_DIR=str(tmp_path / "var"),
        SIGAP_SECRET_KEY="fault-test-only",
        SIGAP_WBS_MASTER_KEY="22" * 32,
        SIGAP_AUDIT_KEY="33" * 32,
        DJANGO_SETTINGS_MODULE="sigap.settings",
        PYTHONPATH=os.pathsep.join([str(ROOT / "src"), str(ROOT), env.get("PYTHONPATH", "")]),
    )
    return env


def _python(env: dict[str, str], *argv: str) -> str:
    done = subprocess.run(
        [sys.executable, *argv], env=env, cwd=ROOT, capture_output=True, text=True, timeout=300
    )
    assert done.returncode == 0, done.stderr
    return done.stdout


def _results(db: Path) -> dict[str, Any]:
    """Every result row (without its id), and how many runs were recorded."""
    with sqlite3.connect(db) as con:
        out: dict[str, Any] = {}
        for table in RESULT_TABLES:
            cols = [r[1] for r in con.execute(f"PRAGMA table_info({table})") if r[1] != "id"]
            rows = con.execute(f"SELECT {', '.join(cols)} FROM {table}").fetchall()
            out[table] = sorted(rows, key=repr)
        out["runs"] = con.execute("SELECT count(*) FROM performance_performancerun").fetchone()[0]
    return out


def _killed_at(env: dict[str, str], point: str) -> None:
    proc = subprocess.Popen(
        [sys.executable, "-c", PAUSED_REFRESH, point],
        env=env, cwd=ROOT, stdout=subprocess.PIPE, text=True,
    )  # fmt: skip
    try:
        assert proc.stdout is not None
        assert proc.stdout.readline().strip() == "PAUSED"
        os.kill(proc.pid, signal.SIGKILL)
        assert proc.wait(timeout=30) == -signal.SIGKILL
    finally:
        if proc.poll() is None:
            proc.kill()


def test_a_refresh_killed_half_way_leaves_the_previous_results_and_the_next_run_completes(
    tmp_path: Path,
) -> None:
    env = _env(tmp_path)
    db = tmp_path / "sigap.sqlite3"
    _python(env, "-m", "sigap.cli", "migrate", "-v0")
    _python(env, "-c", WORLD)
    _python(env, "-m", "sigap.cli", "analytics", "refresh")
    before = _results(db)
    assert before["runs"] == 1 and before["performance_unitserviceperformance"]
    _python(env, "-c", MORE)  # the next run has something new to say (a second service)

    store = tmp_path / "var" / "analytics"
    for point in ("copy", "store", "results"):
        _killed_at(env, point)
        assert _results(db) == before, f"a refresh killed at {point} changed the results"
        if point == "copy":  # a new file was left under its temporary name
            assert [p.name for p in store.glob(".*.parquet.*")]

    out = _python(env, "-m", "sigap.cli", "analytics", "refresh")
    assert "result tables replaced" in out
    after = _results(db)
    assert after["runs"] == 2 and after != before
    assert len(after["performance_unitserviceperformance"]) == 2
    names = {p.name for p in store.iterdir()}
    assert not {n for n in names if n.startswith(".")}  # nothing a killed run left behind
    assert {"events.parquet", "standards.parquet", "state.json", "derived"} <= names
    generation = json.loads((store / "state.json").read_text())["generation"]
    assert os.readlink(store / "events.parquet") == f"events-{generation}"

    # The same as a run from scratch over the whole operational database.
    _python(env, "-m", "sigap.cli", "analytics", "refresh", "--full")
    scratch = _results(db)
    for table in RESULT_TABLES:
        assert after[table] == scratch[table], table


PAUSED_LEADERSHIP = """
import time
import django
django.setup()
import sigap.leadership.refresh as leadership


def pause(*args, **kwargs):
    print("PAUSED", flush=True)
    time.sleep(600)


# In _save's transaction: the old scorecard rows deleted and the new ones inserted.
leadership.roadmap_generate = pause
from django.core.management import call_command
call_command("leadership", "refresh", "--as-of", "2025-07-31")
"""
LEADERSHIP_TABLES = (
    "leadership_unitscorecard",
    "leadership_servicescorecard",
    "leadership_scorecardrefresh",
)


def _rows(db: Path, tables: tuple[str, ...]) -> dict[str, Any]:
    with sqlite3.connect(db) as con:
        return {t: sorted(con.execute(f"SELECT * FROM {t}").fetchall(), key=repr) for t in tables}


def test_a_leadership_refresh_killed_in_its_transaction_leaves_the_previous_scorecard(
    tmp_path: Path,
) -> None:
    env = _env(tmp_path)
    db = tmp_path / "sigap.sqlite3"
    _python(env, "-m", "sigap.cli", "migrate", "-v0")
    _python(env, "-c", WORLD)
    _python(env, "-m", "sigap.cli", "leadership", "refresh", "--as-of", "2025-07-15")
    before = _rows(db, LEADERSHIP_TABLES)
    assert before["leadership_unitscorecard"]

    proc = subprocess.Popen(
        [sys.executable, "-c", PAUSED_LEADERSHIP], env=env, cwd=ROOT, stdout=subprocess.PIPE,
        text=True,
    )  # fmt: skip
    try:
        assert proc.stdout is not None and proc.stdout.readline().strip() == "PAUSED"
        os.kill(proc.pid, signal.SIGKILL)
        assert proc.wait(timeout=30) == -signal.SIGKILL
    finally:
        if proc.poll() is None:
            proc.kill()
    assert _rows(db, LEADERSHIP_TABLES) == before

    out = _python(env, "-m", "sigap.cli", "leadership", "refresh", "--as-of", "2025-07-31")
    assert "Leadership scorecard up to 2025-07-31" in out
    after = _rows(db, LEADERSHIP_TABLES)
    assert after["leadership_unitscorecard"] and after != before
