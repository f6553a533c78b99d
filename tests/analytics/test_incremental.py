"""Incremental refresh: results combined from per-partition partials equal a full computation,
day after day; a refresh killed at any point leaves the previous store readable and the next run
completes with the same results as an uninterrupted one."""

from __future__ import annotations

import json
import os
import random
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

from sigap.analytics.conformance import step_traces
from sigap.analytics.engine import DuckDBEngine
from sigap.analytics.incremental import (
    DERIVED,
    Results,
    refresh_partials,
    store_quality,
    store_results,
)
from sigap.analytics.performance import (
    PerformanceSettings,
    ServiceStandard,
    backlog,
    service_performance,
)
from sigap.analytics.quality import log_quality
from sigap.analytics.refresh import TABLES, load_standards, partitions, read_state, refresh_store
from sigap.analytics.scorecards import officer_scorecards

REPO = Path(__file__).resolve().parents[2]
# The waits before each step over a whole log, as the result tables were computed before.
WHOLE_LOG_WAITS_SQL = """WITH w AS (
        SELECT unit, service, activity,
               ts_us - lag(ts_us) OVER (PARTITION BY case_id ORDER BY seq) AS wait
        FROM events)
    SELECT unit, service, activity, count(*), sum(wait), median(wait),
           sum(sum(wait)) OVER (PARTITION BY unit, service)
    FROM w WHERE wait IS NOT NULL GROUP BY unit, service, activity
    ORDER BY unit, service, sum(wait) DESC, activity"""
START = datetime(2025, 1, 6)
DAYS = 70
FLOWS = (
    [("submit", "submitted"), ("verify", "done"), ("approve", "done"), ("issue", "done")],
    [("submit", "submitted"), ("verify", "returned"), ("verify", "resumed"), ("verify", "done"),
     ("approve", "done"), ("issue", "done")],
    [("submit", "submitted"), ("verify", "done"), ("inspect", "waiting"), ("inspect", "resumed"),
     ("inspect", "done"), ("approve", "done"), ("issue", "done")],
    [("submit", "submitted"), ("verify", "done"), ("approve", "rejected")],
    [("submit", "submitted"), ("approve", "done"), ("verify", "done"), ("issue", "done")],
)  # fmt: skip


def planned_events() -> list[tuple[int, int, str, str, int | None, str]]:
    """(request, seq, activity, timestamp, officer, outcome) of ~600 requests over 10 weeks,
    some still open at the end: returns, pauses, rejections and a step out of order."""
    rnd = random.Random(17)
    out = []
    for req in range(1, 601):
        at = START + timedelta(minutes=rnd.randrange(DAYS * 24 * 60))
        flow = FLOWS[rnd.choices(range(len(FLOWS)), weights=(10, 2, 2, 1, 1))[0]]
        for seq, (activity, outcome) in enumerate(flow, 1):
            if seq > 1:
                at += timedelta(minutes=rnd.randrange(30, 3 * 24 * 60))
            officer = None if seq == 1 else rnd.randrange(1, 9)
            out.append((req, seq, activity, at.strftime("%Y-%m-%d %H:%M:%S"), officer, outcome))
    return out


def opdb(path: Path) -> sqlite3.Connection:
    con = sqlite3.connect(path)
    for table, cols in TABLES.items():
        con.execute(f"CREATE TABLE {table} ({', '.join(f'{c!r}' for c in cols)})")
    con.executemany(
        "INSERT INTO catalogue_service VALUES (?, ?)", [(1, "ktp"), (2, "imb"), (3, "akta")]
    )
    con.executemany("INSERT INTO organisation_unit VALUES (?, ?)", [(1, "dukcapil"), (2, "dpm")])
    con.executemany(
        "INSERT INTO organisation_employee VALUES (?, ?)", [(i, f"NIP{i}") for i in range(1, 9)]
    )
    con.executemany(
        "INSERT INTO catalogue_servicestandard VALUES (?, ?, ?, ?)",
        [(1, 1, "2024-01-01", 3), (2, 2, "2024-01-01", 5), (3, 3, "2025-02-01", 2)],
    )
    con.executemany(
        "INSERT INTO catalogue_procedurestep VALUES (?, ?, ?)",
        [(s, k, a) for s in (1, 2, 3) for k, a in enumerate(("submit", "verify", "approve",
                                                             "issue"), 1)],
    )  # fmt: skip
    con.commit()
    return con


