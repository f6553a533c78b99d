"""`sigap bookings_remind`: queue a reminder to each applicant booked at a counter tomorrow
(daily, in the morning; once per booking and day, rerunnable)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from sigap.booking.services import booking_reminders


class Command(BaseCommand):
    help = "Queue the reminder for every counter booking of tomorrow (daily)."

    def handle(self, *args: Any, **options: Any) -> None:
        queued = booking_reminders()
        self.stdout.write(f"bookings_remind: {queued} reminder(s) queued")
