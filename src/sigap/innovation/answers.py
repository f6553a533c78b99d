"""The agency's IID answers, written (audited) and read back: an innovation's answers to the
SID indicators of a frame year and the agency's SPD answers, each with its bukti dukung.

Who: HR over the whole agency (`Action.IID_MANAGE` on its top unit) keeps every answer; a
holder of `Action.INNOVATION_MANAGE` over one of an innovation's units may answer for that
innovation. Every write is all-or-nothing: the rows are validated first (the frame of
`sigap.rules.innovation`, each file by its content through `sigap.documents.sniff`), then
written in one transaction with its audit entry; a file stored for a write that fails is
removed. Errors are `ValidationError`s keyed by the field (`<indicator>`, `weight`, `year`,
`evidence_<indicator>`...).

A bukti dukung may be a PDF, a JPEG or a PNG (photos of banners, screenshots); it lives in the
document store (`sigap.documents.storage`), is never reachable by URL, and is handed out only by
`evidence_open`, on the audit trail.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from sigap.access import Action, can, scope_paths
from sigap.audit.services import audit_record
from sigap.documents import storage
from sigap.documents.services import max_bytes, refusal_message, safe_name
from sigap.documents.sniff import Clean, Refused, clean
from sigap.innovation import conf
from sigap.innovation.models import IndicatorAnswer, Innovation, SpdAnswer
from sigap.organisation.models import Agency, Unit
from sigap.rules.innovation import Frame, IidError, SpdInput, UnknownFrame, check_spd_weights

NOTE_MAX = 2000


# --- who -----------------------------------------------------------------------------------------


def top_unit(agency: Agency) -> Unit | None:
    return Unit.objects.filter(agency=agency, parent__isnull=True).order_by("path").first()


def agency_for(user: Any) -> Agency | None:
    """The agency whose IID `user` keeps: the agency of the first unit in their IID scope."""
    paths = scope_paths(user, Action.IID_MANAGE)
    if not paths:
        return None
    unit = Unit.objects.select_related("agency").filter(path=paths[0]).first()
    return unit.agency if unit is not None else None


def may_manage(user: Any, agency: Agency) -> bool:
    """HR over the whole agency (its top unit) keeps the IID workbench."""
    unit = top_unit(agency)
    return unit is not None and can(user, Action.IID_MANAGE, unit)


def may_answer(user: Any, innovation: Innovation) -> bool:
    """HR of the agency, or who manages innovations over one of the innovation's units."""
    if may_manage(user, innovation.agency):
        return True
    return any(can(user, Action.INNOVATION_MANAGE, u) for u in innovation.units.all())


def frame_of(year: int, field: str = "year") -> Frame:
    """The rules' frame of `year`, or ValidationError on `field` naming the years known."""
    try:
        return conf.frame(year)
    except UnknownFrame as exc:
        raise ValidationError(
            {
                field: _("There is no IID frame for %(year)s; frames known: %(known)s.")
                % {"year": year, "known": ", ".join(map(str, exc.known))}
            }
        ) from None


# --- files ----------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Upload:
    data: bytes
    name: str


def evidence_check(upload: Upload, field: str) -> Clean:
    """The file (its kind and clean bytes) when it is an accepted PDF, JPEG or PNG (decided by
    its content, never its name); else ValidationError on `field`."""
    try:
        return clean(upload.data, upload.name, max_bytes=max_bytes())
    except Refused as refused:
        if refused.reason == "not_allowed":
            message = _("Supporting documents must be PDF, JPEG or PNG files.")
        else:
            message = refusal_message(refused)
        raise ValidationError({field: message}) from None


def evidence_names() -> list[str]:
    """Stored names of every bukti dukung an answer refers to (kept by the document sweep)."""
    names = list(IndicatorAnswer.objects.exclude(evidence="").values_list("evidence", flat=True))
    names += SpdAnswer.objects.exclude(evidence="").values_list("evidence", flat=True)
    return names


# --- innovation answers -------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class AnswerRow:
    """One SID indicator's answer as entered: parameter 0..3, a note, an optional new file."""

    indicator: str
    parameter: int
    note: str = ""
    upload: Upload | None = None


