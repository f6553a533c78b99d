"""Every write of documents: store an upload, attach a product, hand a file out, retention.

Authorisation is checked here (`sigap.access`), whoever calls. A file is written before its row
and removed again if the row cannot be written; a transaction rolled back later by a caller
leaves an orphan file that `sigap documents sweep` removes (a file without a row is never served).
"""

from __future__ import annotations

import hashlib
import operator
import unicodedata
from datetime import date, timedelta
from functools import reduce
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from sigap.access import Action, can
from sigap.audit.services import audit_record
from sigap.catalogue.models import Service
from sigap.documents import storage
from sigap.documents.models import Document, Purpose
from sigap.documents.sniff import Refused, clean
from sigap.service_requests.models import FINISHED_STATUSES, ServiceRequest, Status


def max_bytes() -> int:
    return int(getattr(settings, "SIGAP", {}).get("DOCUMENT_MAX_MB", 5)) * 1024 * 1024


def retention_days(service: Service | None = None) -> int:
    """Days after a request is finished before its documents are deleted: the service's own
    period when it sets one, else the agency default (SIGAP_DOCUMENT_RETENTION_DAYS). The one
    answer for the retention job, the application form's consent and the service's public
    page; without a service, the default."""
    return _period_days(service.document_retention_days if service is not None else None)


def _period_days(period: int | None) -> int:
    """A service's stored period (None: it sets none) as the days that apply."""
    return period or int(getattr(settings, "SIGAP", {}).get("DOCUMENT_RETENTION_DAYS", 365))


