"""Precomputed service performance ("Kinerja layanan"): narrow tables filled by
`sigap analytics refresh` from the analytics store, read by the page with a filter on unit and
service. Every table is replaced whole by each run; nothing here is edited by hand."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from sigap.catalogue.models import Service
from sigap.organisation.models import Employee, Unit


class PerformanceRun(models.Model):
    """One refresh of the analytics store and of the result tables below."""

    finished_at = models.DateTimeField(_("finished at"))
    seconds = models.FloatField(_("seconds"), default=0)
    changed_cases = models.PositiveIntegerField(_("changed cases"), default=0)
    total_events = models.PositiveIntegerField(_("events in the store"), default=0)
    watermark = models.CharField(_("watermark"), max_length=40, blank=True)

    class Meta:
        verbose_name = _("performance run")
        verbose_name_plural = _("performance runs")
        ordering = ["-finished_at"]

    def __str__(self) -> str:
        return f"{self.finished_at:%Y-%m-%d %H:%M}"


class UnitServicePerformance(models.Model):
    """Performance of one service at one unit, over the whole store."""

    unit = models.ForeignKey(Unit, on_delete=models.CASCADE, related_name="+")
    service = models.ForeignKey(Service, on_delete=models.CASCADE, related_name="+")
    volume = models.PositiveIntegerField(_("requests"), default=0)
    closed = models.PositiveIntegerField(_("closed"), default=0)
    lead_wd_median = models.FloatField(_("lead time median (working days)"), null=True)
    lead_wd_p90 = models.FloatField(_("lead time p90 (working days)"), null=True)
    sla_cases = models.PositiveIntegerField(_("judged against the SLA"), default=0)
    sla_met = models.PositiveIntegerField(_("within the SLA"), default=0)
    sla_share = models.FloatField(_("SLA compliance"), null=True)
    first_time_right = models.PositiveIntegerField(_("first time right"), default=0)
    first_time_right_share = models.FloatField(_("first-time-right share"), null=True)
    backlog_open = models.PositiveIntegerField(_("open requests"), default=0)
    backlog_over_sla = models.PositiveIntegerField(_("open beyond the SLA"), default=0)
    backlog_age_max = models.PositiveIntegerField(_("oldest open (working days)"), default=0)
    conformance_cases = models.PositiveIntegerField(_("cases checked"), default=0)
    conforming = models.PositiveIntegerField(_("conforming cases"), default=0)
    conformance_share = models.FloatField(_("conformance"), null=True)

    class Meta:
        verbose_name = _("service performance")
        verbose_name_plural = _("service performance")
        ordering = ["unit__path", "service__code"]
        constraints = [
            models.UniqueConstraint(fields=["unit", "service"], name="uniq_perf_unit_service")
        ]

    def __str__(self) -> str:
        return f"{self.unit} · {self.service}"


class StepBottleneck(models.Model):
    """The waiting a step adds: time from the previous event of the case until the step."""

    perf = models.ForeignKey(
        UnitServicePerformance, on_delete=models.CASCADE, related_name="bottlenecks"
    )
    rank = models.PositiveSmallIntegerField(_("rank"))
    activity = models.CharField(_("step"), max_length=200)
    events = models.PositiveIntegerField(_("events"))
    total_wait_days = models.FloatField(_("total waiting (days)"))
    median_wait_days = models.FloatField(_("median waiting (days)"))
    share_of_waiting = models.FloatField(_("share of all waiting"))

    class Meta:
        verbose_name = _("step bottleneck")
        verbose_name_plural = _("step bottlenecks")
        ordering = ["perf", "rank"]

    def __str__(self) -> str:
        return self.activity


class ProcessDeviation(models.Model):
    """A deviation from the declared procedure and how many cases show it."""

    perf = models.ForeignKey(
        UnitServicePerformance, on_delete=models.CASCADE, related_name="deviations"
    )
    rank = models.PositiveSmallIntegerField(_("rank"))
    kind = models.CharField(_("kind"), max_length=20)
    activity = models.CharField(_("step"), max_length=200)
    cases = models.PositiveIntegerField(_("cases"))

    class Meta:
        verbose_name = _("process deviation")
        verbose_name_plural = _("process deviations")
        ordering = ["perf", "rank"]

    def __str__(self) -> str:
        return f"{self.kind}: {self.activity}"


class OfficerScore(models.Model):
    """Scorecard of an officer for a service (only officers above the minimum sample)."""

    perf = models.ForeignKey(
        UnitServicePerformance, on_delete=models.CASCADE, related_name="scorecards"
    )
    officer = models.ForeignKey(Employee, on_delete=models.CASCADE, related_name="+")
    cases = models.PositiveIntegerField(_("cases"))
    steps = models.PositiveIntegerField(_("steps"))
    handling_median_hours = models.FloatField(_("median handling (hours)"))
    sla_cases = models.PositiveIntegerField(_("judged against the SLA"))
    sla_share = models.FloatField(_("SLA compliance"), null=True)
    rework_caused = models.PositiveIntegerField(_("steps redone"))
    throughput_percentile = models.FloatField(_("throughput percentile"))
    speed_percentile = models.FloatField(_("speed percentile"))
    peers = models.PositiveIntegerField(_("peers"))

    class Meta:
        verbose_name = _("officer scorecard")
        verbose_name_plural = _("officer scorecards")
        ordering = ["perf", "-cases"]

    def __str__(self) -> str:
        return str(self.officer)


class DataQualityFinding(models.Model):
    """One data-quality check of a run: on the operational records of one unit (`unit` set), or
    on the analytics store as a whole (`unit` empty). Kept per run, so a page shows the last
    run's findings; only counts and a few receipt codes or step names, no personal data."""

    run = models.ForeignKey(PerformanceRun, on_delete=models.CASCADE, related_name="findings")
    unit = models.ForeignKey(Unit, on_delete=models.CASCADE, null=True, related_name="+")
    code = models.CharField(_("check"), max_length=40)
    count = models.PositiveIntegerField(_("found"))
    total = models.PositiveIntegerField(_("checked"))
    examples = models.JSONField(_("examples"), default=list)

    class Meta:
        verbose_name = _("data-quality finding")
        verbose_name_plural = _("data-quality findings")
        ordering = ["run", "code", "unit"]

    def __str__(self) -> str:
        return f"{self.code}: {self.count}"
