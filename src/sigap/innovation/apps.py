from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InnovationConfig(AppConfig):
    name = "sigap.innovation"
    verbose_name = _("Innovation")

    def ready(self) -> None:
        from sigap.documents import storage
        from sigap.innovation import checks  # noqa: F401  (registers the IID settings check)
        from sigap.innovation.answers import evidence_names

        # The IID's bukti dukung live in the document store: its sweep of orphan files keeps them.
        storage.register_owner(evidence_names)
