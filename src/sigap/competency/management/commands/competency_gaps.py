"""`sigap competency_gaps [--as-of YYYY-MM-DD] [--year YYYY]`: recompute every competency gap,
then draft the AKPK of the year (default: the year after `--as-of`, the year being planned)."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.utils import timezone

from sigap.competency.akpk import plans_generate
from sigap.competency.gaps import gaps_refresh


class Command(BaseCommand):
    help = "Competency gaps and the AKPK: replace the gaps, redraft the plans still in draft."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--as-of", type=date.fromisoformat, help="read data up to this day (default: today)"
        )
        parser.add_argument("--year", type=int, help="the AKPK year (default: the next year)")

    def handle(self, *args: Any, **options: Any) -> None:
        as_of = options["as_of"] or timezone.localdate()
        year = options["year"] or as_of.year + 1
        run = gaps_refresh(as_of)
        plans = plans_generate(year)
        self.stdout.write(
            f"Competency gaps up to {as_of}: {run.gaps} gaps in {run.seconds:.1f} s. "
            f"AKPK {year}: {plans.drafted} plans drafted ({plans.items} items), "
            f"{plans.kept} approved kept, {plans.removed} empty drafts removed."
        )
