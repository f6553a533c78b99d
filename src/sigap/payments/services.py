"""Write functions for payments: record one, reconcile one to a request, import a statement.

Each checks the cashier's right through `sigap.access` (PAYMENT_HANDLE over the unit), validates
everything before writing, runs in one transaction and leaves an audit entry. Errors are
`ValidationError({field: message})` naming the field; nothing is half-written.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from sigap.access import Action, can, has_any_role, require
from sigap.audit.services import audit_record
from sigap.organisation.models import Unit
from sigap.payments.models import (
    EVIDENCE_SOURCES,
    STATEMENT_SOURCES,
    Payment,
    Source,
    StatementImport,
)
from sigap.payments.statement import (
    LineError,
    normalise_reference,
    parse_statement,
    receipt_candidates,
)
from sigap.service_requests.models import ServiceRequest
from sigap.service_requests.services import normalise_receipt_code
from sigap.web import formatting

FUTURE_TOLERANCE = timedelta(minutes=5)
MAX_ERRORS_SHOWN = 50


def _rupiah(amount: int | Decimal) -> str:
    return formatting.money(amount)


def _describe(payment: Payment) -> str:
    """How an error names an existing payment: its amount, day and request."""
    day = formatting.short_date(payment.paid_at)
    if payment.request_id is not None:
        return _("%(amount)s on %(day)s, reconciled to request %(code)s") % {
            "amount": _rupiah(payment.amount),
            "day": day,
            "code": payment.request.receipt_code,  # type: ignore[union-attr]
        }
    return _("%(amount)s on %(day)s, not yet reconciled") % {
        "amount": _rupiah(payment.amount),
        "day": day,
    }


def _amount(value: Any, errors: dict[str, str]) -> int:
    try:
        amount = Decimal(str(value))
    except (InvalidOperation, ValueError):
        errors["amount"] = _("Not an amount.")
        return 0
    if amount <= 0:
        errors["amount"] = _("The amount must be more than zero.")
    elif amount != amount.to_integral_value():
        errors["amount"] = _("Write the amount in whole rupiah.")
    return int(amount) if "amount" not in errors else 0


def _request_for(user: Any, receipt_code: str, errors: dict[str, str]) -> ServiceRequest | None:
    """The request with this receipt code in the cashier's units; else an error on the field.
    A request outside the cashier's units gets the same answer as one that does not exist."""
    code = normalise_receipt_code(receipt_code)
    request = (
        ServiceRequest.objects.select_related("unit", "standard").filter(receipt_code=code).first()
        if code
        else None
    )
    if request is None or not can(user, Action.PAYMENT_HANDLE, request.unit):
        errors["receipt_code"] = _("No request with the receipt code “%s” in your units.") % (
            receipt_code.strip()
        )
        return None
    return request


@transaction.atomic
def payment_record(
    *,
    user: Any,
    unit: Unit,
    source: str,
    reference: str,
    amount: Decimal | int | str,
    paid_at: datetime,
    receipt_code: str = "",
    description: str = "",
) -> Payment:
    """Record a payment from its reference (what the receipt, the bank or the e-retribusi
    system shows); with a receipt code it is reconciled to that request at once."""
    require(user, Action.PAYMENT_HANDLE, unit)
    errors: dict[str, str] = {}
    if source not in EVIDENCE_SOURCES:
        errors["source"] = _("Unknown payment source “%s”.") % source
    ref = normalise_reference(reference)
    if not ref:
        errors["reference"] = _("The payment reference is required.")
    elif len(ref) > 64:
        errors["reference"] = _("The payment reference is longer than 64 characters.")
    value = _amount(amount, errors)
    if paid_at > timezone.now() + FUTURE_TOLERANCE:
        errors["paid_at"] = _("The payment time is in the future.")
    request = _request_for(user, receipt_code, errors) if receipt_code.strip() else None
    if "reference" not in errors and "source" not in errors:
        existing = (
            Payment.objects.select_related("request").filter(source=source, reference=ref).first()
        )
        if existing is not None:
            errors["reference"] = _("This reference is already recorded: %s.") % _describe(existing)
    if errors:
        raise ValidationError(errors)
    now = timezone.now()
    try:
        with transaction.atomic():
            payment = Payment.objects.create(
                source=source,
                reference=ref,
                amount=value,
                paid_at=paid_at,
                unit=unit,
                description=description.strip()[:300],
                request=request,
                reconciled_at=now if request else None,
                reconciled_by=user if request else None,
                recorded_by=user,
                recorded_at=now,
            )
    except IntegrityError as exc:  # the same reference recorded a moment ago by someone else
        raise ValidationError({"reference": _("This reference is already recorded.")}) from exc
    audit_record(
        actor=user,
        action="payment.record",
        obj=payment,
        data={
            "source": source,
            "reference": ref,
            "amount": value,
            "request": request.receipt_code if request else None,
        },
    )
    return payment


