"""The agency's competency standards: the dictionary's technical competencies, the versions of
the standar kompetensi jabatan (the level each position requires of each competency) and the
procedure steps' links to competencies.

Reads (used by the profile pages and the gap refresh too):
- `standard_on(agency, day)`: the agency's version in force on `day`;
- `versions_in_force(day)`: every agency's version in force on `day`, at once;
- `required_levels(version, position_ids)`: what those positions require in a version;
- `version_requirements(version)`: every requirement of a version, by position.

Writes (HR, `Action.COMPETENCY_MANAGE` over the agency's top unit; each one atomic and
audited): `technical_competency_save`, `standard_version_new`, `standard_levels_set`,
`standard_import`, `step_competencies_set`. History is never rewritten: a version in force or
past is never edited, and a new version takes effect after today (the agency's first one may
take effect on any date).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from sigap.access import Action, can, scope_paths
from sigap.audit.services import audit_record
from sigap.catalogue.models import ProcedureStep, Service
from sigap.competency.models import (
    Competency,
    CompetencyLevel,
    PositionRequirement,
    StandardVersion,
    StepCompetency,
)
from sigap.organisation.models import Agency, Employee, Position, Unit
from sigap.rules.competency import MAX_LEVEL, MIN_LEVEL

LEVELS = range(MIN_LEVEL, MAX_LEVEL + 1)

# --- reads -------------------------------------------------------------------------------------


def standard_on(agency: Agency | int, day: date) -> StandardVersion | None:
    """The agency's standard version in force on `day`: the latest one whose `valid_from` is
    on or before it (None before the first). The one definition: pages, gaps and the 9-box
    read it here."""
    agency_id = agency if isinstance(agency, int) else agency.pk
    return (
        StandardVersion.objects.filter(agency_id=agency_id, valid_from__lte=day)
        .order_by("-valid_from")
        .first()
    )


def versions_in_force(day: date) -> dict[int, StandardVersion]:
    """agency id → its version in force on `day` (as `standard_on`), for every agency at once."""
    out: dict[int, StandardVersion] = {}
    for version in StandardVersion.objects.filter(valid_from__lte=day).order_by(
        "agency_id", "-valid_from"
    ):
        out.setdefault(version.agency_id, version)
    return out


def required_levels(
    version: StandardVersion | None, position_ids: Iterable[int]
) -> dict[int, dict[int, int]]:
    """position id → {competency id: required level} in `version` (empty without one)."""
    out: dict[int, dict[int, int]] = defaultdict(dict)
    if version is None:
        return out
    for position_id, competency_id, level in PositionRequirement.objects.filter(
        version=version, position_id__in=list(position_ids)
    ).values_list("position_id", "competency_id", "level"):
        out[position_id][competency_id] = level
    return out


def version_requirements(version: StandardVersion) -> dict[int, dict[int, int]]:
    """position id → competency id → required level, for every row of `version`."""
    out: dict[int, dict[int, int]] = {}
    for position_id, competency_id, level in version.requirements.values_list(
        "position_id", "competency_id", "level"
    ):
        out.setdefault(position_id, {})[competency_id] = level
    return out


def status_of(version: StandardVersion, day: date, in_force: StandardVersion | None) -> str:
    """ "scheduled" (not yet in force: editable), "in_force" or "past"."""
    if version.valid_from > day:
        return "scheduled"
    return "in_force" if in_force is not None and version.pk == in_force.pk else "past"


def agency_competencies(agency: Agency | int) -> QuerySet[Competency]:
    """The national dictionary and the agency's own technical competencies: what the agency's
    standards require and its employees are assessed on or trained in."""
    agency_id = agency if isinstance(agency, int) else agency.pk
    return Competency.objects.filter(Q(agency__isnull=True) | Q(agency_id=agency_id)).order_by(
        "group", "name"
    )


def agency_positions(agency: Agency, version: StandardVersion | None = None) -> list[Position]:
    """The positions held in the agency's units, and those already in `version`."""
    held = Employee.objects.filter(unit__agency=agency).values("position_id")
    found = Q(pk__in=held)
    if version is not None:
        found |= Q(pk__in=version.requirements.values("position_id"))
    return list(Position.objects.filter(found).order_by("name"))


