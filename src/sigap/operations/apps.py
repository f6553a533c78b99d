from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OperationsConfig(AppConfig):
    name = "sigap.operations"
    verbose_name = _("Operations")

    def ready(self) -> None:
        from django.core.signals import got_request_exception

        from sigap.operations.middleware import note_unavailable

        got_request_exception.connect(note_unavailable, dispatch_uid="sigap-unavailable")
