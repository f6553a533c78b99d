"""Precomputed integrity signals: narrow result tables filled by `sigap integrity refresh`."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from sigap.catalogue.models import Service
from sigap.organisation.models import Employee, Unit


class IntegrityRun(models.Model):
    """One refresh: the period it covered, the thresholds it used, what it found."""

    started_at = models.DateTimeField(_("started at"))
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    period_start = models.DateField(_("period start"))
    period_end = models.DateField(_("period end"))
    thresholds = models.JSONField(_("thresholds"), default=dict)
    requests = models.PositiveIntegerField(_("requests analysed"), default=0)
    officers = models.PositiveIntegerField(_("officers analysed"), default=0)
    signals = models.PositiveIntegerField(_("signals"), default=0)
    flagged = models.PositiveIntegerField(_("flagged"), default=0)

    class Meta:
        verbose_name = _("integrity run")
        verbose_name_plural = _("integrity runs")
        ordering = ["-started_at"]

    def __str__(self) -> str:
        return f"{self.period_start}–{self.period_end}"


class IntegritySignal(models.Model):
    class Kind(models.TextChoices):
        OVERCHARGE = "overcharge", _("Overcharge (pungutan di luar ketentuan)")
        QUEUE_JUMPING = "queue_jumping", _("Queue jumping")
        UNEQUAL_TREATMENT = "unequal_treatment", _("Unequal treatment")
        OFFICER_RISK = "officer_risk", _("Officer risk score")

    run = models.ForeignKey(IntegrityRun, on_delete=models.CASCADE, related_name="signal_rows")
    kind = models.CharField(_("signal"), max_length=20, choices=Kind.choices)
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+")
    officer = models.ForeignKey(
        Employee, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    service = models.ForeignKey(
        Service, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    flagged = models.BooleanField(_("flagged"), default=False)
    value = models.FloatField(_("value"))
    summary = models.JSONField(_("summary"), default=dict)
    # Receipt codes (and "complaint:<code>" for complaints): never shown without them.
    evidence = models.JSONField(_("evidence"), default=list)

    class Meta:
        verbose_name = _("integrity signal")
        verbose_name_plural = _("integrity signals")
        ordering = ["-flagged", "kind", "-value"]
        indexes = [models.Index(fields=["run", "kind", "flagged"])]

    def __str__(self) -> str:
        return f"{self.kind} {self.officer or self.service}"


class SignalDecision(models.Model):
    """The Inspektorat's decision on a flagged signal about a named officer: a confirmed
    finding or a dismissal, always with its reason.

    Kept apart from the signal rows because every refresh replaces those: a decision copies
    the kind and the cases (evidence codes) it was taken on, with the period of those cases'
    dates (the run's period when none is known), so it outlives the run, and a later run's
    cases that no decision covers are open again.
    """

    class Outcome(models.TextChoices):
        CONFIRMED = "confirmed", _("Confirmed finding")
        DISMISSED = "dismissed", _("Dismissed")

    officer = models.ForeignKey(
        Employee, on_delete=models.PROTECT, related_name="integrity_decisions"
    )
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(_("signal"), max_length=20, choices=IntegritySignal.Kind.choices)
    outcome = models.CharField(_("decision"), max_length=10, choices=Outcome.choices)
    reason = models.TextField(_("reason"))
    period_start = models.DateField(_("period start"))
    period_end = models.DateField(_("period end"))
    cases = models.JSONField(_("cases decided"), default=list)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    decided_at = models.DateTimeField(_("decided at"))

    class Meta:
        verbose_name = _("signal decision")
        verbose_name_plural = _("signal decisions")
        ordering = ["-decided_at", "-pk"]
        indexes = [models.Index(fields=["officer", "outcome", "period_end"])]

    def __str__(self) -> str:
        return f"{self.kind} {self.officer_id}: {self.outcome}"


class SignalFollowUp(models.Model):
    """Who at the Inspektorat follows a signal up, and whether it is closed, with a note.

    Keyed on the signal's subject (kind, unit, officer or service), not on the signal row:
    every refresh replaces the rows, and the follow-up must outlive them. A closed subject
    that a later run flags again shows as closed with its note until someone reopens it by
    assigning it again.
    """

    kind = models.CharField(_("signal"), max_length=20, choices=IntegritySignal.Kind.choices)
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+")
    officer = models.ForeignKey(
        Employee, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    service = models.ForeignKey(
        Service, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("assigned to"),
    )
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    closing_note = models.TextField(_("closing note"), blank=True)
    updated_at = models.DateTimeField(_("last changed at"))

    class Meta:
        verbose_name = _("signal follow-up")
        verbose_name_plural = _("signal follow-ups")
        indexes = [models.Index(fields=["kind", "unit"])]

    def __str__(self) -> str:
        return f"{self.kind} {self.officer_id or self.service_id}"

    @property
    def is_closed(self) -> bool:
        return self.closed_at is not None


class SignalFollowUpEvent(models.Model):
    """The history of a follow-up: each assignment and each closing, by whom and when."""

    class Action(models.TextChoices):
        ASSIGNED = "assigned", _("Assigned")
        CLOSED = "closed", _("Closed")

    follow_up = models.ForeignKey(SignalFollowUp, on_delete=models.CASCADE, related_name="events")
    action = models.CharField(_("action"), max_length=10, choices=Action.choices)
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    note = models.TextField(_("note"), blank=True)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    at = models.DateTimeField(_("at"))

    class Meta:
        verbose_name = _("signal follow-up event")
        verbose_name_plural = _("signal follow-up events")
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.action} {self.at:%Y-%m-%d %H:%M}"
