"""`sigap notify send`: deliver the queued notifications (cron, every minute; parallel-safe)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from sigap.notifications.selectors import waiting_without_channel
from sigap.notifications.sender import drain


class Command(BaseCommand):
    help = "Notifications: `send` delivers the queued messages (safe to run in parallel)."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        send = sub.add_parser("send", help="send every due message, then stop")
        send.add_argument(
            "--max-seconds",
            type=float,
            default=55.0,
            help="stop claiming after this long (default 55: the next cron run takes over)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        counts = drain(max_seconds=options["max_seconds"])
        parts = [f"{k} {v}" for k, v in sorted(counts.items()) if v]
        self.stdout.write("notify send: " + (", ".join(parts) or "nothing due"))
        unconfigured = waiting_without_channel()
        if unconfigured:
            self.stdout.write(
                f"notify send: {unconfigured} message(s) wait for a gateway that is not "
                "configured (SIGAP_NOTIFY_WHATSAPP_URL / SIGAP_NOTIFY_SMS_URL)"
            )
