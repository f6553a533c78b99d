"""PDP write functions: citizens' data requests, their answers, breaches and retention.

Every change is audited through `audit_record`, with counts and field names, never values.

Who may act is decided here, once per write, whoever calls it (a page or a command):

- the staff writes (answering a request, the breach register) take the acting `user` and check
  it with `_authorise` (sigap.access, `Action.PRIVACY_HANDLE`) before anything is written; a
  refusal raises PermissionDenied and writes nothing. The pages ask sigap.access only to decide
  what to list.
- `privacy_request_submit` is public by design: a data subject asks without an account, and
  nothing is told back that the request could probe.
- `retention_run` is the system's own daily job: no person decides, the retention periods do,
  and the audit trail names the command.
- the anonymising helpers (`_anonymise_*`, `_withdraw_consent`) are internal: reached only
  through the fulfilment of a request or the retention job, which check and audit.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext as _

from sigap.access import Action, can, has_any_role
from sigap.audit.services import audit_record
from sigap.catalogue.models import ConsultationComment
from sigap.complaints.models import CLOSED as COMPLAINT_CLOSED
from sigap.complaints.models import Complaint
from sigap.notifications.services import outbox_forget
from sigap.organisation.models import Unit
from sigap.privacy import conf
from sigap.privacy.models import Breach, Kind, PrivacyRequest, RequestStatus, SubjectType
from sigap.rules.contact import contact_matches
from sigap.service_requests.models import FINISHED_STATUSES, ServiceRequest, TrackingLookup
from sigap.service_requests.services import RECEIPT_ALPHABET, normalise_receipt_code
from sigap.surveys.models import SurveyResponse
from sigap.throttling.models import RateCounter

# What an anonymised name reads as. Data, like the event log, is in the domain's language.
ANONYMISED = "[dihapus]"
REFERENCE_LENGTH = 16  # 16 symbols of 32: 80 random bits, like a password nobody can guess

# The fields a citizen may ask to correct, per kind of record.
CORRECTABLE: dict[str, tuple[str, ...]] = {
    SubjectType.REQUEST: ("applicant_name", "applicant_contact", "region_kecamatan", "region_desa"),
    SubjectType.COMPLAINT: ("reporter_name", "reporter_contact", "address"),
}


# --- references and contacts -------------------------------------------------------------


def new_reference() -> str:
    return "".join(secrets.choice(RECEIPT_ALPHABET) for _ in range(REFERENCE_LENGTH))


def normalise_reference(value: str) -> str:
    return normalise_receipt_code(value)[:REFERENCE_LENGTH]


def formatted_reference(reference: str) -> str:
    return "-".join(reference[i : i + 4] for i in range(0, len(reference), 4))


def reference_hash(reference: str) -> str:
    return salted_hmac("sigap.privacy-reference", normalise_reference(reference)).hexdigest()


def _find_subject(receipt: str) -> ServiceRequest | Complaint | None:
    code = normalise_receipt_code(receipt)[:20]
    # Both tables are always asked, so the time taken does not tell which kind of code (if
    # any) exists.
    found = ServiceRequest.objects.filter(receipt_code=code).select_related("unit").first()
    complaint = Complaint.objects.filter(receipt_code=code).select_related("unit").first()
    return found or complaint if code else None


def _stored_contact(subject: ServiceRequest | Complaint) -> str:
    if isinstance(subject, ServiceRequest):
        return subject.applicant_contact
    return "" if subject.is_anonymous else subject.reporter_contact


# --- the citizen's request -----------------------------------------------------------------


@dataclass(frozen=True)
class Submitted:
    request: PrivacyRequest
    reference: str  # shown once to the citizen; only its hash is kept


def privacy_request_submit(
    *,
    kind: str,
    receipt: str,
    contact: str,
    details: str = "",
    client_hash: str = "",
    now: datetime | None = None,
) -> Submitted:
    """Register a request. Whether the receipt and contact matched is never told to the caller:
    both paths store a row and return a reference, so the answer cannot be used to probe codes.

    Public by design: the data subject asks without an account (UU 27/2022), so no user is
    checked; the receipt and the contact are what tie the request to a record.
    """
    if kind not in Kind.values:
        raise ValidationError({"kind": _("Choose what you ask for.")})
    now = now or timezone.now()
    subject = _find_subject(receipt)
    matched = subject is not None and contact_matches(contact, _stored_contact(subject))
    if not matched:
        subject = None
    reference = new_reference()
    hours = conf.request_hours()[kind]
    with transaction.atomic():
        row = PrivacyRequest.objects.create(
            reference_hash=reference_hash(reference),
            kind=kind,
            subject_type=(
                ""
                if subject is None
                else SubjectType.REQUEST
                if isinstance(subject, ServiceRequest)
                else SubjectType.COMPLAINT
            ),
            service_request=subject if isinstance(subject, ServiceRequest) else None,
            complaint=subject if isinstance(subject, Complaint) else None,
            unit=subject.unit if subject is not None else None,
            matched=matched,
            details=details[:2000],
            received_at=now,
            due_at=now + timedelta(hours=hours),
            client_hash=client_hash,
        )
        audit_record(
            actor="anonymous",
            action="privacy.request",
            obj=row,
            data={"kind": kind, "matched": matched},
            at=now,
        )
    return Submitted(row, reference)


def privacy_request_by_reference(reference: str) -> PrivacyRequest | None:
    ref = normalise_reference(reference)
    if len(ref) != REFERENCE_LENGTH:
        return None
    return (
        PrivacyRequest.objects.filter(reference_hash=reference_hash(ref))
        .select_related("unit")
        .first()
    )


# --- staff answers ---------------------------------------------------------------------------


def _authorise(user: User, unit: Unit | None) -> None:
    """The one authorisation check of the staff writes: `Action.PRIVACY_HANDLE` over `unit`.

    A request that matched no record has no unit: any data-protection handler may see it
    (it is then refused as matching nothing). PermissionDenied when `user` may not.
    """
    if unit is None:
        allowed = has_any_role(user, Action.PRIVACY_HANDLE)
    else:
        allowed = can(user, Action.PRIVACY_HANDLE, unit)
    if not allowed:
        raise PermissionDenied(_("Only the data-protection officer over this unit may do this."))


def _require_open(pr: PrivacyRequest) -> None:
    if not pr.matched or pr.subject is None:
        raise ValidationError(_("This request matches no record."))
    if pr.status != RequestStatus.RECEIVED:
        raise ValidationError(_("This request was already answered."))


def _resolve(pr: PrivacyRequest, user: User, status: str, answer: str, now: datetime) -> None:
    pr.status = status
    pr.answer = answer[:4000]
    pr.resolved_at = now
    pr.resolved_by = user
    pr.save(update_fields=["status", "answer", "resolved_at", "resolved_by", "export"])


def privacy_request_fulfil(
    *,
    pr: PrivacyRequest,
    user: User,
    answer: str = "",
    changes: dict[str, str] | None = None,
    now: datetime | None = None,
) -> PrivacyRequest:
    """Do what the citizen asked: hand over a copy, correct, anonymise, or stop consent-based
    processing. By a handler over the record's unit (`_authorise`)."""
    from sigap.privacy.selectors import subject_export

    now = now or timezone.now()
    with transaction.atomic():
        pr = PrivacyRequest.objects.select_for_update().get(pk=pr.pk)
        _authorise(user, pr.unit)
        _require_open(pr)
        subject = pr.subject
        assert subject is not None
        data: dict[str, Any] = {"kind": pr.kind}
        if pr.kind == Kind.ACCESS:
            pr.export = subject_export(subject, at=now)
        elif pr.kind == Kind.CORRECTION:
            data["fields"] = _correct(pr, subject, changes or {})
        elif pr.kind == Kind.DELETION:
            data["records"] = _anonymise_subject(subject)
        else:
            data["records"] = _withdraw_consent(subject)
        _resolve(pr, user, RequestStatus.FULFILLED, answer, now)
        audit_record(actor=user, action="privacy.fulfil", obj=pr, data=data, at=now)
    return pr