def record_until(con: sqlite3.Connection, plan: list, after: str, until: str) -> int:
    """Write the planned events in (after, until] as the operational application would."""
    new = [e for e in plan if after < e[3] <= until]
    con.executemany("INSERT INTO service_requests_serviceevent VALUES (?, ?, ?, ?, ?, ?)", new)
    last: dict[int, tuple] = {}
    flows = {}
    for e in plan:
        flows[e[0]] = max(flows.get(e[0], 0), e[1])
        if e[3] <= until and (e[0] not in last or e[1] > last[e[0]][1]):
            last[e[0]] = e
    for req in {e[0] for e in new}:
        e = last[req]
        done = e[1] == flows[req]
        status = ("rejected" if e[5] == "rejected" else "completed") if done else "in_progress"
        con.execute("DELETE FROM service_requests_servicerequest WHERE id = ?", (req,))
        con.execute(
            "INSERT INTO service_requests_servicerequest VALUES (?, ?, ?, ?, ?, ?)",
            (req, f"R{req:04d}", 1 + req % 3, 1 + req % 3 % 2, e[3], status),
        )
    con.commit()
    return len(new)


def day(n: int) -> str:
    return (START + timedelta(days=n)).strftime("%Y-%m-%d %H:%M:%S")


def settings_of(store: Path) -> PerformanceSettings:
    return PerformanceSettings(standards=load_standards(store))


def whole_log(store: Path, settings: PerformanceSettings, fast_path: bool) -> Results:
    """The results computed the old way: every analysis over the whole log at once."""
    with DuckDBEngine(fast_path=fast_path) as eng:
        eng.register_log(store / "events.parquet")
        return Results(
            as_of_us=None,
            performance=service_performance(eng, ("unit", "service"), settings),
            backlog=backlog(eng, ("unit", "service"), settings),
            waits=eng.rows(WHOLE_LOG_WAITS_SQL),
            traces=sorted(step_traces(eng), key=str),
            scorecards=officer_scorecards(eng, min_cases=1, settings=settings),
        )


def test_incremental_day_by_day_equals_a_full_computation(tmp_path: Path) -> None:
    plan = planned_events()
    con = opdb(tmp_path / "op.sqlite3")
    store = tmp_path / "store"
    record_until(con, plan, "", day(40))
    refresh_store(con, store, grain="week")
    store_results(store, settings_of(store), min_cases=1)
    derived_counts = []
    for d in range(41, DAYS + 5):
        record_until(con, plan, day(d - 1), day(d))
        step = refresh_store(con, store, grain="week")
        _, _, derived = refresh_partials(store, settings_of(store))
        # Only what the day touched is derived again: never every week.
        assert set(derived) == set(step.rewritten) | {"open"}
        derived_counts.append(len(derived))
    assert max(derived_counts) < len(partitions(store))
    incremental = store_results(store, settings_of(store), min_cases=1)

    # The same store and results from nothing, in one run.
    fresh = tmp_path / "fresh"
    refresh_store(con, fresh, grain="week")
    from_scratch = store_results(fresh, settings_of(fresh), min_cases=1)
    assert incremental == from_scratch
    assert sorted(p.name.split(".")[0] for p in partitions(store)) == sorted(
        p.name.split(".")[0] for p in partitions(fresh)
    )

    # And the analyses over the whole log, as one relation (SQL) and as one sorted file (the
    # linear pass), give the same figures.
    for fast_path in (False, True):
        if fast_path:
            one = tmp_path / "one"
            one.mkdir()
            with DuckDBEngine() as eng:
                eng.con.execute(
                    f"""COPY (SELECT * FROM read_parquet('{store}/events.parquet')
                    ORDER BY case_id, seq) TO '{one}/events.parquet'
                    (FORMAT parquet, KV_METADATA {{sigap_sorted: 'case_id,seq'}})"""
                )
            shutil.copy(store / "standards.parquet", one / "standards.parquet")
            where = one
        else:
            where = store
        whole = whole_log(where, settings_of(store), fast_path)
        assert incremental.performance == whole.performance
        assert incremental.backlog == whole.backlog
        assert incremental.waits == whole.waits
        assert incremental.scorecards == whole.scorecards
        assert sorted(incremental.traces, key=str) == whole.traces
    assert incremental.performance and incremental.backlog and incremental.scorecards
    assert any(p.sla_cases for p in incremental.performance)
    assert sum(n for *_, n in incremental.traces) == sum(p.closed for p in incremental.performance)