def _parameter_problem(value: object) -> str | None:
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= 3:
        return _("Choose a parameter from 0 to 3.")
    return None


def indicator_answers_set(
    *, actor: Any, innovation: Innovation, year: int, rows: Sequence[AnswerRow]
) -> list[IndicatorAnswer]:
    """Set the answers of `innovation` to the SID indicators of `year` (the rows given; other
    indicators keep their answers). A row without a new file keeps the file it had.
    Nothing is written when any row is wrong."""
    if not may_answer(actor, innovation):
        raise PermissionDenied
    f = frame_of(year)
    errors: dict[str, str] = {}
    seen: set[str] = set()
    checked: dict[str, Clean] = {}
    for row in rows:
        try:
            f.indicator(row.indicator)
        except IidError:
            errors[row.indicator or "indicator"] = _(
                "%(indicator)s is not an indicator of the IID %(year)s."
            ) % {"indicator": row.indicator, "year": year}
            continue
        if row.indicator in seen:
            errors[row.indicator] = _("This indicator is answered twice.")
            continue
        seen.add(row.indicator)
        problem = _parameter_problem(row.parameter)
        if problem:
            errors[row.indicator] = problem
        if len(row.note) > NOTE_MAX:
            errors[f"note_{row.indicator}"] = _("The note is longer than %(max)d characters.") % {
                "max": NOTE_MAX
            }
        if row.upload is not None:
            try:
                checked[row.indicator] = evidence_check(row.upload, f"evidence_{row.indicator}")
            except ValidationError as exc:
                errors |= {k: v[0] for k, v in exc.message_dict.items()}
    if errors:
        raise ValidationError(errors)
    stored: list[str] = []
    try:
        with transaction.atomic():
            now = timezone.now()
            existing = {
                a.indicator: a
                for a in IndicatorAnswer.objects.select_for_update().filter(
                    innovation=innovation, frame=year
                )
            }
            changes: dict[str, Any] = {}
            saved: list[IndicatorAnswer] = []
            for row in rows:
                if (
                    row.indicator not in existing
                    and row.parameter == 0
                    and not row.note.strip()
                    and row.indicator not in checked
                ):
                    continue  # nothing to record: an unanswered row counts as 0 anyway
                answer = existing.get(row.indicator) or IndicatorAnswer(
                    innovation=innovation, frame=year, indicator=row.indicator
                )
                before = (answer.parameter, answer.evidence) if answer.pk else None
                answer.parameter = row.parameter
                answer.note = row.note.strip()
                if row.indicator in checked:
                    file = checked[row.indicator]
                    name = storage.write(file.data)
                    stored.append(name)
                    answer.evidence = name
                    answer.evidence_name = safe_name(row.upload.name if row.upload else "")
                    answer.evidence_kind = file.kind.value  # from the content, not the name
                    changes.setdefault("files", {})[row.indicator] = hashlib.sha256(
                        file.data
                    ).hexdigest()
                if before != (answer.parameter, answer.evidence):
                    changes.setdefault("parameters", {})[row.indicator] = [
                        before[0] if before else None,
                        answer.parameter,
                    ]
                answer.answered_by = actor
                answer.answered_at = now
                answer.save()
                saved.append(answer)
            audit_record(
                actor=actor,
                action="iid.answers_set",
                obj=innovation,
                unit=innovation.units.order_by("path").first(),
                data={"year": year, **changes},
            )
    except BaseException:
        for name in stored:
            storage.remove(name)
        raise
    return saved


# --- SPD answers ----------------------------------------------------------------------------------


