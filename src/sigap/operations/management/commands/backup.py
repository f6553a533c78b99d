"""`sigap backup [DIR|FILE]`: the database, the analytics store, uploads and the keys (encrypted)
in one archive. See sigap/operations/backup.py and docs/deploy.md."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from sigap.operations.backup import BackupError, backup
from sigap.operations.passphrase import passphrase


class Command(BaseCommand):
    help = (
        "Write a backup archive (database, analytics store, uploads, keys encrypted with a "
        "passphrase from SIGAP_BACKUP_PASSPHRASE or the terminal)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "out", nargs="?", type=Path, help="archive file or directory (default: VAR_DIR/backups)"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        out = options["out"] or Path(settings.VAR_DIR) / "backups"
        if options["out"] is None:
            out.mkdir(parents=True, exist_ok=True, mode=0o700)
        try:
            result = backup(out, passphrase(confirm=True))
        except BackupError as exc:
            raise CommandError(f"backup not written: {exc}") from exc
        self.stdout.write(
            f"Backup written: {result.path} ({result.engine}, {result.members} files, "
            f"{result.size / 1e6:.1f} MB). Keep the passphrase apart from the archive."
        )
