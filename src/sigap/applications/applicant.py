"""What the applicant does on their own page (no password, a signed link): send back a returned
file with the missing document or a corrected field, download the product, and ask for the link
again.

The holder of the link is the applicant as far as sigap can tell (the link only ever goes to the
contact they gave), so these functions take the request the link names; they check the request's
state, never a user. Every write is one transaction: the files, the corrected answers, the
`resumed` event (the SLA clock runs again) and the audit entry land together or not at all.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from sigap.applications.models import OnlineApplication
from sigap.applications.services import Upload, upload_refusal
from sigap.audit.services import audit_record
from sigap.catalogue.requirements import Kind, Requirement, parse_requirements
from sigap.documents.models import Document, Purpose
from sigap.documents.services import document_hand_out, document_store
from sigap.notifications.models import Outbox
from sigap.notifications.services import notify
from sigap.rules.contact import contact_matches
from sigap.service_requests.models import ServiceRequest, Status
from sigap.service_requests.services import normalise_receipt_code, service_request_resume

ACTOR = "applicant (own link)"
"""The audit trail's actor for what the link's holder does: no account, no name."""

LINKS_PER_REQUEST_PER_DAY = 3
LINKS_PER_NIK_PER_DAY = 5
"""New links a request, and all the requests of one NIK, may be sent in 24 hours: enough for a
lost message or two, too few to flood a citizen's phone from the resend form."""


@dataclass
class Fix:
    """What the applicant sends back: requirement key → a file, or → a corrected field."""

    uploads: dict[str, Upload] = field(default_factory=dict)
    answers: dict[str, str] = field(default_factory=dict)


def requirements_of_request(request: ServiceRequest) -> list[Requirement]:
    """The requirements of the standard the request was made under (not today's standard)."""
    return parse_requirements(request.standard.requirements)


def current_answers(request: ServiceRequest) -> dict[str, str]:
    online = OnlineApplication.objects.filter(request=request).first()
    if online is None:
        return {}
    return {k: v for k, v in online.answers.items() if isinstance(v, str) and not k.startswith("_")}


def _validate_fix(
    fix: Fix, requirements: list[Requirement], before: dict[str, str]
) -> dict[str, str]:
    errors: dict[str, str] = {}
    changed = False
    for req in requirements:
        key = f"req_{req.key}"
        if req.kind is Kind.DOCUMENT:
            upload = fix.uploads.get(req.key)
            if upload is None:
                continue
            refusal = upload_refusal(upload)
            if refusal:
                errors[key] = refusal
            else:
                changed = True
        elif req.kind is Kind.FIELD and req.key in fix.answers:
            value = fix.answers[req.key].strip()
            if not value and not req.optional:
                errors[key] = _("Fill this in.")
            elif value != before.get(req.key, ""):
                changed = True
    if not errors and not changed:
        errors["fix"] = _(
            "Upload the missing document or correct a field, then send it back to the officer."
        )
    return errors


