"""Complaints (pengaduan) on the SP4N-LAPOR! state machine, and their event history."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from sigap.catalogue.models import Service
from sigap.organisation.models import Employee, Unit
from sigap.rules.sp4n import ComplaintState
from sigap.service_requests.models import ServiceRequest

DESCRIPTION_MAX = 4000


class Category(models.TextChoices):
    PUNGLI = "pungli", _("Charges outside the rules (pungli)")
    DISCRIMINATION = "diskriminasi", _("Discrimination")
    SLOWNESS = "lambat", _("Slow service")
    BEHAVIOUR = "perilaku", _("Officer behaviour")
    REQUIREMENTS = "persyaratan", _("Unclear requirements")
    OTHER = "lainnya", _("Other")


class Status(models.TextChoices):
    DITERIMA = ComplaintState.DITERIMA.value, _("Received")
    DITUNDA = ComplaintState.DITUNDA.value, _("On hold")
    TERVERIFIKASI = ComplaintState.TERVERIFIKASI.value, _("Verified")
    BUKAN_WEWENANG = ComplaintState.BUKAN_WEWENANG.value, _("Not our authority")
    DIARSIPKAN = ComplaintState.DIARSIPKAN.value, _("Archived")
    DIDISPOSISIKAN = ComplaintState.DIDISPOSISIKAN.value, _("Forwarded to the unit")
    DITINDAKLANJUTI = ComplaintState.DITINDAKLANJUTI.value, _("Followed up")
    SELESAI = ComplaintState.SELESAI.value, _("Closed")


# Before forwarding the 3-working-day clock runs; after it, the unit's 5-day clock.
PRE_FORWARD = (Status.DITERIMA, Status.DITUNDA, Status.TERVERIFIKASI)
CLOSED = (Status.SELESAI, Status.BUKAN_WEWENANG, Status.DIARSIPKAN)


class Channel(models.TextChoices):
    WEB = "web", _("Web form")
    API = "api", _("API")
    OPEN311 = "open311", "Open311"
    COUNTER = "counter", _("Counter")
    LAPOR = "lapor", "SP4N-LAPOR!"


class Complaint(models.Model):
    receipt_code = models.CharField(_("receipt code"), max_length=16, unique=True)
    # The SP4N-LAPOR! Tracking ID of a report that came from (or was sent to) LAPOR!: kept so
    # both systems can be reconciled (sigap.integrations.lapor).
    lapor_tracking_id = models.CharField(_("LAPOR! tracking ID"), max_length=32, blank=True)
    category = models.CharField(_("category"), max_length=14, choices=Category.choices)
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="complaints")
    service = models.ForeignKey(
        Service, on_delete=models.PROTECT, null=True, blank=True, related_name="complaints"
    )
    service_request = models.ForeignKey(
        ServiceRequest, on_delete=models.SET_NULL, null=True, blank=True, related_name="complaints"
    )
    # The officer complained about, when staff identify them (for integrity analysis).
    reported_employee = models.ForeignKey(
        Employee, on_delete=models.SET_NULL, null=True, blank=True, related_name="complaints"
    )
    officer_description = models.CharField(_("officer (as described)"), max_length=200, blank=True)
    description = models.TextField(_("description"), max_length=DESCRIPTION_MAX)
    channel = models.CharField(_("channel"), max_length=10, choices=Channel.choices)

    is_anonymous = models.BooleanField(_("anonymous"), default=False)
    # Confidential: the identity is kept from everyone but the complaint administrators.
    is_confidential = models.BooleanField(_("confidential"), default=False)
    reporter_name = models.CharField(_("reporter name"), max_length=200, blank=True)
    reporter_contact = models.CharField(_("reporter contact"), max_length=200, blank=True)

    # Open311 location fields (optional).
    address = models.CharField(_("address"), max_length=300, blank=True)
    lat = models.DecimalField(max_digits=9, decimal_places=6, null=True, blank=True)
    long = models.DecimalField(max_digits=9, decimal_places=6, null=True, blank=True)
    media_url = models.URLField(_("media URL"), max_length=500, blank=True)

    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.DITERIMA
    )
    submitted_at = models.DateTimeField(_("submitted at"))
    verify_due = models.DateField(_("verify and forward by"))
    forwarded_at = models.DateTimeField(_("forwarded at"), null=True, blank=True)
    follow_up_due = models.DateField(_("follow-up due"), null=True, blank=True)
    followed_up_at = models.DateTimeField(_("followed up at"), null=True, blank=True)
    auto_close_on = models.DateField(_("closes itself on"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    escalated_to = models.ForeignKey(
        Unit, on_delete=models.PROTECT, null=True, blank=True, related_name="escalated_complaints"
    )
    escalated_at = models.DateTimeField(_("escalated at"), null=True, blank=True)
    last_event_at = models.DateTimeField()
    event_count = models.PositiveIntegerField(default=0)
    client_hash = models.CharField(max_length=32, blank=True, editable=False)
    # The reporter's secret (given once at filing, in the reporter's link) as a keyed hash
    # (`services.reporter_key_hash`); empty for complaints filed before it existed. The public
    # receipt code shows the status; only this secret lets someone act as the reporter.
    reporter_key_hash = models.CharField(max_length=64, blank=True, editable=False)

    # The plain secret, set on the instance `complaint_submit` returns (or after a staff re-issue)
    # so the caller can hand it to the reporter once; never stored.
    issued_reporter_key: str = ""

    class Meta:
        verbose_name = _("complaint")
        verbose_name_plural = _("complaints")
        indexes = [
            models.Index(fields=["unit", "status", "submitted_at"]),
            models.Index(fields=["status", "auto_close_on"]),
            models.Index(fields=["service", "submitted_at"]),
            models.Index(fields=["submitted_at"]),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["lapor_tracking_id"],
                condition=~models.Q(lapor_tracking_id=""),
                name="uniq_complaint_lapor_tracking_id",
            )
        ]

    def __str__(self) -> str:
        return self.receipt_code

    @property
    def state(self) -> ComplaintState:
        return ComplaintState(self.status)

    @property
    def due(self):  # type: ignore[no-untyped-def]
        """The staff deadline that is running now, if any."""
        if self.status in PRE_FORWARD:
            return self.verify_due
        if self.status == Status.DIDISPOSISIKAN:
            return self.follow_up_due
        return None


class Actor(models.TextChoices):
    STAFF = "staff", _("Staff")
    REPORTER = "reporter", _("Reporter")
    SYSTEM = "system", _("System")


class EventAction(models.TextChoices):
    """What was done to a complaint, as its history shows it (the codes are stored)."""

    SUBMIT = "submit", _("Submitted")
    VERIFY = "verify", _("Verified")
    HOLD = "hold", _("Put on hold")
    ARCHIVE = "archive", _("Archived")
    NOT_AUTHORITY = "not_authority", _("Found not to be our authority")
    FORWARD = "forward", _("Forwarded to the unit")
    FOLLOW_UP = "follow_up", _("Followed up")
    REPLY = "reply", _("Reporter replied")
    REOPEN = "reopen", _("Reopened by the reporter")
    CLOSE = "close", _("Closed")
    AUTO_CLOSE = "auto_close", _("Closed automatically")
    ESCALATE = "escalate", _("Escalated")


class ComplaintEvent(models.Model):
    """One change of a complaint: who, what, when, old → new status."""

    complaint = models.ForeignKey(Complaint, on_delete=models.CASCADE, related_name="events")
    seq = models.PositiveIntegerField()
    action = models.CharField(_("action"), max_length=20, choices=EventAction.choices)
    from_status = models.CharField(max_length=16, choices=Status.choices, blank=True)
    to_status = models.CharField(max_length=16, choices=Status.choices)
    actor = models.CharField(_("actor"), max_length=10, choices=Actor.choices)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    unit = models.ForeignKey(
        Unit, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    note = models.TextField(_("note"), blank=True)
    # Whether the note is shown to the reporter on the public status page.
    public = models.BooleanField(default=True)
    timestamp = models.DateTimeField(_("time"))

    class Meta:
        verbose_name = _("complaint event")
        verbose_name_plural = _("complaint events")
        ordering = ["complaint", "seq"]
        constraints = [
            models.UniqueConstraint(fields=["complaint", "seq"], name="uniq_complaint_event_seq")
        ]

    def __str__(self) -> str:
        return f"{self.complaint_id}#{self.seq} {self.action}"