def top_unit(agency: Agency) -> Unit | None:
    return Unit.objects.filter(agency=agency, parent__isnull=True).order_by("path").first()


def agency_for(user: Any, action: Action) -> Agency | None:
    """The agency whose standards `user` reads (or keeps) under `action`: the agency of the
    first unit in their scope."""
    paths = scope_paths(user, action)
    if not paths:
        return None
    unit = Unit.objects.select_related("agency").filter(path=paths[0]).first()
    return unit.agency if unit is not None else None


def may_manage(user: Any, agency: Agency) -> bool:
    """HR over the whole agency (its top unit) keeps its standards."""
    unit = top_unit(agency)
    return unit is not None and can(user, Action.COMPETENCY_MANAGE, unit)


def require_manager(user: Any, agency: Agency) -> None:
    if not may_manage(user, agency):
        raise PermissionDenied(_("Only HR may change the agency's competency standards."))


def current_steps(service: Service, day: date) -> list[str]:
    """The step names of the service's standard in force (the event log's activity names)."""
    standard = service.standard_on(day)
    if standard is None:
        return []
    return list(
        ProcedureStep.objects.filter(standard=standard)
        .order_by("order")
        .values_list("name", flat=True)
    )


# --- writes ------------------------------------------------------------------------------------


def _level_problem(value: object) -> str | None:
    if isinstance(value, bool) or not isinstance(value, int) or value not in LEVELS:
        return _("A level is a whole number from 1 to 5.")
    return None


@transaction.atomic
def technical_competency_save(
    *,
    actor: Any,
    agency: Agency,
    name: str,
    code: str,
    definition: str,
    levels: Sequence[str],
    competency: Competency | None = None,
) -> Competency:
    """Add (or edit) one of the agency's technical competencies with its five level lines.
    The national dictionary is never edited here."""
    require_manager(actor, agency)
    name = " ".join(name.split())
    code = slugify(code or name)[:60]
    lines = [" ".join(str(line).split()) for line in levels]
    errors: dict[str, list[str]] = {}
    if not name:
        errors["name"] = [_("Give the competency a name.")]
    if not code:
        errors["code"] = [_("Give the competency a code (letters, digits and hyphens).")]
    elif (
        Competency.objects.filter(code=code)
        .exclude(pk__in=[competency.pk] if competency is not None else [])
        .exists()
    ):
        errors["code"] = [_("Another competency already has the code %(code)s.") % {"code": code}]
    if len(lines) != len(LEVELS) or not all(lines):
        errors["levels"] = [_("Describe each of the five levels in one line.")]
    if competency is not None and (competency.agency_id != agency.pk):
        raise PermissionDenied(_("The national dictionary cannot be changed."))
    if errors:
        raise ValidationError(errors)
    created = competency is None
    if competency is None:
        competency = Competency(agency=agency, group=Competency.Group.TEKNIS)
    old = {"name": competency.name, "code": competency.code}
    renamed = not created and old != {"name": name, "code": code}
    competency.name, competency.code, competency.definition = name, code, definition.strip()
    competency.save()
    for level, line in zip(LEVELS, lines, strict=True):
        CompetencyLevel.objects.update_or_create(
            competency=competency, level=level, defaults={"description": line}
        )
    audit_record(
        actor=actor,
        action="competency.technical_add" if created else "competency.technical_edit",
        obj=competency,
        unit=top_unit(agency),
        data={"code": code, **({"old": old} if renamed else {})},
    )
    return competency


def _valid_from_problem(agency: Agency, valid_from: date | None, today: date) -> str | None:
    if valid_from is None:
        return _("Give the date the version takes effect.")
    versions = StandardVersion.objects.filter(agency=agency)
    if versions.filter(valid_from=valid_from).exists():
        return _("Another version already takes effect on that day.")
    if versions.exists() and valid_from <= today:
        return _(
            "A new version takes effect after today: the standard in force and past ones "
            "are kept as they were."
        )
    return None