def _correct(pr: PrivacyRequest, subject: Any, changes: dict[str, str]) -> list[str]:
    allowed = CORRECTABLE[pr.subject_type]
    changed: list[str] = []
    errors: dict[str, str] = {}
    for field, value in changes.items():
        if field not in allowed:
            continue
        value = value.strip()
        if value == getattr(subject, field):
            continue
        if not value and field in ("applicant_name", "applicant_contact", "region_kecamatan"):
            errors[field] = _("A name, contact or kecamatan cannot be left empty.")
            continue
        setattr(subject, field, value[: subject._meta.get_field(field).max_length])
        changed.append(field)
    if errors:
        raise ValidationError(list(dict.fromkeys(errors.values())))
    if not changed:
        raise ValidationError(_("Give at least one corrected value."))
    subject.save(update_fields=changed)
    return changed


def privacy_request_refuse(
    *, pr: PrivacyRequest, user: User, reason: str, now: datetime | None = None
) -> PrivacyRequest:
    """Refuse with a reason the citizen reads (e.g. UU 27/2022 Pasal 33 for access). By a
    handler over the record's unit (`_authorise`)."""
    now = now or timezone.now()
    with transaction.atomic():
        pr = PrivacyRequest.objects.select_for_update().get(pk=pr.pk)
        _authorise(user, pr.unit)
        if not reason.strip():
            raise ValidationError(_("Give the reason for the refusal."))
        _require_open(pr)
        _resolve(pr, user, RequestStatus.REFUSED, reason.strip(), now)
        audit_record(actor=user, action="privacy.refuse", obj=pr, data={"kind": pr.kind}, at=now)
    return pr


