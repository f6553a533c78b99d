from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SigninConfig(AppConfig):
    name = "sigap.signin"
    verbose_name = _("Staff log-in")
