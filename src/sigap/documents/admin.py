"""Documents in the admin: read-only (the bytes are handed out only by the access-checked view)."""

from django.contrib import admin

from sigap.documents.models import Document
from sigap.web.admin import ReadOnlyAdmin


@admin.register(Document)
class DocumentAdmin(ReadOnlyAdmin):
    list_display = [
        "request",
        "purpose",
        "requirement",
        "kind",
        "size",
        "uploaded_at",
        "deleted_at",
    ]
    list_filter = ["purpose", "kind"]
    search_fields = ["request__receipt_code"]
    exclude = ["stored_name", "sha256"]
    list_select_related = ("request",)
