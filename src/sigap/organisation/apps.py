from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OrganisationConfig(AppConfig):
    name = "sigap.organisation"
    verbose_name = _("Organisation")

    def ready(self) -> None:
        from sigap.organisation import signals  # noqa: F401
