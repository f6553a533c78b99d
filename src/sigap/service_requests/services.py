"""Every state change of a service request: one keyword-only, atomic function each.

Each function validates, locks the request row, appends exactly one `ServiceEvent` and
updates the request, all in one transaction, so nothing is ever half-written. The steps the
applicant must hear about (registered, returned, waiting, completed, rejected) also queue their
message in that transaction (`sigap.notifications.services.notify`), one call each. Views, the
API, the admin and imports call these and nothing else.

Authorisation happens here, once per function (`duties.authorise`): the acting officer's own
account must be allowed to process the unit's requests, whoever calls. Completing a step, and
returning or rejecting a request at a step, also follow the step's separation of duties as
declared in the service standard (`duties.check_step`, `sigap.rules.duties`).
"""

from __future__ import annotations

import logging
import secrets
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.core.exceptions import ValidationError
from django.db import DatabaseError, IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext as _

from sigap.audit.services import audit_record
from sigap.catalogue.models import ProcedureStep, Service, ServiceStandard
from sigap.notifications.services import notify
from sigap.organisation.models import Employee
from sigap.organisation.services import agency_calendar
from sigap.rules.calendar import WorkingCalendar, paused_working_days
from sigap.rules.calendar import due_date as sla_due_date
from sigap.rules.nik import InvalidNik, mask_nik, parse_nik
from sigap.service_requests.duties import authorise, check_step
from sigap.service_requests.facts import request_fact_record
from sigap.service_requests.models import (
    FINISHED_STATUSES,
    PAUSED_STATUSES,
    SUBMISSION_ACTIVITY,
    Channel,
    Outcome,
    ServiceEvent,
    ServiceRequest,
    Status,
    TrackingLookup,
)
from sigap.service_requests.selectors import overdue_q
from sigap.web.rule_messages import nik_message

# Crockford's base32 without I, L, O, U: no look-alike characters when read out at a counter.
RECEIPT_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
RECEIPT_LENGTH = 10  # 32**10 ≈ 1.1e15 codes: not guessable at any rate the tracker allows
# Clocks of officers' PCs drift a little; anything further in the future is a mistake.
FUTURE_TOLERANCE = timedelta(minutes=5)


def new_receipt_code() -> str:
    return "".join(secrets.choice(RECEIPT_ALPHABET) for _ in range(RECEIPT_LENGTH))


def normalise_receipt_code(value: str) -> str:
    """Accept what people type: lower case, spaces, dashes, O for 0 and I/L for 1."""
    # ASCII only: str.isalnum() also takes "²" or "٣", which no receipt code holds.
    code = "".join(ch for ch in value.upper() if ch.isascii() and ch.isalnum())
    return code.translate(str.maketrans("OIL", "011"))


def nik_hash(nik: str) -> str:
    return salted_hmac("sigap.applicant-nik", nik).hexdigest()


@dataclass(frozen=True)
class Applicant:
    name: str
    contact: str
    region_kecamatan: str
    region_desa: str = ""
    nik: str = ""
    gender: str = ""
    disability: bool | None = None
    age_band: str = ""


def _local_date(moment: datetime) -> date:
    return timezone.localtime(moment).date()


def request_due_date(
    calendar: WorkingCalendar, submitted_at: datetime, sla_working_days: int, paused: int
) -> date:
    """The due date of a request submitted at `submitted_at` that has been paused for `paused`
    working days (closed pauses only): the one rule the write functions and imports share."""
    return sla_due_date(calendar, _local_date(submitted_at), sla_working_days, paused)


def pause_working_days(calendar: WorkingCalendar, since: datetime, until: datetime) -> int:
    """The working days a pause from `since` to `until` (local days) stopped the SLA clock."""
    return paused_working_days(calendar, [(_local_date(since), _local_date(until))],
                               _local_date(until))  # fmt: skip


def _recompute_due_date(request: ServiceRequest) -> None:
    calendar = agency_calendar(request.unit.agency_id)
    request.due_date = request_due_date(
        calendar, request.submitted_at, request.standard.sla_working_days,
        request.paused_working_days,
    )  # fmt: skip


