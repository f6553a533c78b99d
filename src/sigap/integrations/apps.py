from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IntegrationsConfig(AppConfig):
    name = "sigap.integrations"
    verbose_name = _("National systems")

    def ready(self) -> None:
        # The SP4N-LAPOR! CSV import registers itself with sigap.onboarding.plan. Registered here,
        # not in sigap.onboarding's ready(): integrations imports onboarding (the plan), and an
        # import back from onboarding would close an import cycle between the apps.
        from sigap.integrations import lapor  # noqa: F401
