"""`sigap leadership refresh [--as-of YYYY-MM-DD]`: recompute the scorecards and the roadmap."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from sigap.leadership.refresh import leadership_refresh


class Command(BaseCommand):
    help = "Leadership scorecard. `refresh` replaces the scorecard rows and proposes actions."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="sub", required=True)
        refresh = sub.add_parser("refresh", help="recompute every period's scorecard rows")
        refresh.add_argument(
            "--as-of", type=date.fromisoformat, help="count data up to this day (default: today)"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        run = leadership_refresh(as_of=options["as_of"])
        self.stdout.write(
            f"Leadership scorecard up to {run.as_of}: {run.unit_rows} unit rows, "
            f"{run.service_rows} service rows, {run.actions_created} new roadmap actions "
            f"in {run.seconds:.1f} s."
        )