def planned_with_problems() -> list[tuple[int, int, str, str, int | None, str]]:
    """The planned events and three requests with data-quality problems: a duplicate step, a
    tie and an activity seen once (R0601); an event before 1990 in a case of 40 years (R0602,
    open until day 50, then in the partition of a week of 1985); a case at one instant (R0603)."""
    t, u = day(45)[:10], day(60)[:10]
    return [
        *planned_events(),
        (601, 1, "submit", f"{t} 08:00:00", None, "submitted"),
        (601, 2, "verify", f"{t} 09:00:00", 1, "done"),
        (601, 3, "verify", f"{t} 09:00:00", 1, "done"),
        (601, 4, "stamp", f"{t} 10:00:00", 2, "done"),
        (601, 5, "issue", f"{t} 11:00:00", 3, "done"),
        (602, 1, "submit", "1985-06-03 08:00:00", None, "submitted"),
        (602, 2, "verify", f"{day(50)[:10]} 09:00:00", 4, "done"),
        (602, 3, "issue", f"{day(50)[:10]} 10:00:00", 4, "done"),
        (603, 1, "submit", f"{u} 10:00:00", None, "submitted"),
        (603, 2, "issue", f"{u} 10:00:00", 5, "done"),
    ]


def clock(d: int) -> int:
    """A clock two days behind day `d` (µs): the events of day `d` are then "in the future"
    when recorded (more than a day after the clock), and no longer two days later."""
    return int((START + timedelta(days=d - 2)).replace(tzinfo=UTC).timestamp() * 1_000_000)


def test_store_quality_day_by_day_equals_the_whole_log(tmp_path: Path) -> None:
    plan = planned_with_problems()
    con = opdb(tmp_path / "op.sqlite3")
    store = tmp_path / "store"
    record_until(con, plan, "", day(40))
    refresh_store(con, store, grain="week")
    refresh_partials(store, settings_of(store), now_us=clock(40))
    future_seen = []
    for d in range(41, DAYS + 5):
        record_until(con, plan, day(d - 1), day(d))
        step = refresh_store(con, store, grain="week")
        folders, _, derived = refresh_partials(store, settings_of(store), now_us=clock(d))
        # Untouched partitions are not derived again, their quality included.
        assert set(derived) == set(step.rewritten) | {"open"}
        merged = store_quality(folders, now_us=clock(d))
        with DuckDBEngine() as eng:
            eng.register_log(store / "events.parquet")
            assert merged == log_quality(eng, now_us=clock(d)), d
        future_seen.append(merged.out_of_range.count - 1)  # R0602's 1985 event is always out
    # Each day's events are "in the future" on that day's clock (and no longer on the next
    # days', including in the partitions not derived again since).
    assert min(future_seen) >= 0 and max(future_seen) > 0
    final = clock(DAYS + 5)
    res = store_results(store, settings_of(store), min_cases=1, now_us=final)

    # The same events as one sorted file, checked whole.
    one = tmp_path / "one.parquet"
    with DuckDBEngine() as eng:
        eng.con.execute(
            f"""COPY (SELECT * FROM read_parquet('{store}/events.parquet')
            ORDER BY case_id, seq) TO '{one}' (FORMAT parquet)"""
        )
        eng.register_log(one)
        whole = log_quality(eng, now_us=final)
    assert res.quality == whole
    dq = whole
    assert dq.events == sum(1 for e in plan if e[3] <= day(DAYS + 4))
    assert (dq.duplicates.count, dq.duplicates.examples) == (1, ("R0601",))
    assert "R0601" in dq.ties.examples and "R0603" in dq.ties.examples
    assert (dq.out_of_range.count, dq.out_of_range.examples) == (1, ("R0602",))
    assert dq.long_cases.examples == ("R0602",)
    assert dq.zero_length_cases.examples == ("R0603",)
    assert dq.single_activities.examples == ("stamp",)

    # A clock set back: the partitions whose quality was made as of a later "now" are derived
    # again (their partials did not keep the events in between); the rest are not.
    earlier = clock(DAYS - 10)
    later_made = {
        p.name.split(".")[0]
        for p in partitions(store)
        if json.loads((folder_of(store, p) / "meta.json").read_text())["quality_now_us"] > earlier
    }
    _, _, derived = refresh_partials(store, settings_of(store), now_us=earlier)
    assert set(derived) == later_made | {"open"}
    assert len(derived) < len(partitions(store))
    res = store_results(store, settings_of(store), min_cases=1, now_us=earlier)
    with DuckDBEngine() as eng:
        eng.register_log(one)
        assert res.quality == log_quality(eng, now_us=earlier)


