"""The shape every onboarding import shares: a plan (the dry run), then one transaction.

An importer reads a file and returns a `Plan`: the changes it would make (`Change`, each one
object: create, update, deactivate or unchanged, with the fields that differ) and the problems
it found (`Problem`, each with file, row and column). Nothing is written while planning. A plan
with errors cannot be applied: `apply` raises `ImportRefused` with every error. Applying runs the
plan again inside one transaction (so what is applied is what the database holds at that moment,
not what it held when the dry run was shown) and writes all of it or nothing.

Importers register themselves in `IMPORTERS` (kind -> Importer); the command `sigap onboard` and
the page /onboarding/ only ever go through `dry_run` and `apply` here.
"""

from __future__ import annotations

import hashlib
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Literal, Protocol

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from sigap.onboarding.models import ImportRun
from sigap.organisation.models import Agency

Severity = Literal["error", "warning"]
Action = Literal["create", "update", "deactivate", "unchanged"]


@dataclass(frozen=True, slots=True)
class Problem:
    """One thing wrong in an imported file, where the person can find it.

    `row` counts as the file shows it (the header is row 1 of a CSV; for a workbook, the row
    number Excel shows on that sheet); 0 for the file as a whole. `column` is the header as the
    file writes it ("" for the whole row). `message` is a translated sentence for a person.
    """

    file: str
    row: int
    column: str
    message: str
    severity: Severity = "error"
    sheet: str = ""  # the workbook sheet, for an XLSX file

    def where(self) -> str:
        parts = [self.file]
        if self.sheet:
            parts.append(self.sheet)
        if self.row:
            parts.append(str(self.row))
        if self.column:
            parts.append(self.column)
        return ", ".join(parts)


@dataclass(frozen=True, slots=True)
class Change:
    """One object the import would create, update, deactivate, or leave as it is."""

    action: Action
    what: str  # the kind of object, translated: "Pegawai", "Unit", "Standar pelayanan"
    label: str  # which one, for a person: "198503152010011002 Budi Santoso"
    # field label -> (old, new) as text, for updates (and the new values of a create).
    fields: dict[str, tuple[str, str]] = field(default_factory=dict)
    row: int = 0  # the file row it comes from, 0 if none (a deactivation)


@dataclass(slots=True)
class Plan:
    kind: str
    file: str
    rows: int  # data rows read
    changes: list[Change] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    # What the importer needs to apply the plan; never shown.
    payload: Any = None

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "error"]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "warning"]

    @property
    def ok(self) -> bool:
        return not self.errors

    def counts(self) -> dict[str, int]:
        by_action = Counter(c.action for c in self.changes)
        return {
            "create": by_action["create"],
            "update": by_action["update"],
            "deactivate": by_action["deactivate"],
            "unchanged": by_action["unchanged"],
            "errors": len(self.errors),
            "warnings": len(self.warnings),
        }


class ImportRefused(ValidationError):
    """The import was refused (nothing was written); `problems` say where and why."""

    def __init__(self, problems: list[Problem]) -> None:
        super().__init__([f"{p.where()}: {p.message}" for p in problems] or ["refused"])
        self.problems = problems


@dataclass(frozen=True, slots=True)
class Applied:
    kind: str
    file: str
    counts: dict[str, int]


class Importer(Protocol):
    """What each onboarding import provides.

    `plan` reads the file and the database (never writes) and returns the plan; `write` applies
    a plan that has no errors; it is called inside the transaction `apply` opens and may assume
    the plan was made in that same transaction.
    """

    kind: str

    def plan(self, data: bytes, name: str, *, agency: Agency, options: dict[str, Any]) -> Plan: ...

    def write(self, plan: Plan, *, agency: Agency, actor: Any) -> None: ...


IMPORTERS: dict[str, Importer] = {}
# kind -> the access action the actor needs over the agency's root unit.
REQUIRED_ACTION: dict[str, str] = {}


def register(importer: Importer, *, action: str) -> None:
    IMPORTERS[importer.kind] = importer
    REQUIRED_ACTION[importer.kind] = action


def _record(
    *, agency: Agency, kind: str, name: str, data: bytes, actor: Any, plan: Plan, applied: bool
) -> ImportRun:
    return ImportRun.objects.create(
        agency=agency,
        kind=kind,
        file_name=name[:200],
        sha256=hashlib.sha256(data).hexdigest(),
        actor=actor if getattr(actor, "is_authenticated", False) else None,
        started_at=timezone.now(),
        applied=applied,
        counts=plan.counts(),
    )


def dry_run(
    kind: str,
    data: bytes,
    name: str,
    *,
    agency: Agency,
    actor: Any = None,
    options: dict[str, Any] | None = None,
) -> Plan:
    """The plan of importing this file: nothing is written but the record of the run."""
    plan = IMPORTERS[kind].plan(data, name, agency=agency, options=dict(options or {}))
    _record(agency=agency, kind=kind, name=name, data=data, actor=actor, plan=plan, applied=False)
    return plan


def apply(
    kind: str,
    data: bytes,
    name: str,
    *,
    agency: Agency,
    actor: Any = None,
    options: dict[str, Any] | None = None,
    on_planned: Callable[[Plan], None] | None = None,
) -> Applied:
    """Plan again and write all of it in one transaction, or refuse with every error."""
    importer = IMPORTERS[kind]
    with transaction.atomic():
        # One apply per agency at a time (a double click, two administrators): the second
        # waits, then plans against what the first wrote, instead of creating the same rows
        # again and failing on a unique constraint.
        list(Agency.objects.select_for_update().filter(pk=agency.pk).values_list("pk"))
        plan = importer.plan(data, name, agency=agency, options=dict(options or {}))
        if on_planned is not None:
            on_planned(plan)
        if not plan.ok:
            raise ImportRefused(plan.errors)
        try:
            importer.write(plan, agency=agency, actor=actor)
        except ImportRefused:
            raise
        except ValidationError as exc:
            # A rule the plan did not foresee, met while writing: refused like a plan's error
            # (the transaction is rolled back), never a traceback on the page.
            raise ImportRefused([Problem(name, 0, "", m) for m in exc.messages]) from exc
        _record(
            agency=agency, kind=kind, name=name, data=data, actor=actor, plan=plan, applied=True
        )
    return Applied(kind=kind, file=name, counts=plan.counts())
