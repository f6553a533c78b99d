"""`sigap documents retention` and `sigap documents sweep`: the document store's housekeeping."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from sigap.documents.services import document_retention, document_sweep, retention_days


class Command(BaseCommand):
    help = (
        "Delete documents past their retention period (retention) or files without a row (sweep)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("job", choices=["retention", "sweep"])

    def handle(self, *args: Any, **options: Any) -> None:
        if options["job"] == "retention":
            n = document_retention()
            self.stdout.write(
                f"{n} documents deleted (each after its service's retention period; "
                f"the default is {retention_days()} days after the request finished)."
            )
        else:
            self.stdout.write(f"{document_sweep()} orphan files removed.")
