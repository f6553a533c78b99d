from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FrontdoorConfig(AppConfig):
    name = "sigap.frontdoor"
    verbose_name = _("Public service catalogue")
