from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ApiConfig(AppConfig):
    name = "sigap.api"
    label = "sigap_api"
    verbose_name = _("API keys")