# --- anonymisation (deletion requests and the retention job) ---------------------------------

_REQUEST_ANON = {
    "applicant_name": ANONYMISED,
    "applicant_contact": "",
    "applicant_nik_masked": "",
    "applicant_nik_hash": "",
    "region_desa": "",
}
_COMPLAINT_ANON: dict[str, Any] = {
    "reporter_name": "",
    "reporter_contact": "",
    "address": "",
    "lat": None,
    "long": None,
    "media_url": "",
    "client_hash": "",
}


def _not_anonymised(fields: dict[str, Any]) -> Q:
    """Rows where any field still differs from its anonymised value (so reruns change none)."""
    q = Q()
    for name, value in fields.items():
        q |= Q(**{f"{name}__isnull": False}) if value is None else ~Q(**{name: value})
    return q


def _anonymise_requests(qs: QuerySet[ServiceRequest]) -> int:
    """Blank the applicant's identity; the service, times, region and statistics stay."""
    outbox_forget(requests=qs)  # the messages held the contact too
    return qs.filter(_not_anonymised(_REQUEST_ANON)).update(**_REQUEST_ANON)


def _anonymise_complaints(qs: QuerySet[Complaint]) -> int:
    outbox_forget(complaints=qs)
    return qs.filter(_not_anonymised(_COMPLAINT_ANON)).update(**_COMPLAINT_ANON)


def _anonymise_subject(subject: ServiceRequest | Complaint) -> dict[str, int]:
    if isinstance(subject, ServiceRequest):
        counts = {"requests": _anonymise_requests(ServiceRequest.objects.filter(pk=subject.pk))}
        counts["survey_comments"] = (
            SurveyResponse.objects.filter(service_request=subject)
            .exclude(comment="", client_hash="")
            .update(comment="", client_hash="")
        )
        return counts
    return {"complaints": _anonymise_complaints(Complaint.objects.filter(pk=subject.pk))}


def _withdraw_consent(subject: ServiceRequest | Complaint) -> dict[str, int]:
    """Stop what rests on consent: the volunteered profile answers (fairness statistics)."""
    if isinstance(subject, Complaint):
        return {"records": 0}  # a complaint holds nothing that rests on consent
    requests = (
        ServiceRequest.objects.filter(pk=subject.pk)
        .filter(
            ~Q(applicant_gender="")
            | Q(applicant_disability__isnull=False)
            | ~Q(applicant_age_band="")
        )
        .update(applicant_gender="", applicant_disability=None, applicant_age_band="")
    )
    surveys = (
        SurveyResponse.objects.filter(service_request=subject)
        .exclude(gender="", age_band="", education="", occupation="", comment="")
        .update(gender="", age_band="", education="", occupation="", comment="")
    )
    return {"requests": requests, "surveys": surveys}


# --- retention ---------------------------------------------------------------------------------


