"""The audit trail: an append-only, hash-chained log of every state change that matters.

Each entry carries the hash of the one before it, and its own hash is an HMAC over a canonical
serialisation under a key kept outside the database (see docs/audit.md), so altering,
inserting or deleting a row breaks the chain where it happened, and someone holding only the
database cannot re-forge the chain after the edit.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from sigap.organisation.models import Unit

GENESIS_HASH = "0" * 64


class AuditChainHead(models.Model):
    """The single row (pk=1) every writer locks before appending: the chain cannot fork.

    It also remembers the last sequence number and hash, so deleting the newest rows shows.
    """

    seq = models.PositiveBigIntegerField(default=0)
    hash = models.CharField(max_length=64, default=GENESIS_HASH)

    class Meta:
        verbose_name = _("audit chain head")
        verbose_name_plural = _("audit chain head")

    def __str__(self) -> str:
        return f"#{self.seq} {self.hash[:12]}"


class AuditEntry(models.Model):
    seq = models.PositiveBigIntegerField(_("sequence"), unique=True)
    at = models.DateTimeField(_("time"), db_index=True)
    # The actor is copied, not a foreign key: deleting a user must not rewrite history.
    actor_user_id = models.PositiveIntegerField(_("actor id"), null=True, blank=True)
    actor = models.CharField(_("actor"), max_length=150, blank=True)
    action = models.CharField(_("action"), max_length=60, db_index=True)
    object_type = models.CharField(_("object type"), max_length=60, blank=True)
    object_id = models.CharField(_("object id"), max_length=64, blank=True)
    # PROTECT: units are never deleted while history refers to them.
    unit = models.ForeignKey(
        Unit, on_delete=models.PROTECT, null=True, blank=True, related_name="+", db_index=True
    )
    data = models.JSONField(_("data"), default=dict, blank=True)
    prev_hash = models.CharField(max_length=64)
    hash = models.CharField(max_length=64)

    class Meta:
        verbose_name = _("audit entry")
        verbose_name_plural = _("audit entries")
        ordering = ["-seq"]
        indexes = [models.Index(fields=["object_type", "object_id"])]

    def __str__(self) -> str:
        return f"#{self.seq} {self.action}"
