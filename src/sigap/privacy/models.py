"""PDP records: the data-protection officer, citizens' data requests and the breach register."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from sigap.organisation.models import Agency, Unit

if TYPE_CHECKING:
    from sigap.complaints.models import Complaint
    from sigap.service_requests.models import ServiceRequest


class DataProtectionOfficer(models.Model):
    """The agency's data-protection officer (UU 27/2022 Pasal 53), named on every public form."""

    agency = models.OneToOneField(Agency, on_delete=models.CASCADE, related_name="privacy_officer")
    name = models.CharField(_("name or office"), max_length=200)
    email = models.EmailField(_("e-mail"), blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    address = models.CharField(_("address"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("data-protection officer")
        verbose_name_plural = _("data-protection officers")

    def __str__(self) -> str:
        return f"{self.name} ({self.agency})"


class Kind(models.TextChoices):
    ACCESS = "access", _("See my data (access and copy)")
    CORRECTION = "correction", _("Correct my data")
    DELETION = "deletion", _("Delete my data")
    WITHDRAWAL = "withdrawal", _("Withdraw my consent")


class SubjectType(models.TextChoices):
    REQUEST = "request", _("Service request")
    COMPLAINT = "complaint", _("Complaint")


class RequestStatus(models.TextChoices):
    RECEIVED = "received", _("Received")
    FULFILLED = "fulfilled", _("Fulfilled")
    REFUSED = "refused", _("Refused")


class PrivacyRequest(models.Model):
    """A citizen's request about their data, identified by a receipt code and a contact.

    The reference given to the citizen is a random secret: only its keyed hash is stored. A
    request whose receipt and contact did not match is kept too (`matched` false, no subject),
    so that the citizen's answer and the status page are the same either way until the deadline.
    """

    reference_hash = models.CharField(max_length=64, unique=True, editable=False)
    kind = models.CharField(_("request"), max_length=12, choices=Kind.choices)
    subject_type = models.CharField(
        _("about"), max_length=10, choices=SubjectType.choices, blank=True
    )
    service_request = models.ForeignKey(
        "service_requests.ServiceRequest",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="privacy_requests",
    )
    complaint = models.ForeignKey(
        "complaints.Complaint",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="privacy_requests",
    )
    # The unit of the data's subject: the queue is scoped by it. Empty when not matched.
    unit = models.ForeignKey(
        Unit, on_delete=models.PROTECT, null=True, blank=True, related_name="privacy_requests"
    )
    matched = models.BooleanField(_("receipt and contact matched"), default=False)
    details = models.TextField(_("details"), max_length=2000, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=RequestStatus.choices, default=RequestStatus.RECEIVED
    )
    received_at = models.DateTimeField(_("received at"))
    due_at = models.DateTimeField(_("answer due by"))
    resolved_at = models.DateTimeField(_("answered at"), null=True, blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    answer = models.TextField(_("answer to the citizen"), blank=True)
    # The copy of the data handed over for an access request (removed by the retention job).
    export = models.JSONField(_("copy of the data"), null=True, blank=True, editable=False)
    client_hash = models.CharField(max_length=32, blank=True, editable=False)

    class Meta:
        verbose_name = _("personal data request")
        verbose_name_plural = _("personal data requests")
        indexes = [
            models.Index(fields=["matched", "status", "due_at"]),
            models.Index(fields=["unit", "status"]),
        ]

    def __str__(self) -> str:
        return f"PDP #{self.pk} {self.kind}"

    @property
    def subject(self) -> ServiceRequest | Complaint | None:
        return self.service_request or self.complaint

    def is_overdue(self, now: datetime) -> bool:
        return self.status == RequestStatus.RECEIVED and now > self.due_at


class Breach(models.Model):
    """A personal-data breach (kegagalan pelindungan data pribadi) and its notices (Pasal 46)."""

    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="privacy_breaches")
    title = models.CharField(_("short title"), max_length=200)
    discovered_at = models.DateTimeField(_("discovered at"))
    occurred_at = models.DateTimeField(_("occurred at (if known)"), null=True, blank=True)
    how = models.TextField(_("how the data was exposed"), max_length=4000)
    data_categories = models.TextField(_("which personal data"), max_length=2000)
    subjects_count = models.PositiveIntegerField(_("number of data subjects affected"))
    measures = models.TextField(_("measures taken and planned"), max_length=4000)
    contact = models.CharField(_("contact for the data subjects"), max_length=300, blank=True)
    public_notice = models.BooleanField(_("the public must be told as well"), default=False)
    subjects_notified_at = models.DateTimeField(
        _("data subjects notified at"), null=True, blank=True
    )
    authority_notified_at = models.DateTimeField(
        _("PDP authority notified at"), null=True, blank=True
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    recorded_at = models.DateTimeField(_("recorded at"))

    class Meta:
        verbose_name = _("personal data breach")
        verbose_name_plural = _("personal data breaches")
        ordering = ["-discovered_at"]

    def __str__(self) -> str:
        return self.title

    @property
    def notice_due(self):  # type: ignore[no-untyped-def]
        from sigap.privacy.conf import breach_notice_hours

        return self.discovered_at + timedelta(hours=breach_notice_hours())

    @property
    def fully_notified(self) -> bool:
        return bool(self.subjects_notified_at and self.authority_notified_at)
