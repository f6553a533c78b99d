from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ThrottlingConfig(AppConfig):
    name = "sigap.throttling"
    label = "sigap_throttling"
    verbose_name = _("Rate limits")