@transaction.atomic
def standard_version_new(
    *, actor: Any, agency: Agency, valid_from: date | None, note: str = ""
) -> StandardVersion:
    """A new version taking effect on `valid_from`, starting as a copy of the latest version
    (empty for the agency's first)."""
    require_manager(actor, agency)
    problem = _valid_from_problem(agency, valid_from, timezone.localdate())
    if problem:
        raise ValidationError({"valid_from": [problem]})
    assert valid_from is not None
    latest = StandardVersion.objects.filter(agency=agency).order_by("-valid_from").first()
    version = StandardVersion.objects.create(
        agency=agency, valid_from=valid_from, note=note.strip()[:300], created_by=actor
    )
    copied = 0
    if latest is not None:
        rows = [
            PositionRequirement(version=version, position_id=p, competency_id=c, level=level)
            for p, c, level in latest.requirements.values_list(
                "position_id", "competency_id", "level"
            )
        ]
        copied = len(PositionRequirement.objects.bulk_create(rows))
    audit_record(
        actor=actor,
        action="competency.standard_new",
        obj=version,
        unit=top_unit(agency),
        data={
            "valid_from": valid_from.isoformat(),
            "rows": copied,
            **({"from_version": latest.valid_from.isoformat()} if latest else {}),
        },
    )
    return version


def require_editable(version: StandardVersion) -> None:
    if version.valid_from <= timezone.localdate():
        raise ValidationError(
            _("This version is in force or past: it is kept as it was. Start a new version.")
        )


@transaction.atomic
def standard_levels_set(
    *, actor: Any, version: StandardVersion, levels: Mapping[tuple[int, int], int | None]
) -> int:
    """Set the required levels of a version not yet in force: (position id, competency id) →
    level 1–5, or None to drop the requirement. Returns how many rows changed."""
    require_manager(actor, version.agency)
    require_editable(version)
    allowed_competencies = set(agency_competencies(version.agency).values_list("pk", flat=True))
    allowed_positions = {p.pk for p in agency_positions(version.agency, version)}
    problems: list[str] = []
    for (position_id, competency_id), level in levels.items():
        if position_id not in allowed_positions or competency_id not in allowed_competencies:
            problems.append(_("A position or competency that is not the agency's."))
        elif level is not None and _level_problem(level):
            problems.append(_("A level is a whole number from 1 to 5."))
    if problems:
        raise ValidationError(sorted(set(problems)))
    existing = {
        (r.position_id, r.competency_id): r
        for r in PositionRequirement.objects.select_for_update().filter(version=version)
    }
    changed = 0
    for key, level in levels.items():
        row = existing.get(key)
        if level is None:
            if row is not None:
                row.delete()
                changed += 1
        elif row is None:
            PositionRequirement.objects.create(
                version=version, position_id=key[0], competency_id=key[1], level=level
            )
            changed += 1
        elif row.level != level:
            row.level = level
            row.save(update_fields=["level"])
            changed += 1
    if changed:
        audit_record(
            actor=actor,
            action="competency.standard_edit",
            obj=version,
            unit=top_unit(version.agency),
            data={"valid_from": version.valid_from.isoformat(), "changes": changed},
        )
    return changed


@dataclass(frozen=True)
class ImportRow:
    """One row of an imported standard: where it came from and what it says."""

    row: int
    position: str
    code: str
    level: object


