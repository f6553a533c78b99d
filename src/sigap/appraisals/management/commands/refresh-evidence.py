"""`sigap refresh-evidence --year 2025`: recompute the officers' evidence snapshots (rerunnable)."""

from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from sigap.appraisals.evidence import evidence_refresh
from sigap.organisation.models import Agency


class Command(BaseCommand):
    help = "Recompute per-officer evidence (SLA, throughput, rework, IKM, complaints) for a year."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--year", type=int, default=None, help="default: the current year")
        parser.add_argument("--agency", default="", help="agency code (default: all agencies)")

    def handle(self, *args: Any, **opts: Any) -> None:
        year = opts["year"] or timezone.localdate().year
        agency = None
        if opts["agency"]:
            agency = Agency.objects.filter(code=opts["agency"]).first()
            if agency is None:
                raise CommandError(f"unknown agency code {opts['agency']!r}")
        started = time.monotonic()
        count = evidence_refresh(year=year, agency=agency)
        self.stdout.write(
            f"Evidence {year}: {count} officers in {time.monotonic() - started:.1f} s"
        )
