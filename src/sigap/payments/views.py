"""The cashier's pages: record a payment, reconcile the unreconciled ones, import a statement.

Every change goes through `sigap.payments.services`, which checks the right again."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from sigap.access import Action, has_any_role, scoped
from sigap.organisation.models import Unit
from sigap.payments import selectors, services
from sigap.payments.forms import MAX_STATEMENT_BYTES, ReconcileForm, RecordForm, StatementForm
from sigap.web.errors import errors_to_form


def _units(request: HttpRequest) -> QuerySet[Unit]:
    if not has_any_role(request.user, Action.PAYMENT_HANDLE):
        raise PermissionDenied
    return scoped(request.user, Action.PAYMENT_HANDLE, Unit.objects.all(), "").order_by("path")


def _cashier_page(
    request: HttpRequest,
    record_form: RecordForm,
    reconcile_form: ReconcileForm,
    status: int = 200,
) -> HttpResponse:
    unreconciled = selectors.unreconciled(request.user)
    context: dict[str, Any] = {
        "record_form": record_form,
        "reconcile_form": reconcile_form,
        "unreconciled": unreconciled[:100],
        "unreconciled_count": unreconciled.count(),
        "recent": selectors.recent(request.user)[:30],
    }
    return render(request, "payments/cashier.html", context, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def cashier(request: HttpRequest) -> HttpResponse:
    units = _units(request)
    form = RecordForm(request.POST or None, units=units)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            payment = services.payment_record(
                user=request.user,
                unit=data["unit"],
                source=data["source"],
                reference=data["reference"],
                amount=data["amount"],
                paid_at=data["paid_at"],
                receipt_code=data["receipt_code"],
                description=data["description"],
            )
        except ValidationError as exc:
            errors_to_form(form, exc)
        else:
            if payment.request_id:
                messages.success(
                    request,
                    _("Payment %(ref)s recorded and reconciled to request %(code)s.")
                    % {"ref": payment.reference, "code": data["receipt_code"].strip().upper()},
                )
            else:
                messages.success(
                    request,
                    _("Payment %s recorded; it waits for its request below.") % payment.reference,
                )
            return redirect("payments_cashier")
    return _cashier_page(request, form, ReconcileForm(prefix="manual"))


@login_required
@require_POST
def reconcile(request: HttpRequest) -> HttpResponse:
    units = _units(request)
    # One form, whether it came from a row of the list or from the manual form below it.
    prefix = "manual" if "manual-reference" in request.POST else None
    form = ReconcileForm(request.POST, prefix=prefix)
    if form.is_valid():
        data = form.cleaned_data
        try:
            payment = services.payment_reconcile(
                user=request.user,
                source=data["source"],
                reference=data["reference"],
                amount=data["amount"],
                receipt_code=data["receipt_code"],
            )
        except ValidationError as exc:
            errors_to_form(form, exc)
        else:
            messages.success(
                request,
                _("Payment %(ref)s reconciled to request %(code)s.")
                % {"ref": payment.reference, "code": data["receipt_code"].strip().upper()},
            )
            return redirect("payments_cashier")
    if prefix is None:  # show the row's problem in the manual form, with what was sent
        bound = ReconcileForm(
            {f"manual-{k}": v for k, v in request.POST.items() if k != "csrfmiddlewaretoken"},
            prefix="manual",
        )
        bound.is_valid()
        for name, errs in form.errors.items():
            for err in errs:
                bound.add_error(name if name in bound.fields else None, err)
        form = bound
    return _cashier_page(request, RecordForm(units=units), form, status=400)


@login_required
@require_http_methods(["GET", "POST"])
def statement_import(request: HttpRequest) -> HttpResponse:
    units = _units(request)
    form = StatementForm(request.POST or None, request.FILES or None, units=units)
    problems: list[str] = []
    preview: services.StatementPreview | None = None
    confirm: StatementForm | None = None
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        upload = data["file"]
        apply = "apply" in request.POST and not upload
        if upload:
            raw = upload.read(MAX_STATEMENT_BYTES + 1)
            text, filename = services.decode_statement(raw), upload.name or ""
            if len(raw) > MAX_STATEMENT_BYTES:
                form.add_error("file", _("The file is larger than 2 MB; split the statement."))
        else:
            text, filename = data["content"], data["filename"]
            if not text:
                form.add_error("file", _("Choose the statement file."))
        if form.is_valid():
            try:
                preview = services.payment_import_statement(
                    user=request.user,
                    unit=data["unit"],
                    source=data["source"],
                    text=text,
                    filename=filename,
                    apply=apply,
                )
            except ValidationError as exc:
                problems = [m for msgs in exc.message_dict.values() for m in msgs]
            else:
                if preview.applied is not None:
                    messages.success(
                        request,
                        _(
                            "%(n)d payments imported: %(r)d reconciled, %(u)d waiting for "
                            "their request."
                        )
                        % {
                            "n": len(preview.lines),
                            "r": preview.reconciled,
                            "u": preview.unreconciled,
                        },
                    )
                    return redirect("payments_cashier")
                confirm = StatementForm(
                    initial={
                        "unit": data["unit"],
                        "source": data["source"],
                        "content": text,
                        "filename": filename,
                    },
                    units=units,
                )
    return render(
        request,
        "payments/import.html",
        {"form": form, "problems": problems, "preview": preview, "confirm": confirm},
        status=400 if problems else 200,
    )
