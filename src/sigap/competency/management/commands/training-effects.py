"""`sigap training-effects refresh [--store DIR] [--engine duckdb|spark]`: measure every
training aimed at a procedure step and replace the training-effect rows."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from sigap.analytics.engine import ENGINES
from sigap.competency.effects import training_effects_refresh
from sigap.performance.services import store_dir


class Command(BaseCommand):
    help = "Training effects. `refresh` measures every step-aimed training against its peers."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="sub", required=True)
        refresh = sub.add_parser("refresh", help="recompute every training effect")
        refresh.add_argument("--store", type=Path, help="default: VAR_DIR/analytics")
        refresh.add_argument("--engine", choices=ENGINES, default="duckdb")

    def handle(self, *args: Any, **options: Any) -> None:
        store = options["store"] or store_dir()
        started = time.monotonic()
        rows = training_effects_refresh(store, engine=options["engine"])
        self.stdout.write(
            f"Training effects from {store}: {rows} rows (training x indicator) "
            f"in {time.monotonic() - started:.1f} s."
        )
