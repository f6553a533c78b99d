"""What onboarding keeps: a record of every import run, and the link from an imported
history case to the request it became (so re-running the same file changes nothing)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from sigap.organisation.models import Agency
from sigap.service_requests.models import ServiceRequest


class ImportKind(models.TextChoices):
    UNITS = "units", _("Unit tree")
    EMPLOYEES = "employees", _("Employees")
    STANDARDS = "standards", _("Service standards")
    HISTORY = "history", _("Request history")
    LAPOR = "lapor", _("SP4N-LAPOR! reports")


class ImportRun(models.Model):
    """One dry run or apply of one file: who, what file (its hash, never its content), what the
    plan counted and whether it was applied."""

    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="import_runs")
    kind = models.CharField(_("import"), max_length=12, choices=ImportKind.choices)
    file_name = models.CharField(_("file name"), max_length=200)
    sha256 = models.CharField(max_length=64)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    started_at = models.DateTimeField(_("started at"))
    applied = models.BooleanField(_("applied"), default=False)
    # {"create": n, "update": n, "deactivate": n, "unchanged": n, "errors": n, "warnings": n}
    counts = models.JSONField(_("counts"), default=dict)

    class Meta:
        verbose_name = _("import run")
        verbose_name_plural = _("import runs")
        ordering = ["-started_at"]

    def __str__(self) -> str:
        return f"{self.kind} {self.file_name} {self.started_at:%Y-%m-%d %H:%M}"


class HistoryCase(models.Model):
    """A case of an imported history log and the request it became.

    `digest` is a hash of the case's imported events: the same case in a later file with the
    same events is left alone; with more events at the end, the new ones are appended."""

    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+")
    source = models.CharField(_("source application"), max_length=60)
    case_id = models.CharField(_("case id in the source"), max_length=200)
    request = models.OneToOneField(
        ServiceRequest, on_delete=models.CASCADE, related_name="history_case"
    )
    digest = models.CharField(max_length=64)
    events = models.PositiveIntegerField(_("events imported"))

    class Meta:
        verbose_name = _("imported history case")
        verbose_name_plural = _("imported history cases")
        constraints = [
            models.UniqueConstraint(
                fields=["agency", "source", "case_id"], name="uniq_history_case"
            )
        ]

    def __str__(self) -> str:
        return f"{self.source}:{self.case_id}"
