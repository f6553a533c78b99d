"""The backup passphrase: SIGAP_BACKUP_PASSPHRASE (for a timer), else asked on the terminal."""

from __future__ import annotations

import getpass
import os
import sys

from django.core.management.base import CommandError

ENV = "SIGAP_BACKUP_PASSPHRASE"


def passphrase(*, confirm: bool) -> str:
    if value := os.environ.get(ENV):
        return value
    if not sys.stdin.isatty():
        raise CommandError(f"set {ENV} or run the command on a terminal to type the passphrase")
    first = getpass.getpass("Backup passphrase: ")
    if confirm and getpass.getpass("Again: ") != first:
        raise CommandError("the two passphrases differ")
    return first
