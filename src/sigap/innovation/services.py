"""The write functions of the innovation registry and of ideas from staff. Each is atomic and
audited, authorises its actor itself, and refuses bad input with a `ValidationError` whose keys
are the fields at fault (nothing is written then).

Registry (`Action.INNOVATION_MANAGE` over every unit of the innovation):
- `innovation_create`, `innovation_update`: the IID profile, its units and services (a service
  must belong to one of the chosen units or to a unit below one) and the indicator it aims to
  improve (`target_kpi`, optional: its primary outcome when its effect is measured);
- `innovation_set_stage`: inisiatif → uji coba → penerapan, one stage forward at a time, with
  the date it began (never before the date of the stage before it, never in the future); going
  back a stage, or correcting the date of the current one, needs a note. Each move appends a
  `StageChange`;
- `replication_record`: another unit of the agency (optionally with its own replica record,
  linked by `replication_of`) or another region adopted an applied innovation.

Ideas:
- `idea_propose` (`Action.IDEA_PROPOSE` over the unit, by an employee): from one's own
  observation, a roadmap action, a complaint pattern (a complaint category of the unit) or an
  SKM unsur, each of which must exist in the unit's line;
- `idea_endorse`: a colleague (`IDEA_PROPOSE` over the unit), once, never the proposer;
- `idea_accept` (`Action.IDEA_DECIDE`, the unit head): the innovation at the initiative stage,
  linked both ways; `idea_decline`: the head says why.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import URLValidator
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from sigap.access import Action, can
from sigap.audit.services import audit_record
from sigap.catalogue.models import Service
from sigap.complaints.models import Category, Complaint
from sigap.innovation import urusan as urusan_list
from sigap.innovation.models import (
    Endorsement,
    Form,
    Idea,
    IdeaSource,
    IdeaStatus,
    Initiator,
    Innovation,
    Kind,
    Replication,
    Stage,
    StageChange,
    TargetKpi,
)
from sigap.leadership.models import RoadmapAction
from sigap.organisation.models import Agency, Employee, Unit
from sigap.rules.ikm import ELEMENT_CODES
from sigap.surveys.models import SurveyResponse

STAGE_ORDER: tuple[str, ...] = (Stage.INITIATIVE, Stage.TRIAL, Stage.APPLIED)
TEXT_MAX = 20_000  # a rancang bangun of a few thousand words
NOTE_MAX = 2_000
PROFILE_TEXTS = ("design", "goals", "benefits", "results")


# --- who may -----------------------------------------------------------------------------------


def may_manage(user: Any, innovation: Innovation) -> bool:
    """INNOVATION_MANAGE over every unit of the innovation (a unit head over their own
    innovations, HR over the agency)."""
    units = list(innovation.units.all())
    return bool(units) and all(can(user, Action.INNOVATION_MANAGE, u) for u in units)


def may_view(user: Any, innovation: Innovation) -> bool:
    return any(can(user, Action.INNOVATION_VIEW, u) for u in innovation.units.all())


def employee_of(user: Any) -> Employee | None:
    if not getattr(user, "is_authenticated", False):
        return None
    return Employee.objects.select_related("unit").filter(user=user).first()


def _in_line(a: Unit, b: Unit) -> bool:
    """One unit is the other or lies below it."""
    return a.path.startswith(b.path) or b.path.startswith(a.path)


def _today() -> date:
    return timezone.localdate()


# --- the registry ------------------------------------------------------------------------------


def _clean_text(value: str | None, limit: int) -> str:
    return (value or "").strip()[:limit]


def _profile_errors(
    actor: Any,
    *,
    name: str,
    initiator: str,
    initiator_name: str,
    form: str,
    kind: str,
    urusan: str,
    video_url: str,
    units: Sequence[Unit],
    services: Sequence[Service],
    texts: dict[str, str],
    target_kpi: str = "",
) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    if not name:
        errors["name"] = [_("Give the innovation a name.")]
    elif len(name) > 300:
        errors["name"] = [_("Keep the name under 300 characters.")]
    if initiator not in Initiator.values:
        errors["initiator"] = [_("Choose who initiated the innovation.")]
    if len(initiator_name) > 200:
        errors["initiator_name"] = [_("Keep the initiator's name under 200 characters.")]
    if form not in Form.values:
        errors["form"] = [_("Choose the form of the innovation.")]
    if kind not in Kind.values:
        errors["kind"] = [_("Choose whether the innovation is digital or not.")]
    if urusan not in urusan_list.BY_KEY:
        errors["urusan"] = [_("Choose the government affair (urusan) it belongs to.")]
    if target_kpi and target_kpi not in TargetKpi.values:
        errors["target_kpi"] = [
            _("Choose the indicator the innovation aims to improve from the list, or none.")
        ]
    if video_url:
        try:
            URLValidator(schemes=["http", "https"])(video_url)
        except ValidationError:
            errors["video_url"] = [_("The video link must be a web address (https://…).")]
        else:
            if len(video_url) > 200:
                errors["video_url"] = [_("Keep the video link under 200 characters.")]
    for key, text in texts.items():
        if len(text) > TEXT_MAX:
            errors[key] = [_("Keep this text under 20,000 characters.")]
    if not units:
        errors["units"] = [_("Choose at least one unit the innovation changes.")]
    else:
        agencies = {u.agency_id for u in units}
        if len(agencies) > 1:
            errors["units"] = [_("The units must belong to one agency.")]
        outside = [u.name for u in units if not can(actor, Action.INNOVATION_MANAGE, u)]
        if outside:
            errors["units"] = [
                _("You may not register innovations for: %(units)s.")
                % {"units": ", ".join(sorted(outside))}
            ]
        stray = [s.name for s in services if not any(s.unit.path.startswith(u.path) for u in units)]
        if stray:
            errors["services"] = [
                _("These services are not offered by the chosen units: %(services)s.")
                % {"services": ", ".join(sorted(stray))}
            ]
    return errors


def _name_taken(agency_id: int, name: str, *, other_than: int | None = None) -> bool:
    """Another innovation of the agency has this name (letter case and spacing aside): a second
    click on "Save", or the same innovation registered twice, would be counted twice in the
    IID's number of innovations. The agency's row is locked first, so two submissions at the
    same moment check one after the other (PostgreSQL)."""
    Agency.objects.select_for_update().filter(pk=agency_id).first()
    same = Innovation.objects.filter(agency_id=agency_id, name__iexact=name)
    if other_than is not None:
        same = same.exclude(pk=other_than)
    return same.exists()


def _services(services: Iterable[Service]) -> list[Service]:
    return list(Service.objects.select_related("unit").filter(pk__in=[s.pk for s in services]))


def _cleaned_profile(
    actor: Any,
    *,
    name: str,
    initiator: str,
    initiator_name: str,
    form: str,
    kind: str,
    urusan: str,
    video_url: str,
    units: Sequence[Unit],
    services: Sequence[Service],
    texts: dict[str, str],
    target_kpi: str,
) -> tuple[str, str, str, dict[str, str], list[Unit], list[Service], str, dict[str, list[Any]]]:
    """The profile as stored (names with their spaces collapsed, texts trimmed) and what is
    wrong with it: the one cleaning and check of `innovation_create` and `innovation_update`."""
    name = " ".join((name or "").split())
    initiator_name = " ".join((initiator_name or "").split())
    video_url = (video_url or "").strip()
    texts = {k: (v or "").strip() for k, v in texts.items()}
    target_kpi = (target_kpi or "").strip()
    unit_list = list(units)
    found = _services(services)
    errors = _profile_errors(
        actor,
        name=name,
        initiator=initiator,
        initiator_name=initiator_name,
        form=form,
        kind=kind,
        urusan=urusan,
        video_url=video_url,
        units=unit_list,
        services=found,
        texts=texts,
        target_kpi=target_kpi,
    )
    return name, initiator_name, video_url, texts, unit_list, found, target_kpi, errors


@transaction.atomic
def innovation_create(
    *,
    actor: Any,
    name: str,
    initiator: str,
    form: str,
    kind: str,
    urusan: str,
    initiated_on: date | None,
    units: Sequence[Unit],
    services: Sequence[Service] = (),
    initiator_name: str = "",
    design: str = "",
    goals: str = "",
    benefits: str = "",
    results: str = "",
    video_url: str = "",
    target_kpi: str = "",
) -> Innovation:
    """A new innovation at the initiative stage from `initiated_on`."""
    name, initiator_name, video_url, texts, units, found, target_kpi, errors = _cleaned_profile(
        actor,
        name=name,
        initiator=initiator,
        initiator_name=initiator_name,
        form=form,
        kind=kind,
        urusan=urusan,
        video_url=video_url,
        units=units,
        services=services,
        texts={"design": design, "goals": goals, "benefits": benefits, "results": results},
        target_kpi=target_kpi,
    )
    if "name" not in errors and "units" not in errors and _name_taken(units[0].agency_id, name):
        errors["name"] = [_("An innovation of this name is already registered.")]
    if initiated_on is None:
        errors["initiated_on"] = [_("Give the date the initiative began.")]
    elif initiated_on > _today():
        errors["initiated_on"] = [_("The initiative cannot begin after today.")]
    if errors:
        raise ValidationError(errors)
    assert initiated_on is not None
    now = timezone.now()
    innovation = Innovation.objects.create(
        agency_id=units[0].agency_id,
        name=name,
        initiator=initiator,
        initiator_name=initiator_name,
        form=form,
        kind=kind,
        urusan=urusan,
        stage=Stage.INITIATIVE,
        initiated_on=initiated_on,
        video_url=video_url,
        target_kpi=target_kpi,
        created_by=actor if getattr(actor, "is_authenticated", False) else None,
        created_at=now,
        updated_at=now,
        **texts,
    )
    innovation.units.set(units)
    innovation.services.set(found)
    StageChange.objects.create(
        innovation=innovation,
        stage=Stage.INITIATIVE,
        on=initiated_on,
        by=innovation.created_by,
        at=now,
    )
    audit_record(
        actor=actor,
        action="innovation.create",
        obj=innovation,
        unit=units[0],
        data={
            "name": name,
            "units": sorted(u.pk for u in units),
            "services": sorted(s.pk for s in found),
            "on": initiated_on.isoformat(),
            "target_kpi": target_kpi,
        },
    )
    return innovation


def _lock(innovation: Innovation) -> Innovation:
    return Innovation.objects.select_for_update().get(pk=innovation.pk)


@transaction.atomic
def innovation_update(
    *,
    actor: Any,
    innovation: Innovation,
    name: str,
    initiator: str,
    form: str,
    kind: str,
    urusan: str,
    units: Sequence[Unit],
    services: Sequence[Service] = (),
    initiator_name: str = "",
    design: str = "",
    goals: str = "",
    benefits: str = "",
    results: str = "",
    video_url: str = "",
    target_kpi: str = "",
) -> Innovation:
    """Change the profile, units and services (the stage and its dates: `innovation_set_stage`).
    The actor must manage the innovation as it is and every unit it will have."""
    locked = _lock(innovation)
    if not may_manage(actor, locked):
        raise PermissionDenied(_("You may not change this innovation."))
    name, initiator_name, video_url, texts, units, found, target_kpi, errors = _cleaned_profile(
        actor,
        name=name,
        initiator=initiator,
        initiator_name=initiator_name,
        form=form,
        kind=kind,
        urusan=urusan,
        video_url=video_url,
        units=units,
        services=services,
        texts={"design": design, "goals": goals, "benefits": benefits, "results": results},
        target_kpi=target_kpi,
    )
    if units and "units" not in errors and units[0].agency_id != locked.agency_id:
        errors["units"] = [_("The units must belong to the innovation's agency.")]
    if "name" not in errors and _name_taken(locked.agency_id, name, other_than=locked.pk):
        errors["name"] = [_("An innovation of this name is already registered.")]
    if errors:
        raise ValidationError(errors)
    values = {
        "name": name,
        "initiator": initiator,
        "initiator_name": initiator_name,
        "form": form,
        "kind": kind,
        "urusan": urusan,
        "video_url": video_url,
        "target_kpi": target_kpi,
        **texts,
    }
    changed = sorted(k for k, v in values.items() if getattr(locked, k) != v)
    before_target = locked.target_kpi
    old_units = sorted(locked.units.values_list("pk", flat=True))
    old_services = sorted(locked.services.values_list("pk", flat=True))
    new_units = sorted(u.pk for u in units)
    new_services = sorted(s.pk for s in found)
    for key, value in values.items():
        setattr(locked, key, value)
    locked.updated_at = timezone.now()
    locked.save()
    locked.units.set(units)
    locked.services.set(found)
    data: dict[str, Any] = {"fields": changed}
    if old_units != new_units:
        data |= {"units": new_units, "units_before": old_units}
    if old_services != new_services:
        data |= {"services": new_services, "services_before": old_services}
    if "target_kpi" in changed:
        data |= {"target_kpi": target_kpi, "target_kpi_before": before_target}
    audit_record(actor=actor, action="innovation.update", obj=locked, unit=units[0], data=data)
    return locked


def _stage_date_problem(locked: Innovation, stage: str, on: date) -> str | None:
    """Why `on` cannot be the first day of `stage`, given the dates of the stages before it."""
    if on > _today():
        return _("A stage cannot begin after today.")
    if stage == Stage.TRIAL and on < locked.initiated_on:
        return _("The trial cannot begin before the initiative (%(day)s).") % {
            "day": _day(locked.initiated_on)
        }
    if stage == Stage.APPLIED:
        if locked.trial_on is not None and on < locked.trial_on:
            return _("The application cannot begin before the trial (%(day)s).") % {
                "day": _day(locked.trial_on)
            }
        if on < locked.initiated_on:
            return _("The application cannot begin before the initiative (%(day)s).") % {
                "day": _day(locked.initiated_on)
            }
    if stage == Stage.INITIATIVE:
        later = [d for d in (locked.trial_on, locked.applied_on) if d is not None]
        if later and on > min(later):
            return _("The initiative cannot begin after the stages that followed it.")
    return None


def _day(day: date) -> str:
    from django.utils import formats

    return formats.date_format(day, "SHORT_DATE_FORMAT")


@transaction.atomic
def innovation_set_stage(
    *, actor: Any, innovation: Innovation, stage: str, on: date | None, note: str = ""
) -> Innovation:
    """Move the innovation to `stage` from `on`.

    Forward: one stage at a time (initiative → trial → application). Back (application →
    trial or initiative, trial → initiative): needs a note; the dates of the stages undone are
    cleared. The current stage again with another date: a correction of its date, with a note.
    """
    locked = _lock(innovation)
    if not may_manage(actor, locked):
        raise PermissionDenied(_("You may not change this innovation."))
    note = (note or "").strip()
    if stage not in STAGE_ORDER:
        raise ValidationError({"stage": [_("Choose a stage.")]})
    if on is None:
        raise ValidationError({"on": [_("Give the date the stage began.")]})
    if len(note) > NOTE_MAX:
        raise ValidationError({"note": [_("Keep the note under 2,000 characters.")]})
    old, new = STAGE_ORDER.index(locked.stage), STAGE_ORDER.index(stage)
    if new > old + 1:
        raise ValidationError(
            {
                "stage": [
                    _("An innovation is tried out before it is applied: move it to trial first.")
                ]
            }
        )
    if new < old and not note:
        raise ValidationError({"note": [_("Say why the innovation goes back a stage.")]})
    if new == old:
        current = {
            Stage.INITIATIVE: locked.initiated_on,
            Stage.TRIAL: locked.trial_on,
            Stage.APPLIED: locked.applied_on,
        }[Stage(stage)]
        if current == on:
            raise ValidationError(
                {"stage": [_("The innovation is already at this stage from that date.")]}
            )
        if not note:
            raise ValidationError({"note": [_("Say why the date of the stage is corrected.")]})
    if (
        new < STAGE_ORDER.index(Stage.APPLIED)
        and Replication.objects.filter(original=locked).exists()
    ):
        raise ValidationError(
            {
                "stage": [
                    _(
                        "Other units or regions adopted this innovation in application: it "
                        "cannot leave the application stage."
                    )
                ]
            }
        )
    if stage == Stage.APPLIED:
        # A corrected application date never follows an adoption already recorded (the
        # replication record refuses an adoption before the application; so does this).
        first_adoption = (
            Replication.objects.filter(original=locked)
            .order_by("adopted_on")
            .values_list("adopted_on", flat=True)
            .first()
        )
        if first_adoption is not None and on > first_adoption:
            raise ValidationError(
                {
                    "on": [
                        _(
                            "The application cannot begin after its first recorded adoption "
                            "(%(day)s)."
                        )
                        % {"day": _day(first_adoption)}
                    ]
                }
            )
    previous = {
        "stage": locked.stage,
        "initiated_on": locked.initiated_on,
        "trial_on": locked.trial_on,
        "applied_on": locked.applied_on,
    }
    # Going back undoes the later stages; their dates no longer bound this one.
    if new < old:
        if new < STAGE_ORDER.index(Stage.APPLIED):
            locked.applied_on = None
        if new < STAGE_ORDER.index(Stage.TRIAL):
            locked.trial_on = None
    if new == old:
        # The current stage's own date is being replaced: check against the others only.
        if stage == Stage.TRIAL:
            locked.trial_on = None
        elif stage == Stage.APPLIED:
            locked.applied_on = None
    problem = _stage_date_problem(locked, stage, on)
    if problem:
        raise ValidationError({"on": [problem]})
    if stage == Stage.INITIATIVE:
        locked.initiated_on = on
    elif stage == Stage.TRIAL:
        locked.trial_on = on
    else:
        locked.applied_on = on
    locked.stage = stage
    locked.updated_at = timezone.now()
    locked.save()
    StageChange.objects.create(
        innovation=locked,
        stage=stage,
        on=on,
        note=note,
        by=actor if getattr(actor, "is_authenticated", False) else None,
        at=locked.updated_at,
    )
    audit_record(
        actor=actor,
        action="innovation.stage",
        obj=locked,
        unit=locked.units.order_by("path").first(),
        data={
            "from": previous["stage"],
            "to": stage,
            "on": on.isoformat(),
            **({"old": str(previous[_DATE_FIELD[stage]])} if new == old else {}),
        },
    )
    return locked


_DATE_FIELD: dict[str, str] = {
    Stage.INITIATIVE: "initiated_on",
    Stage.TRIAL: "trial_on",
    Stage.APPLIED: "applied_on",
}


@transaction.atomic
def replication_record(
    *,
    actor: Any,
    original: Innovation,
    adopted_on: date | None,
    adopter_unit: Unit | None = None,
    adopter_region: str = "",
    create_replica: bool = False,
    note: str = "",
) -> Replication:
    """Another unit of the agency, or another region, adopted `original` from `adopted_on`.

    For a unit, `create_replica` also registers the replica (in application from the adoption
    date, the same profile, the adopter's services of the same families as the original's),
    linked by `replication_of`; the actor must then manage the adopter unit too."""
    locked = _lock(original)
    if not may_manage(actor, locked):
        raise PermissionDenied(_("You may not change this innovation."))
    region = " ".join((adopter_region or "").split())
    note = (note or "").strip()
    errors: dict[str, list[str]] = {}
    if (adopter_unit is None) == (not region):
        errors["adopter"] = [_("Name either a unit of the agency or another region, not both.")]
    if len(region) > 200:
        errors["adopter_region"] = [_("Keep the region's name under 200 characters.")]
    if len(note) > NOTE_MAX:
        errors["note"] = [_("Keep the note under 2,000 characters.")]
    if locked.stage != Stage.APPLIED or locked.applied_on is None:
        errors["original"] = [_("Only an innovation in application can be replicated.")]
    if adopted_on is None:
        errors["adopted_on"] = [_("Give the date of the adoption.")]
    elif adopted_on > _today():
        errors["adopted_on"] = [_("An adoption cannot be recorded for a day after today.")]
    elif locked.applied_on is not None and adopted_on < locked.applied_on:
        errors["adopted_on"] = [
            _("The adoption cannot precede the original's application (%(day)s).")
            % {"day": _day(locked.applied_on)}
        ]
    existing = Replication.objects.filter(original=locked)
    if adopter_unit is not None:
        if adopter_unit.agency_id != locked.agency_id:
            errors["adopter_unit"] = [_("A unit of another agency: record it as another region.")]
        elif locked.units.filter(pk=adopter_unit.pk).exists():
            errors["adopter_unit"] = [_("This unit already runs the original innovation.")]
        elif existing.filter(adopter_unit=adopter_unit).exists():
            errors["adopter_unit"] = [_("This unit's adoption is already recorded.")]
        if create_replica and not can(actor, Action.INNOVATION_MANAGE, adopter_unit):
            errors["create_replica"] = [
                _("You may not register innovations for %(unit)s.") % {"unit": adopter_unit.name}
            ]
    elif create_replica:
        errors["create_replica"] = [_("Only a unit of the agency gets its own record.")]
    if region and existing.filter(adopter_region__iexact=region).exists():
        errors["adopter_region"] = [_("This region's adoption is already recorded.")]
    if errors:
        raise ValidationError(errors)
    assert adopted_on is not None
    now = timezone.now()
    by = actor if getattr(actor, "is_authenticated", False) else None
    replica = None
    if create_replica and adopter_unit is not None:
        replica = _replica(locked, adopter_unit, adopted_on, by, now)
    replication = Replication.objects.create(
        original=locked,
        adopter_unit=adopter_unit,
        adopter_region=region,
        replica=replica,
        adopted_on=adopted_on,
        note=note,
        recorded_by=by,
        recorded_at=now,
    )
    audit_record(
        actor=actor,
        action="innovation.replication",
        obj=locked,
        unit=locked.units.order_by("path").first(),
        data={
            "adopted_on": adopted_on.isoformat(),
            **(
                {"adopter_unit": adopter_unit.pk}
                if adopter_unit is not None
                else {"region": region}
            ),
            **({"replica": replica.pk} if replica is not None else {}),
        },
    )
    return replication


def _replica(original: Innovation, unit: Unit, on: date, by: Any, now: Any) -> Innovation:
    # The same service at the adopter: its family, or, for a service without one, its name
    # (as the measured effects and the replication candidates match services).
    same = Q(pk__in=[])
    for family, name in original.services.values_list("family", "name"):
        same |= Q(family=family) if family else Q(family="", name__iexact=name)
    services = Service.objects.filter(same, unit__in=unit.subtree(), is_active=True)
    replica = Innovation.objects.create(
        agency_id=original.agency_id,
        name=f"{original.name} ({unit.name})"[:300],
        initiator=original.initiator,
        initiator_name=original.initiator_name,
        form=original.form,
        kind=original.kind,
        urusan=original.urusan,
        stage=Stage.APPLIED,
        initiated_on=on,
        applied_on=on,
        design=original.design,
        goals=original.goals,
        benefits=original.benefits,
        results="",
        video_url=original.video_url,
        target_kpi=original.target_kpi,
        replication_of=original,
        created_by=by,
        created_at=now,
        updated_at=now,
    )
    replica.units.set([unit])
    replica.services.set(services)
    note = _("Replication of %(name)s.") % {"name": original.name}
    StageChange.objects.bulk_create(
        [
            StageChange(
                innovation=replica, stage=Stage.INITIATIVE, on=on, note=note, by=by, at=now
            ),
            StageChange(innovation=replica, stage=Stage.APPLIED, on=on, note=note, by=by, at=now),
        ]
    )
    return replica


# --- ideas -------------------------------------------------------------------------------------


def _require_employee(actor: Any) -> Employee:
    employee = employee_of(actor)
    if employee is None:
        raise PermissionDenied(_("Only members of staff with an employee record propose ideas."))
    return employee


def source_problem(
    unit: Unit, source: str, roadmap_action: RoadmapAction | None, source_key: str
) -> dict[str, list[str]]:
    """Why the source cannot be the origin of an idea of `unit` (empty when it can)."""
    if source not in IdeaSource.values:
        return {"source": [_("Choose where the idea comes from.")]}
    if source == IdeaSource.ROADMAP:
        if roadmap_action is None:
            return {"roadmap_action": [_("Choose the roadmap action the idea answers.")]}
        if not _in_line(roadmap_action.unit, unit):
            return {"roadmap_action": [_("This roadmap action is not about the unit.")]}
    elif roadmap_action is not None:
        return {"roadmap_action": [_("A roadmap action is only the source of a roadmap idea.")]}
    line = unit.subtree()
    if source == IdeaSource.COMPLAINTS:
        if source_key not in Category.values:
            return {"source_key": [_("Choose the complaint category.")]}
        if not Complaint.objects.filter(unit__in=line, category=source_key).exists():
            return {"source_key": [_("The unit has no complaints of this category.")]}
    elif source == IdeaSource.SKM:
        if source_key not in ELEMENT_CODES:
            return {"source_key": [_("Choose the SKM element (unsur).")]}
        if not SurveyResponse.objects.filter(unit__in=line).exists():
            return {"source_key": [_("The unit has no SKM answers yet.")]}
    elif source_key:
        return {"source_key": [_("Only a complaint pattern or an SKM element has a detail.")]}
    return {}


@transaction.atomic
def idea_propose(
    *,
    actor: Any,
    unit: Unit,
    title: str,
    problem: str,
    proposal: str,
    source: str = IdeaSource.OWN,
    roadmap_action: RoadmapAction | None = None,
    source_key: str = "",
) -> Idea:
    """An employee proposes an improvement for a unit they work in."""
    employee = _require_employee(actor)
    title = " ".join((title or "").split())
    problem, proposal = (problem or "").strip(), (proposal or "").strip()
    source_key = (source_key or "").strip()
    errors: dict[str, list[str]] = {}
    if not can(actor, Action.IDEA_PROPOSE, unit):
        errors["unit"] = [_("You may propose ideas only for the units you work in.")]
    if not title:
        errors["title"] = [_("Give the idea a title.")]
    elif len(title) > 300:
        errors["title"] = [_("Keep the title under 300 characters.")]
    if not problem:
        errors["problem"] = [_("Describe the problem the idea solves.")]
    if not proposal:
        errors["proposal"] = [_("Describe what you propose.")]
    for key, text in (("problem", problem), ("proposal", proposal)):
        if len(text) > TEXT_MAX:
            errors[key] = [_("Keep this text under 20,000 characters.")]
    errors.update(source_problem(unit, source, roadmap_action, source_key))
    if not errors:
        # A second click on "Propose": the same open idea of the same person for the same unit
        # (the proposer's row locked first, so two posts at once check one after the other).
        Employee.objects.select_for_update().filter(pk=employee.pk).first()
        if Idea.objects.filter(
            unit=unit, proposed_by=employee, title__iexact=title, status=IdeaStatus.PROPOSED
        ).exists():
            errors["title"] = [_("You have already proposed an idea with this title.")]
    if errors:
        raise ValidationError(errors)
    idea = Idea.objects.create(
        unit=unit,
        title=title,
        problem=problem,
        proposal=proposal,
        proposed_by=employee,
        proposed_at=timezone.now(),
        source=source,
        roadmap_action=roadmap_action if source == IdeaSource.ROADMAP else None,
        source_key=source_key,
    )
    audit_record(
        actor=actor,
        action="idea.propose",
        obj=idea,
        data={
            "source": source,
            **({"roadmap_action": roadmap_action.pk} if roadmap_action is not None else {}),
            **({"category": source_key} if source == IdeaSource.COMPLAINTS else {}),
            **({"element": source_key} if source == IdeaSource.SKM else {}),
        },
    )
    return idea


def _lock_idea(idea: Idea) -> Idea:
    return Idea.objects.select_for_update(of=("self",)).select_related("unit").get(pk=idea.pk)


def _require_open(idea: Idea) -> None:
    if idea.status != IdeaStatus.PROPOSED:
        raise ValidationError(
            {
                "status": [
                    _("This idea has already been decided: %(status)s.")
                    % {"status": idea.get_status_display()}
                ]
            }
        )


@transaction.atomic
def idea_endorse(*, actor: Any, idea: Idea) -> Endorsement:
    """A colleague of the unit supports the idea (once; never the proposer)."""
    employee = _require_employee(actor)
    locked = _lock_idea(idea)
    if not can(actor, Action.IDEA_PROPOSE, locked.unit):
        raise PermissionDenied(_("Only colleagues of the unit endorse its ideas."))
    _require_open(locked)
    if locked.proposed_by_id == employee.pk:
        raise ValidationError({"endorsement": [_("You cannot endorse your own idea.")]})
    if Endorsement.objects.filter(idea=locked, employee=employee).exists():
        raise ValidationError({"endorsement": [_("You have already endorsed this idea.")]})
    try:
        with transaction.atomic():
            endorsement = Endorsement.objects.create(
                idea=locked, employee=employee, at=timezone.now()
            )
    except IntegrityError as exc:  # a second click at the same moment
        raise ValidationError({"endorsement": [_("You have already endorsed this idea.")]}) from exc
    audit_record(actor=actor, action="idea.endorse", obj=locked, data={"employee": employee.pk})
    return endorsement


def _require_decider(actor: Any, idea: Idea) -> None:
    if not can(actor, Action.IDEA_DECIDE, idea.unit):
        raise PermissionDenied(_("Only the head of the unit decides on its ideas."))


@transaction.atomic
def idea_accept(
    *,
    actor: Any,
    idea: Idea,
    urusan: str,
    form: str,
    kind: str,
    initiated_on: date | None = None,
    note: str = "",
    name: str = "",
) -> Innovation:
    """The unit head takes the idea into the registry: an innovation at the initiative stage
    (from today unless `initiated_on`), proposed by an ASN (the proposer), linked both ways.
    It is named `name`, or the idea's title when blank (another name when an innovation of
    the registry already has that title)."""
    locked = _lock_idea(idea)
    _require_decider(actor, locked)
    _require_open(locked)
    note = (note or "").strip()
    if len(note) > NOTE_MAX:
        raise ValidationError({"note": [_("Keep the note under 2,000 characters.")]})
    innovation = innovation_create(
        actor=actor,
        name=" ".join((name or "").split()) or locked.title,
        initiator=Initiator.ASN,
        initiator_name=locked.proposed_by.name,
        form=form,
        kind=kind,
        urusan=urusan,
        initiated_on=initiated_on or _today(),
        units=[locked.unit],
        goals=locked.problem,
        design=locked.proposal,
    )
    locked.status = IdeaStatus.ACCEPTED
    locked.innovation = innovation
    locked.decided_by = actor
    locked.decided_at = timezone.now()
    locked.decision_note = note
    locked.save(update_fields=["status", "innovation", "decided_by", "decided_at", "decision_note"])
    audit_record(actor=actor, action="idea.accept", obj=locked, data={"innovation": innovation.pk})
    return innovation


@transaction.atomic
def idea_decline(*, actor: Any, idea: Idea, note: str) -> Idea:
    """The unit head does not take the idea up, and says why."""
    locked = _lock_idea(idea)
    _require_decider(actor, locked)
    _require_open(locked)
    note = (note or "").strip()
    if not note:
        raise ValidationError({"decision_note": [_("Say why the idea is not taken up.")]})
    if len(note) > NOTE_MAX:
        raise ValidationError({"decision_note": [_("Keep the note under 2,000 characters.")]})
    locked.status = IdeaStatus.DECLINED
    locked.decided_by = actor
    locked.decided_at = timezone.now()
    locked.decision_note = note
    locked.save(update_fields=["status", "decided_by", "decided_at", "decision_note"])
    audit_record(actor=actor, action="idea.decline", obj=locked, data={})
    return locked


def ideas_scope_q(user: Any) -> Q:
    """Ideas of the units where the user proposes (staff) or decides (the head)."""
    from sigap.access import scope_q

    return scope_q(user, Action.IDEA_PROPOSE) | scope_q(user, Action.IDEA_DECIDE)
