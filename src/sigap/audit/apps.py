from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AuditConfig(AppConfig):
    name = "sigap.audit"
    verbose_name = _("Audit trail")

    def ready(self) -> None:
        from django.contrib.admin.models import LogEntry
        from django.db.models.signals import post_save

        from sigap.audit.signals import admin_change

        post_save.connect(admin_change, sender=LogEntry, dispatch_uid="sigap.audit.admin_change")