class ImportFailed(Exception):
    """An import refused whole; `problems` name the file, row and column of each."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("; ".join(problems))
        self.problems = problems


@transaction.atomic
def standard_import(
    *,
    actor: Any,
    agency: Agency,
    valid_from: date | None,
    rows: Iterable[ImportRow],
    filename: str,
    columns: Mapping[str, str],
) -> StandardVersion:
    """A new version from the rows of an imported file, all or nothing: any unknown position,
    unknown competency, level outside 1–5 or duplicate refuses the whole file, each problem
    named by file, row and column (`columns` gives each field's column as the file has it)."""
    require_manager(actor, agency)
    problems: list[str] = []

    def problem(row: int, field: str, text: str) -> None:
        problems.append(
            _("%(file)s, row %(row)d, column %(column)s: %(problem)s")
            % {"file": filename, "row": row, "column": columns[field], "problem": text}
        )

    date_problem = _valid_from_problem(agency, valid_from, timezone.localdate())
    positions = {" ".join(p.name.split()).casefold(): p for p in Position.objects.all()}
    competencies = {c.code: c for c in agency_competencies(agency)}
    seen: dict[tuple[int, int], int] = {}
    found: list[PositionRequirement] = []
    count = 0
    for r in rows:
        count += 1
        position = positions.get(" ".join(r.position.split()).casefold())
        competency = competencies.get(r.code.strip().lower())
        level = r.level
        if isinstance(level, float) and level.is_integer():
            level = int(level)
        elif isinstance(level, str) and level.strip().isdigit():
            level = int(level.strip())
        if position is None:
            problem(r.row, "position", _("unknown position “%(name)s”") % {"name": r.position})
        if competency is None:
            problem(r.row, "code", _("unknown competency code “%(code)s”") % {"code": r.code})
        if _level_problem(level):
            problem(r.row, "level", _("the level must be a whole number from 1 to 5"))
        if position is None or competency is None or _level_problem(level):
            continue
        key = (position.pk, competency.pk)
        if key in seen:
            problem(
                r.row,
                "code",
                _("%(position)s and %(code)s already appear in row %(first)d")
                % {"position": position.name, "code": competency.code, "first": seen[key]},
            )
            continue
        seen[key] = r.row
        assert isinstance(level, int)
        found.append(PositionRequirement(position=position, competency=competency, level=level))
    if not count:
        problems.append(_("%(file)s has no rows under its header.") % {"file": filename})
    if date_problem:
        problems.insert(0, date_problem)
    if problems:
        raise ImportFailed(problems)
    assert valid_from is not None
    version = StandardVersion.objects.create(
        agency=agency,
        valid_from=valid_from,
        note=(_("Imported from %(file)s") % {"file": filename})[:300],
        created_by=actor,
    )
    for requirement in found:
        requirement.version = version
    PositionRequirement.objects.bulk_create(found)
    audit_record(
        actor=actor,
        action="competency.standard_import",
        obj=version,
        unit=top_unit(agency),
        data={"valid_from": valid_from.isoformat(), "rows": len(found), "file": filename[:100]},
    )
    return version


@transaction.atomic
def step_competencies_set(
    *, actor: Any, service: Service, step: str, competency_ids: Iterable[int]
) -> tuple[int, int]:
    """The technical competencies a procedure step of the service needs (the step of the
    standard in force). Returns (added, removed)."""
    if not can(actor, Action.COMPETENCY_MANAGE, service.unit):
        raise PermissionDenied(_("Only HR may link procedure steps to competencies."))
    if step not in current_steps(service, timezone.localdate()):
        raise ValidationError({"step": [_("This step is not in the service's standard.")]})
    wanted = set(competency_ids)
    allowed = set(
        Competency.objects.filter(
            agency=service.unit.agency, group=Competency.Group.TEKNIS
        ).values_list("pk", flat=True)
    )
    if wanted - allowed:
        raise ValidationError(
            {"competencies": [_("Only the agency's technical competencies can be linked.")]}
        )
    links = StepCompetency.objects.filter(service=service, step=step)
    have = set(links.values_list("competency_id", flat=True))
    removed = links.filter(competency_id__in=have - wanted).delete()[0]
    StepCompetency.objects.bulk_create(
        StepCompetency(service=service, step=step, competency_id=c) for c in wanted - have
    )
    added = len(wanted - have)
    if added or removed:
        codes = dict(Competency.objects.filter(pk__in=wanted | have).values_list("pk", "code"))
        audit_record(
            actor=actor,
            action="competency.step_link",
            obj=service,
            unit=service.unit,
            data={
                "service": service.code,
                "step": step,
                "added": sorted(codes[c] for c in wanted - have),
                "removed": sorted(codes[c] for c in have - wanted),
            },
        )
    return added, removed
