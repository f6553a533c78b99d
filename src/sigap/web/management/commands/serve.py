"""`sigap serve`: apply pending migrations, then serve with a production WSGI server (granian).

The load benchmark (bench/load_citizen_voice.py) starts the server with `server_argv()` too, so
the figures it measures are those of this configuration.
"""

from __future__ import annotations

import os
import sys
from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError, CommandParser

from sigap import keys

DEFAULT_WORKERS = 3


def server_argv(app: str, bind: str, workers: int = DEFAULT_WORKERS) -> list[str]:
    """The command line of the production server for the WSGI callable `app` ("module:attr").

    granian (HTTP in Rust, keep-alive) with `workers` processes, each running one Python thread:
    Django's database connection is per thread and kept open (CONN_MAX_AGE), so the PostgreSQL
    connections are exactly `workers`, and a request is never queued behind the GIL of another
    thread in the same process. Requests beyond what the workers handle wait in granian's queue.
    Measured against gunicorn sync workers (which close the connection after every request and
    parse HTTP in Python): 0.55–0.60 against 0.66–0.72 ms of server CPU per request on the bare
    insert endpoint (docs/citizen-voice.md, "Load").
    """
    host, _, port = bind.rpartition(":")
    if not host or not port.isdigit():
        raise CommandError(f"--bind must be host:port, not “{bind}”")
    return [
        sys.executable, "-m", "granian", "--interface", "wsgi",
        "--host", host.strip("[]"), "--port", port,
        "--workers", str(workers), "--blocking-threads", "1",
        "--no-ws", "--respawn-failed-workers",
        # No access log (granian's default, said out loud): it would record citizens' IP
        # addresses.
        "--no-access-log", "--log-level", "warning",
        app,
    ]  # fmt: skip


class Command(BaseCommand):
    help = "Serve sigap on http://127.0.0.1:8000 with granian (migrations applied first)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--bind", default="127.0.0.1:8000", help="host:port to listen on")
        parser.add_argument("--workers", type=int, default=DEFAULT_WORKERS)
        parser.add_argument(
            "--demo",
            action="store_true",
            help="the demo: keys missing from the environment come from var/demo-keys.env "
            "(DEMO KEYS — NOT FOR PRODUCTION)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        argv = server_argv("sigap.wsgi:application", options["bind"], options["workers"])
        if options["demo"]:
            keys.use_demo_keys()  # fills what is missing; the server processes inherit it
        # Before anything else: a server without its keys does not start.
        try:
            keys.require()
        except keys.KeysMissing as exc:
            raise CommandError(str(exc)) from exc
        call_command("migrate", verbosity=0, interactive=False)
        if options["demo"]:
            demo = keys.parse(keys.demo_file().read_text())
            used = [name for name in keys.REQUIRED if os.environ.get(name) == demo.get(name)]
            self.stdout.write(
                f"DEMO MODE — keys from {keys.demo_file()}: {', '.join(used) or 'none'} "
                "(DEMO KEYS — NOT FOR PRODUCTION)"
            )
        self.stdout.write(f"sigap is being served on http://{options['bind']}/  (Ctrl+C stops it)")
        sys.stdout.flush()
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sigap.settings")
        os.execvp(argv[0], argv)
