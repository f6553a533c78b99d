"""The `sigap` command.

`sigap analyze ...` works on files without a database; every other sub-command is a Django
management command (`sigap demo`, `sigap serve`, `sigap migrate`, `sigap createsuperuser`...).

Demo mode (`sigap demo`, `sigap serve --demo`) takes the keys missing from the environment from
var/demo-keys.env, labelled as demo keys (sigap.keys), before Django reads its settings: the
demo works on a fresh machine, and a real installation never runs on a key made up for it.
"""

from __future__ import annotations

import os
import sys


def is_demo(args: list[str]) -> bool:
    return bool(args) and (args[0] == "demo" or (args[0] == "serve" and "--demo" in args))


def main(argv: list[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    if args and args[0] == "analyze":
        from sigap.analytics.cli import main as analyze_main

        return int(analyze_main(args[1:]))
    if is_demo(args):
        from sigap import keys

        path, taken = keys.use_demo_keys()
        if taken:
            print(
                f"DEMO KEYS — NOT FOR PRODUCTION: {', '.join(taken)} from {path}",
                file=sys.stderr,
            )
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sigap.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(["sigap", *args])
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