def retention_run(*, now: datetime | None = None, actor: str = "sigap privacy") -> dict[str, int]:
    """Anonymise or delete what is past its retention period, per category; rerunnable.

    The system's own daily job (`sigap privacy retention`), so it takes no user: nobody
    decides, the retention periods do; `actor` is the label the audit trail gives the run.

    Counts per category are audited (one entry per run). WBS reports have their own job,
    `sigap wbs retention` (sigap.whistleblowing.services.retention_run).
    """
    now = now or timezone.now()
    days = conf.retention_days()

    def cutoff(key: str) -> datetime | None:
        return now - timedelta(days=days[key]) if days[key] > 0 else None

    counts: dict[str, int] = {}
    with transaction.atomic():
        if (c := cutoff("request_identity")) is not None:
            counts["request_identity"] = _anonymise_requests(
                ServiceRequest.objects.filter(status__in=FINISHED_STATUSES, finished_at__lt=c)
            )
        if (c := cutoff("complaint_identity")) is not None:
            counts["complaint_identity"] = _anonymise_complaints(
                Complaint.objects.filter(status__in=COMPLAINT_CLOSED, closed_at__lt=c)
            )
        if (c := cutoff("survey_comment")) is not None:
            counts["survey_comment"] = (
                SurveyResponse.objects.filter(submitted_at__lt=c)
                .exclude(comment="")
                .update(comment="")
            )
        if (c := cutoff("consultation_contact")) is not None:
            # The comment and the unit's answer stay: they are the consultation's public record.
            counts["consultation_contact"] = (
                ConsultationComment.objects.filter(submitted_at__lt=c)
                .filter(~Q(name="") | ~Q(contact=""))
                .update(name="", contact="")
            )
        if (c := cutoff("client_hash")) is not None:
            counts["client_hash"] = (
                SurveyResponse.objects.filter(submitted_at__lt=c)
                .exclude(client_hash="")
                .update(client_hash="")
                + Complaint.objects.filter(submitted_at__lt=c)
                .exclude(client_hash="")
                .update(client_hash="")
                + PrivacyRequest.objects.filter(received_at__lt=c)
                .exclude(client_hash="")
                .update(client_hash="")
            )
        if (c := cutoff("rate_counter")) is not None:
            counts["rate_counter"] = _prune_rate_counters(c)
        if (c := cutoff("tracking_lookup")) is not None:
            counts["tracking_lookup"] = TrackingLookup.objects.filter(
                day__lt=timezone.localdate(c)
            ).delete()[0]
        if (c := cutoff("privacy_export")) is not None:
            counts["privacy_export"] = PrivacyRequest.objects.filter(
                resolved_at__lt=c, export__isnull=False
            ).update(export=None)
        if (c := cutoff("privacy_unmatched")) is not None:
            counts["privacy_unmatched"] = PrivacyRequest.objects.filter(
                matched=False, due_at__lt=c
            ).delete()[0]
        if (c := cutoff("privacy_request")) is not None:
            counts["privacy_request"] = PrivacyRequest.objects.filter(
                matched=True, resolved_at__lt=c
            ).delete()[0]
        audit_record(actor=actor, action="privacy.retention", data={"counts": counts}, at=now)
    return counts


def _prune_rate_counters(cutoff: datetime) -> int:
    """Counters hold the raw client address in their key; drop windows that ended before
    `cutoff`. A bucket is `epoch seconds // window`, and the window is the scope's own."""
    from sigap.throttling.ratelimit import limits

    moment = cutoff.timestamp()
    deleted = 0
    for scope, (_limit, window) in limits().items():
        deleted += RateCounter.objects.filter(
            key__startswith=f"{scope}:", bucket__lt=int(moment // max(1, window)) - 1
        ).delete()[0]
    return deleted


# --- breaches ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class BreachFacts:
    title: str
    discovered_at: datetime
    how: str
    data_categories: str
    subjects_count: int
    measures: str
    occurred_at: datetime | None = None
    contact: str = ""
    public_notice: bool = False


def breach_record(
    *, unit: Unit, user: User, facts: BreachFacts, now: datetime | None = None
) -> Breach:
    """Enter a breach in the register; by a handler over `unit` (`_authorise`)."""
    _authorise(user, unit)
    now = now or timezone.now()
    if facts.discovered_at > now:
        raise ValidationError({"discovered_at": _("The discovery cannot be in the future.")})
    if facts.occurred_at and facts.occurred_at > facts.discovered_at:
        raise ValidationError({"occurred_at": _("A breach cannot occur after it was discovered.")})
    with transaction.atomic():
        breach = Breach.objects.create(
            unit=unit,
            title=facts.title,
            discovered_at=facts.discovered_at,
            occurred_at=facts.occurred_at,
            how=facts.how,
            data_categories=facts.data_categories,
            subjects_count=facts.subjects_count,
            measures=facts.measures,
            contact=facts.contact,
            public_notice=facts.public_notice,
            recorded_by=user,
            recorded_at=now,
        )
        audit_record(
            actor=user,
            action="privacy.breach",
            obj=breach,
            data={"subjects": facts.subjects_count, "due": breach.notice_due.isoformat()},
            at=now,
        )
    return breach


def breach_mark_notified(
    *, breach: Breach, user: User, recipient: str, now: datetime | None = None
) -> Breach:
    """Record that the written notice went to the data subjects or to the PDP authority; by a
    handler over the breach's unit (`_authorise`)."""
    field = {"subjects": "subjects_notified_at", "authority": "authority_notified_at"}.get(
        recipient
    )
    if field is None:
        raise ValidationError(_("Unknown recipient."))
    now = now or timezone.now()
    with transaction.atomic():
        breach = (
            Breach.objects.select_for_update(of=("self",)).select_related("unit").get(pk=breach.pk)
        )
        _authorise(user, breach.unit)
        if getattr(breach, field) is not None:
            raise ValidationError(_("This notice was already recorded."))
        setattr(breach, field, now)
        breach.save(update_fields=[field])
        audit_record(
            actor=user,
            action="privacy.breach_notified",
            obj=breach,
            data={"recipient": recipient, "late": now > breach.notice_due},
            at=now,
        )
    return breach
