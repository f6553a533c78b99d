from django.apps import AppConfig


class OperationsConfig(AppConfig):
    """Backups, restores and the answers to passing outages; no models, no pages."""

    name = "sigap.operations"

    def ready(self) -> None:
        from django.core.signals import got_request_exception

        from sigap.operations.middleware import note_unavailable

        got_request_exception.connect(note_unavailable, dispatch_uid="sigap-unavailable")
