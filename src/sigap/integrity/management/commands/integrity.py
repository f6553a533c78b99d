"""`sigap integrity refresh [--since D] [--until D]`: recompute the integrity signals.
`sigap integrity measure` runs the demo's `sigap demo_measure`."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandParser
from django.db.models import Max

from sigap.integrity.models import IntegritySignal
from sigap.integrity.services import integrity_refresh
from sigap.service_requests.models import ServiceRequest


class Command(BaseCommand):
    help = "Integrity signals. `refresh` recomputes them (rerunnable; replaces the last run)."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="sub", required=True)
        refresh = sub.add_parser("refresh", help="recompute every signal for a period")
        refresh.add_argument("--since", type=date.fromisoformat, help="default: until - 365 days")
        refresh.add_argument(
            "--until", type=date.fromisoformat, help="default: the last submission day"
        )
        sub.add_parser(
            "measure", help="compare the last run with the patterns the demo generator planted"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["sub"] == "measure":
            # The measurement reads the demo's planted truth, so it belongs to sigap.demo; called
            # by name, the integrity app does not import the demo (`sigap demo_measure`).
            call_command("demo_measure", stdout=self.stdout)
            return
        until = options["until"]
        if until is None:
            last = ServiceRequest.objects.aggregate(m=Max("submitted_at"))["m"]
            until = last.date() if last else date.today()
        since = options["since"] or until - timedelta(days=365)
        run = integrity_refresh(since=since, until=until)
        self.stdout.write(
            f"{run.requests} requests by {run.officers} officers, {since}–{until}: "
            f"{run.signals} signals, {run.flagged} flagged."
        )
        for kind, label in IntegritySignal.Kind.choices:
            n = IntegritySignal.objects.filter(run=run, kind=kind, flagged=True).count()
            self.stdout.write(f"  {label}: {n} flagged")
