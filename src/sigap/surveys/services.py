"""Writes of the SKM survey: one keyword-only, atomic function per change.

Who may act is decided here, once per write, whoever calls it (a page, the API, a command):
`survey_submit` is public by design (any citizen answers the SKM, without an account); the
follow-up plan is written by staff, whose `user` `_authorise` checks through sigap.access
before anything is written (PermissionDenied: nothing is).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime

from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from sigap.access import Action, can
from sigap.analytics.ikm import period_bounds
from sigap.audit.services import audit_record
from sigap.catalogue.models import Service
from sigap.notifications import survey_links
from sigap.organisation.models import Unit
from sigap.rules.ikm import ELEMENT_CODES, SCALE
from sigap.rules.skm import SurveyMoment
from sigap.service_requests.models import AgeBand, Gender, ServiceRequest
from sigap.service_requests.services import normalise_receipt_code
from sigap.surveys.lookup import active_service
from sigap.surveys.models import (
    COMMENT_MAX,
    Education,
    Occupation,
    SurveyChannel,
    SurveyFollowUp,
    SurveyResponse,
)
from sigap.surveys.selectors import receipt_moment
from sigap.throttling import intake
from sigap.throttling.ratelimit import Charge

PROFILE_CHOICES = (
    ("gender", tuple(Gender.values)),
    ("age_band", tuple(AgeBand.values)),
    ("education", tuple(Education.values)),
    ("occupation", tuple(Occupation.values)),
)
CHANNELS = frozenset(SurveyChannel.values)


@dataclass(frozen=True)
class Respondent:
    """The respondent profile of the official questionnaire; every field optional."""

    gender: str = ""
    age_band: str = ""
    education: str = ""
    occupation: str = ""


def _check_profile(respondent: Respondent, errors: dict[str, str]) -> None:
    for field, choices in PROFILE_CHOICES:
        value = getattr(respondent, field)
        if value and value not in choices:
            errors[field] = _("“%(value)s” is not one of %(choices)s.") % {
                "value": str(value)[:40],
                "choices": ", ".join(choices),
            }


def _check_answers(answers: Mapping[str, object], errors: dict[str, str]) -> dict[str, int | None]:
    unknown = set(answers) - set(ELEMENT_CODES)
    if unknown:
        errors["answers"] = _("Unknown survey elements: %s.") % ", ".join(sorted(unknown))[:200]
    clean: dict[str, int | None] = {}
    for code in ELEMENT_CODES:
        value = answers.get(code)
        if value is None or value == "":
            clean[code] = None
            continue
        if isinstance(value, bool) or not isinstance(value, int | str):
            errors[code] = _("An answer is 1, 2, 3 or 4.")
            continue
        try:
            number = int(value)
        except ValueError:
            number = 0
        if number not in SCALE:
            errors[code] = _("An answer is 1, 2, 3 or 4, not “%s”.") % str(value)[:20]
            continue
        clean[code] = number
    if not errors and all(v is None for v in clean.values()):
        errors["answers"] = _("Answer at least one question.")
    return clean


def refusal(moment: SurveyMoment) -> str:
    """Why a response tied to a receipt is refused at this moment (a %s for the code)."""
    if moment is SurveyMoment.DONE:
        return _("A survey was already filled in for receipt %s.")
    if moment is SurveyMoment.REJECTED:
        return _("Request %s was rejected: the survey is for completed services. "
                 "To object to the rejection, file a complaint.")  # fmt: skip
    return _("Request %s is not complete yet: the survey opens when it is complete.")


def survey_submit(
    *,
    service: Service | str,
    answers: Mapping[str, object],
    respondent: Respondent = Respondent(),
    comment: str = "",
    receipt_code: str = "",
    receipt_token: str = "",
    channel: str = SurveyChannel.WEB,
    client_hash: str = "",
    submitted_at: datetime | None = None,
    charge: Charge | None = None,
) -> SurveyResponse:
    """Store one questionnaire (PermenPANRB 14/2017): answers 1–4 by unsur code.

    Public by design: any service user answers, without an account, so no user is checked;
    `charge` limits how often one client may.

    With a receipt code, the response is tied to that request (one response per receipt, and
    the request must be of this service and completed: `sigap.rules.skm`, so neither an open
    nor a rejected request is rated); without one it is anonymous. Only the applicant rates a
    request: the code must come with its survey token
    (`sigap.notifications.survey_links`), or a stranger who saw the code could spend its one
    response.

    `charge` is the client's rate-limit hit: it is counted whatever the outcome, and RateLimited
    is raised when the client is over its limit. An anonymous response is then one statement
    (`sigap.throttling.intake`: the hit and the INSERT, one commit); the reads before it only
    validate against in-process copies of the catalogue.
    """
    at = submitted_at or timezone.now()
    errors: dict[str, str] = {}
    if isinstance(service, str):
        found = active_service(service)
        if found is None:
            if charge is not None:
                charge.enforce()
            raise ValidationError({"service": _("Unknown service code “%s”.") % service[:60]})
        service = found
    if "\x00" in comment or "\x00" in receipt_code:
        errors["comment"] = _("Text may not contain NUL characters.")
    clean = _check_answers(answers, errors)
    _check_profile(respondent, errors)
    if len(comment) > COMMENT_MAX:
        errors["comment"] = _("The comment is longer than %(max)d characters (%(n)d).") % {
            "max": COMMENT_MAX,
            "n": len(comment),
        }
    if channel not in CHANNELS:
        errors["channel"] = _("Unknown channel “%s”.") % channel[:20]
    service_request = None
    code = normalise_receipt_code(receipt_code) if receipt_code else ""
    if charge is not None and (errors or code):
        charge.enforce()  # not the one-statement path: count the hit on its own, first
        charge = None
    if code and not survey_links.proves(receipt_token, code):
        errors["receipt_code"] = (
            _("Only the applicant rates request %s: open the survey from the link we sent, "
              "the QR code of the receipt slip, or with the contact given with the request.")
            % code[:20]
        )  # fmt: skip
    elif code:
        service_request = ServiceRequest.objects.filter(receipt_code=code).first()
        if service_request is None:
            errors["receipt_code"] = _("No request has the receipt code “%s”.") % code[:20]
        elif service_request.service_id != service.pk:
            errors["receipt_code"] = _("Receipt %s is for another service.") % code
        else:
            moment = receipt_moment(request_id=service_request.pk, status=service_request.status)
            if moment is not SurveyMoment.OPEN:
                errors["receipt_code"] = refusal(moment) % code
    if errors:
        raise ValidationError(errors)
    response = SurveyResponse(
        service=service,
        unit_id=service.unit_id,
        service_request=service_request,
        submitted_at=at,
        channel=channel,
        comment=comment.strip(),
        gender=respondent.gender,
        age_band=respondent.age_band,
        education=respondent.education,
        occupation=respondent.occupation,
        client_hash=client_hash,
        **clean,
    )
    if service_request is None:
        intake.store(response, charge=charge)  # nothing unique to race on
        return response
    try:
        with transaction.atomic():  # the unique receipt decides a race: refuse the second
            response.save()
    except IntegrityError:  # a second response for the same receipt, a moment apart
        raise ValidationError(
            {"receipt_code": _("A survey was already filled in for receipt %s.") % code}
        ) from None
    return response


@transaction.atomic
def survey_follow_up_add(
    *,
    unit: Unit,
    period: str,
    element: str,
    action: str,
    timeline: str,
    responsible: str,
    user: User,
) -> SurveyFollowUp:
    """Add a row to the follow-up plan (rencana tindak lanjut) of a unit's SKM for a period.

    Written by whoever holds `Action.SURVEY_PLAN` over the unit (its head); audited.
    """
    _authorise(user, Action.SURVEY_PLAN, unit)
    errors: dict[str, str] = {}
    try:
        period_bounds(period)
    except ValueError:
        errors["period"] = _(
            "“%(period)s” is not a period: write 2025, 2025-S1, 2025-Q3 or 2025-07."
        ) % {"period": period[:20]}
    if element not in ELEMENT_CODES:
        errors["element"] = _("Unknown survey element “%s”.") % element[:20]
    for field, value, limit in (
        ("action", action, COMMENT_MAX),
        ("timeline", timeline, 200),
        ("responsible", responsible, 200),
    ):
        if not value.strip():
            errors[field] = _("This field is required.")
        elif len(value) > limit or "\x00" in value:
            errors[field] = _("At most %d characters.") % limit
    if errors:
        raise ValidationError(errors)
    row = SurveyFollowUp.objects.create(
        unit=unit,
        period=period,
        element=element,
        action=action.strip(),
        timeline=timeline.strip(),
        responsible=responsible.strip(),
        created_by=user,
        created_at=timezone.now(),
    )
    audit_record(
        actor=user,
        action="survey.follow_up",
        obj=row,
        data={"period": period, "element": element},
        at=row.created_at,
    )
    return row


def _authorise(user: User, action: Action, unit: Unit) -> None:
    """The one authorisation check of the staff writes; PermissionDenied when `user` may not."""
    if not can(user, action, unit):
        raise PermissionDenied(_("You may not write the SKM follow-up plan of this unit."))
