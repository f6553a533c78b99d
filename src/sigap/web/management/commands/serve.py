"""`sigap serve`: apply pending migrations, then serve with a production WSGI server."""

from __future__ import annotations

import os
import sys
from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandParser


class Command(BaseCommand):
    help = "Serve sigap on http://127.0.0.1:8000 with gunicorn (migrations applied first)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--bind", default="127.0.0.1:8000", help="host:port to listen on")
        parser.add_argument("--workers", type=int, default=3)

    def handle(self, *args: Any, **options: Any) -> None:
        call_command("migrate", verbosity=0, interactive=False)
        self.stdout.write(f"sigap is being served on http://{options['bind']}/  (Ctrl+C stops it)")
        sys.stdout.flush()
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sigap.settings")
        argv = [
            sys.executable,
            "-m",
            "gunicorn",
            "sigap.wsgi:application",
            "--bind",
            options["bind"],
            "--workers",
            str(options["workers"]),
            "--timeout",
            "60",
            # No access log by default: it would record citizens' IP addresses.
            "--error-logfile",
            "-",
        ]
        os.execvp(argv[0], argv)