def spd_answer_set(
    *,
    actor: Any,
    agency: Agency,
    year: int,
    indicator: str,
    weight: int,
    parameter: int,
    note: str = "",
    upload: Upload | None = None,
) -> SpdAnswer:
    """Set the agency's answer to one SPD indicator of `year`. The weight is checked against
    the frame with the other answers: a whole number ≥ 1 (the frame's own where it knows it),
    all weights together at most the frame's total (21)."""
    if not may_manage(actor, agency):
        raise PermissionDenied
    f = frame_of(year)
    errors: dict[str, str] = {}
    try:
        f.spd_indicator(indicator)
    except IidError:
        raise ValidationError(
            {
                "indicator": _("%(indicator)s is not an SPD indicator of the IID %(year)s.")
                % {"indicator": indicator, "year": year}
            }
        ) from None
    problem = _parameter_problem(parameter)
    if problem:
        errors["parameter"] = problem
    if isinstance(weight, bool) or not isinstance(weight, int) or weight < 1:
        errors["weight"] = _("The weight is a whole number of at least 1.")
    if len(note) > NOTE_MAX:
        errors["note"] = _("The note is longer than %(max)d characters.") % {"max": NOTE_MAX}
    file: Clean | None = None
    if upload is not None:
        try:
            file = evidence_check(upload, "evidence")
        except ValidationError as exc:
            errors |= {k: v[0] for k, v in exc.message_dict.items()}
    if errors:
        raise ValidationError(errors)
    stored = ""
    try:
        with transaction.atomic():
            others = [
                SpdInput(a.indicator, a.weight, a.parameter)
                for a in SpdAnswer.objects.select_for_update()
                .filter(agency=agency, frame=year)
                .exclude(indicator=indicator)
            ]
            try:
                check_spd_weights(f, [*others, SpdInput(indicator, weight, parameter)])
            except IidError as exc:
                total = sum(o.weight for o in others) + weight
                message = (
                    _(
                        "The SPD weights would add up to %(total)d, more than the %(max)d of "
                        "the IID %(year)s."
                    )
                    % {"total": total, "max": f.spd_total_weight, "year": year}
                    if exc.code == "weights_over_total"
                    else _("The weight of this indicator is %(weight)s in the IID %(year)s.")
                    % {"weight": f.spd_indicator(indicator).weight, "year": year}
                )
                raise ValidationError({"weight": message}) from None
            answer = SpdAnswer.objects.filter(
                agency=agency, frame=year, indicator=indicator
            ).first()
            before = [answer.weight, answer.parameter] if answer else None
            if answer is None:
                answer = SpdAnswer(agency=agency, frame=year, indicator=indicator)
            answer.weight, answer.parameter, answer.note = weight, parameter, note.strip()
            audit_data: dict[str, Any] = {
                "year": year,
                "indicator": indicator,
                "old": before,
                "new": [weight, parameter],
            }
            if file is not None and upload is not None:
                stored = storage.write(file.data)
                answer.evidence = stored
                answer.evidence_name = safe_name(upload.name)
                answer.evidence_kind = file.kind.value  # from the content, not the name
                audit_data["sha256"] = hashlib.sha256(file.data).hexdigest()
            answer.answered_by = actor
            answer.answered_at = timezone.now()
            answer.save()
            audit_record(
                actor=actor,
                action="iid.spd_answer_set",
                obj=answer,
                unit=top_unit(agency),
                data=audit_data,
            )
    except BaseException:
        if stored:
            storage.remove(stored)
        raise
    return answer


# --- hand-out -------------------------------------------------------------------------------------


def may_read_evidence(user: Any, answer: IndicatorAnswer | SpdAnswer) -> bool:
    """IID_MANAGE over the agency, or INNOVATION_MANAGE over one of the innovation's units (an
    innovation's answer); an SPD answer's file: HR of the agency only."""
    if isinstance(answer, SpdAnswer):
        return may_manage(user, answer.agency)
    return may_answer(user, answer.innovation)


def evidence_open(*, user: Any, answer: IndicatorAnswer | SpdAnswer) -> Path:
    """The path of an answer's bukti dukung for `user`; every hand-out is on the audit trail.
    PermissionDenied for anyone else, ValidationError when there is no file."""
    if not may_read_evidence(user, answer):
        raise PermissionDenied
    if not answer.evidence:
        raise ValidationError({"evidence": _("This answer has no supporting document.")})
    path = storage.path_of(answer.evidence)
    if not path.exists():
        raise ValidationError({"evidence": _("The supporting document is missing from the store.")})
    if isinstance(answer, SpdAnswer):
        unit = top_unit(answer.agency)
    else:
        unit = answer.innovation.units.order_by("path").first()
    audit_record(
        actor=user,
        action="iid.evidence_download",
        obj=answer,
        unit=unit,
        data={"year": answer.frame, "indicator": answer.indicator},
    )
    return path
