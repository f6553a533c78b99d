"""`sigap apikey NAME --scope open311.post`: create an API key and print it once."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from sigap.api.keys import api_key_create
from sigap.api.models import Scope


class Command(BaseCommand):
    help = "Create an API key for a partner system; the key is printed once and stored hashed."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("name")
        parser.add_argument("--scope", action="append", choices=Scope.values, required=True)

    def handle(self, *args: Any, **options: Any) -> None:
        if not options["name"].strip():
            raise CommandError("Give the key a name (the partner system).")
        key, raw = api_key_create(name=options["name"], scopes=options["scope"])
        self.stdout.write(raw)
        self.stderr.write(f"Key {key.prefix}… for {key.name}: {', '.join(key.scopes)}")
