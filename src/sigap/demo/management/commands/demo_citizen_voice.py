"""`sigap demo_citizen_voice`: (re)build the demo's SKM responses and complaints on the requests
already in the database (the demo command calls the same function after its own build)."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.utils import timezone

from sigap.demo.citizen_voice import build_citizen_voice, wipe_citizen_voice
from sigap.organisation.models import Agency


class Command(BaseCommand):
    help = "Add demo SKM responses and complaints to the existing demo requests."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--seed", type=int, default=2026)
        parser.add_argument("--until", type=date.fromisoformat, default=None)
        parser.add_argument("--agency", default="", help="agency code (default: every agency)")

    def handle(self, *args: Any, **opts: Any) -> None:
        agency = Agency.objects.filter(code=opts["agency"]).first() if opts["agency"] else None
        ids = [agency.pk] if agency else list(Agency.objects.values_list("pk", flat=True))
        wipe_citizen_voice(agency_ids=ids)
        summary = build_citizen_voice(
            seed=opts["seed"], until=opts["until"] or timezone.localdate(), agency=agency
        )
        self.stdout.write(
            f"{summary.surveys} survey responses, {summary.complaints} complaints "
            f"({summary.complaint_events} events)."
        )
        for kind, subject, detail in summary.patterns:
            self.stdout.write(f"  planted {kind}: {subject} {detail}")
