"""The `sigap` command.

`sigap analyze ...` works on files without a database; every other sub-command is a Django
management command (`sigap demo`, `sigap serve`, `sigap migrate`, `sigap createsuperuser`...).
"""

from __future__ import annotations

import os
import sys


def main(argv: list[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    if args and args[0] == "analyze":
        from sigap.analytics.cli import main as analyze_main

        return int(analyze_main(args[1:]))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sigap.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(["sigap", *args])
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
