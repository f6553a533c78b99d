"""`sigap demo_measure` (also `sigap integrity measure`): the last integrity run against the
patterns the demo generator planted."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from sigap.demo.integrity import measure


class Command(BaseCommand):
    help = "Compare the last integrity run with the patterns the demo generator planted."

    def handle(self, *args: Any, **options: Any) -> None:
        result = measure()
        self.stdout.write(f"demo build: {'clean' if result.build_clean else 'planted'}")
        for line in result.lines:
            self.stdout.write(line)