@transaction.atomic
def payment_reconcile(
    *,
    user: Any,
    source: str,
    reference: str,
    amount: Decimal | int | str,
    receipt_code: str,
) -> Payment:
    """Tie a recorded payment to the request it paid for. The cashier gives the reference and
    the amount as the receipt or the statement shows them; both must match what is on record."""
    if not has_any_role(user, Action.PAYMENT_HANDLE):
        raise PermissionDenied
    errors: dict[str, str] = {}
    ref = normalise_reference(reference)
    payment = (
        Payment.objects.select_for_update(of=("self",))
        .select_related("unit", "request")
        .filter(source=source, reference=ref)
        .first()
        if ref
        else None
    )
    if payment is None or not can(user, Action.PAYMENT_HANDLE, payment.unit):
        payment = None
        errors["reference"] = _("No payment with this reference is recorded in your units.")
    elif payment.source == Source.INTAKE:
        errors["reference"] = _("An amount typed at intake is not a payment reference.")
    elif payment.request_id is not None:
        errors["reference"] = _("This reference is already used: %s.") % _describe(payment)
    value = _amount(amount, errors)
    if (
        payment is not None
        and "amount" not in errors
        and "reference" not in errors
        and value != int(payment.amount)
    ):
        errors["amount"] = _("%(recorded)s is on record for this reference, not %(given)s.") % {
            "recorded": _rupiah(payment.amount),
            "given": _rupiah(value),
        }
    request = _request_for(user, receipt_code, errors)
    if errors:
        raise ValidationError(errors)
    assert payment is not None and request is not None
    payment.request = request
    payment.reconciled_at = timezone.now()
    payment.reconciled_by = user
    payment.save(update_fields=["request", "reconciled_at", "reconciled_by"])
    audit_record(
        actor=user,
        action="payment.reconcile",
        obj=payment,
        data={"reference": payment.reference, "request": request.receipt_code},
    )
    return payment


@dataclass(frozen=True)
class PreviewLine:
    line: int
    paid_at: datetime
    reference: str
    description: str
    amount: int
    receipt_code: str  # of the request it reconciles to; "" when left for the cashier


@dataclass
class StatementPreview:
    """What an import does (dry run) or did (applied)."""

    sha256: str
    lines: list[PreviewLine] = field(default_factory=list)
    skipped: int = 0
    applied: StatementImport | None = None

    @property
    def reconciled(self) -> int:
        return sum(1 for line in self.lines if line.receipt_code)

    @property
    def unreconciled(self) -> int:
        return len(self.lines) - self.reconciled


def _line_message(error: LineError) -> str:
    if error.column:
        return _("Line %(line)d, column “%(column)s”: %(message)s") % {
            "line": error.line,
            "column": error.column,
            "message": error.message,
        }
    return _("Line %(line)d: %(message)s") % {"line": error.line, "message": error.message}


def decode_statement(raw: bytes) -> str:
    """Statements come as UTF-8 (with or without a byte-order mark) or Windows-1252."""
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        return raw.decode("cp1252", errors="replace")


