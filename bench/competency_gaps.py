"""Gap and AKPK refresh benchmark on a demo agency, against a bare scan of the same rows.

    .venv/bin/python -m bench.competency_gaps          # --requests 20000 --repeat 3 [--keep]

Builds a demo kabupaten (`sigap.demo.build.DemoBuilder`, seed 2026, `--requests` requests over
24 months) in a temporary SQLite database and var/ (never the real ones), fills the analytics
store as `sigap demo` does, and — when the demo carries no competency data of its own — adds
what an agency would have: the four manajerial competencies Integritas, Kerja Sama, Komunikasi
and Pelayanan Publik required of every position (level 3 structural, 2 otherwise), assessments
of 60 % of the employees, a target position for 5 %, and one technical competency per service
linked to every step of its procedure.

Then, best of `--repeat`:

- **refresh**: `gaps_refresh(as_of)` (its incremental store refresh finds nothing new, the step
  scorecards over the event log in DuckDB, the profile, performance and soft-skill gaps, the
  replacement of every gap row) and `plans_generate(year)`, timed separately and together;
- **bare scan**: the rows the refresh reads, read plainly: a count and a sum over each source
  table (employees, assessments, requirements, targets, step links, the window's requests,
  behaviour complaints and SKM answers) and a count/min/max scan of the event log's columns
  the step figures use (case_id, activity, resource, ts, lifecycle, service).

Prints the rows read, the gaps and plan items written, the seconds, the ratio refresh / bare
scan, and the load average before and after (the ratio moves with the machine's load).
"""

from __future__ import annotations

import argparse
import os
import random
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent


def _setup() -> Path:
    var = Path(tempfile.mkdtemp(prefix="sigap-bench-gaps-"))
    os.environ["SIGAP_VAR_DIR"] = str(var)
    os.environ["SIGAP_DATABASE_URL"] = f"sqlite:///{var / 'bench.sqlite3'}"
    os.environ["DJANGO_SETTINGS_MODULE"] = "sigap.settings"
    sys.path[:0] = [str(ROOT / "src"), str(ROOT)]
    from sigap import keys

    keys.use_demo_keys(var)  # labelled demo keys, in the temporary directory
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", interactive=False, verbosity=0)
    return var


def _build(requests: int, until: date) -> None:
    from io import StringIO

    from django.core.management import call_command

    from sigap.demo.build import DemoBuilder, Options

    DemoBuilder(Options(seed=2026, until=until, requests=requests)).run()
    call_command("analytics", "refresh", "--full", stdout=StringIO())


def _seed(as_of: date) -> str:
    """The competency data an agency would have, when the demo has none."""
    from sigap.catalogue.models import ProcedureStep
    from sigap.competency.models import (
        Assessment,
        CareerTarget,
        Competency,
        PositionRequirement,
        StandardVersion,
        StepCompetency,
    )
    from sigap.organisation.models import Agency, Employee, Position

    if StepCompetency.objects.exists() and PositionRequirement.objects.exists():
        return "the demo's own"
    rng = random.Random(2026)
    national = [
        Competency.objects.get_or_create(code=code, defaults={"name": name, "group": "manajerial"})[
            0
        ]
        for code, name in (
            ("integritas", "Integritas"),
            ("kerja-sama", "Kerja Sama"),
            ("komunikasi", "Komunikasi"),
            ("pelayanan-publik", "Pelayanan Publik"),
        )
    ]
    agency = Agency.objects.order_by("pk").first()
    assert agency is not None
    version = StandardVersion.objects.create(agency=agency, valid_from=as_of - timedelta(days=365))
    PositionRequirement.objects.bulk_create(
        PositionRequirement(
            version=version, position=p, competency=c, level=3 if p.kind == "struktural" else 2
        )
        for p in Position.objects.all()
        for c in national
    )
    employees = list(Employee.objects.all())
    structural = list(Position.objects.filter(kind="struktural"))
    assessed = rng.sample(employees, int(len(employees) * 0.6))
    Assessment.objects.bulk_create(
        (
            Assessment(
                employee=e,
                competency=c,
                level=rng.choice((1, 2, 2, 3, 3, 4)),
                assessed_on=as_of - timedelta(days=rng.randrange(30, 400)),
                method="assessment_centre",
                source="entered",
            )
            for e in assessed
            for c in national
        ),
        batch_size=2000,
    )
    CareerTarget.objects.bulk_create(
        CareerTarget(employee=e, position=rng.choice(structural), set_on=as_of)
        for e in rng.sample(employees, int(len(employees) * 0.05))
    )
    links = set()
    for service_id, code, name, step in ProcedureStep.objects.values_list(
        "standard__service_id", "standard__service__code", "standard__service__name", "name"
    ):
        links.add((service_id, code, name, step))
    technical: dict[int, Any] = {}
    for service_id, code, name, _step in sorted(links):
        if service_id not in technical:
            technical[service_id] = Competency.objects.create(
                code=f"teknis-{code}"[:60], name=f"Teknis {name}"[:200], group="teknis",
                agency=agency,
            )  # fmt: skip
    StepCompetency.objects.bulk_create(
        StepCompetency(service_id=s, step=step, competency=technical[s])
        for s, _c, _n, step in links
    )
    return "seeded by the bench"


