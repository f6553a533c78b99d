"""Service requests (permohonan) and their event log: every step of every request is a row."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from sigap.catalogue.models import ProcedureStep, Service, ServiceStandard
from sigap.organisation.models import Employee, Unit


class Channel(models.TextChoices):
    COUNTER = "counter", _("Counter")
    ONLINE = "online", _("Online")
    MOBILE = "mobile", _("Mobile")


class Status(models.TextChoices):
    SUBMITTED = "submitted", _("Submitted")
    IN_PROGRESS = "in_progress", _("In progress")
    RETURNED = "returned", _("Returned for correction")
    WAITING = "waiting", _("Waiting for the applicant")
    COMPLETED = "completed", _("Completed")
    REJECTED = "rejected", _("Rejected")


FINISHED_STATUSES = (Status.COMPLETED, Status.REJECTED)
# Listed positively so that queries can use the (status, due_date) index.
OPEN_STATUSES = (Status.SUBMITTED, Status.IN_PROGRESS, Status.RETURNED, Status.WAITING)
# While the applicant has the ball, the SLA clock stops.
PAUSED_STATUSES = (Status.RETURNED, Status.WAITING)
# Open with the officers: the SLA clock runs, and only these can be past their due date.
RUNNING_STATUSES = (Status.SUBMITTED, Status.IN_PROGRESS)


class Gender(models.TextChoices):
    MALE = "L", _("Male")
    FEMALE = "P", _("Female")


class AgeBand(models.TextChoices):
    UNDER_18 = "<18", _("Under 18")
    AGE_18_30 = "18-30", "18–30"
    AGE_31_45 = "31-45", "31–45"
    AGE_46_60 = "46-60", "46–60"
    OVER_60 = ">60", _("Over 60")


class ServiceRequest(models.Model):
    receipt_code = models.CharField(_("receipt code"), max_length=16, unique=True)
    service = models.ForeignKey(Service, on_delete=models.PROTECT, related_name="requests")
    # The version of the standard in force at submission: the request is judged against it.
    standard = models.ForeignKey(ServiceStandard, on_delete=models.PROTECT, related_name="+")
    # Copied from the service at submission so scoping is one indexed filter and history
    # stays right if a service later moves to another unit.
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="service_requests")
    channel = models.CharField(_("channel"), max_length=10, choices=Channel.choices)

    applicant_name = models.CharField(_("applicant name"), max_length=200)
    applicant_contact = models.CharField(_("contact (phone or e-mail)"), max_length=200)
    # The full NIK is never stored: a keyed hash finds repeat applicants, the masked form is
    # what staff see.
    applicant_nik_masked = models.CharField(_("NIK (masked)"), max_length=16, blank=True)
    applicant_nik_hash = models.CharField(max_length=64, blank=True, db_index=True, editable=False)
    region_kecamatan = models.CharField(_("kecamatan"), max_length=100)
    region_desa = models.CharField(_("desa/kelurahan"), max_length=100, blank=True)
    # Optional, volunteered attributes used only for fairness analysis.
    applicant_gender = models.CharField(
        _("gender"), max_length=1, choices=Gender.choices, blank=True
    )
    applicant_disability = models.BooleanField(_("person with a disability"), null=True, blank=True)
    applicant_age_band = models.CharField(
        _("age band"), max_length=6, choices=AgeBand.choices, blank=True
    )
    # What was paid is not typed here: it is the sum of the request's reconciled payments
    # (sigap.payments.selectors.paid_by_request), recorded by a cashier or the bank statement.

    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.SUBMITTED
    )
    current_step = models.ForeignKey(
        ProcedureStep, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    assigned_officer = models.ForeignKey(
        Employee, on_delete=models.PROTECT, null=True, blank=True, related_name="assigned_requests"
    )
    submitted_at = models.DateTimeField(_("submitted at"))
    due_date = models.DateField(_("due date"))
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    # SLA pauses: closed pauses are summed in working days; an open one starts at paused_since.
    paused_working_days = models.PositiveIntegerField(default=0)
    paused_since = models.DateTimeField(null=True, blank=True)
    last_event_at = models.DateTimeField()
    event_count = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("service request")
        verbose_name_plural = _("service requests")
        indexes = [
            models.Index(fields=["unit", "status", "submitted_at"]),
            # Per-unit counts over a period (the SKM sample's population) and a unit's list,
            # newest first: a range of this index, not a skip over every status.
            models.Index(fields=["unit", "submitted_at"]),
            models.Index(fields=["service", "submitted_at"]),
            models.Index(fields=["assigned_officer", "status"]),
            # Oversight lists read newest first and filter overdue requests across units; with
            # the unit, a list of a small scope walks this index alone, never the table.
            # (The key too, so PostgreSQL's walk never reads the table either; SQLite's indexes
            # hold it anyway. Not INCLUDE: SQLite's system check warns about it.)
            models.Index(fields=["submitted_at", "unit", "id"], name="request_newest_unit_idx"),
            models.Index(fields=["status", "due_date"]),
        ]

    def __str__(self) -> str:
        return self.receipt_code

    @property
    def is_finished(self) -> bool:
        return self.status in FINISHED_STATUSES

    @property
    def is_paused(self) -> bool:
        return self.status in PAUSED_STATUSES


# The activity name of the first event of every request. Event-log data is in the domain's
# language (step names are Indonesian too) and never depends on the reader's UI language.
SUBMISSION_ACTIVITY = "Pengajuan"


class Outcome(models.TextChoices):
    SUBMITTED = "submitted", _("Submitted")
    RECEIVED = "received", _("Received by an officer")
    DONE = "done", _("Done")
    RETURNED = "returned", _("Returned for correction")
    REJECTED = "rejected", _("Rejected")
    WAITING = "waiting", _("Waiting for the applicant")
    RESUMED = "resumed", _("Resumed")


class ServiceEvent(models.Model):
    """One step of one request: the audit trail and the raw material of process mining."""

    request = models.ForeignKey(ServiceRequest, on_delete=models.CASCADE, related_name="events")
    seq = models.PositiveIntegerField()
    # The step's name is copied so the log stays readable if a later standard renames it.
    activity = models.CharField(_("activity"), max_length=200)
    step = models.ForeignKey(
        ProcedureStep, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    officer = models.ForeignKey(
        Employee, on_delete=models.PROTECT, null=True, blank=True, related_name="service_events"
    )
    timestamp = models.DateTimeField(_("time"))
    outcome = models.CharField(_("outcome"), max_length=10, choices=Outcome.choices)
    note = models.TextField(_("note"), blank=True)

    class Meta:
        verbose_name = _("service event")
        verbose_name_plural = _("service events")
        ordering = ["request", "seq"]
        constraints = [
            models.UniqueConstraint(fields=["request", "seq"], name="uniq_event_seq"),
        ]
        indexes = [
            models.Index(fields=["officer", "timestamp"]),
            models.Index(fields=["timestamp"]),
        ]

    def __str__(self) -> str:
        return f"{self.request_id}#{self.seq} {self.activity} {self.outcome}"


class TrackingLookup(models.Model):
    """How often a request's receipt was looked up on the public tracking page, per day.

    One row per (request, local day) with a counter, rather than one row per look-up: the
    scorecard only needs "looked up at least once", a busy request is looked up many times a
    day, and a counter keeps the table at most one row per request and day. Nothing about who
    looked is kept (no IP address, no user agent, no time of day): the date is all the
    transparency figure needs. Look-ups by staff who can read the request are not counted
    (see `sigap.service_requests.services.tracking_lookup_record`).
    """

    request = models.ForeignKey(
        ServiceRequest, on_delete=models.CASCADE, related_name="tracking_lookups"
    )
    day = models.DateField(_("day"))
    lookups = models.PositiveIntegerField(_("look-ups"), default=1)

    class Meta:
        verbose_name = _("tracking look-up")
        verbose_name_plural = _("tracking look-ups")
        constraints = [
            models.UniqueConstraint(fields=["request", "day"], name="uniq_tracking_lookup_day")
        ]

    def __str__(self) -> str:
        return f"{self.request_id} {self.day}: {self.lookups}"


# --- case facts ---------------------------------------------------------------------------------


class RequestFact(models.Model):
    """The case facts of one request, stored once in one narrow table.

    What every page, export, scorecard and the SKP evidence need to count a request: when it was
    submitted and closed (local days), the SLA of the standard in force at submission, its lead
    and paused working days on the agency's calendar, whether it stayed within the SLA and
    whether it was first time right. The write functions keep the row of a request up to date in
    the same transaction as the step that changed it (`sigap.service_requests.facts`); bulk loads
    (the demo, imports) rebuild them with `request_facts_rebuild`. Nothing else computes these
    facts; `sigap.metrics` defines the figures made of them.
    """

    request = models.OneToOneField(
        ServiceRequest, on_delete=models.CASCADE, primary_key=True, related_name="fact"
    )
    # Copied from the request so aggregates are one indexed scan of this table.
    unit = models.ForeignKey(Unit, on_delete=models.CASCADE, related_name="+")
    service = models.ForeignKey(Service, on_delete=models.CASCADE, related_name="+")
    channel = models.CharField(_("channel"), max_length=10, choices=Channel.choices)
    submitted_on = models.DateField(_("submitted on"))
    closed_on = models.DateField(_("closed on"), null=True, blank=True)
    """Local day the request was completed or rejected; empty while it is open."""
    sla_working_days = models.PositiveSmallIntegerField(_("SLA (working days)"))
    lead_working_days = models.IntegerField(_("lead time (working days)"), null=True, blank=True)
    paused_working_days = models.PositiveIntegerField(_("paused (working days)"), default=0)
    within_sla = models.BooleanField(_("within the SLA"), null=True, blank=True)
    """Judged when closed: lead − paused working days at most the SLA (`sigap.rules.sla`)."""
    returned = models.BooleanField(_("returned for correction"), default=False)
    first_time_right = models.BooleanField(_("first time right"), null=True, blank=True)
    """Judged when closed: never returned for correction."""
    last_officer = models.ForeignKey(
        Employee, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("request facts")
        verbose_name_plural = _("request facts")
        indexes = [
            models.Index(fields=["unit", "submitted_on"]),
            models.Index(fields=["unit", "closed_on"]),
            models.Index(fields=["service", "closed_on"]),
        ]

    def __str__(self) -> str:
        return f"facts of request {self.request_id}"
