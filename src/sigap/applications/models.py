"""An online application: the request it became, and what the applicant gave with it."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from sigap.service_requests.models import ServiceRequest


class OnlineApplication(models.Model):
    request = models.OneToOneField(
        ServiceRequest, on_delete=models.PROTECT, related_name="online_application"
    )
    # A random key the form carries: the same form sent twice (a double click, a retry after a
    # lost answer) finds this row and the request it made, instead of making a second one.
    idempotency_key = models.CharField(max_length=64, unique=True)
    consent_at = models.DateTimeField(_("consent given at"))
    consent_text = models.TextField(_("consent text shown"))
    # Field requirements: their typed values; statement requirements: True when declared.
    answers = models.JSONField(_("answers"), default=dict)

    class Meta:
        verbose_name = _("online application")
        verbose_name_plural = _("online applications")

    def __str__(self) -> str:
        return f"online {self.request_id}"