@transaction.atomic
def service_request_submit(
    *,
    service: Service | str,
    applicant: Applicant,
    channel: str,
    submitted_at: datetime | None = None,
    officer: Employee | None = None,
    standard: ServiceStandard | None = None,
) -> ServiceRequest:
    """Register a request against the service standard in force on the day of submission
    (`standard`: that standard, when the caller has already read it)."""
    at = submitted_at or timezone.now()
    if isinstance(service, str):
        found = Service.objects.filter(code=service).first()
        if found is None:
            raise ValidationError({"service": _("Unknown service code “%s”.") % service})
        service = found
    if officer is not None:  # registered at a counter (online submissions have no officer)
        authorise(officer, service.unit)
    if not service.is_active:
        raise ValidationError({"service": _("The service “%s” is not offered.") % service})
    day = _local_date(at)
    if standard is None:
        standard = service.standard_on(day)
    elif standard.service_id != service.pk or not standard.in_force_on(day):
        raise ValidationError({"service": _("This is not the service standard in force.")})
    if standard is None:
        raise ValidationError(
            {"service": _("No service standard of “%s” is in force on that date.") % service}
        )
    errors: dict[str, str] = {}
    if channel not in Channel.values:
        errors["channel"] = _("Unknown channel “%s”.") % channel
    if not applicant.name.strip():
        errors["applicant_name"] = _("The applicant's name is required.")
    if not applicant.contact.strip():
        errors["applicant_contact"] = _("A phone number or e-mail address is required.")
    if not applicant.region_kecamatan.strip():
        errors["region_kecamatan"] = _("The kecamatan is required.")
    if at > timezone.now() + FUTURE_TOLERANCE:
        errors["submitted_at"] = _("The submission time is in the future.")
    nik_masked = nik_digest = ""
    if applicant.nik.strip():
        try:
            nik = parse_nik(applicant.nik).value
        except InvalidNik as exc:
            errors["applicant_nik"] = nik_message(exc)
        else:
            nik_masked, nik_digest = mask_nik(nik), nik_hash(nik)
    if errors:
        raise ValidationError(errors)

    steps = standard.ordered_steps()
    request = ServiceRequest(
        service=service,
        standard=standard,
        unit=service.unit,
        channel=channel,
        applicant_name=applicant.name.strip(),
        applicant_contact=applicant.contact.strip(),
        applicant_nik_masked=nik_masked,
        applicant_nik_hash=nik_digest,
        region_kecamatan=applicant.region_kecamatan.strip(),
        region_desa=applicant.region_desa.strip(),
        applicant_gender=applicant.gender,
        applicant_disability=applicant.disability,
        applicant_age_band=applicant.age_band,
        status=Status.SUBMITTED,
        current_step=steps[0] if steps else None,
        submitted_at=at,
        last_event_at=at,
        event_count=1,
    )
    _recompute_due_date(request)
    # The keys are the rows just read: validating them would read each one again.
    request.full_clean(
        exclude=["receipt_code", "due_date", "last_event_at", "service", "standard", "unit",
                 "current_step"]
    )  # fmt: skip
    for _attempt in range(5):
        request.receipt_code = new_receipt_code()
        try:
            with transaction.atomic():
                request.save()
            break
        except IntegrityError:  # a receipt-code collision: astronomically rare, retry
            request.pk = None
    else:  # pragma: no cover
        raise RuntimeError("could not allocate a receipt code")
    ServiceEvent.objects.create(
        request=request,
        seq=1,
        activity=SUBMISSION_ACTIVITY,
        step=None,
        officer=officer,
        timestamp=at,
        outcome=Outcome.SUBMITTED,
    )
    request_fact_record(request, new=True, officer_id=officer.pk if officer else None)
    notify(event="received", request=request)
    return request


def _lock(request: ServiceRequest) -> ServiceRequest:
    # Re-read under a row lock so two officers clicking at once cannot both advance it.
    return (
        ServiceRequest.objects.select_for_update(of=("self",))
        .select_related("standard", "unit", "current_step__other_officer_than")
        .get(pk=request.pk)
    )


def _check_common(
    request: ServiceRequest, officer: Employee | None, at: datetime, allowed: tuple[str, ...]
) -> None:
    if officer is not None:  # first: no answer about the request to someone without the right
        authorise(officer, request.unit)
    if request.status in FINISHED_STATUSES:
        raise ValidationError(
            {
                "request": _(
                    "Request %(code)s is already %(status)s; no further step can be recorded."
                )
                % {"code": request.receipt_code, "status": request.get_status_display().lower()}
            }
        )
    if request.status not in allowed:
        raise ValidationError(
            {
                "status": _("This action is not possible while the request is “%s”.")
                % request.get_status_display()
            }
        )
    if at < request.last_event_at:
        raise ValidationError(
            {
                "timestamp": _(
                    "%(at)s is earlier than the previous step of this request (%(last)s)."
                )
                % {
                    "at": timezone.localtime(at).isoformat(timespec="minutes"),
                    "last": timezone.localtime(request.last_event_at).isoformat(timespec="minutes"),
                }
            }
        )
    if at > timezone.now() + FUTURE_TOLERANCE:
        raise ValidationError({"timestamp": _("The time of the step is in the future.")})
    if officer is not None:
        if not officer.is_active_on(_local_date(at)):
            raise ValidationError(
                {"officer": _("%s is not an active employee on that date.") % officer.name}
            )
        o_path, r_path = officer.unit.path, request.unit.path
        if not (r_path.startswith(o_path) or o_path.startswith(r_path)):
            raise ValidationError(
                {
                    "officer": _("%s does not work in the unit that handles this request.")
                    % officer.name
                }
            )


