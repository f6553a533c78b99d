"""API keys (hashed, with scopes). The rate-limit counters are in sigap.throttling."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Scope(models.TextChoices):
    OPEN311_POST = "open311.post", _("Post Open311 service requests")
    COMPLAINTS_WRITE = "complaints.write", _("Submit complaints")
    SURVEYS_WRITE = "surveys.write", _("Submit survey responses")


class ApiKey(models.Model):
    """A key given to a partner system. Only a hash is stored; the key is shown once."""

    name = models.CharField(_("name"), max_length=200)
    prefix = models.CharField(_("prefix"), max_length=8, db_index=True, editable=False)
    key_hash = models.CharField(max_length=64, unique=True, editable=False)
    scopes = models.JSONField(_("scopes"), default=list)
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("API key")
        verbose_name_plural = _("API keys")

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"
