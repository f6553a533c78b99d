"""Whistleblowing (WBS) reports: everything a reporter wrote is ciphertext here.

What stays in clear is what routing and retention need: the reported unit, a status, and
dates to the day. No IP address, user agent or time of day of a reporter is kept anywhere.
The receipt exists only as an argon2 hash. See docs/security.md.

Every row here has a random id, never the next number of a sequence: a sequential id of a
reporter's message, file or report (or of a row written in the same transaction, a key wrap or
a receipt-throttle count) falls between the ids of rows written at known times — an inspector's
reply in the audit trail — and would date what the reporter did to the minute.
"""

from __future__ import annotations

import secrets
from typing import Any

from django.conf import settings
from django.db import IntegrityError, models, router, transaction
from django.utils.translation import gettext_lazy as _

from sigap.organisation.models import Unit

# 12 digits: short enough to read out on the Inspektorat's pages ("case 4821 0937 5512").
ID_LOW, ID_HIGH = 10**11, 10**12
ID_ATTEMPTS = 5


def random_id() -> int:
    return ID_LOW + secrets.randbelow(ID_HIGH - ID_LOW)


class RandomIdModel(models.Model):
    """A random primary key; a (rare) clash with an id in use draws a new one."""

    id = models.BigIntegerField(primary_key=True, default=random_id, editable=False)

    class Meta:
        abstract = True

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            super().save(*args, **kwargs)
            return
        using = kwargs.get("using") or router.db_for_write(type(self), instance=self)
        for attempt in range(ID_ATTEMPTS):
            try:
                with transaction.atomic(using=using):
                    super().save(*args, **kwargs)
                return
            except IntegrityError:
                taken = type(self)._default_manager.using(using).filter(pk=self.pk).exists()
                if not taken or attempt == ID_ATTEMPTS - 1:
                    raise  # another constraint, or a run of clashes no draw explains
                self.pk = random_id()


class InspectorKey(RandomIdModel):
    """An inspector's X25519 key pair; the private half sealed under the server master key."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="wbs_key"
    )
    public_key = models.BinaryField()
    private_key_sealed = models.BinaryField()
    created_on = models.DateField(_("created on"))

    class Meta:
        verbose_name = _("inspector key")
        verbose_name_plural = _("inspector keys")

    def __str__(self) -> str:
        return f"key of {self.user}"


class Report(RandomIdModel):
    class Status(models.TextChoices):
        NEW = "new", _("New")
        IN_REVIEW = "in_review", _("Under review")
        CLOSED = "closed", _("Closed")

    # The first 6 digits of the receipt: finds the row; the whole receipt is only hashed.
    locator = models.CharField(max_length=6, unique=True)
    receipt_hash = models.CharField(max_length=200)
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="wbs_reports")
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.NEW
    )
    # Dates only: a time of day could identify who was at a given computer.
    created_on = models.DateField(_("reported on"))
    last_activity_on = models.DateField(_("last activity on"))
    delete_after = models.DateField(_("to be deleted after"))
    deletion_warned_on = models.DateField(_("deletion warning given on"), null=True, blank=True)
    # AES-256-GCM of the JSON content (what happened, when, which service).
    content = models.BinaryField()

    class Meta:
        verbose_name = _("whistleblowing report")
        verbose_name_plural = _("whistleblowing reports")
        ordering = ["-created_on", "-pk"]

    def __str__(self) -> str:
        return f"WBS {self.locator}"


class KeyWrap(RandomIdModel):
    """The report's data key, wrapped for one inspector (or the server escrow: user null)."""

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="key_wraps")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    wrapped = models.BinaryField()

    class Meta:
        verbose_name = _("report key wrap")
        verbose_name_plural = _("report key wraps")
        constraints = [
            models.UniqueConstraint(fields=["report", "user"], name="uniq_wbs_key_wrap"),
            models.UniqueConstraint(
                fields=["report"],
                condition=models.Q(user__isnull=True),
                name="uniq_wbs_escrow_wrap",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.report} → {self.user or 'escrow'}"


class Message(RandomIdModel):
    """One message of the two-way, anonymous conversation."""

    class Author(models.TextChoices):
        REPORTER = "reporter", _("Reporter")
        INSPECTOR = "inspector", _("Inspectorate")

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="messages")
    author = models.CharField(max_length=10, choices=Author.choices)
    inspector = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_on = models.DateField(_("date"))
    # The place in the conversation (1, 2, ...): the ids are random, the order is not.
    seq = models.PositiveIntegerField(default=0)
    body = models.BinaryField()  # AES-GCM ciphertext

    class Meta:
        verbose_name = _("whistleblowing message")
        verbose_name_plural = _("whistleblowing messages")
        ordering = ["report", "seq"]
        constraints = [
            models.UniqueConstraint(fields=["report", "seq"], name="uniq_wbs_message_seq"),
        ]

    def __str__(self) -> str:
        return f"{self.report} message {self.pk}"


class Attachment(RandomIdModel):
    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="attachments")
    message = models.ForeignKey(
        Message, on_delete=models.CASCADE, null=True, blank=True, related_name="attachments"
    )
    # Name, type and size are encrypted too; `meta` is their JSON, `data` the file.
    meta = models.BinaryField()
    data = models.BinaryField()

    class Meta:
        verbose_name = _("whistleblowing attachment")
        verbose_name_plural = _("whistleblowing attachments")

    def __str__(self) -> str:
        return f"{self.report} attachment {self.pk}"


class ReceiptThrottle(RandomIdModel):
    """Receipt-throttle counters, shared by every server process (no IP addresses).

    Keys (sigap.whistleblowing.throttle): "loc:<locator>:<day>" wrong receipts per locator and
    day; "cf:<tag>" wrong receipts per client tag (the tag folds in the hour, unseen here);
    "tk:<nonce>" a spent ticket. Nothing finer than the day is stored.
    """

    key = models.CharField(max_length=60, unique=True)
    count = models.PositiveIntegerField(default=0)
    day = models.DateField()  # for clean-up

    class Meta:
        verbose_name = _("receipt throttle")
        verbose_name_plural = _("receipt throttles")

    def __str__(self) -> str:
        return f"{self.key}: {self.count}"
