"""Payments as evidence: what a cashier or the bank recorded, never what the officer typed.

A payment is a reference (e-retribusi billing code, bank transaction, QRIS transaction, numbered
cash receipt) with its amount and time. It is reconciled to a request by the request's receipt
code; what a request paid is the sum of its reconciled payments (`sigap.payments.selectors`).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from sigap.organisation.models import Unit
from sigap.service_requests.models import ServiceRequest


class Source(models.TextChoices):
    ERETRIBUSI = "eretribusi", _("e-retribusi")
    BANK = "bank", _("Bank transfer")
    QRIS = "qris", _("QRIS")
    RECEIPT = "kuitansi", _("Cash receipt (kuitansi)")
    # Amounts typed by the counter officer before payments were recorded (kept for history by
    # migration 0002): shown on the request, never counted as evidence.
    INTAKE = "intake", _("Typed at intake (not evidence)")


EVIDENCE_SOURCES = (Source.ERETRIBUSI, Source.BANK, Source.QRIS, Source.RECEIPT)
STATEMENT_SOURCES = (Source.BANK, Source.ERETRIBUSI, Source.QRIS)


class StatementImport(models.Model):
    """One imported statement file: who imported it, for which unit, what it held."""

    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+")
    source = models.CharField(_("source"), max_length=12, choices=Source.choices)
    filename = models.CharField(_("file name"), max_length=200)
    sha256 = models.CharField(max_length=64)
    lines = models.PositiveIntegerField(_("lines"), default=0)
    payments = models.PositiveIntegerField(_("payments"), default=0)
    reconciled = models.PositiveIntegerField(_("reconciled"), default=0)
    imported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    imported_at = models.DateTimeField(_("imported at"))

    class Meta:
        verbose_name = _("statement import")
        verbose_name_plural = _("statement imports")
        ordering = ["-imported_at"]

    def __str__(self) -> str:
        return self.filename


class Payment(models.Model):
    source = models.CharField(_("source"), max_length=12, choices=Source.choices)
    reference = models.CharField(_("payment reference"), max_length=64)
    amount = models.DecimalField(_("amount (Rp)"), max_digits=14, decimal_places=0)
    paid_at = models.DateTimeField(_("paid at"))
    # The unit that received the money: scopes who may see and reconcile it.
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="payments")
    description = models.CharField(_("description"), max_length=300, blank=True)
    request = models.ForeignKey(
        ServiceRequest,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="payments",
        verbose_name=_("request"),
    )
    reconciled_at = models.DateTimeField(_("reconciled at"), null=True, blank=True)
    reconciled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    recorded_at = models.DateTimeField(_("recorded at"))
    statement = models.ForeignKey(
        StatementImport, on_delete=models.PROTECT, null=True, blank=True, related_name="rows"
    )
    statement_line = models.PositiveIntegerField(null=True, blank=True)

    class Meta:
        verbose_name = _("payment")
        verbose_name_plural = _("payments")
        ordering = ["-paid_at"]
        indexes = [
            models.Index(fields=["unit", "request", "paid_at"]),
            # The cashier's "recently reconciled": newest first, read in index order.
            models.Index(fields=["reconciled_at"], name="payments_reconciled_at_idx"),
        ]
        constraints = [
            # A reference is one payment: the database refuses a second one even under a race.
            models.UniqueConstraint(fields=["source", "reference"], name="payment_reference_once"),
            models.CheckConstraint(condition=Q(amount__gt=0), name="payment_amount_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.get_source_display()} {self.reference}"

    @property
    def is_reconciled(self) -> bool:
        return self.request_id is not None

    @property
    def is_evidence(self) -> bool:
        return self.source != Source.INTAKE
