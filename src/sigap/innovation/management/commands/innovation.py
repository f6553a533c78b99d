"""`sigap innovation effects [--store DIR] [--engine duckdb|spark] [--as-of YYYY-MM-DD]`: measure
every innovation in application and every completed roadmap action on the service KPIs, and
replace all measured effects in one transaction (`sigap.innovation.effects`).

It reads the analytics store (`sigap analytics refresh` first); the leadership refresh that
follows shows what worked on the scorecard."""

from __future__ import annotations

import time
from datetime import date
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from sigap.analytics.engine import ENGINES
from sigap.innovation.effects import effects_refresh
from sigap.performance.services import store_dir


class Command(BaseCommand):
    help = (
        "Innovation. `effects` measures every innovation in application and every completed "
        "roadmap action against comparison services and replaces the measured effects."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="sub", required=True)
        effects = sub.add_parser("effects", help="recompute every measured effect")
        effects.add_argument("--store", type=Path, help="default: VAR_DIR/analytics")
        effects.add_argument("--engine", choices=ENGINES, default="duckdb")
        effects.add_argument(
            "--as-of",
            type=date.fromisoformat,
            help="read data up to this day (default: the store's last event day, else today)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        store = options["store"] or store_dir()
        started = time.monotonic()
        rows = effects_refresh(store, engine=options["engine"], today=options["as_of"])
        self.stdout.write(
            f"Innovation and roadmap effects from {store}: {rows} rows (intervention x "
            f"indicator) in {time.monotonic() - started:.1f} s."
        )
