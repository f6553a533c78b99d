"""PDP reads: the staff queue, the breach register and the copy of a citizen's data."""

from __future__ import annotations

from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from django.db.models import QuerySet
from django.utils import timezone, translation
from django.utils.text import capfirst
from django.utils.translation import gettext as _

from sigap.access import Action, scoped
from sigap.complaints.models import Complaint
from sigap.payments.selectors import paid_amount
from sigap.privacy import conf
from sigap.privacy.models import Breach, DataProtectionOfficer, PrivacyRequest, RequestStatus
from sigap.service_requests.models import ServiceRequest
from sigap.surveys.models import SurveyResponse
from sigap.web import formatting

if TYPE_CHECKING:
    from sigap.access import AnyUser


def officer() -> conf.Officer:
    """The DPO named on the public pages: the agency's record, else the SIGAP_PRIVACY_DPO
    setting. sigap serves one agency per installation; the first agency with a DPO is it."""
    row = DataProtectionOfficer.objects.select_related("agency").order_by("agency_id").first()
    if row is not None:
        return conf.Officer(row.name, row.email, row.phone, row.address)
    return conf.settings_officer()


def request_queue(user: AnyUser, *, overdue_only: bool = False) -> QuerySet[PrivacyRequest]:
    """Matched requests about units in the user's scope, open ones first by deadline."""
    qs = scoped(
        user, Action.PRIVACY_HANDLE, PrivacyRequest.objects.filter(matched=True)
    ).select_related("unit", "service_request", "complaint")
    if overdue_only:
        qs = qs.filter(status=RequestStatus.RECEIVED, due_at__lt=timezone.now())
    return qs.order_by("-status", "due_at")  # "received" sorts after "fulfilled"/"refused"


def request_for_user(user: AnyUser, pk: int) -> PrivacyRequest | None:
    return request_queue(user).filter(pk=pk).first()


def breaches(user: AnyUser) -> QuerySet[Breach]:
    return scoped(user, Action.PRIVACY_HANDLE, Breach.objects.select_related("unit"))


def breach_for_user(user: AnyUser, pk: int) -> Breach | None:
    return breaches(user).filter(pk=pk).first()


def _when(value: datetime | None) -> str:
    if value is None:
        return ""
    return formatting.long_datetime(value)


def subject_export(subject: ServiceRequest | Complaint, *, at: datetime) -> dict[str, Any]:
    """Everything sigap holds about one receipt, for an access request (UU 27/2022 Pasal 32):
    labelled rows in Bahasa Indonesia, the language of the copy handed to the citizen."""
    with translation.override("id"):
        sections = (
            _request_sections(subject)
            if isinstance(subject, ServiceRequest)
            else _complaint_sections(subject)
        )
        return {"made_at": _when(at), "receipt": subject.receipt_code, "sections": sections}


def _rows(obj: Any, fields: tuple[str, ...]) -> list[list[str]]:
    rows = []
    for name in fields:
        field = obj._meta.get_field(name)
        display = getattr(obj, f"get_{name}_display", None)
        value = display() if callable(display) else getattr(obj, name)
        if isinstance(value, datetime):
            value = _when(value)
        elif isinstance(value, date):
            value = formatting.long_date(value)
        elif value is None:
            value = ""
        elif isinstance(value, bool):
            value = _("yes") if value else _("no")
        rows.append([capfirst(str(field.verbose_name)), str(value)])
    return rows


REQUEST_FIELDS = (
    "receipt_code", "channel", "applicant_name", "applicant_contact", "applicant_nik_masked",
    "region_kecamatan", "region_desa", "applicant_gender", "applicant_disability",
    "applicant_age_band", "status", "submitted_at", "due_date", "finished_at",
)  # fmt: skip
SURVEY_FIELDS = ("submitted_at", "comment", "gender", "age_band", "education", "occupation")
COMPLAINT_FIELDS = (
    "receipt_code", "category", "channel", "description", "is_anonymous", "is_confidential",
    "reporter_name", "reporter_contact", "address", "status", "submitted_at", "closed_at",
)  # fmt: skip


def _request_sections(sr: ServiceRequest) -> list[dict[str, Any]]:
    sections: list[dict[str, Any]] = [
        {
            "title": _("Service request"),
            "rows": [
                [_("Service"), sr.service.name],
                [_("Unit"), sr.unit.name],
                *_rows(sr, REQUEST_FIELDS),
                # What the reconciled payments show (sigap.payments), not a typed figure.
                [_("Amount paid"), formatting.money(paid_amount(sr))],
            ],
        },
        {
            "title": _("Steps of the request"),
            "rows": [
                [_when(e.timestamp), f"{e.activity} — {e.get_outcome_display()}"]
                for e in sr.events.order_by("seq")
            ],
        },
    ]
    survey = SurveyResponse.objects.filter(service_request=sr).first()
    if survey is not None:
        sections.append(
            {"title": _("Your satisfaction survey"), "rows": _rows(survey, SURVEY_FIELDS)}
        )
    looked = sr.tracking_lookups.count()
    sections.append(
        {"title": _("Tracking look-ups"), "rows": [[_("Days with look-ups"), str(looked)]]}
    )
    return sections


def _complaint_sections(c: Complaint) -> list[dict[str, Any]]:
    return [
        {
            "title": _("Complaint"),
            "rows": [[_("Unit"), c.unit.name], *_rows(c, COMPLAINT_FIELDS)],
        },
        {
            "title": _("Steps of the complaint"),
            "rows": [
                [_when(e.timestamp), e.note if e.public and e.note else e.get_to_status_display()]
                for e in c.events.order_by("seq")
            ],
        },
    ]
