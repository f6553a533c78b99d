"""`sigap audit verify`: check the whole hash chain and name the first broken row."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from sigap.audit.chain import verify_chain


class Command(BaseCommand):
    help = "Audit trail tools. `verify` checks the hash chain and exits 1 at the first break."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="sub", required=True)
        sub.add_parser("verify", help="verify the hash chain of the audit trail")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["sub"] == "verify":
            result = verify_chain()
            if result.problem is None:
                self.stdout.write(
                    f"OK: {result.checked} entries, chain head #{result.head_seq} "
                    f"{result.head_hash}"
                )
                return
            self.stdout.write(
                f"BROKEN after {result.checked} good entries: {result.problem.message}"
            )
            raise CommandError(f"audit chain broken ({result.problem.kind})", returncode=1)
