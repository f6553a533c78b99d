"""Write functions of the service catalogue: versions of a service standard and their public
consultation (PermenPANRB 15/2014). Each validates, runs in one transaction and is audited; staff
writes check the acting user through sigap.access themselves.

Versioning rules (docs/service-standards.md):

- A new version starts as a draft (`valid_from` empty), copied from the version in force (or
  the newest one). One draft per service at a time.
- Only a draft is edited. A version that was published (in force, past or scheduled) is never
  changed: requests are judged against it, so a change is a new version.
- Publishing gives the draft its start date (today or later, after every published version of the
  service) and ends the version before it the day before, so versions never overlap.
- A draft under public consultation is published only after the consultation closes.

Who: `Action.STANDARD_DRAFT` (unit head, administrator) drafts, runs the consultation and
answers comments; `Action.STANDARD_PUBLISH` (administrator) publishes.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from sigap.access import ACTION_ROLES, Action, can
from sigap.audit.services import audit_record
from sigap.catalogue.models import (
    Consultation,
    ConsultationComment,
    ProcedureStep,
    Service,
    ServiceStandard,
)
from sigap.catalogue.requirements import Kind, _key
from sigap.organisation.models import Unit
from sigap.web import formatting

# The components a version needs before it can be published (the rest may stay empty).
REQUIRED_TO_PUBLISH = ("product", "complaint_channel", "legal_basis")
TEXT_LIMIT = 2000
MAX_CONSULTATION_DAYS = 92


def _authorise(user: Any, action: Action, unit: Unit) -> None:
    if not can(user, action, unit):
        raise PermissionDenied(_("You may not do this for this unit."))


def _day(value: date) -> str:
    return formatting.long_date(value)


# --- versions --------------------------------------------------------------------------------


def standard_copy(source: ServiceStandard, *, version: int) -> ServiceStandard:
    """An unpublished copy of `source` numbered `version`, with its procedure: each step's
    four-eyes rule points to the copy of the step it named. No check, no audit: the callers
    (`standard_draft_new`, the demo) do those."""
    steps = source.ordered_steps()
    new = ServiceStandard.objects.get(pk=source.pk)
    new.pk = None
    new._state.adding = True
    new.version, new.valid_from, new.valid_until = version, None, None
    new.save()
    copied: dict[int, ProcedureStep] = {}
    for step in steps:
        other = step.other_officer_than_id
        old_pk = step.pk
        step.pk, step.standard = None, new
        step._state.adding = True
        step.other_officer_than = copied.get(other) if other else None
        step.save()
        copied[old_pk] = step
    return new


def standard_draft_new(
    *, user: Any, service: Service, today: date | None = None
) -> ServiceStandard:
    """A new draft version of `service`'s standard, copied (with its procedure) from the newest
    published version, else the newest version; an empty draft for a service without any."""
    _authorise(user, Action.STANDARD_DRAFT, service.unit)
    today = today or timezone.localdate()
    with transaction.atomic():
        Service.objects.select_for_update().get(pk=service.pk)  # one new version at a time
        draft = service.standards.filter(valid_from__isnull=True).first()
        if draft is not None:
            raise ValidationError(
                _("Version %(v)s is already a draft: edit it rather than start another.")
                % {"v": draft.version}
            )
        # The newest published version, even one not yet in force: the draft will be published
        # after it, and copying an older one would silently undo its changes.
        source = (
            service.standards.filter(valid_from__isnull=False).order_by("-valid_from").first()
            or service.standards.order_by("-version").first()
        )
        number = (service.standards.aggregate(m=Max("version"))["m"] or 0) + 1
        if source is None:
            new = ServiceStandard.objects.create(
                service=service,
                version=number,
                valid_from=None,
                requirements=[],
                sla_working_days=1,
                tariff_rupiah=0,
                product="",
                complaint_channel="",
                legal_basis="",
            )
        else:
            new = standard_copy(source, version=number)
        audit_record(
            actor=user,
            action="standard.draft",
            obj=new,
            unit=service.unit,
            data={"service": service.code, "version": number,
                  "from_version": source.version if source else None},
        )  # fmt: skip
    return new


@dataclass(frozen=True, slots=True)
class StepData:
    """One procedure step as the editor sends it; `other_than` names an earlier step."""

    name: str
    expected_minutes: int
    role: str = ""
    position: str = ""
    other_than: str = ""


def _check_draft(standard: ServiceStandard) -> None:
    if not standard.is_draft:
        raise ValidationError(
            _("Version %(v)s has been published and is never changed: make a new version instead.")
            % {"v": standard.version}
        )


def requirements_json(items: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The stored form of the editor's requirement rows (sigap.catalogue.requirements): each
    an object with its name and kind, `optional` only when true. Raises naming the row."""
    out, problems = requirement_problems(items)
    if problems:
        raise ValidationError({"requirements": [message for _n, _field, message in problems]})
    return out