@transaction.atomic
def payment_import_statement(
    *,
    user: Any,
    unit: Unit,
    source: str,
    text: str,
    filename: str,
    apply: bool,
) -> StatementPreview:
    """Import a statement's credit lines as payments, all or nothing.

    A receipt code found in a line's description or reference reconciles that payment to the
    request (when the request is in the cashier's units); other lines are kept as unreconciled
    payments for the cashier. With `apply=False` (the dry run) nothing is written."""
    require(user, Action.PAYMENT_HANDLE, unit)
    if source not in STATEMENT_SOURCES:
        raise ValidationError({"source": _("Unknown statement source “%s”.") % source})
    digest = hashlib.sha256(text.encode()).hexdigest()
    parsed = parse_statement(text, timezone.get_current_timezone())
    errors = list(parsed.errors)
    now = timezone.now()
    for line in parsed.lines:
        if line.paid_at > now + FUTURE_TOLERANCE:
            errors.append(LineError(line.line, "", _("The payment date is in the future.")))
    existing = {
        p.reference: p
        for p in Payment.objects.select_related("request").filter(
            source=source, reference__in=[line.reference for line in parsed.lines]
        )
    }
    for line in parsed.lines:
        if line.reference in existing:
            errors.append(
                LineError(
                    line.line,
                    "",
                    _("The reference %(ref)s is already recorded: %(payment)s.")
                    % {"ref": line.reference, "payment": _describe(existing[line.reference])},
                )
            )
    if not parsed.lines and not errors:
        errors.append(LineError(1, "", _("The file holds no credit line.")))
    if errors:
        errors.sort(key=lambda e: e.line)
        messages = [_line_message(e) for e in errors[:MAX_ERRORS_SHOWN]]
        if len(errors) > MAX_ERRORS_SHOWN:
            messages.append(_("… and %d more problems.") % (len(errors) - MAX_ERRORS_SHOWN))
        raise ValidationError({"file": messages})

    candidates = {
        line.line: receipt_candidates(line.description, line.reference) for line in parsed.lines
    }
    requests = {
        r.receipt_code: r
        for r in ServiceRequest.objects.select_related("unit").filter(
            receipt_code__in=set().union(*candidates.values())
        )
        if can(user, Action.PAYMENT_HANDLE, r.unit)
    }
    preview = StatementPreview(sha256=digest, skipped=parsed.skipped)
    for line in parsed.lines:
        matched = sorted(code for code in candidates[line.line] if code in requests)
        preview.lines.append(
            PreviewLine(
                line=line.line,
                paid_at=line.paid_at,
                reference=line.reference,
                description=line.description,
                amount=line.amount,
                # Two receipt codes in one line: which one was paid is for the cashier to say.
                receipt_code=matched[0] if len(matched) == 1 else "",
            )
        )
    if not apply:
        return preview

    batch = StatementImport.objects.create(
        unit=unit,
        source=source,
        filename=filename[:200],
        sha256=digest,
        lines=len(preview.lines) + preview.skipped,
        payments=len(preview.lines),
        reconciled=preview.reconciled,
        imported_by=user,
        imported_at=now,
    )
    try:
        with transaction.atomic():
            Payment.objects.bulk_create(
                [
                    Payment(
                        source=source,
                        reference=line.reference,
                        amount=line.amount,
                        paid_at=line.paid_at,
                        unit=unit,
                        description=line.description,
                        request=requests[line.receipt_code] if line.receipt_code else None,
                        reconciled_at=now if line.receipt_code else None,
                        reconciled_by=user if line.receipt_code else None,
                        recorded_by=user,
                        recorded_at=now,
                        statement=batch,
                        statement_line=line.line,
                    )
                    for line in preview.lines
                ]
            )
    except IntegrityError as exc:
        raise ValidationError(
            {"file": [_("A reference of this file was recorded meanwhile; import it again.")]}
        ) from exc
    audit_record(
        actor=user,
        action="payment.import",
        obj=batch,
        data={
            "source": source,
            "sha256": digest,
            "payments": batch.payments,
            "reconciled": batch.reconciled,
            "skipped": preview.skipped,
        },
    )
    preview.applied = batch
    return preview
