"""The outbox: every message to a citizen, written in the same transaction as its event.

A message is a row before it is anything else: the write function that records a step of a
request or a complaint also inserts its message here, so a rolled-back step leaves no message and
a committed one cannot lose it. The sender (`sigap notify send`, `sigap.notifications.sender`)
delivers the rows later and writes down what happened to each: sent, failed and waiting for
another try, or given up with the reason in words.

The related request and complaint are named by string, not imported: the apps that own them
call this one (`sigap.notifications.services.notify`), so this app sits below them.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Channel(models.TextChoices):
    WHATSAPP = "whatsapp", _("WhatsApp")
    SMS = "sms", _("SMS")
    EMAIL = "email", _("E-mail")


class State(models.TextChoices):
    QUEUED = "queued", _("Waiting to be sent")
    SENDING = "sending", _("Being sent")
    SENT = "sent", _("Sent")
    RETRYING = "retrying", _("Failed, will try again")
    GIVEN_UP = "given_up", _("Not delivered")


# What the sender may pick up (SENDING too, once its claim has lapsed: a sender that died).
PENDING_STATES = (State.QUEUED, State.RETRYING)


class Outbox(models.Model):
    # Unique: the same event never queues twice (a retried write, a rerun of the daily job).
    idempotency_key = models.CharField(max_length=120, unique=True, editable=False)
    event = models.CharField(_("event"), max_length=30)
    # As the citizen gave it; staff see it masked (`sigap.notifications.contact.mask`).
    recipient = models.CharField(_("recipient"), max_length=200)
    channel = models.CharField(_("channel"), max_length=10, choices=Channel.choices)
    template_key = models.CharField(_("template"), max_length=40)
    text = models.TextField(_("text"))
    request = models.ForeignKey(
        "service_requests.ServiceRequest",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="notifications",
    )
    complaint = models.ForeignKey(
        "complaints.Complaint",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="notifications",
    )
    state = models.CharField(_("state"), max_length=10, choices=State.choices, default=State.QUEUED)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    created_at = models.DateTimeField(_("queued at"))
    next_attempt_at = models.DateTimeField(_("next attempt"))
    # A sender's claim: its token, and until when no other sender may take the row.
    claim_token = models.CharField(max_length=32, blank=True, editable=False)
    claimed_until = models.DateTimeField(null=True, blank=True, editable=False)
    last_error = models.CharField(_("last error"), max_length=300, blank=True)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    provider_message_id = models.CharField(_("provider message id"), max_length=100, blank=True)

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        indexes = [
            # The sender's pick: pending rows whose time has come, oldest first.
            models.Index(fields=["state", "next_attempt_at"]),
        ]

    def __str__(self) -> str:
        return f"{self.idempotency_key} ({self.state})"