def _append(
    request: ServiceRequest,
    *,
    outcome: str,
    officer: Employee | None,
    at: datetime,
    note: str = "",
    step: ProcedureStep | None = None,
) -> ServiceEvent:
    step = step if step is not None else request.current_step
    request.event_count += 1
    request.last_event_at = at
    event = ServiceEvent.objects.create(
        request=request,
        seq=request.event_count,
        activity=step.name if step else outcome,
        step=step,
        officer=officer,
        timestamp=at,
        outcome=outcome,
        note=note,
    )
    return event


def _resolve_step(
    request: ServiceRequest, step: ProcedureStep | str | None
) -> ProcedureStep | None:
    if step is None:
        return None
    name = step if isinstance(step, str) else step.name
    found = request.standard.steps.filter(name=name).first()
    if found is None or (
        isinstance(step, ProcedureStep) and step.standard_id != request.standard_id
    ):
        raise ValidationError(
            {
                "step": _("“%(step)s” is not a step of the procedure of %(standard)s.")
                % {"step": name, "standard": request.standard}
            }
        )
    return found


def _close_pause(request: ServiceRequest, at: datetime) -> None:
    if request.paused_since is None:
        return
    calendar = agency_calendar(request.unit.agency_id)
    request.paused_working_days += pause_working_days(calendar, request.paused_since, at)
    request.paused_since = None
    _recompute_due_date(request)


def _require_reason(reason: str) -> str:
    if not reason.strip():
        raise ValidationError({"reason": _("Give the reason; the applicant will see it.")})
    return reason.strip()


@transaction.atomic
def service_request_receive(
    *, request: ServiceRequest, officer: Employee, at: datetime | None = None
) -> ServiceRequest:
    """An officer takes a submitted request into their queue."""
    at = at or timezone.now()
    request = _lock(request)
    _check_common(request, officer, at, (Status.SUBMITTED,))
    request.status = Status.IN_PROGRESS
    request.assigned_officer = officer
    _append(request, outcome=Outcome.RECEIVED, officer=officer, at=at)
    request.save()
    request_fact_record(request)
    return request


@transaction.atomic
def service_request_complete_step(
    *,
    request: ServiceRequest,
    officer: Employee,
    step: ProcedureStep | str | None = None,
    note: str = "",
    at: datetime | None = None,
    signed_product: bool = False,
) -> ServiceRequest:
    """Record the current procedure step as done; the last step completes the request.

    When the standard says the product is signed electronically (`product_signed`), the last
    step is done only together with its signed product: `sigap.integrations.services.
    product_sign_and_complete` attaches it in the same transaction and passes
    `signed_product=True`; any other caller is refused."""
    at = at or timezone.now()
    request = _lock(request)
    _check_common(request, officer, at, (Status.IN_PROGRESS,))
    named = _resolve_step(request, step)
    current = request.current_step
    if named is not None and current is not None and named.pk != current.pk:
        raise ValidationError(
            {
                "step": _("The current step is “%(current)s”, not “%(step)s”.")
                % {"current": current.name, "step": named.name}
            }
        )
    check_step(request, officer, current)
    following = (
        request.standard.steps.filter(order__gt=current.order).order_by("order").first()
        if current
        else None
    )
    if following is None and request.standard.product_signed and not signed_product:
        raise ValidationError(
            {
                "file": _(
                    "The product of this service is signed electronically: complete the last "
                    "step with the product's PDF in the signing form."
                )
            }
        )
    _append(request, outcome=Outcome.DONE, officer=officer, at=at, note=note.strip())
    if following is None:
        request.status = Status.COMPLETED
        request.current_step = None
        request.finished_at = at
    else:
        request.current_step = following
    request.save()
    request_fact_record(request)
    if request.status == Status.COMPLETED:
        notify(event="completed", request=request)
    return request


@transaction.atomic
def service_request_return(
    *,
    request: ServiceRequest,
    officer: Employee,
    reason: str,
    to_step: ProcedureStep | str | None = None,
    at: datetime | None = None,
) -> ServiceRequest:
    """Return the file to the applicant for correction; the SLA clock stops until it is back.

    The corrected file re-enters at `to_step` (default: the first step, where files are
    checked for completeness), which is what makes rework visible in the event log.
    """
    at = at or timezone.now()
    reason = _require_reason(reason)
    request = _lock(request)
    _check_common(request, officer, at, (Status.IN_PROGRESS,))
    target = _resolve_step(request, to_step)
    current = request.current_step
    if target is not None and current is not None and target.order > current.order:
        raise ValidationError({"to_step": _("A request can only be returned to an earlier step.")})
    check_step(request, officer, current)  # sending the file back is a decision of this step
    _append(request, outcome=Outcome.RETURNED, officer=officer, at=at, note=reason)
    request.status = Status.RETURNED
    request.paused_since = at
    request.current_step = target or request.standard.steps.order_by("order").first()
    request.save()
    request_fact_record(request)
    notify(event="returned", request=request, note=reason)
    return request


