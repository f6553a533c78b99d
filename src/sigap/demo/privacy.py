"""The demo's PDP rows: the agency's data-protection officer and a few citizens' data requests.

Written through the ORM without the audit trail, like the rest of the demo's history (the
trail is never deleted, and `sigap demo --rebuild` must be able to wipe what it built).
Deterministic: the same seed and end date give the same rows.
"""

from __future__ import annotations

import random
from datetime import date, datetime, time, timedelta

from django.utils import timezone

from sigap.organisation.models import Agency, Unit
from sigap.privacy import conf
from sigap.privacy.models import (
    Breach,
    DataProtectionOfficer,
    Kind,
    PrivacyRequest,
    RequestStatus,
    SubjectType,
)
from sigap.privacy.services import REFERENCE_LENGTH, reference_hash
from sigap.service_requests.models import FINISHED_STATUSES, ServiceRequest
from sigap.service_requests.services import RECEIPT_ALPHABET

OFFICER = {
    "name": "Pejabat Pelindungan Data Pribadi, Dinas Komunikasi dan Informatika",
    "email": "ppdp@sukamaju.go.id",
    "phone": "(0263) 555-0127",
    "address": "Jl. Raya Sukamaju No. 1",
}

# (kind, days before the end date it arrived, status); the 2nd is past its deadline.
REQUESTS = (
    (Kind.ACCESS, 0, RequestStatus.RECEIVED),
    (Kind.CORRECTION, 5, RequestStatus.RECEIVED),
    (Kind.DELETION, 20, RequestStatus.REFUSED),
)


def wipe_privacy(*, agency_ids: list[int]) -> None:
    """Delete the demo's PDP rows (call before deleting requests, units and agencies)."""
    units = Unit.objects.filter(agency_id__in=agency_ids)
    PrivacyRequest.objects.filter(unit__in=units).delete()
    Breach.objects.filter(unit__in=units).delete()
    DataProtectionOfficer.objects.filter(agency_id__in=agency_ids).delete()


def build_privacy(*, seed: int, until: date, agency: Agency) -> list[str]:
    """Create the DPO and the requests; returns the citizens' references (for the demo log)."""
    DataProtectionOfficer.objects.update_or_create(agency=agency, defaults=OFFICER)
    rng = random.Random(seed * 31 + 27)
    hours = conf.request_hours()
    candidates = list(
        ServiceRequest.objects.filter(unit__agency=agency, status__in=FINISHED_STATUSES)
        .exclude(applicant_contact="")
        .order_by("id")
        .values_list("id", "unit_id")[:200]
    )
    references = []
    tz = timezone.get_current_timezone()
    for (kind, days_ago, status), (request_id, unit_id) in zip(
        REQUESTS, rng.sample(candidates, k=min(len(REQUESTS), len(candidates))), strict=False
    ):
        reference = "".join(rng.choice(RECEIPT_ALPHABET) for _ in range(REFERENCE_LENGTH))
        received = datetime.combine(until - timedelta(days=days_ago), time(8, 30), tzinfo=tz)
        resolved = received + timedelta(hours=30) if status != RequestStatus.RECEIVED else None
        PrivacyRequest.objects.create(
            reference_hash=reference_hash(reference),
            kind=kind,
            subject_type=SubjectType.REQUEST,
            service_request_id=request_id,
            unit_id=unit_id,
            matched=True,
            details="Nama saya salah ketik di tanda terima." if kind == Kind.CORRECTION else "",
            status=status,
            received_at=received,
            due_at=received + timedelta(hours=hours[kind]),
            resolved_at=resolved,
            answer=(
                "Data permohonan ini masih wajib disimpan sebagai arsip layanan sampai masa "
                "retensinya berakhir."
                if status == RequestStatus.REFUSED
                else ""
            ),
        )
        references.append(reference)
    return references