def _bare_scan(events: Path, as_of: date) -> tuple[float, int]:
    """Every row the refresh reads, read plainly; (seconds, rows)."""
    import duckdb
    from django.db import connection

    from sigap.competency.gaps import Window

    window = Window.ending(as_of)
    began = time.perf_counter()
    rows = 0
    with connection.cursor() as cur:
        for sql, params in (
            ("SELECT count(*), sum(position_id + unit_id) FROM organisation_employee", []),
            ("SELECT count(*), sum(level) FROM competency_assessment", []),
            ("SELECT count(*), sum(level) FROM competency_positionrequirement", []),
            ("SELECT count(*), sum(position_id) FROM competency_careertarget", []),
            ("SELECT count(*), sum(competency_id) FROM competency_stepcompetency", []),
            (
                "SELECT count(*), sum(assigned_officer_id) FROM service_requests_servicerequest"
                " WHERE submitted_at >= %s AND submitted_at < %s",
                [window.start, window.end],
            ),
            (
                "SELECT count(*), sum(reported_employee_id) FROM complaints_complaint"
                " WHERE submitted_at >= %s AND submitted_at < %s",
                [window.start, window.end],
            ),
            (
                "SELECT count(*), sum(kompetensi), sum(perilaku) FROM surveys_surveyresponse"
                " WHERE submitted_at >= %s AND submitted_at < %s",
                [window.start, window.end],
            ),
        ):
            cur.execute(sql, params)
            rows += int(cur.fetchone()[0])
    con = duckdb.connect()
    got = con.execute(
        "SELECT count(*), count(DISTINCT case_id), count(activity), count(resource), "
        "min(ts), max(ts), count(lifecycle), count(service) FROM read_parquet(?)",
        [str(events)],
    ).fetchone()
    con.close()
    assert got is not None
    rows += int(got[0])
    return time.perf_counter() - began, rows


def _load() -> str:
    return " ".join(f"{x:.1f}" for x in os.getloadavg())


UNTIL = date(2026, 11, 1)  # the last day of the simulated log (as bench/training_effects.py)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=20_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--keep", action="store_true", help="keep the temporary database")
    args = parser.parse_args()
    var = _setup()
    until = UNTIL  # pinned: the same demo world on every run
    as_of = until - timedelta(days=1)
    began = time.perf_counter()
    _build(args.requests, until)
    source = _seed(as_of)
    built = time.perf_counter() - began

    from django.db.models import Count

    from sigap.competency.akpk import plans_generate
    from sigap.competency.gaps import gaps_refresh
    from sigap.competency.models import CompetencyGap, PlanItem
    from sigap.performance.services import store_dir

    events = store_dir() / "events.parquet"
    load_before = _load()
    gaps_s = plans_s = bare_s = float("inf")
    rows = 0
    for _ in range(args.repeat):
        t = time.perf_counter()
        gaps_refresh(as_of)
        gaps_s = min(gaps_s, time.perf_counter() - t)
        t = time.perf_counter()
        plans_generate(as_of.year + 1)
        plans_s = min(plans_s, time.perf_counter() - t)
        seconds, rows = _bare_scan(events, as_of)
        bare_s = min(bare_s, seconds)
    load_after = _load()
    kinds = dict(CompetencyGap.objects.values_list("kind").annotate(n=Count("pk")))
    print(f"demo: {args.requests:,} requests, built in {built:.0f} s; competency data: {source}")
    print(f"rows read: {rows:,}; gaps written: {sum(kinds.values()):,} {kinds}; "
          f"plan items: {PlanItem.objects.count():,}")  # fmt: skip
    print(f"{'what':<32}{'seconds':>10}{'ratio':>8}")
    print(f"{'bare scan of the same rows':<32}{bare_s:>10.3f}{1:>8.1f}")
    print(f"{'gaps_refresh':<32}{gaps_s:>10.3f}{gaps_s / bare_s:>8.1f}")
    print(f"{'plans_generate':<32}{plans_s:>10.3f}{plans_s / bare_s:>8.1f}")
    total = gaps_s + plans_s
    print(f"{'gaps + AKPK':<32}{total:>10.3f}{total / bare_s:>8.1f}")
    print(f"load average before {load_before}, after {load_after}")
    if args.keep:
        print(f"kept: {var}")
    else:
        import shutil

        shutil.rmtree(var, ignore_errors=True)


if __name__ == "__main__":
    main()