def refusal_message(refused: Refused) -> str:
    """The reason a file was refused, for the person who sent it."""
    messages = {
        "empty": _("The file is empty."),
        "too_large": _("The file is larger than %(mb)s MB.") % {"mb": max_bytes() // (1024 * 1024)},
        "not_allowed": _("Only PDF, JPEG or PNG files are accepted."),
        "name_mismatch": _(
            "The file's content does not match its name (.%(ext)s): choose the right file."
        )
        % {"ext": refused.detail},
        "pdf_broken": _("The PDF is damaged or incomplete."),
        "pdf_active": _(
            "PDFs with scripts, automatic actions or embedded files are not accepted: "
            "save or print it to PDF again."
        ),
        "image_broken": _("The image cannot be read."),
    }
    return messages.get(refused.reason, _("The file cannot be accepted."))


def safe_name(name: str) -> str:
    """The sender's file name, kept for display: no path, no control characters, short."""
    base = name.replace("\\", "/").rsplit("/", 1)[-1]
    base = "".join(ch for ch in base if unicodedata.category(ch)[0] != "C").strip()
    return (base or "berkas")[:200]


def document_store(
    *,
    request: ServiceRequest,
    purpose: str,
    data: bytes,
    filename: str,
    requirement: str = "",
    user: Any = None,
    limit: int | None = None,
) -> Document:
    """Check and store one file of `request`. Callers authorise (the public application form
    for the applicant; `document_attach_product` for staff). `limit`: the largest size
    accepted, when not `max_bytes()` (a product signed by sigap: the signature adds to it)."""
    if purpose not in Purpose.values:
        raise ValidationError({"purpose": _("Unknown purpose “%s”.") % purpose})
    try:
        checked = clean(data, filename, max_bytes=limit or max_bytes())
    except Refused as refused:
        raise ValidationError({"file": refusal_message(refused)}) from None
    stored = storage.write(checked.data)
    try:
        with transaction.atomic():
            return Document.objects.create(
                request=request,
                purpose=purpose,
                requirement=requirement.strip()[:300],
                kind=checked.kind.value,
                size=len(checked.data),
                sha256=hashlib.sha256(checked.data).hexdigest(),
                original_name=safe_name(filename),
                stored_name=stored,
                uploaded_at=timezone.now(),
                uploaded_by=user if getattr(user, "is_authenticated", False) else None,
            )
    except BaseException:
        storage.remove(stored)
        raise


def _authorise(user: Any, action: Action, request: ServiceRequest) -> None:
    if not can(user, action, request.unit):
        raise PermissionDenied(_("You may not do this for the requests of this unit."))


def document_attach_product(
    *, request: ServiceRequest, user: Any, data: bytes, filename: str, limit: int | None = None
) -> Document:
    """An officer attaches the product of the service (e.g. the signed PDF) to a request."""
    _authorise(user, Action.REQUEST_PROCESS, request)
    if request.status == Status.REJECTED:
        raise ValidationError({"file": _("A rejected request has no product.")})
    with transaction.atomic():
        doc = document_store(
            request=request,
            purpose=Purpose.PRODUCT,
            data=data,
            filename=filename,
            user=user,
            limit=limit,
        )
        audit_record(
            actor=user,
            action="document.attach",
            obj=doc,
            unit=request.unit,
            data={"request": request.receipt_code, "purpose": doc.purpose, "size": doc.size},
        )
    return doc


def document_open(*, document: Document, user: Any) -> Path:
    """The path of a document's bytes for `user`, who must be allowed to read the request;
    every hand-out is on the audit trail."""
    _authorise(user, Action.REQUEST_VIEW, document.request)
    return document_hand_out(document=document, actor=user)


def document_hand_out(*, document: Document, actor: Any) -> Path:
    """The path of a document's bytes, the hand-out on the audit trail as `actor`'s. The caller
    has decided that `actor` may have it (`document_open` for staff; the applicant's own link
    for the products of their request)."""
    if document.deleted_at is not None:
        raise ValidationError({"file": _("This file was deleted after its retention period.")})
    path = storage.path_of(document.stored_name)
    if not path.exists():
        raise ValidationError({"file": _("This file is missing from the document store.")})
    audit_record(
        actor=actor,
        action="document.download",
        obj=document,
        unit=document.request.unit,
        data={"request": document.request.receipt_code, "purpose": document.purpose},
    )
    return path


def _due(today: date) -> Q:
    """The documents past their period on `today`, as one condition: each period the services
    use (their own, or none: the default) with its own cutoff, so a single query finds them all
    whatever the number of services."""
    periods: set[int | None] = set(
        Service.objects.values_list("document_retention_days", flat=True).distinct()
    )
    periods.add(None)  # the default always applies (requests of services without a period)

    def past(period: int | None) -> Q:
        of_services = (
            Q(request__service__document_retention_days__isnull=True)
            if period is None
            else Q(request__service__document_retention_days=period)
        )
        cutoff = today - timedelta(days=_period_days(period))
        return of_services & Q(request__finished_at__date__lt=cutoff)

    return reduce(operator.or_, (past(p) for p in sorted(periods, key=lambda p: p or 0)))


def document_retention(*, today: date | None = None) -> int:
    """Delete the bytes of documents of requests finished more than their service's retention
    period ago (`retention_days(service)`; a system job: no user); the rows stay as the record.
    Returns how many were deleted."""
    today = today or timezone.localdate()
    due = Document.objects.filter(
        _due(today), deleted_at__isnull=True, request__status__in=FINISHED_STATUSES
    ).select_related("request__unit", "request__service")
    count = 0
    for doc in due.iterator():
        with transaction.atomic():
            storage.remove(doc.stored_name)
            doc.deleted_at = timezone.now()
            doc.save(update_fields=["deleted_at"])
            audit_record(
                actor="sigap documents retention",
                action="document.delete",
                obj=doc,
                unit=doc.request.unit,
                data={
                    "request": doc.request.receipt_code,
                    "reason": "retention",
                    "days": retention_days(doc.request.service),
                },
            )
        count += 1
    return count


def document_sweep() -> int:
    """Remove files that have no live row (a caller's transaction rolled back after the file
    was written, or a row deleted): they are never served, and should not be kept."""
    live = (
        set(Document.objects.filter(deleted_at__isnull=True).values_list("stored_name", flat=True))
        | storage.owned_elsewhere()
    )
    # An hour old at least: a file written a moment ago may belong to a row not committed yet.
    orphans = storage.stored_names(older_than_seconds=3600) - live
    for name in orphans:
        storage.remove(name)
    return len(orphans)