@transaction.atomic
def service_request_wait(
    *, request: ServiceRequest, officer: Employee, reason: str, at: datetime | None = None
) -> ServiceRequest:
    """Wait for the applicant (e.g. to come and sign); the SLA clock stops."""
    at = at or timezone.now()
    reason = _require_reason(reason)
    request = _lock(request)
    _check_common(request, officer, at, (Status.IN_PROGRESS,))
    _append(request, outcome=Outcome.WAITING, officer=officer, at=at, note=reason)
    request.status = Status.WAITING
    request.paused_since = at
    request.save()
    request_fact_record(request)
    notify(event="waiting", request=request, note=reason)
    return request


@transaction.atomic
def service_request_resume(
    *,
    request: ServiceRequest,
    officer: Employee | None = None,
    note: str = "",
    at: datetime | None = None,
) -> ServiceRequest:
    """The applicant is back (corrected file, signature): the SLA clock runs again."""
    at = at or timezone.now()
    request = _lock(request)
    _check_common(request, officer, at, PAUSED_STATUSES)
    _close_pause(request, at)
    request.status = Status.IN_PROGRESS
    _append(request, outcome=Outcome.RESUMED, officer=officer, at=at, note=note.strip())
    request.save()
    request_fact_record(request)
    return request


@transaction.atomic
def service_request_reject(
    *, request: ServiceRequest, officer: Employee, reason: str, at: datetime | None = None
) -> ServiceRequest:
    """Reject the request with a reason; it is finished."""
    at = at or timezone.now()
    reason = _require_reason(reason)
    request = _lock(request)
    _check_common(request, officer, at, (Status.SUBMITTED, Status.IN_PROGRESS, *PAUSED_STATUSES))
    check_step(request, officer, request.current_step)  # refusing is a decision of this step
    _close_pause(request, at)
    _append(request, outcome=Outcome.REJECTED, officer=officer, at=at, note=reason)
    request.status = Status.REJECTED
    request.finished_at = at
    request.current_step = None
    request.save()
    request_fact_record(request)
    notify(event="rejected", request=request, note=reason)
    return request


def service_requests_sla_apology(*, today: date | None = None) -> int:
    """Queue an apology to the applicant of every request past its due date, once per request.

    The system's own daily job (`sigap requests_sla_apology`): no person acts. Overdue is the
    one definition (`selectors.overdue_q`); a request that already had its apology is skipped,
    and the message's idempotency key keeps a rerun (or two runs at once) from queueing another.
    Audited once per run with the count. Returns how many were queued.
    """
    today = today or timezone.localdate()
    late = (
        ServiceRequest.objects.filter(overdue_q(today))
        .exclude(notifications__event="sla_missed")
        .select_related("service")
        .order_by("pk")
    )
    queued = 0
    with transaction.atomic():
        for request in late.iterator(chunk_size=500):
            queued += notify(
                event="sla_missed", request=request, key=f"request:{request.receipt_code}:sla"
            )
        if queued:
            audit_record(actor="sigap requests_sla_apology", action="request.sla_apology",
                         data={"queued": queued, "day": today.isoformat()})  # fmt: skip
    return queued


# --- tracking-page use --------------------------------------------------------------------------

logger = logging.getLogger("sigap.tracking")


def tracking_lookup_record(*, request_id: int, day: date) -> bool:
    """Count one citizen look-up of a receipt on the public tracking page, for `day`.

    Usually one UPDATE (`lookups = lookups + 1` in the database, so concurrent look-ups are
    never lost); the first look-up of a day is an INSERT, and when two race for that INSERT
    the loser's unique-constraint error turns into the UPDATE. The page must never fail
    because of this counter: a database error (a locked SQLite file, a dropped connection)
    is logged and the page is shown anyway, so the figure may undercount, never overcount.
    Returns whether the look-up was stored.
    """
    rows = TrackingLookup.objects.filter(request_id=request_id, day=day)
    try:
        # A savepoint of its own, so a failure cannot spoil a surrounding transaction.
        with transaction.atomic():
            if rows.update(lookups=F("lookups") + 1):
                return True
            try:
                with transaction.atomic():
                    TrackingLookup.objects.create(request_id=request_id, day=day, lookups=1)
            except IntegrityError:
                rows.update(lookups=F("lookups") + 1)
        return True
    except DatabaseError:
        logger.warning("tracking look-up not recorded", exc_info=True)
        return False
