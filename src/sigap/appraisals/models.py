"""SKP (PermenPANRB 6/2022): yearly plans, periodic and yearly appraisals, their corrections,
organisation ratings, potential scores, unexcused absences and the precomputed evidence.

Every row that belongs to a unit carries `unit` (copied from the employee when written) so
scoping is one indexed filter, as elsewhere in sigap. State changes go through `services.py`.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from sigap.organisation.models import Employee, Unit
from sigap.rules.skp import OrgPredikat as RuleOrgPredikat
from sigap.rules.skp import PeriodKind as RulePeriodKind
from sigap.rules.skp import Predikat as RulePredikat
from sigap.rules.skp import Rating as RuleRating

YEARLY = 0  # `Appraisal.period` of the yearly evaluation; periodic ones are numbered from 1


class Rating(models.TextChoices):
    DI_ATAS = RuleRating.DI_ATAS.value, _("Above expectations (di atas ekspektasi)")
    SESUAI = RuleRating.SESUAI.value, _("Meets expectations (sesuai ekspektasi)")
    DI_BAWAH = RuleRating.DI_BAWAH.value, _("Below expectations (di bawah ekspektasi)")


class Predikat(models.TextChoices):
    SANGAT_BAIK = RulePredikat.SANGAT_BAIK.value, "Sangat Baik"
    BAIK = RulePredikat.BAIK.value, "Baik"
    BUTUH_PERBAIKAN = RulePredikat.BUTUH_PERBAIKAN.value, "Butuh Perbaikan"
    KURANG = RulePredikat.KURANG.value, "Kurang/Misconduct"
    SANGAT_KURANG = RulePredikat.SANGAT_KURANG.value, "Sangat Kurang"


class OrgPredikat(models.TextChoices):
    ISTIMEWA = RuleOrgPredikat.ISTIMEWA.value, "Istimewa"
    BAIK = RuleOrgPredikat.BAIK.value, "Baik"
    BUTUH_PERBAIKAN = RuleOrgPredikat.BUTUH_PERBAIKAN.value, "Butuh Perbaikan/Cukup"
    KURANG = RuleOrgPredikat.KURANG.value, "Kurang"
    SANGAT_KURANG = RuleOrgPredikat.SANGAT_KURANG.value, "Sangat Kurang"


class PeriodKind(models.TextChoices):
    BULANAN = RulePeriodKind.BULANAN.value, _("Monthly")
    TRIWULANAN = RulePeriodKind.TRIWULANAN.value, _("Quarterly")
    SEMESTERAN = RulePeriodKind.SEMESTERAN.value, _("Semester")


class EvidenceKey(models.TextChoices):
    """Which objective measure an indicator is checked against (shown beside its target)."""

    NONE = "", _("None (rater's judgement)")
    THROUGHPUT = "throughput", _("Steps completed")
    SLA_SHARE = "sla_share", _("Share of completed requests within the SLA")
    REWORK = "rework_rate", _("Returns per request handled")
    MEDIAN_HOURS = "median_hours", _("Median handling time (hours)")
    IKM = "ikm", _("IKM of the requests handled")
    COMPLAINTS = "complaints", _("Complaints about the officer")


class PerformancePlan(models.Model):
    """The SKP of one employee for one year: results with indicators and targets."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        AGREED = "agreed", _("Agreed")

    employee = models.ForeignKey(Employee, on_delete=models.CASCADE, related_name="plans")
    unit = models.ForeignKey(Unit, on_delete=models.CASCADE, related_name="+")
    year = models.PositiveSmallIntegerField(_("year"))
    # The rater (pejabat penilai) when the plan was made: the employee's supervisor.
    rater = models.ForeignKey(
        Employee, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    period_kind = models.CharField(
        _("evaluation period"), max_length=12, choices=PeriodKind.choices
    )
    status = models.CharField(
        _("status"), max_length=8, choices=Status.choices, default=Status.DRAFT
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("performance plan (SKP)")
        verbose_name_plural = _("performance plans (SKP)")
        constraints = [
            models.UniqueConstraint(fields=["employee", "year"], name="uniq_plan_employee_year")
        ]
        indexes = [models.Index(fields=["unit", "year"])]

    def __str__(self) -> str:
        return f"SKP {self.year} {self.employee}"


class PlanResult(models.Model):
    """A rencana hasil kerja, cascaded from a result of the rater's own plan when it has one."""

    plan = models.ForeignKey(PerformancePlan, on_delete=models.CASCADE, related_name="results")
    order = models.PositiveSmallIntegerField()
    text = models.CharField(_("planned result"), max_length=500)
    parent = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="cascaded",
        verbose_name=_("cascaded from"),
    )

    class Meta:
        verbose_name = _("planned result")
        verbose_name_plural = _("planned results")
        ordering = ["plan", "order"]

    def __str__(self) -> str:
        return self.text


class PlanIndicator(models.Model):
    result = models.ForeignKey(PlanResult, on_delete=models.CASCADE, related_name="indicators")
    text = models.CharField(_("indicator"), max_length=500)
    target = models.CharField(_("target"), max_length=100)
    evidence_key = models.CharField(
        _("objective evidence"), max_length=16, choices=EvidenceKey.choices, blank=True
    )

    class Meta:
        verbose_name = _("indicator")
        verbose_name_plural = _("indicators")
        ordering = ["result", "pk"]

    def __str__(self) -> str:
        return f"{self.text}: {self.target}"


class Appraisal(models.Model):
    """One evaluation: a period of the year (1..n) or the yearly one (`period` = 0)."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        FINAL = "final", _("Final")

    plan = models.ForeignKey(PerformancePlan, on_delete=models.CASCADE, related_name="appraisals")
    unit = models.ForeignKey(Unit, on_delete=models.CASCADE, related_name="+")
    period = models.PositiveSmallIntegerField(_("period"))
    hasil_kerja = models.CharField(_("work results"), max_length=8, choices=Rating.choices)
    perilaku_kerja = models.CharField(_("work behaviour"), max_length=8, choices=Rating.choices)
    predikat = models.CharField(_("predikat"), max_length=16, choices=Predikat.choices)
    # Notes per BerAKHLAK value code, and the optional feedback that informed the rating.
    behaviour_notes = models.JSONField(default=dict, blank=True)
    peer_feedback = models.TextField(_("peer feedback"), blank=True)
    citizen_feedback = models.TextField(_("citizen feedback"), blank=True)
    # Why Sangat Baik although the Inspektorat confirmed an integrity finding in the period
    # (required then by `services`); emptied when the predikat is no longer Sangat Baik.
    integrity_justification = models.TextField(
        _("justification despite a confirmed integrity finding"), blank=True
    )
    status = models.CharField(
        _("status"), max_length=6, choices=Status.choices, default=Status.DRAFT
    )
    rated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    rated_at = models.DateTimeField()
    finalised_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("appraisal")
        verbose_name_plural = _("appraisals")
        constraints = [
            models.UniqueConstraint(fields=["plan", "period"], name="uniq_appraisal_period"),
            models.CheckConstraint(
                condition=Q(status="draft") | Q(finalised_at__isnull=False),
                name="appraisal_final_has_time",
            ),
        ]
        indexes = [models.Index(fields=["unit", "period", "status"])]

    def __str__(self) -> str:
        return f"{self.plan} #{self.period} {self.predikat}"

    @property
    def is_final(self) -> bool:
        return self.status == self.Status.FINAL


class AppraisalHistory(models.Model):
    """Every write to a plan or an appraisal: who, what, when, old → new."""

    plan = models.ForeignKey(PerformancePlan, on_delete=models.CASCADE, related_name="history")
    appraisal = models.ForeignKey(
        Appraisal, on_delete=models.CASCADE, null=True, blank=True, related_name="history"
    )
    action = models.CharField(_("action"), max_length=30)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    at = models.DateTimeField()
    detail = models.JSONField(default=dict)

    class Meta:
        verbose_name = _("appraisal history entry")
        verbose_name_plural = _("appraisal history")
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.action}"


class AppraisalCorrection(models.Model):
    """A reasoned change of a final appraisal: a correction by the rater or an HR calibration."""

    class Kind(models.TextChoices):
        CORRECTION = "correction", _("Correction")
        CALIBRATION = "calibration", _("Calibration (HR)")

    appraisal = models.ForeignKey(Appraisal, on_delete=models.CASCADE, related_name="corrections")
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices)
    old_hasil_kerja = models.CharField(max_length=8, choices=Rating.choices)
    old_perilaku_kerja = models.CharField(max_length=8, choices=Rating.choices)
    old_predikat = models.CharField(max_length=16, choices=Predikat.choices)
    new_hasil_kerja = models.CharField(max_length=8, choices=Rating.choices)
    new_perilaku_kerja = models.CharField(max_length=8, choices=Rating.choices)
    new_predikat = models.CharField(max_length=16, choices=Predikat.choices)
    reason = models.TextField(_("reason"))
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    at = models.DateTimeField()

    class Meta:
        verbose_name = _("appraisal correction")
        verbose_name_plural = _("appraisal corrections")
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.appraisal}: {self.old_predikat} → {self.new_predikat}"


class OrgRating(models.Model):
    """Predikat kinerja organisasi of a unit for a year, set by the higher leader."""

    unit = models.ForeignKey(Unit, on_delete=models.CASCADE, related_name="org_ratings")
    year = models.PositiveSmallIntegerField(_("year"))
    predikat = models.CharField(
        _("organisation predikat"), max_length=16, choices=OrgPredikat.choices
    )
    set_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    set_at = models.DateTimeField()

    class Meta:
        verbose_name = _("organisation rating")
        verbose_name_plural = _("organisation ratings")
        constraints = [models.UniqueConstraint(fields=["unit", "year"], name="uniq_org_rating")]

    def __str__(self) -> str:
        return f"{self.unit} {self.year}: {self.get_predikat_display()}"


class PotentialScore(models.Model):
    """An imported potential score (0–100, e.g. from an assessment centre) for the 9-box."""

    employee = models.ForeignKey(
        Employee, on_delete=models.CASCADE, related_name="potential_scores"
    )
    unit = models.ForeignKey(Unit, on_delete=models.CASCADE, related_name="+")
    year = models.PositiveSmallIntegerField(_("year"))
    score = models.DecimalField(_("potential score"), max_digits=5, decimal_places=2)
    source = models.CharField(_("source"), max_length=200, blank=True)
    imported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    imported_at = models.DateTimeField()

    class Meta:
        verbose_name = _("potential score")
        verbose_name_plural = _("potential scores")
        constraints = [
            models.UniqueConstraint(fields=["employee", "year"], name="uniq_potential_year"),
            models.CheckConstraint(
                condition=Q(score__gte=0) & Q(score__lte=100), name="potential_0_to_100"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.employee} {self.year}: {self.score}"


class AbsenceRecord(models.Model):
    """A working day of unexcused absence (tanpa alasan yang sah), PP 94/2021."""

    employee = models.ForeignKey(Employee, on_delete=models.CASCADE, related_name="absences")
    unit = models.ForeignKey(Unit, on_delete=models.CASCADE, related_name="+")
    date = models.DateField(_("date"))
    note = models.CharField(_("note"), max_length=300, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    recorded_at = models.DateTimeField()

    class Meta:
        verbose_name = _("unexcused absence")
        verbose_name_plural = _("unexcused absences")
        constraints = [
            models.UniqueConstraint(fields=["employee", "date"], name="uniq_absence_day")
        ]
        ordering = ["employee", "date"]

    def __str__(self) -> str:
        return f"{self.employee} {self.date}"


class EvidenceSnapshot(models.Model):
    """Objective evidence of one officer for one year, filled by `sigap refresh-evidence`.

    `ikm` and `complaints` stay null where no survey answer / complaint data exists.
    """

    employee = models.ForeignKey(Employee, on_delete=models.CASCADE, related_name="evidence")
    unit = models.ForeignKey(Unit, on_delete=models.CASCADE, related_name="+")
    year = models.PositiveSmallIntegerField(_("year"))
    requests_handled = models.PositiveIntegerField(_("requests handled"), default=0)
    throughput = models.PositiveIntegerField(_("steps completed"), default=0)
    completed = models.PositiveIntegerField(_("completed requests worked on"), default=0)
    sla_share = models.FloatField(_("share within the SLA"), null=True, blank=True)
    returns = models.PositiveIntegerField(_("returns"), default=0)
    rework_rate = models.FloatField(_("returns per request"), null=True, blank=True)
    median_hours = models.FloatField(_("median handling time (hours)"), null=True, blank=True)
    ikm = models.FloatField("IKM", null=True, blank=True)
    ikm_respondents = models.PositiveIntegerField(default=0)
    complaints = models.PositiveIntegerField(_("complaints"), null=True, blank=True)
    composite = models.FloatField(_("evidence score (0–1)"), null=True, blank=True)
    computed_at = models.DateTimeField()

    class Meta:
        verbose_name = _("evidence snapshot")
        verbose_name_plural = _("evidence snapshots")
        constraints = [
            models.UniqueConstraint(fields=["employee", "year"], name="uniq_evidence_year")
        ]
        indexes = [models.Index(fields=["unit", "year"])]

    def __str__(self) -> str:
        return f"{self.employee} {self.year}"
