"""`sigap analytics refresh [--store DIR] [--full]`: refresh the store and the result tables."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from sigap.performance.services import clear_store, performance_refresh, store_dir


class Command(BaseCommand):
    help = "Analytics. `refresh` updates the store incrementally and replaces the result tables."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="sub", required=True)
        refresh = sub.add_parser("refresh", help="refresh the store and the result tables")
        refresh.add_argument("--store", type=Path, help="default: VAR_DIR/analytics")
        refresh.add_argument(
            "--full",
            action="store_true",
            help="start the store over (after the operational data was rebuilt or deleted)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        store = options["store"] or store_dir()
        if options["full"]:
            clear_store(store)
        run = performance_refresh(store)
        self.stdout.write(
            f"Analytics store {store}: {run.changed_cases} changed requests, "
            f"{run.total_events} events; result tables replaced in {run.seconds:.1f} s."
        )