def requirement_problems(
    items: list[dict[str, Any]],
) -> tuple[list[dict[str, Any]], list[tuple[int, str, str]]]:
    """The stored form of requirement rows and what is wrong with them: (row number from 1,
    the key at fault ("name" or "kind"), the message). The one check of `requirements_json`,
    also read by the onboarding import to name the sheet row."""
    out: list[dict[str, Any]] = []
    seen: dict[str, int] = {}
    problems: list[tuple[int, str, str]] = []
    for i, item in enumerate(items, start=1):
        name = " ".join(str(item.get("name", "")).split())
        if not name:
            problems.append((i, "name", _("Requirement %(n)s: the name is missing.") % {"n": i}))
            continue
        try:
            kind = Kind(item.get("kind") or Kind.DOCUMENT)
        except ValueError:
            problems.append(
                (
                    i,
                    "kind",
                    _("Requirement %(n)s: choose what kind of requirement it is.") % {"n": i},
                )
            )
            continue
        key = _key(name)
        if key in seen:
            problems.append(
                (
                    i,
                    "name",
                    _("Requirement %(n)s: the same name as requirement %(m)s.")
                    % {"n": i, "m": seen[key]},
                )
            )
            continue
        seen[key] = i
        row: dict[str, Any] = {"name": name, "kind": kind.value}
        if item.get("optional"):
            row["optional"] = True
        out.append(row)
    return out, problems


def _check_steps(steps: list[StepData]) -> list[str]:
    return [message for _n, _field, message in step_problems(steps)]


def step_problems(steps: list[StepData]) -> list[tuple[int, str, str]]:
    """What is wrong with a procedure: (step number from 1, the `StepData` field at fault, the
    message). The one check of the editor, also read by the onboarding import."""
    errors: list[tuple[int, str, str]] = []
    seen: dict[str, int] = {}
    roles = {r.value for r in ACTION_ROLES[Action.REQUEST_PROCESS]}
    for i, step in enumerate(steps, start=1):
        name = step.name.strip()
        if not name:
            errors.append((i, "name", _("Step %(n)s: the name is missing.") % {"n": i}))
        elif name.casefold() in seen:
            errors.append(
                (
                    i,
                    "name",
                    _("Step %(n)s: the same name as step %(m)s.")
                    % {"n": i, "m": seen[name.casefold()]},
                )
            )
        else:
            seen[name.casefold()] = i
        if step.expected_minutes < 1:
            errors.append(
                (
                    i,
                    "expected_minutes",
                    _("Step %(n)s: the expected duration is at least 1 minute.") % {"n": i},
                )
            )
        if step.role and step.role not in roles:
            errors.append(
                (
                    i,
                    "role",
                    _("Step %(n)s: this role does not process requests, so it cannot do a step.")
                    % {"n": i},
                )
            )
        if step.other_than:
            earlier = seen.get(step.other_than.strip().casefold())
            if earlier is None or earlier >= i:
                errors.append(
                    (
                        i,
                        "other_than",
                        _("Step %(n)s: “another officer than” can only name an earlier step.")
                        % {"n": i},
                    )
                )
    return errors


def standard_draft_save(
    *,
    user: Any,
    standard: ServiceStandard,
    fields: dict[str, Any],
    requirements: list[dict[str, Any]],
    steps: list[StepData],
) -> ServiceStandard:
    """Save the components, the requirements and the procedure of a draft version. `fields`
    holds the model's other components by name (`sla_working_days`, `product`, ...)."""
    _authorise(user, Action.STANDARD_DRAFT, standard.service.unit)
    _check_draft(standard)
    errors: dict[str, list[str]] = {}
    try:
        stored = requirements_json(requirements)
    except ValidationError as exc:
        errors.update(exc.message_dict)
    step_errors = _check_steps(steps)
    if step_errors:
        errors["steps"] = step_errors
    editable = {
        f.name
        for f in ServiceStandard._meta.concrete_fields
        if f.name not in {"id", "service", "version", "valid_from", "valid_until", "requirements"}
    }
    unknown = set(fields) - editable
    if unknown:
        raise ValueError(f"not components of a standard: {sorted(unknown)}")
    for name, value in fields.items():
        setattr(standard, name, value)
    try:
        # A draft may still lack the components publishing asks for (publish_problems).
        standard.full_clean(
            exclude=["service", "requirements", "valid_from", "valid_until", *REQUIRED_TO_PUBLISH]
        )
    except ValidationError as exc:
        for field, messages in exc.message_dict.items():
            errors.setdefault(field, []).extend(messages)
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        locked = ServiceStandard.objects.select_for_update().get(pk=standard.pk)
        _check_draft(locked)  # published meanwhile by someone else
        standard.requirements = stored
        standard.save()
        standard.steps.update(other_officer_than=None)
        standard.steps.all().delete()
        by_name: dict[str, ProcedureStep] = {}
        for order, data in enumerate(steps, start=1):
            step = ProcedureStep.objects.create(
                standard=standard,
                order=order,
                name=" ".join(data.name.split()),
                expected_minutes=data.expected_minutes,
                done_by_role=data.role,
                done_by_position=data.position.strip(),
                other_officer_than=by_name.get(data.other_than.strip().casefold()),
            )
            by_name[step.name.casefold()] = step
        audit_record(
            actor=user,
            action="standard.edit",
            obj=standard,
            unit=standard.service.unit,
            data={"version": standard.version, "requirements": len(stored), "steps": len(steps)},
        )
    return standard


