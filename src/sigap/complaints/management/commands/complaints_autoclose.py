"""`sigap complaints_autoclose`: close followed-up complaints after 10 working days without a
reply (SP4N-LAPOR!). Rerunnable; run it daily (cron or a systemd timer)."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from sigap.complaints.services import complaints_auto_close


class Command(BaseCommand):
    help = "Close complaints whose follow-up got no reply within 10 working days."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--today", type=date.fromisoformat, default=None)

    def handle(self, *args: Any, **options: Any) -> None:
        closed = complaints_auto_close(today=options["today"])
        self.stdout.write(f"{closed} complaint(s) closed automatically.")
