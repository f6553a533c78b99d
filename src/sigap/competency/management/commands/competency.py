"""`sigap competency refresh [--as-of YYYY-MM-DD] [--year YYYY] [--engine duckdb|spark]`:
recompute every competency gap, draft the AKPK of the year (default: the year after `--as-of`,
the year being planned) and measure every training aimed at a procedure step.

`sigap competency effects [--store DIR] [--engine ...]` measures the trainings only.

Both read the analytics store (`sigap analytics refresh` first); the leadership refresh that
follows reads the gaps for the roadmap's competency actions."""

from __future__ import annotations

import time
from datetime import date
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.utils import timezone

from sigap.analytics.engine import ENGINES
from sigap.competency.akpk import planning_year, plans_generate
from sigap.competency.effects import training_effects_refresh
from sigap.competency.gaps import gaps_refresh
from sigap.performance.services import store_dir


class Command(BaseCommand):
    help = (
        "Competency development. `refresh` replaces the gaps, redrafts the AKPK plans still in "
        "draft and measures the trainings; `effects` measures the trainings only."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="sub", required=True)
        refresh = sub.add_parser("refresh", help="gaps, AKPK and training effects")
        refresh.add_argument(
            "--as-of", type=date.fromisoformat, help="read data up to this day (default: today)"
        )
        refresh.add_argument("--year", type=int, help="the AKPK year (default: the next year)")
        refresh.add_argument("--engine", choices=ENGINES, default="duckdb")
        effects = sub.add_parser("effects", help="recompute every training effect")
        effects.add_argument("--store", type=Path, help="default: VAR_DIR/analytics")
        effects.add_argument("--engine", choices=ENGINES, default="duckdb")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["sub"] == "refresh":
            as_of = options["as_of"] or timezone.localdate()
            year = options["year"] or planning_year(as_of)
            run = gaps_refresh(as_of)
            plans = plans_generate(year)
            self.stdout.write(
                f"Competency gaps up to {as_of}: {run.gaps} gaps in {run.seconds:.1f} s. "
                f"AKPK {year}: {plans.drafted} plans drafted ({plans.items} items), "
                f"{plans.kept} approved kept, {plans.removed} empty drafts removed."
            )
            store = store_dir()
        else:
            store = options["store"] or store_dir()
        started = time.monotonic()
        rows = training_effects_refresh(store, engine=options["engine"])
        self.stdout.write(
            f"Training effects from {store}: {rows} rows (training x indicator) "
            f"in {time.monotonic() - started:.1f} s."
        )
