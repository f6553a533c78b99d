from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SigninConfig(AppConfig):
    name = "sigap.signin"
    verbose_name = _("Staff log-in")

    def ready(self) -> None:
        from django.contrib.auth.signals import user_logged_in

        from sigap.signin.middleware import stamp_at_login

        user_logged_in.connect(stamp_at_login, dispatch_uid="sigap.signin.stamp_at_login")
