"""Every call sigap makes to a national system, kept for the oversight of exchanges."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class System(models.TextChoices):
    SIASN = "siasn", "SIASN (BKN)"
    LAPOR = "lapor", "SP4N-LAPOR!"
    BSRE = "bsre", _("Electronic signing (BSrE)")


class Exchange(models.Model):
    """One call to (or file exchanged with) a national system: what, about what, and how it
    ended. Never the payload: no personal data beyond the object's reference is kept."""

    class Direction(models.TextChoices):
        PULL = "pull", _("Read from the system")
        PUSH = "push", _("Sent to the system")

    system = models.CharField(_("system"), max_length=8, choices=System.choices)
    operation = models.CharField(_("operation"), max_length=60)  # e.g. "skp22/save"
    direction = models.CharField(_("direction"), max_length=4, choices=Direction.choices)
    # What it was about: "employee:12", "complaint:SGP-..", "document:7" (empty for a listing).
    object_ref = models.CharField(_("about"), max_length=80, blank=True)
    ok = models.BooleanField(_("succeeded"))
    status_code = models.PositiveSmallIntegerField(_("HTTP status"), null=True, blank=True)
    summary = models.CharField(_("summary"), max_length=300, blank=True)
    at = models.DateTimeField(_("at"), db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("exchange with a national system")
        verbose_name_plural = _("exchanges with national systems")
        ordering = ["-at"]
        indexes = [models.Index(fields=["system", "at"])]

    def __str__(self) -> str:
        return f"{self.system} {self.operation} {'ok' if self.ok else 'failed'}"
