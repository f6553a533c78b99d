"""Complaints over the JSON API: submission and the public status by receipt code."""

from __future__ import annotations

from datetime import date
from typing import Literal

from django.http import Http404, HttpRequest
from django.utils import timezone
from ninja import Router, Schema, Status
from pydantic import ConfigDict

from sigap.api.errors import Error, RateLimited
from sigap.api.schemas import Code, Description, ReceiptCode, Text200
from sigap.complaints import selectors, services
from sigap.complaints.models import Category
from sigap.complaints.models import Status as ComplaintState
from sigap.complaints.views import reporter_url
from sigap.service_requests.services import normalise_receipt_code
from sigap.throttling import ratelimit

router = Router(tags=["complaints"])


class ComplaintIn(Schema):
    model_config = ConfigDict(extra="forbid")
    category: Literal["pungli", "diskriminasi", "lambat", "perilaku", "persyaratan", "lainnya"]
    description: Description
    service_code: Code | None = None
    receipt_code: ReceiptCode = ""
    officer_description: Text200 = ""
    anonymous: bool = False
    confidential: bool = False
    reporter_name: Text200 = ""
    reporter_contact: Text200 = ""


class StepOut(Schema):
    label: str
    on: date
    note: str


class ComplaintStatusOut(Schema):
    receipt_code: str
    category: str
    unit: str
    status: str
    status_label: str
    submitted_on: date
    due: date | None
    overdue: bool
    auto_close_on: date | None
    steps: list[StepOut]


class ComplaintCreatedOut(ComplaintStatusOut):
    """The public status plus the reporter's secret, returned once, only to the filer."""

    reporter_key: str
    reporter_url: str


def _status(code: str) -> ComplaintStatusOut:
    s = selectors.public_status(normalise_receipt_code(code)[:20])
    if s is None:
        raise Http404("No complaint has this receipt code.")
    return ComplaintStatusOut(
        receipt_code=s.receipt_code,
        category=s.category,
        unit=s.unit_name,
        status=s.status,
        status_label=s.status_label,
        submitted_on=s.submitted_on,
        due=s.due,
        overdue=s.overdue,
        auto_close_on=s.auto_close_on,
        steps=[StepOut(label=p.label, on=p.on, note=p.note) for p in s.steps],
    )


@router.post(
    "/complaints",
    response={201: ComplaintCreatedOut, 400: Error, 413: Error, 415: Error, 422: Error, 429: Error},
    summary="File a complaint (pengaduan)",
    description=(
        "The reply carries `reporter_key` and `reporter_url` once: the reporter's secret, the "
        "only thing that lets someone reply, accept or reopen as the reporter (the receipt "
        "code only shows the public status). Give it to the reporter; it cannot be read again."
    ),
)
def api_complaint_create(request: HttpRequest, payload: ComplaintIn) -> Status[ComplaintCreatedOut]:
    # The rate-limit hit is counted by the write itself (one statement with the rows).
    complaint = services.complaint_submit(
        category=payload.category,
        description=payload.description,
        reporter=services.Reporter(
            name=payload.reporter_name,
            contact=payload.reporter_contact,
            anonymous=payload.anonymous,
            confidential=payload.confidential,
        ),
        service=payload.service_code,
        receipt_code=payload.receipt_code,
        officer_description=payload.officer_description,
        channel="api",
        client_hash=ratelimit.client_hash(request, "complaint"),
        charge=ratelimit.charge(request, "complaint"),
    )
    # Built from the row just written: no second read on the hot path. Labels come from the
    # choices enums (get_FOO_display() rebuilds a dict of every lazy label on each call).
    submitted_on = timezone.localtime(complaint.submitted_at).date()
    status_label = str(ComplaintState(complaint.status).label)
    return Status(
        201,
        ComplaintCreatedOut(
            receipt_code=complaint.receipt_code,
            category=str(Category(complaint.category).label),
            unit=complaint.unit.name,
            status=complaint.status,
            status_label=status_label,
            submitted_on=submitted_on,
            due=complaint.verify_due,
            overdue=False,
            auto_close_on=None,
            steps=[StepOut(label=status_label, on=submitted_on, note="")],
            reporter_key=complaint.issued_reporter_key,
            reporter_url=reporter_url(request, complaint),
        ),
    )


@router.get(
    "/complaints/{code}",
    response={200: ComplaintStatusOut, 404: Error, 429: Error},
    summary="Public status of a complaint (no personal data)",
)
def api_complaint_status(request: HttpRequest, code: str) -> ComplaintStatusOut:
    decision = ratelimit.hit(request, "status")
    if not decision.allowed:
        raise RateLimited(decision.retry_after, decision.limit)
    return _status(code)
