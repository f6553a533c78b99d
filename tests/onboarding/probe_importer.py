"""A test-only importer for the two doors (the command and the page): an agency's special
days from a CSV "date,name" (dates yyyy-mm-dd).

It plans create / update / unchanged, an error for a date that is not a date or repeats
(column "date"), a warning for an empty name, and reads two options: `prefix` (put before every
name) and `mapping.name` (the header of the name column). `probe_importers` registers it under three
kinds, one per onboarding action, in a registry emptied for the test and restored afterwards,
so the real importers never show in these tests and are never lost.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from datetime import date
from typing import Any

import pytest

from sigap.accounts.roles import Action
from sigap.onboarding import plan as onboarding_plan
from sigap.onboarding.plan import Change, Plan, Problem
from sigap.organisation.models import Agency, AgencySpecialDay

PEOPLE, ORGANISATION, LAPOR = "probe-people", "probe-org", "probe-lapor"
KINDS = {
    PEOPLE: Action.ONBOARD_PEOPLE,
    ORGANISATION: Action.ONBOARD_ORGANISATION,
    LAPOR: Action.LAPOR_EXCHANGE,
}


class SpecialDays:
    def __init__(self, kind: str) -> None:
        self.kind = kind
        self.label = f"Probe {kind}"
        # The page asks for options only for the importers that read them.
        self.takes_options = kind == ORGANISATION

    def plan(self, data: bytes, name: str, *, agency: Agency, options: dict[str, Any]) -> Plan:
        result = Plan(kind=self.kind, file=name, rows=0)
        name_column = options.get("mapping", {}).get("name", "name")
        prefix = options.get("prefix", "")
        reader = csv.DictReader(io.StringIO(data.decode("utf-8-sig")))
        for column in ("date", name_column):
            if column not in (reader.fieldnames or []):
                result.problems.append(Problem(name, 1, column, "missing column"))
        if result.problems:
            return result
        existing = {d.date: d.name for d in AgencySpecialDay.objects.filter(agency=agency)}
        seen: set[date] = set()
        rows: list[tuple[date, str]] = []
        for number, row in enumerate(reader, start=2):
            result.rows += 1
            try:
                day = date.fromisoformat(row["date"].strip())
            except ValueError:
                result.problems.append(Problem(name, number, "date", "not a date"))
                continue
            if day in seen:
                result.problems.append(Problem(name, number, "date", "repeated"))
                continue
            seen.add(day)
            label = row[name_column].strip()
            if not label:
                result.problems.append(
                    Problem(name, number, name_column, "empty name", severity="warning")
                )
                label = day.isoformat()
            label = prefix + label
            rows.append((day, label))
            old = existing.get(day)
            if old is None:
                result.changes.append(
                    Change("create", "Day", day.isoformat(), {"name": ("", label)}, number)
                )
            elif old != label:
                result.changes.append(
                    Change("update", "Day", day.isoformat(), {"name": (old, label)}, number)
                )
            else:
                result.changes.append(Change("unchanged", "Day", day.isoformat(), {}, number))
        result.payload = rows
        return result

    def write(self, plan: Plan, *, agency: Agency, actor: Any) -> None:
        for day, label in plan.payload:
            AgencySpecialDay.objects.update_or_create(
                agency=agency, date=day, defaults={"name": label}
            )


def register_probes() -> tuple[dict[str, Any], dict[str, str]]:
    """Empty the registry, register the probes; returns what was there, for `restore`."""
    saved = (dict(onboarding_plan.IMPORTERS), dict(onboarding_plan.REQUIRED_ACTION))
    onboarding_plan.IMPORTERS.clear()
    onboarding_plan.REQUIRED_ACTION.clear()
    for kind, action in KINDS.items():
        onboarding_plan.register(SpecialDays(kind), action=action)
    return saved


def restore(saved: tuple[dict[str, Any], dict[str, str]]) -> None:
    onboarding_plan.IMPORTERS.clear()
    onboarding_plan.IMPORTERS.update(saved[0])
    onboarding_plan.REQUIRED_ACTION.clear()
    onboarding_plan.REQUIRED_ACTION.update(saved[1])


@pytest.fixture
def probe_importers() -> Iterator[None]:
    saved = register_probes()
    try:
        yield
    finally:
        restore(saved)
