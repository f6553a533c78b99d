"""Documents of a service request: what the applicant handed in, and the product."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from sigap.service_requests.models import ServiceRequest


class Purpose(models.TextChoices):
    REQUIREMENT = "requirement", _("Requirement")
    PRODUCT = "product", _("Product of the service")


class Document(models.Model):
    """One stored file. The bytes live under `settings.DOCUMENTS_DIR` (outside any URL: no
    web server serves that folder) under a random name; only `sigap.documents.views` hands them
    out, to whoever `sigap.access` allows, and each download is on the audit trail."""

    request = models.ForeignKey(ServiceRequest, on_delete=models.PROTECT, related_name="documents")
    purpose = models.CharField(_("purpose"), max_length=12, choices=Purpose.choices)
    requirement = models.CharField(_("requirement"), max_length=300, blank=True)
    kind = models.CharField(_("kind"), max_length=8)
    size = models.PositiveIntegerField(_("size (bytes)"))
    sha256 = models.CharField(max_length=64)
    original_name = models.CharField(_("file name"), max_length=200)
    stored_name = models.CharField(max_length=64, unique=True, editable=False)
    uploaded_at = models.DateTimeField(_("uploaded at"))
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    deleted_at = models.DateTimeField(_("deleted at"), null=True, blank=True)
    """The bytes were deleted (retention); the row stays as the record that a file existed."""

    class Meta:
        verbose_name = _("document")
        verbose_name_plural = _("documents")
        ordering = ["request", "uploaded_at", "pk"]

    def __str__(self) -> str:
        return f"{self.original_name} ({self.get_purpose_display()})"
