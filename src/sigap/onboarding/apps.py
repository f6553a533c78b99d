from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OnboardingConfig(AppConfig):
    name = "sigap.onboarding"
    verbose_name = _("Onboarding")

    def ready(self) -> None:
        # Each import registers itself with sigap.onboarding.plan.register when imported.
        # (One line per importer module, added with the module.)
        from sigap.onboarding import accounts, employees, history, standards, units  # noqa: F401
