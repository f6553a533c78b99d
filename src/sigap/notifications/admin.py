from __future__ import annotations

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from sigap.notifications.contact import mask
from sigap.notifications.models import Outbox
from sigap.web.admin import ReadOnlyAdmin


@admin.register(Outbox)
class OutboxAdmin(ReadOnlyAdmin):
    """Read-only: messages are written by the write functions and the sender, never by hand.
    The recipient is shown masked, as on every staff page."""

    list_display = ("created_at", "event", "channel", "masked_recipient", "state", "attempts",
                    "sent_at", "last_error")  # fmt: skip
    list_filter = ("state", "channel", "event")
    fields = ("created_at", "event", "template_key", "channel", "masked_recipient", "text",
              "state", "attempts", "next_attempt_at", "last_error", "sent_at",
              "provider_message_id")  # fmt: skip
    readonly_fields = fields
    ordering = ("-created_at",)
    show_full_result_count = False

    @admin.display(description=_("recipient"))
    def masked_recipient(self, obj: Outbox) -> str:
        return mask(obj.recipient)
