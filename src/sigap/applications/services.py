"""`application_submit`: an online application becomes a request, its answers and its files, in
one transaction, once.

Public by design (the applicant has no account): abuse is held back by the view's rate limits
and by the per-NIK limit here. The request enters the officers' queue with channel `online`
through `service_request_submit`, the same write function as the counter's.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from sigap.applications.models import OnlineApplication
from sigap.catalogue.models import Service, ServiceStandard
from sigap.catalogue.requirements import Kind, Requirement, parse_requirements
from sigap.documents.models import Purpose
from sigap.documents.services import (
    document_store,
    max_bytes,
    refusal_message,
    retention_days,
)
from sigap.documents.sniff import Refused, clean
from sigap.privacy.categories import application_notice
from sigap.rules.nik import InvalidNik, parse_nik
from sigap.service_requests.models import Channel, ServiceRequest
from sigap.service_requests.services import Applicant, nik_hash, service_request_submit

PER_NIK_PER_DAY = 5
"""Online applications one NIK may make in 24 hours: a family applies for a few services, a
script with a stolen NIK does not get further."""
PHONE = re.compile(r"^(\+62|62|0)8[0-9]{7,12}$")


@dataclass(frozen=True)
class Upload:
    name: str
    data: bytes
    too_large: bool = False
    """The file was larger than the limit and was not read (`data` is empty): refused as such."""


def upload_refusal(upload: Upload) -> str:
    """Why a file cannot be accepted (the sender's message), or "" when it can."""
    if upload.too_large:
        return refusal_message(Refused("too_large"))
    try:
        clean(upload.data, upload.name, max_bytes=max_bytes())
    except Refused as refused:
        return refusal_message(refused)
    return ""


@dataclass
class Application:
    name: str
    nik: str
    phone: str
    email: str
    kecamatan: str
    desa: str = ""
    answers: dict[str, str] = field(default_factory=dict)
    """requirement key → typed value (fields) or "1" (statements declared)"""
    uploads: dict[str, Upload] = field(default_factory=dict)
    """requirement key → the file"""
    consent: bool = False


def standard_now(service: Service, at: datetime | None = None) -> ServiceStandard | None:
    """The standard an application made at `at` (default: now) is judged against."""
    return service.standard_on(timezone.localtime(at or timezone.now()).date())


def consent_text(service: Service) -> str:
    """The privacy notice the form shows above its consent box, with this service's document
    retention period; stored with the application as what the applicant agreed to."""
    return application_notice(retention_days(service))


def normalise_phone(value: str) -> str:
    return re.sub(r"[\s\-().]", "", value)


def _validate(app: Application, requirements: list[Requirement]) -> dict[str, str]:
    errors: dict[str, str] = {}
    if not app.name.strip():
        errors["name"] = _("Write your name as on your KTP.")
    try:
        parse_nik(app.nik)
    except InvalidNik:
        errors["nik"] = _("This NIK is not valid: check the 16 digits on your KTP or KK.")
    phone, email = normalise_phone(app.phone), app.email.strip()
    if not phone and not email:
        errors["phone"] = _("Give a WhatsApp number or an e-mail address, so we can tell you.")
    if phone and not PHONE.match(phone):
        errors["phone"] = _("Write a mobile number such as 0812 3456 7890.")
    if email:
        try:
            validate_email(email)
        except ValidationError:
            errors["email"] = _("This is not an e-mail address.")
    if not app.kecamatan.strip():
        errors["kecamatan"] = _("Write your kecamatan.")
    if not app.consent:
        errors["consent"] = _("We can only process your application with your consent.")
    for req in requirements:
        key = f"req_{req.key}"
        if req.kind is Kind.DOCUMENT:
            upload = app.uploads.get(req.key)
            if upload is None or not (upload.data or upload.too_large):
                if not req.optional:
                    errors[key] = _("Upload this document.")
                continue
            refusal = upload_refusal(upload)
            if refusal:
                errors[key] = refusal
        elif req.kind is Kind.FIELD:
            if not app.answers.get(req.key, "").strip() and not req.optional:
                errors[key] = _("Fill this in.")
        elif not app.answers.get(req.key) and not req.optional:
            errors[key] = _("Declare this to apply online, or apply at the counter.")
    return errors


def application_submit(
    *, service: Service, application: Application, idempotency_key: str, consent_text: str,
    at: datetime | None = None, standard: ServiceStandard | None = None,
) -> tuple[ServiceRequest, bool]:  # fmt: skip
    """Make the request of an online application; returns it and whether it is new (False: the
    same form was sent before, and that request is returned). `standard`: the one in force, when
    the caller has read it already (the form was made from it)."""
    if not re.fullmatch(r"[A-Za-z0-9_-]{16,64}", idempotency_key or ""):
        raise ValidationError({"key": _("The form expired: open it again.")})
    existing = OnlineApplication.objects.filter(idempotency_key=idempotency_key).first()
    if existing is not None:
        return existing.request, False
    at = at or timezone.now()
    standard = standard or standard_now(service, at)
    if standard is None:
        raise ValidationError({"service": _("This service cannot be applied for online today.")})
    requirements = parse_requirements(standard.requirements)
    errors = _validate(application, requirements)
    if errors:
        raise ValidationError(errors)
    digest = nik_hash(parse_nik(application.nik).value)
    recent = OnlineApplication.objects.filter(
        request__applicant_nik_hash=digest, consent_at__gte=at - timedelta(days=1)
    ).count()
    if recent >= PER_NIK_PER_DAY:
        raise ValidationError(
            {"nik": _("This NIK has made %(n)s online applications today; come back tomorrow "
                      "or apply at the counter.") % {"n": recent}}
        )  # fmt: skip
    phone = normalise_phone(application.phone)
    email = application.email.strip()
    answers: dict[str, object] = {
        r.key: (application.answers.get(r.key, "").strip()[:500] if r.kind is Kind.FIELD else True)
        for r in requirements
        if r.kind is not Kind.DOCUMENT and application.answers.get(r.key)
    }
    if phone and email:
        answers["_email"] = email
    try:
        with transaction.atomic():
            request = service_request_submit(
                service=service,
                applicant=Applicant(
                    name=application.name.strip()[:200],
                    contact=phone or email,
                    region_kecamatan=application.kecamatan.strip()[:100],
                    region_desa=application.desa.strip()[:100],
                    nik=application.nik,
                ),
                channel=Channel.ONLINE,
                submitted_at=at,
                standard=standard,
            )
            OnlineApplication.objects.create(
                request=request,
                idempotency_key=idempotency_key,
                consent_at=at,
                consent_text=consent_text,
                answers=answers,
            )
            for req in requirements:
                upload = application.uploads.get(req.key)
                if req.kind is Kind.DOCUMENT and upload is not None and upload.data:
                    document_store(
                        request=request,
                        purpose=Purpose.REQUIREMENT,
                        data=upload.data,
                        filename=upload.name,
                        requirement=req.name,
                    )
    except IntegrityError:
        # The same form, sent twice at the same moment: the other one won; its request is ours.
        existing = OnlineApplication.objects.filter(idempotency_key=idempotency_key).first()
        if existing is None:
            raise
        return existing.request, False
    return request, True
