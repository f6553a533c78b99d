"""`sigap wbs retention`: warn about, then delete, reports past their retention period."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.utils import timezone

from sigap.whistleblowing.models import ReceiptThrottle
from sigap.whistleblowing.services import retention_run


class Command(BaseCommand):
    help = "Whistleblowing housekeeping; run `retention` daily (cron)."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="sub", required=True)
        sub.add_parser("retention", help="warn about and delete reports past retention")

    def handle(self, *args: Any, **options: Any) -> None:
        result = retention_run()
        ReceiptThrottle.objects.filter(day__lt=timezone.localdate() - timedelta(days=2)).delete()
        self.stdout.write(f"{len(result.warned)} report(s) warned, {len(result.deleted)} deleted.")