def standard_draft_discard(*, user: Any, standard: ServiceStandard) -> None:
    """Delete a draft started by mistake. A draft the public has commented on is kept: the
    comments and their answers are the consultation's record."""
    service = standard.service
    _authorise(user, Action.STANDARD_DRAFT, service.unit)
    with transaction.atomic():
        standard = ServiceStandard.objects.select_for_update().get(pk=standard.pk)
        if not standard.is_draft:
            raise ValidationError(_("Only a draft can be discarded."))
        if ConsultationComment.objects.filter(consultation__standard=standard).exists():
            raise ValidationError(
                _("The public has commented on this draft: it is kept with their comments.")
            )
        audit_record(
            actor=user,
            action="standard.discard",
            obj=standard,
            unit=service.unit,
            data={"service": service.code, "version": standard.version},
        )
        standard.steps.update(other_officer_than=None)
        standard.delete()


def publish_problems(standard: ServiceStandard) -> dict[str, list[str]]:
    """What a draft still lacks before it can be published, by component."""
    problems: dict[str, list[str]] = {}
    for name in REQUIRED_TO_PUBLISH:
        if not str(getattr(standard, name) or "").strip():
            problems[name] = [_("This component is required before publishing.")]
    if not standard.steps.exists():
        problems["steps"] = [_("The procedure needs at least one step before publishing.")]
    return problems


def standard_publish(
    *, user: Any, standard: ServiceStandard, valid_from: date, today: date | None = None
) -> ServiceStandard:
    """Publish (menetapkan) a draft: it takes effect on `valid_from`, and the version in force
    before it ends the day before."""
    service = standard.service
    _authorise(user, Action.STANDARD_PUBLISH, service.unit)
    today = today or timezone.localdate()
    with transaction.atomic():
        Service.objects.select_for_update().get(pk=service.pk)
        standard = ServiceStandard.objects.get(pk=standard.pk)
        _check_draft(standard)
        if valid_from < today:
            raise ValidationError(
                {"valid_from": _("A version takes effect today or later, never in the past.")}
            )
        problems = publish_problems(standard)
        if problems:
            raise ValidationError(problems)
        consultation = Consultation.objects.filter(standard=standard).first()
        if consultation is not None and consultation.closes_on >= today:
            raise ValidationError(
                {
                    "valid_from": _(
                        "The public consultation is open until %(day)s: publish after it closes."
                    )
                    % {"day": _day(consultation.closes_on)}
                }
            )
        published = service.standards.filter(valid_from__isnull=False)
        later = published.filter(valid_from__gte=valid_from).order_by("valid_from").first()
        if later is not None:
            raise ValidationError(
                {
                    "valid_from": _(
                        "Version %(v)s already takes effect on %(day)s: choose a later date."
                    )
                    % {"v": later.version, "day": _day(later.valid_from)}  # type: ignore[arg-type]
                }
            )
        previous = published.order_by("-valid_from").first()
        ended = None
        if previous is not None and (
            previous.valid_until is None or previous.valid_until >= valid_from
        ):
            previous.valid_until = valid_from - timedelta(days=1)
            previous.save(update_fields=["valid_until"])
            ended = previous.version
        standard.valid_from = valid_from
        standard.save(update_fields=["valid_from"])
        audit_record(
            actor=user,
            action="standard.publish",
            obj=standard,
            unit=service.unit,
            data={"version": standard.version, "valid_from": valid_from.isoformat(),
                  "ended_version": ended},
        )  # fmt: skip
    return standard


# --- public consultation ---------------------------------------------------------------------


