from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AppraisalsConfig(AppConfig):
    name = "sigap.appraisals"
    verbose_name = _("Performance appraisal (SKP) and talent")