def applicant_fix(
    *, request: ServiceRequest, fix: Fix, at: datetime | None = None
) -> ServiceRequest:
    """The applicant sends back a returned file: the new documents are stored, the corrected
    fields replace the old answers, and the request resumes (`resumed`, no officer) at the step
    the officer returned it to. Raises ValidationError naming the field, or `status` when the
    request is not (or no longer) waiting for a correction."""
    at = at or timezone.now()
    requirements = requirements_of_request(request)
    with transaction.atomic():
        locked = ServiceRequest.objects.select_for_update(of=("self",)).get(pk=request.pk)
        if locked.status != Status.RETURNED:
            # Also the second of two clicks: the first one already sent the file back.
            raise ValidationError(
                {"status": _("This request is not waiting for a correction from you (it is "
                             "“%(status)s”).") % {"status": locked.get_status_display()}}
            )  # fmt: skip
        before = current_answers(locked)
        errors = _validate_fix(fix, requirements, before)
        if errors:
            raise ValidationError(errors)
        names: list[str] = []
        for req in requirements:
            upload = fix.uploads.get(req.key)
            if req.kind is Kind.DOCUMENT and upload is not None:
                document_store(
                    request=locked,
                    purpose=Purpose.REQUIREMENT,
                    data=upload.data,
                    filename=upload.name,
                    requirement=req.name,
                )
                names.append(req.name)
        corrected = {
            r.key: fix.answers[r.key].strip()[:500]
            for r in requirements
            if r.kind is Kind.FIELD
            and r.key in fix.answers
            and fix.answers[r.key].strip() != before.get(r.key, "")
        }
        names += [r.name for r in requirements if r.key in corrected]
        online = OnlineApplication.objects.select_for_update().filter(request=locked).first()
        if online is not None and corrected:
            online.answers = {**online.answers, **corrected}
            online.save(update_fields=["answers"])
        # The note is event-log data, read by officers: in the domain's language like the steps.
        with translation.override("id"):
            note = _("Corrected online by the applicant: %(what)s") % {"what": "; ".join(names)}
        if online is None and corrected:  # a counter request has no answers to keep: the note does
            note += " — " + "; ".join(f"{r.name}: {corrected[r.key]}" for r in requirements
                                      if r.key in corrected)  # fmt: skip
        resumed = service_request_resume(request=locked, note=note, at=at)
        audit_record(
            actor=ACTOR,
            action="request.applicant_fix",
            obj=resumed,
            unit=resumed.unit,
            data={"request": resumed.receipt_code, "documents": len(fix.uploads),
                  "fields": sorted(corrected)},
        )  # fmt: skip
    return resumed


def product_open(*, request: ServiceRequest, document_id: int) -> tuple[Document, Path]:
    """A product of the link's request, for the applicant to download; every hand-out is on the
    audit trail. Only products (not the files the applicant sent, nor another request's)."""
    document = (
        Document.objects.filter(pk=document_id, request=request, purpose=Purpose.PRODUCT)
        .select_related("request__unit")
        .first()
    )
    if document is None:
        raise ValidationError({"file": _("This file is not a product of your request.")})
    path = document_hand_out(document=document, actor=ACTOR)
    return document, path


def link_resend(*, receipt: str, contact: str, at: datetime | None = None) -> bool:
    """Queue a new link to the request's own contact when `receipt` and `contact` match it.

    Returns whether a message was queued; the page answers the same either way, so the form
    tells a stranger nothing about which codes and numbers go together. A request gets at most
    LINKS_PER_REQUEST_PER_DAY new links a day, and one NIK's requests LINKS_PER_NIK_PER_DAY.
    """
    at = at or timezone.now()
    code = normalise_receipt_code(receipt)[:20]
    request = (
        ServiceRequest.objects.filter(receipt_code=code).select_related("service").first()
        if code
        else None
    )
    contacts = [request.applicant_contact] if request is not None else []
    if request is not None:
        online = OnlineApplication.objects.filter(request=request).first()
        extra = online.answers.get("_email") if online is not None else None
        if isinstance(extra, str):
            contacts.append(extra)
    # Compared even when nothing was found, so the time taken tells nothing either.
    matched = any([contact_matches(contact, stored) for stored in contacts or ["-"]])
    if request is None or not matched:
        return False
    since = at - timedelta(days=1)
    sent = Outbox.objects.filter(event="link", created_at__gte=since)
    if sent.filter(request=request).count() >= LINKS_PER_REQUEST_PER_DAY:
        return False
    if (
        request.applicant_nik_hash
        and sent.filter(request__applicant_nik_hash=request.applicant_nik_hash).count()
        >= LINKS_PER_NIK_PER_DAY
    ):
        return False
    with transaction.atomic():
        key = f"request:{request.receipt_code}:link:{time.time_ns()}"
        return notify(event="link", request=request, key=key)
