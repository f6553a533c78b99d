"""Training-effect benchmark: the analysis of every training aimed at a step, against a bare scan
of the same rows.

    PYTHONPATH=src .venv/bin/python -m bench.training_effects              # demo, 200,000 requests
    PYTHONPATH=src .venv/bin/python -m bench.training_effects --requests 50000 --engine spark

It builds the demo kabupaten (`sigap.demo`, with its planted trainings; no SKM, appraisals,
online applications or look-ups, which the analysis does not read) in a fresh SQLite database
under bench/out/training_effects/ (reused when the same size was built before: `--rebuild` to
start over), refreshes the analytics store as `sigap analytics refresh` does, then times, best
of --repeat:

- **analysis**: `sigap.competency.effects.analyse_groups` for every training aimed at a step
  (the step panel in one query on the engine, then the difference in differences of every
  training x indicator with its bootstrap): what `sigap competency effects` computes
  before writing its rows;
- **panel query**: the step panel alone (the part that runs on the engine);
- **bare scan**: one aggregate over the same rows on the same engine (the events of the
  services those trainings aim at: count and sum of the timestamps).

All three open the engine and register the log inside the timing, the same way.

Prints the times, the ratio analysis / bare scan, the load average before and after, and the
planted trainings' measured effect on first-time-right (returned files); writes
bench/out/training_effects.json.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from collections.abc import Callable
from datetime import date
from pathlib import Path

OUT = Path(__file__).resolve().parent / "out"


def _best(repeat: int, fn: Callable[[], object]) -> float:
    best = float("inf")
    for _ in range(repeat):
        started = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - started)
    return best


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=200_000)
    parser.add_argument("--until", type=date.fromisoformat, default=date(2026, 11, 1))
    parser.add_argument("--engine", choices=("duckdb", "spark"), default="duckdb")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--rebuild", action="store_true")
    args = parser.parse_args(argv)

    folder = OUT / "training_effects" / f"demo-{args.requests}"
    folder.mkdir(parents=True, exist_ok=True)
    os.environ["SIGAP_VAR_DIR"] = str(folder)
    os.environ["SIGAP_DATABASE_URL"] = f"sqlite:///{folder / 'sigap.sqlite3'}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sigap.settings")
    from sigap import keys

    keys.use_demo_keys(folder)  # a demo database: demo keys, made in the bench's own folder
    import django

    django.setup()
    from django.core.management import call_command

    from sigap.analytics.engine import connect
    from sigap.analytics.refresh import EVENTS
    from sigap.analytics.step_panel import FIRST_TIME_RIGHT, step_panel
    from sigap.catalogue.models import Service
    from sigap.competency.effects import analyse_groups, training_groups
    from sigap.demo.build import DemoBuilder, Options, demo_exists, wipe
    from sigap.performance.services import clear_store, performance_refresh, store_dir

    call_command("migrate", verbosity=0)
    store = store_dir()
    if args.rebuild or not demo_exists() or not (store / EVENTS).exists():
        started = time.perf_counter()
        wipe()
        DemoBuilder(
            Options(
                until=args.until,
                requests=args.requests,
                appraisals=False,
                citizen_voice=False,
                tracking=False,
                online=False,
            )
        ).run()
        clear_store(store)
        performance_refresh(store)
        print(f"built the demo and its store in {time.perf_counter() - started:.0f} s")

    groups = training_groups()
    codes = dict(Service.objects.filter(pk__in={k[1] for k in groups}).values_list("pk", "code"))
    events = store / EVENTS
    services = ", ".join(sorted({f"'{c}'" for c in codes.values()}))
    with connect(args.engine) as eng:
        eng.register_log(events)
        rows = eng.rows(f"SELECT count(*) FROM events WHERE service IN ({services})")[0][0]
        total = eng.rows("SELECT count(*) FROM events")[0][0]

    # Every timing opens the engine and registers the log, as the analysis does.
    def bare() -> object:
        with connect(args.engine) as one:
            one.register_log(events)
            return one.rows(
                f"SELECT count(*), sum(ts_us) FROM events WHERE service IN ({services})"
            )

    pairs = sorted({(codes[s], step) for _t, s, step in groups})

    def panel() -> object:
        with connect(args.engine) as one:
            one.register_log(events)
            return step_panel(one, pairs)

    load_before = os.getloadavg()[0]
    bare_s = _best(args.repeat, bare)
    panel_s = _best(args.repeat, panel)
    results: dict[object, object] = {}

    def analysis() -> None:
        results.update(analyse_groups(groups, codes, events, engine=args.engine))

    analysis_s = _best(args.repeat, analysis)
    load_after = os.getloadavg()[0]
    out = {
        "engine": args.engine,
        "demo_requests": args.requests,
        "events": total,
        "rows_read": rows,
        "trainings": len(groups),
        "analysis_s": round(analysis_s, 3),
        "bare_scan_s": round(bare_s, 4),
        "panel_query_s": round(panel_s, 3),
        "ratio": round(analysis_s / bare_s, 1),
        "load_before": load_before,
        "load_after": load_after,
        "effects": {},
    }
    for (title, _service, step), by_kpi in sorted(results.items()):  # type: ignore[union-attr]
        ftr = by_kpi[FIRST_TIME_RIGHT]
        entry = {"step": step, "verdict": ftr.verdict.value, "reason": ftr.reason}
        if ftr.estimate is not None and ftr.baseline is not None and ftr.baseline < 1:
            base = 1 - ftr.baseline  # the counterfactual's returned share
            entry["returned_change"] = round(-ftr.estimate / base, 3)
            entry["ci"] = [round(-ftr.ci_high / base, 3), round(-ftr.ci_low / base, 3)]
        entry |= {"treated": ftr.n_treated, "comparison": ftr.n_comparison}
        out["effects"][title] = entry  # type: ignore[index]
    print(json.dumps(out, indent=1, default=str))
    (OUT / "training_effects.json").write_text(json.dumps(out, indent=1, default=str))
    return 0


if __name__ == "__main__":
    sys.exit(main())
