from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CompetencyConfig(AppConfig):
    name = "sigap.competency"
    verbose_name = _("Competency development")

    def ready(self) -> None:
        from sigap.competency import checks  # noqa: F401  (registers the settings check)
        from sigap.competency.records import certificate_names
        from sigap.documents import storage

        # The certificates live in the document store: its sweep of orphan files keeps them.
        storage.register_owner(certificate_names)
