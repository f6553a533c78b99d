"""`sigap privacy retention`: apply each data category's retention period (run daily)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from sigap.privacy.services import retention_run


class Command(BaseCommand):
    help = "Personal data protection housekeeping; run `retention` daily (timer or cron)."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="sub", required=True)
        sub.add_parser(
            "retention",
            help="anonymise or delete personal data past its retention period "
            "(WBS reports: `sigap wbs retention`)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        counts = retention_run()
        for category, count in counts.items():
            self.stdout.write(f"{category}: {count}")
        self.stdout.write(f"{sum(counts.values())} row(s) anonymised or deleted.")
