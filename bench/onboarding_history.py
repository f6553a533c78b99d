"""Onboarding a request history (`sigap.onboarding.history`) at scale, against a bare insert.

    .venv/bin/python -m bench.onboarding_history                 # 2,000,000 events
    .venv/bin/python -m bench.onboarding_history --events 200000

Generates a history file of the sample agency's three services (`sigap.onboarding.samples`,
the generator of docs/onboarding/samples/riwayat-permohonan.csv, seeded) with about `--events`
events, then runs each leg in its own process on its own fresh SQLite database (migrated and
given the sample agency before the clock starts):

- **dry run**: `dry_run` (read, validate, plan; writes only the run record);
- **apply**: `apply` (plans again in the transaction, then writes requests, events, cases and
  the case facts);
- **re-run**: `apply` of the same file on the applied database (every case unchanged);
- **bare insert**: `bulk_create` of the same number of `ServiceRequest` and `ServiceEvent`
  rows, built from the already parsed CSV with nothing computed (the yardstick).

Each leg prints its wall time, events/s and the process's peak RSS (`ru_maxrss`, including
Django and the migrated database's setup, which the `baseline` line shows); the table ends
with the ratios to the bare insert.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from datetime import datetime
from pathlib import Path

EVENTS_PER_CASE = 5.41  # of the generator, measured on its sample


def _setup(db: Path) -> None:
    os.environ["SIGAP_DATABASE_URL"] = f"sqlite:///{db}"
    from sigap import keys

    keys.use_demo_keys(db.parent)  # labelled demo keys, in the temporary directory
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sigap.settings")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def _peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _child(leg: str, db: Path, data_path: Path) -> dict[str, float]:
    _setup(db)
    from django.db import transaction
    from tests.onboarding.sample_world import build_sample_world

    from sigap.onboarding import plan as onboarding
    from sigap.onboarding.samples import DEFAULT_OPTIONS

    world = build_sample_world()
    baseline = _peak_mb()
    data = data_path.read_bytes()
    result: dict[str, float] = {"baseline_mb": baseline}
    if leg in ("dry", "apply", "rerun"):
        if leg == "rerun":
            onboarding.apply("history", data, data_path.name, agency=world.agency,
                             options=DEFAULT_OPTIONS)  # fmt: skip
        began = time.perf_counter()
        if leg == "dry":
            plan = onboarding.dry_run("history", data, data_path.name, agency=world.agency,
                                      options=DEFAULT_OPTIONS)  # fmt: skip
            assert plan.ok, plan.problems[:3]
        else:
            onboarding.apply("history", data, data_path.name, agency=world.agency,
                             options=DEFAULT_OPTIONS)  # fmt: skip
        result["seconds"] = time.perf_counter() - began
    else:
        from sigap.service_requests.models import ServiceEvent, ServiceRequest

        rows = list(csv.reader(data.decode().splitlines()))[1:]
        services = world.services
        standards = {code: world.standards[(code, 1)] for code in services}
        began = time.perf_counter()
        with transaction.atomic():
            by_case: dict[str, list[list[str]]] = {}
            for r in rows:
                by_case.setdefault(r[0], []).append(r)
            cases = list(by_case.values())
            for i in range(0, len(cases), 2000):
                chunk = cases[i : i + 2000]
                requests = []
                for n, events in enumerate(chunk, start=i):
                    service = services[events[0][1]]
                    at = datetime.fromisoformat(events[0][3] + "+07:00")
                    requests.append(ServiceRequest(
                        receipt_code=f"B{n:09d}", service=service, standard=standards[service.code],
                        unit_id=service.unit_id, channel="counter", applicant_name="-",
                        applicant_contact="", region_kecamatan="", submitted_at=at,
                        due_date=at.date(), last_event_at=at, event_count=len(events),
                    ))  # fmt: skip
                ServiceRequest.objects.bulk_create(requests, batch_size=2000)
                ServiceEvent.objects.bulk_create(
                    [
                        ServiceEvent(
                            request_id=req.pk,
                            seq=seq,
                            activity=e[2],
                            timestamp=datetime.fromisoformat(e[3] + "+07:00"),
                            outcome="done",
                        )
                        for req, events in zip(requests, chunk, strict=True)
                        for seq, e in enumerate(events, start=1)
                    ],
                    batch_size=8000,
                )
        result["seconds"] = time.perf_counter() - began
    result["peak_mb"] = _peak_mb()
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=2_000_000)
    parser.add_argument("--child", choices=("dry", "apply", "rerun", "bare"))
    parser.add_argument("--db", type=Path)
    parser.add_argument("--data", type=Path)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(_child(args.child, args.db, args.data)))
        return

    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))
    from sigap.onboarding.samples import HEADER, history_rows

    with tempfile.TemporaryDirectory(prefix="bench-history-") as tmp:
        data = Path(tmp) / "riwayat-permohonan.csv"
        began = time.perf_counter()
        events = 0
        with data.open("w", newline="") as fh:
            writer = csv.writer(fh, lineterminator="\n")
            writer.writerow(HEADER)
            for row in history_rows(round(args.events / EVENTS_PER_CASE), seed=2026):
                writer.writerow(row)
                events += 1
        print(f"generated {events:,} events in {time.perf_counter() - began:.1f} s "
              f"({data.stat().st_size / 1e6:.0f} MB CSV)", flush=True)  # fmt: skip
        results: dict[str, dict[str, float]] = {}
        for leg in ("dry", "apply", "bare", "rerun"):
            db = Path(tmp) / f"{leg}.sqlite3"
            out = subprocess.run(
                [sys.executable, "-m", "bench.onboarding_history", "--child", leg, "--db",
                 str(db), "--data", str(data)],
                capture_output=True, text=True,
            )  # fmt: skip
            if out.returncode:
                sys.exit(f"{leg} failed:\n{out.stderr}")
            results[leg] = json.loads(out.stdout.strip().splitlines()[-1])
            print(f"  {leg}: {results[leg]}", flush=True)
    bare = results["bare"]["seconds"]
    results = {leg: results[leg] for leg in ("bare", "dry", "apply", "rerun")}
    names = {"bare": "bare bulk insert", "dry": "dry run (plan)", "apply": "apply (plan+write)",
             "rerun": "re-run (unchanged)"}  # fmt: skip
    print(f"\n{'leg':<22}{'events':>12}{'seconds':>10}{'events/s':>12}{'peak MB':>10}"
          f"{'base MB':>10}{'ratio':>8}")  # fmt: skip
    for leg, r in results.items():
        rate = events / r["seconds"]
        ratio = r["seconds"] / bare
        print(f"{names[leg]:<22}{events:>12,}{r['seconds']:>10.1f}{rate:>12,.0f}"
              f"{r['peak_mb']:>10.0f}{r['baseline_mb']:>10.0f}{ratio:>8.2f}")  # fmt: skip


if __name__ == "__main__":
    main()