def consultation_set(
    *,
    user: Any,
    standard: ServiceStandard,
    opens_on: date,
    closes_on: date,
    today: date | None = None,
) -> Consultation:
    """Open a draft for public consultation over a period (or change the period)."""
    _authorise(user, Action.STANDARD_DRAFT, standard.service.unit)
    _check_draft(standard)
    today = today or timezone.localdate()
    errors: dict[str, str] = {}
    if closes_on < opens_on:
        errors["closes_on"] = _("The consultation closes after it opens.")
    elif closes_on < today:
        errors["closes_on"] = _("The consultation would already be closed: choose a later date.")
    elif (closes_on - opens_on).days > MAX_CONSULTATION_DAYS:
        errors["closes_on"] = _("A consultation lasts at most %(n)s days.") % {
            "n": MAX_CONSULTATION_DAYS
        }
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        consultation, created = Consultation.objects.update_or_create(
            standard=standard, defaults={"opens_on": opens_on, "closes_on": closes_on}
        )
        audit_record(
            actor=user,
            action="standard.consultation",
            obj=consultation,
            data={"version": standard.version, "opens_on": opens_on.isoformat(),
                  "closes_on": closes_on.isoformat(), "created": created},
        )  # fmt: skip
    return consultation


def consultation_comment_submit(
    *,
    consultation: Consultation,
    text: str,
    name: str = "",
    contact: str = "",
    now: datetime | None = None,
) -> ConsultationComment:
    """A comment of the public (no account: the page's form, rate limited by the view)."""
    now = now or timezone.now()
    text = text.strip()
    errors: dict[str, str] = {}
    if not text:
        errors["text"] = _("Write your comment.")
    elif len(text) > TEXT_LIMIT:
        errors["text"] = _("At most %(n)s characters.") % {"n": TEXT_LIMIT}
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        locked = Consultation.objects.select_related("standard").get(pk=consultation.pk)
        if not locked.is_open_on(timezone.localtime(now).date()):
            raise ValidationError(_("The public consultation on this draft is closed."))
        comment = ConsultationComment.objects.create(
            consultation=locked,
            name=" ".join(name.split())[:100],
            contact=contact.strip()[:200],
            text=text,
            submitted_at=now,
        )
        # No personal data in the trail: the comment's id is enough to find it.
        audit_record(actor=None, action="standard.comment", obj=comment, unit=locked.unit, at=now)
    return comment


def consultation_comment_answer(
    *, user: Any, comment: ConsultationComment, answer: str, publish: bool = True
) -> ConsultationComment:
    """Answer a comment (it becomes public with its answer), or set it aside with the reason
    (`publish=False`: abusive, off-topic, only personal data; never shown publicly)."""
    _authorise(user, Action.STANDARD_DRAFT, comment.unit)
    answer = answer.strip()
    if not answer:
        raise ValidationError(
            {"answer": _("Write the answer.") if publish else _("Write why it is set aside.")}
        )
    if len(answer) > TEXT_LIMIT:
        raise ValidationError({"answer": _("At most %(n)s characters.") % {"n": TEXT_LIMIT}})
    status = (
        ConsultationComment.Status.ANSWERED if publish else ConsultationComment.Status.SET_ASIDE
    )
    with transaction.atomic():
        comment.answer, comment.status = answer, status
        comment.answered_at, comment.answered_by = timezone.now(), user
        comment.save(update_fields=["answer", "status", "answered_at", "answered_by"])
        audit_record(actor=user, action="standard.comment_answer", obj=comment,
                     data={"status": status})  # fmt: skip
    return comment


def consultation_hearing_record(
    *,
    user: Any,
    consultation: Consultation,
    held_on: date,
    place: str,
    attendance: int | None,
    parties: str,
    today: date | None = None,
) -> Consultation:
    """Record the hearing (forum tatap muka) held during the consultation."""
    _authorise(user, Action.STANDARD_DRAFT, consultation.unit)
    today = today or timezone.localdate()
    errors: dict[str, str] = {}
    if held_on > today:
        errors["held_on"] = _("Record a hearing once it has been held.")
    if not place.strip():
        errors["place"] = _("Where was the hearing held?")
    if attendance is not None and attendance < 1:
        errors["attendance"] = _("At least one person attended.")
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        consultation.hearing_on = held_on
        consultation.hearing_place = place.strip()[:200]
        consultation.hearing_attendance = attendance
        consultation.hearing_parties = parties.strip()[:TEXT_LIMIT]
        consultation.save()
        audit_record(
            actor=user,
            action="standard.hearing",
            obj=consultation,
            data={"held_on": held_on.isoformat(), "attendance": attendance},
        )
    return consultation
