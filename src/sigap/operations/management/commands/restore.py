"""`sigap restore ARCHIVE [--check]`: restore a `sigap backup` archive into an empty database.

`--check` verifies the archive (seal, checksums, key material) and restores nothing;
`--keys-to DIR` writes only the archived keys, one file each, named after their variable.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from sigap.operations.backup import BackupError, keys_to, restore, verify
from sigap.operations.passphrase import passphrase


class Command(BaseCommand):
    help = "Restore a backup archive into an EMPTY database (refuses an altered archive)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("archive", type=Path)
        parser.add_argument(
            "--check", action="store_true", help="only verify the archive; restore nothing"
        )
        parser.add_argument(
            "--keys-to", type=Path, help="only write the archived keys into this new folder"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        secret = passphrase(confirm=False)
        try:
            if options["check"]:
                manifest = verify(options["archive"], secret)
                self.stdout.write(
                    f"OK: {options['archive']} ({manifest['engine']}, made "
                    f"{manifest['created']}, {len(manifest['files'])} files, all checksums match)"
                )
                return
            if options["keys_to"]:
                for key_path in keys_to(options["archive"], secret, options["keys_to"]):
                    self.stdout.write(f"  key written: {key_path}")
                return
            result = restore(options["archive"], secret)
        except BackupError as exc:
            raise CommandError(f"restore refused: {exc}") from exc
        self.stdout.write(
            f"Restored the {result.engine} database of {result.created} and "
            f"{result.files} store files."
        )
        for path in result.keys_written:
            self.stdout.write(f"  key written: {path}")
        for path in result.set_aside:
            self.stdout.write(f"  kept aside (was there before): {path}")
        self.stdout.write(
            "Next: `sigap keys generate > /etc/sigap/keys.env` (it keeps the restored keys) and "
            "load it into the service's environment; then sigap migrate, sigap audit verify, "
            "and start the service."
        )
