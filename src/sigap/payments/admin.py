"""Payments change only through sigap.payments.services (validated, audited): read-only here."""

from django.contrib import admin

from sigap.payments.models import Payment, StatementImport
from sigap.web.admin import ReadOnlyAdmin


@admin.register(Payment)
class PaymentAdmin(ReadOnlyAdmin):
    list_display = ["reference", "source", "amount", "paid_at", "unit", "request"]
    list_filter = ["source"]
    list_select_related = ["unit", "request"]
    search_fields = ["reference", "request__receipt_code"]


@admin.register(StatementImport)
class StatementImportAdmin(ReadOnlyAdmin):
    list_display = ["filename", "unit", "source", "lines", "payments", "imported_at"]
