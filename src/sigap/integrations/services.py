"""Writes of the national-system exchanges: the record of each call, and the officer's
"complete with the signed product" step (docs/documents.md, "Signed products")."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from sigap.access import Action, can
from sigap.audit.services import audit_record
from sigap.documents import storage
from sigap.documents.models import Document
from sigap.documents.services import document_attach_product, max_bytes, refusal_message
from sigap.documents.sniff import Kind, Refused, clean
from sigap.integrations import signing
from sigap.integrations.models import Exchange, System
from sigap.organisation.models import Employee
from sigap.rules.nik import InvalidNik, parse_nik
from sigap.service_requests.duties import check_step
from sigap.service_requests.models import ServiceRequest, Status
from sigap.service_requests.services import service_request_complete_step
from sigap.web.rule_messages import nik_message

# Every PDF signature carries a /ByteRange (the signed bytes) in its signature dictionary: a PDF
# without one has no electronic signature at all. Only a first check of an uploaded "already
# signed" PDF, not a verification of the signature.
SIGNATURE_MARK = b"/ByteRange"


def signed_limit() -> int:
    """The largest signed product kept: the signature (certificates, timestamp, the signer's
    image) adds to a PDF that was at most `max_bytes()`."""
    return max_bytes() + 2 * 1024 * 1024


def _scrub(text: str, credentials: Credentials) -> str:
    """`text` (a server's words) without the officer's secrets, should a server echo them."""
    for secret in (credentials.passphrase, credentials.nik):
        if secret and len(secret) >= 4:
            text = text.replace(secret, "***")
    return text


def exchange_record(
    *,
    system: str,
    operation: str,
    direction: str,
    object_ref: str,
    ok: bool,
    status_code: int | None = None,
    summary: str = "",
    actor: Any = None,
) -> Exchange:
    """One call to a national system, as it ended. Never its payload: the caller passes a
    summary free of personal data and secrets."""
    return Exchange.objects.create(
        system=system,
        operation=operation[:60],
        direction=direction,
        object_ref=object_ref[:80],
        ok=ok,
        status_code=status_code,
        summary=summary[:300],
        at=timezone.now(),
        actor=actor if getattr(actor, "is_authenticated", False) else None,
    )


@dataclass(frozen=True)
class Credentials:
    """What the officer types to sign, for this one signature; never stored."""

    passphrase: str = ""
    nik: str = ""

    def __repr__(self) -> str:  # never the secrets, in a traceback or a log line
        return "Credentials(***)"


def signing_needed(request: ServiceRequest) -> bool:
    """Whether completing the current step of `request` takes its signed product: the
    standard says the product is signed and the current step is the procedure's last."""
    current = request.current_step
    if not request.standard.product_signed or request.status != Status.IN_PROGRESS:
        return False
    if current is None:
        return False
    return not request.standard.steps.filter(order__gt=current.order).exists()


def _signer_reference(officer: Employee) -> str:
    """Who signed, for the record: the employee and the account, never the NIK."""
    username = officer.user.get_username() if officer.user else ""
    return f"employee:{officer.pk} {username}".strip()


def _check_pdf(data: bytes, filename: str, *, limit: int) -> bytes:
    try:
        checked = clean(data, filename, max_bytes=limit)
    except Refused as refused:
        raise ValidationError({"file": refusal_message(refused)}) from None
    if checked.kind is not Kind.PDF:
        raise ValidationError({"file": _("The product to sign must be a PDF.")})
    return checked.data


def product_sign_and_complete(
    *,
    request: ServiceRequest,
    officer: Employee,
    data: bytes,
    filename: str,
    credentials: Credentials,
    note: str = "",
    signer: signing.Signer | None = None,
) -> Document:
    """The officer's last step of a service whose product is signed: have the product PDF
    signed (BSrE), attach the signed PDF as the product and record the step done.

    With signing on (SIGAP_SIGNING_ENABLED; `signer` in tests) sigap sends the PDF with the
    officer's passphrase (and NIK, or their e-mail address) to the esign server; the call is on
    the `Exchange` record whatever its outcome, and `document.sign` on the audit trail. With
    signing off, the officer uploads a PDF signed elsewhere, which must carry a signature.
    Either way the product and the step are written in one transaction: if signing or anything
    after it fails, neither is recorded and no file is kept. Returns the product.
    """
    user = officer.user
    if user is None or not can(user, Action.REQUEST_PROCESS, request.unit):
        raise PermissionDenied(_("You may not do this for the requests of this unit."))
    if not signing_needed(request):
        raise ValidationError(
            {"request": _("This step does not take a signed product: record it as done.")}
        )
    check_step(request, officer, request.current_step)  # before anything is sent for signing
    pdf = _check_pdf(data, filename, limit=max_bytes())
    conf = signing.conf()
    signer = signer if signer is not None else signing.configured_signer()
    signed_by = "upload"
    if signer is None:
        if SIGNATURE_MARK not in pdf:
            raise ValidationError(
                {
                    "file": _(
                        "This PDF carries no electronic signature. Electronic signing is not "
                        "set up in sigap: upload the product already signed."
                    )
                }
            )
        result = pdf
    else:
        result = _sign(request, officer, pdf, credentials, conf, signer)
        signed_by = signer.api
    doc: Document | None = None
    try:
        with transaction.atomic():
            doc = document_attach_product(
                request=request, user=user, data=result, filename=filename, limit=signed_limit()
            )
            service_request_complete_step(
                request=request, officer=officer, note=note, signed_product=True
            )
            audit_record(
                actor=user,
                action="document.sign",
                obj=doc,
                unit=request.unit,
                data={
                    "request": request.receipt_code,
                    "document": doc.pk,
                    "sha256_in": hashlib.sha256(pdf).hexdigest(),
                    "sha256_out": doc.sha256,
                    "signer": _signer_reference(officer),
                    "signed_by": signed_by,
                },
            )
    except BaseException:
        if doc is not None:  # the row went with the transaction: the file goes too
            storage.remove(doc.stored_name)
        raise
    return doc


def _sign(
    request: ServiceRequest,
    officer: Employee,
    pdf: bytes,
    credentials: Credentials,
    conf: signing.SigningConf,
    signer: signing.Signer,
) -> bytes:
    errors: dict[str, str] = {}
    if not credentials.passphrase:
        errors["passphrase"] = _("Type your signing passphrase.")
    nik = email = ""
    if conf.identity == "email":
        email = (officer.user.email if officer.user else "").strip()
        if not email:
            errors["nik"] = _("Your sigap account has no e-mail address to sign with.")
    else:
        try:
            nik = parse_nik(credentials.nik).value
        except InvalidNik as exc:
            errors["nik"] = nik_message(exc)
    if errors:
        raise ValidationError(errors)
    operation = "sign/pdf " + getattr(signer, "api", "")
    ref = f"request:{request.receipt_code}"
    try:
        signed = signer.sign(
            pdf,
            signer_nik=nik,
            signer_email=email,
            passphrase=credentials.passphrase,
            reason=_("Product of service request %(code)s") % {"code": request.receipt_code},
            location=request.unit.name,
        )
    except signing.SigningError as exc:
        exchange_record(system=System.BSRE, operation=operation, direction="push",
                        object_ref=ref, ok=False, status_code=exc.status_code,
                        summary=_scrub(exc.summary, credentials), actor=officer.user)  # fmt: skip
        raise ValidationError({"signing": _scrub(exc.message, credentials)}) from None
    try:
        checked = _check_pdf(signed, "signed.pdf", limit=signed_limit())
    except ValidationError:
        exchange_record(system=System.BSRE, operation=operation, direction="push",
                        object_ref=ref, ok=False, status_code=200,
                        summary="the signed PDF was refused by the document checks",
                        actor=officer.user)  # fmt: skip
        raise ValidationError(
            {"signing": _("The signed PDF returned by the signing server cannot be accepted.")}
        ) from None
    exchange_record(system=System.BSRE, operation=operation, direction="push", object_ref=ref,
                    ok=True, status_code=200,
                    summary=f"signed, {len(pdf)} → {len(checked)} bytes",
                    actor=officer.user)  # fmt: skip
    return checked
