"""`sigap keys generate`: a fresh set of keys for a real installation, as an environment file.

    sigap keys generate > /etc/sigap/keys.env   # then chmod 600, EnvironmentFile= in systemd

An installation made by an earlier version keeps the keys it has under var/ (var/secret_key,
var/keys/): they are printed instead of new ones, or the WBS reports and the audit chain made
under them could no longer be read; `--fresh` ignores them. Demo keys (var/demo-keys.env) are
never reused.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from sigap import keys


class Command(BaseCommand):
    help = "Print a fresh set of sigap's keys (SIGAP_SECRET_KEY, SIGAP_WBS_MASTER_KEY, ...)."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        generate = sub.add_parser("generate", help="print new keys as NAME=value lines")
        generate.add_argument(
            "--fresh", action="store_true", help="new keys even where var/ holds older ones"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        values = keys.generate()
        header = (
            "# sigap keys — keep this file secret (chmod 600) and back it up apart from the\n"
            "# database: without SIGAP_WBS_MASTER_KEY no WBS report can be opened again.\n"
        )
        var = keys.var_dir()
        if not options["fresh"] and (kept := keys.legacy(var)):
            values |= kept
            header += f"# kept from {var} (made by an earlier sigap): {', '.join(kept)}\n"
        self.stdout.write(keys.render(values, header), ending="")
