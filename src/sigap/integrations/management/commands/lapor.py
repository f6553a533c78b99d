"""`sigap lapor topics` and `sigap lapor send RECEIPT`: the legacy SP4N-LAPOR! API.

Off unless SIGAP_LAPOR_ENABLED=true with SIGAP_LAPOR_TOKEN set (docs/integrations.md). Every
call is recorded as an Exchange. Reports disposed to the agency come in through the CSV import
(`sigap onboard`, kind "lapor"), not through here: the API that would list them is not public.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from sigap.complaints.models import Complaint
from sigap.integrations.lapor import LaporError, LegacyLaporAdapter, public_url
from sigap.service_requests.services import normalise_receipt_code


class Command(BaseCommand):
    help = "Exchange with SP4N-LAPOR! through its legacy API (topics, send a complaint)."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="sub", required=True)
        sub.add_parser("topics", help="list LAPOR!'s topics (gettopics)")
        send = sub.add_parser("send", help="send a complaint filed in sigap to LAPOR! (addstream)")
        send.add_argument("receipt", help="the complaint's receipt code")

    def handle(self, *args: Any, **options: Any) -> None:
        adapter = LegacyLaporAdapter()
        try:
            if options["sub"] == "topics":
                for topic in adapter.topics():
                    self.stdout.write(f"{topic.id}\t{topic.parent}\t{topic.name}")
                return
            code = normalise_receipt_code(options["receipt"])
            complaint = Complaint.objects.filter(receipt_code=code).first()
            if complaint is None:
                raise CommandError(f"no complaint has the receipt code {code}")
            complaint = adapter.send(complaint)
        except LaporError as exc:
            raise CommandError(str(exc)) from exc
        except ValidationError as exc:
            raise CommandError("; ".join(exc.messages)) from exc
        self.stdout.write(
            f"{complaint.receipt_code} → {complaint.lapor_tracking_id} "
            f"{public_url(complaint.lapor_tracking_id)}"
        )
