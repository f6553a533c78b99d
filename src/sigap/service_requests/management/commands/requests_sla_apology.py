"""`sigap requests_sla_apology`: queue an apology to each applicant whose request is past its
due date (daily; once per request, rerunnable)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from sigap.service_requests.services import service_requests_sla_apology


class Command(BaseCommand):
    help = "Queue the apology for every overdue request that has not had one (daily)."

    def handle(self, *args: Any, **options: Any) -> None:
        queued = service_requests_sla_apology()
        self.stdout.write(f"requests_sla_apology: {queued} apology message(s) queued")