def folder_of(store: Path, part: Path) -> Path:
    from sigap.analytics.incremental import derived_dir

    return derived_dir(store, part, settings_of(store))


def test_new_settings_derive_every_partition_again(tmp_path: Path) -> None:
    plan = planned_events()
    con = opdb(tmp_path / "op.sqlite3")
    store = tmp_path / "store"
    record_until(con, plan, "", day(30))
    refresh_store(con, store, grain="week")
    refresh_partials(store, settings_of(store))
    stricter = PerformanceSettings(
        standards=(ServiceStandard("ktp", datetime(2024, 1, 1).date(), 1, ()),)
    )
    _, _, derived = refresh_partials(store, stricter)
    assert len(derived) == len(partitions(store))
    # The partials of the settings no longer in use are removed.
    assert len(list((store / DERIVED).iterdir())) == len(partitions(store))


RUN = """
import sqlite3, sys
from pathlib import Path
from sigap.analytics.incremental import store_results
from sigap.analytics.performance import PerformanceSettings
from sigap.analytics.refresh import load_standards, refresh_store
con = sqlite3.connect(sys.argv[1])
store = Path(sys.argv[2])
refresh_store(con, store, grain="week")
store_results(store, PerformanceSettings(standards=load_standards(store)), min_cases=1)
print("done")
"""


def run(db: Path, store: Path) -> subprocess.Popen[str]:
    env = {**os.environ, "PYTHONPATH": str(REPO / "src")}
    return subprocess.Popen(
        [sys.executable, "-c", RUN, str(db), str(store)],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def readable(store: Path) -> int:
    """The store in use reads whole: every partition file of its generation, as one log."""
    with DuckDBEngine() as eng:
        eng.register_log(store / "events.parquet")
        n = eng.rows("SELECT count(*), count(DISTINCT case_id || '/' || seq) FROM events")[0]
        assert n[0] == n[1]  # no case twice
        files = [
            eng.rows(f"SELECT count(*) FROM read_parquet('{p}')")[0][0] for p in partitions(store)
        ]
    assert n[0] == sum(files)
    return int(n[0])


def writing(store: Path) -> str | None:
    """What a run is in the middle of writing, seen from outside: a generation of the log, or
    the partials of a partition (both are built in temporary folders)."""
    if any(store.glob(".events-*")):
        return "generation"
    derived = store / DERIVED
    if derived.is_dir() and any(p.name.startswith(".") for p in derived.iterdir()):
        return "partials"
    return None


def test_a_killed_refresh_leaves_the_previous_store_and_the_next_run_completes(
    tmp_path: Path,
) -> None:
    plan = planned_events()
    db = tmp_path / "op.sqlite3"
    con = opdb(db)
    store = tmp_path / "store"
    record_until(con, plan, "", day(50))
    first = run(db, store)
    assert first.communicate()[0].strip() == "done"
    before = readable(store)
    before_state = read_state(store)
    record_until(con, plan, day(50), day(57))
    con.close()
    caught = []
    # Killed while it writes the next generation, then while it derives partials (runs that
    # get past the generation still derive the open partition), then at moments in between.
    for stage in ("generation", "generation", "partials", "partials", 0.4, 0.8, 1.6):
        proc = run(db, store)
        started = time.monotonic()
        while proc.poll() is None and time.monotonic() - started < 60:
            now = writing(store)
            if now == stage or (isinstance(stage, float) and time.monotonic() - started > stage):
                proc.send_signal(signal.SIGKILL)
                caught.append(now or stage)
                break
            time.sleep(0.001)
        proc.communicate()
        # Whatever the moment: a whole generation is in use, the previous or the next one.
        n = readable(store)
        state = read_state(store)
        assert (n, state) == (before, before_state) or state["generation"] > before_state[
            "generation"
        ]
    assert {"generation", "partials"} <= set(caught)  # killed in the middle of both
    last = run(db, store)
    assert last.communicate()[0].strip() == "done"
    after = store_results(store, settings_of(store), min_cases=1)

    reference = tmp_path / "reference"
    uninterrupted = run(db, reference)
    assert uninterrupted.communicate()[0].strip() == "done"
    assert after == store_results(reference, settings_of(reference), min_cases=1)
    assert readable(store) == readable(reference) > before
    # What the killed runs left behind was removed by the next one.
    assert not [p for p in store.iterdir() if p.name.startswith(".")]
    assert not [p for p in (store / DERIVED).iterdir() if p.name.startswith(".")]
