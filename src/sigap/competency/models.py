"""Competency development (issue #15): the competency dictionary and the agency's standards per
position, assessment results, links from procedure steps to competencies, training records
(JP), the computed gaps, the yearly development plan (AKPK) and the measured effect of training.

The rules (JP conversion, the 20-JP duty, JPM and its bands) are pure functions in
`sigap.rules.competency`; the gaps, the plan and the training effects are written by refreshes
and read by the pages, which never compute them themselves.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from sigap.catalogue.models import Service
from sigap.organisation.models import Agency, Employee, Position, Unit
from sigap.rules.competency import MAX_LEVEL, MIN_LEVEL, Route

LEVEL_RANGE = Q(level__gte=MIN_LEVEL) & Q(level__lte=MAX_LEVEL)

ROUTE_LABELS: dict[str, object] = {
    Route.TUGAS_BELAJAR: _("Study assignment (tugas belajar)"),
    Route.IZIN_BELAJAR: _("Study permit (izin belajar)"),
    Route.STRUKTURAL_KEPEMIMPINAN: _("Leadership training (pelatihan kepemimpinan)"),
    Route.MANAJERIAL: _("Managerial training"),
    Route.TEKNIS: _("Technical training"),
    Route.FUNGSIONAL: _("Functional training"),
    Route.SOSIAL_KULTURAL: _("Socio-cultural training"),
    Route.SEMINAR: _("Seminar or conference"),
    Route.WORKSHOP: _("Workshop"),
    Route.KURSUS: _("Course (kursus)"),
    Route.PENATARAN: _("Upgrading (penataran)"),
    Route.BIMBINGAN_TEKNIS: _("Technical guidance (bimbingan teknis)"),
    Route.SOSIALISASI: _("Socialisation (sosialisasi)"),
    Route.COACHING: _("Coaching"),
    Route.MENTORING: _("Mentoring"),
    Route.E_LEARNING: _("E-learning"),
    Route.JARAK_JAUH: _("Distance training (pelatihan jarak jauh)"),
    Route.DETASERING: _("Secondment (detasering)"),
    Route.ALAM_TERBUKA: _("Outdoor learning (pembelajaran alam terbuka)"),
    Route.PATOK_BANDING: _("Benchmarking visit (patok banding)"),
    Route.PERTUKARAN: _("Civil-servant exchange (pertukaran PNS)"),
    Route.BELAJAR_MANDIRI: _("Self-study (belajar mandiri)"),
    Route.KOMUNITAS_BELAJAR: _("Learning community (komunitas belajar)"),
    Route.BIMBINGAN_DI_TEMPAT_KERJA: _("On-the-job guidance (bimbingan di tempat kerja)"),
    Route.MAGANG: _("Internship (magang)"),
}
ROUTE_CHOICES = [(str(code), label) for code, label in ROUTE_LABELS.items()]


class Competency(models.Model):
    """A competency: one of the national dictionary (PermenPANRB 38/2017: 8 manajerial and
    Perekat Bangsa; `agency` empty) or a technical competency an agency defines."""

    class Group(models.TextChoices):
        MANAJERIAL = "manajerial", _("Managerial")
        SOSIAL_KULTURAL = "sosial_kultural", _("Socio-cultural")
        TEKNIS = "teknis", _("Technical")

    code = models.SlugField(_("code"), max_length=60, unique=True)
    name = models.CharField(_("name"), max_length=200)
    group = models.CharField(_("group"), max_length=20, choices=Group.choices)
    agency = models.ForeignKey(
        Agency, on_delete=models.PROTECT, null=True, blank=True, related_name="competencies"
    )
    definition = models.TextField(_("definition"), blank=True)

    class Meta:
        verbose_name = _("competency")
        verbose_name_plural = _("competencies")
        ordering = ["group", "name"]

    def __str__(self) -> str:
        return self.name


class CompetencyLevel(models.Model):
    """What a level (1–5) of a competency means: one line per level."""

    competency = models.ForeignKey(Competency, on_delete=models.CASCADE, related_name="levels")
    level = models.PositiveSmallIntegerField(_("level"))
    description = models.TextField(_("description"))

    class Meta:
        verbose_name = _("competency level")
        verbose_name_plural = _("competency levels")
        ordering = ["competency", "level"]
        constraints = [
            models.UniqueConstraint(fields=["competency", "level"], name="uniq_competency_level"),
            models.CheckConstraint(condition=LEVEL_RANGE, name="competency_level_1_to_5"),
        ]

    def __str__(self) -> str:
        return f"{self.competency} {self.level}"


class StandardVersion(models.Model):
    """A version of the agency's standar kompetensi jabatan: the required level per position and
    competency from `valid_from` until the next version. Old versions are kept (history)."""

    agency = models.ForeignKey(
        Agency, on_delete=models.PROTECT, related_name="competency_standards"
    )
    valid_from = models.DateField(_("valid from"))
    note = models.CharField(_("note"), max_length=300, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("competency standard version")
        verbose_name_plural = _("competency standard versions")
        ordering = ["agency", "-valid_from"]
        constraints = [
            models.UniqueConstraint(
                fields=["agency", "valid_from"], name="uniq_competency_standard_version"
            )
        ]

    def __str__(self) -> str:
        return f"{self.agency} {self.valid_from}"


class PositionRequirement(models.Model):
    """The level a position requires of a competency, in one standard version."""

    version = models.ForeignKey(
        StandardVersion, on_delete=models.CASCADE, related_name="requirements"
    )
    position = models.ForeignKey(Position, on_delete=models.PROTECT, related_name="+")
    competency = models.ForeignKey(Competency, on_delete=models.PROTECT, related_name="+")
    level = models.PositiveSmallIntegerField(_("required level"))

    class Meta:
        verbose_name = _("position requirement")
        verbose_name_plural = _("position requirements")
        constraints = [
            models.UniqueConstraint(
                fields=["version", "position", "competency"], name="uniq_position_requirement"
            ),
            models.CheckConstraint(condition=LEVEL_RANGE, name="requirement_level_1_to_5"),
        ]

    def __str__(self) -> str:
        return f"{self.position}: {self.competency} {self.level}"


class Assessment(models.Model):
    """One assessed level of an employee on a competency. All results are kept (history); the
    employee's profile is the latest result per competency."""

    class Method(models.TextChoices):
        ASSESSMENT_CENTRE = "assessment_centre", _("Assessment centre")
        UJI_KOMPETENSI = "uji_kompetensi", _("Competency test (uji kompetensi)")
        FEEDBACK_360 = "feedback_360", _("360-degree feedback")

    class Source(models.TextChoices):
        ENTERED = "entered", _("Entered by HR")
        IMPORTED = "imported", _("Imported")

    employee = models.ForeignKey(Employee, on_delete=models.CASCADE, related_name="assessments")
    competency = models.ForeignKey(Competency, on_delete=models.PROTECT, related_name="+")
    level = models.PositiveSmallIntegerField(_("level"))
    assessed_on = models.DateField(_("assessed on"))
    method = models.CharField(_("method"), max_length=20, choices=Method.choices)
    source = models.CharField(_("source"), max_length=10, choices=Source.choices)
    source_file = models.CharField(_("imported from"), max_length=200, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    recorded_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    class Meta:
        verbose_name = _("assessment result")
        verbose_name_plural = _("assessment results")
        ordering = ["employee", "competency", "-assessed_on", "-id"]
        indexes = [models.Index(fields=["employee", "competency", "assessed_on"])]
        constraints = [
            models.CheckConstraint(condition=LEVEL_RANGE, name="assessment_level_1_to_5")
        ]

    def __str__(self) -> str:
        return f"{self.employee} {self.competency} {self.level}"


class CareerTarget(models.Model):
    """The position an employee is being developed for (talent pool, succession): the gap is
    also read against its standard."""

    employee = models.OneToOneField(
        Employee, on_delete=models.CASCADE, related_name="career_target"
    )
    position = models.ForeignKey(Position, on_delete=models.PROTECT, related_name="+")
    set_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    set_on = models.DateField(_("set on"))

    class Meta:
        verbose_name = _("target position")
        verbose_name_plural = _("target positions")

    def __str__(self) -> str:
        return f"{self.employee} → {self.position}"


class StepCompetency(models.Model):
    """A procedure step of a service (the activity name of the event log) and a technical
    competency it needs, e.g. "Verifikasi berkas" ↔ verification of population documents."""

    service = models.ForeignKey(Service, on_delete=models.CASCADE, related_name="+")
    step = models.CharField(_("procedure step"), max_length=200)
    competency = models.ForeignKey(Competency, on_delete=models.PROTECT, related_name="steps")

    class Meta:
        verbose_name = _("step competency")
        verbose_name_plural = _("step competencies")
        constraints = [
            models.UniqueConstraint(
                fields=["service", "step", "competency"], name="uniq_step_competency"
            )
        ]

    def __str__(self) -> str:
        return f"{self.service} / {self.step} ↔ {self.competency}"


class TrainingRecord(models.Model):
    """A development activity of an employee (any route of Peraturan LAN 10/2018) with its JP.

    `jp` is computed from the route, dates, hours and sessions by `sigap.rules.competency` when
    the record is written (the conversion in force then), and stored so that a later change of
    the agency's conversion table does not rewrite history.
    """

    class Source(models.TextChoices):
        ENTERED = "entered", _("Entered by HR")
        SIASN = "siasn", _("Imported from SIASN")

    employee = models.ForeignKey(Employee, on_delete=models.CASCADE, related_name="trainings")
    title = models.CharField(_("title"), max_length=300)
    route = models.CharField(_("route"), max_length=40, choices=ROUTE_CHOICES)
    starts_on = models.DateField(_("start date"))
    ends_on = models.DateField(_("end date"))
    hours = models.DecimalField(_("hours"), max_digits=7, decimal_places=2)
    sessions = models.PositiveSmallIntegerField(_("sessions"), null=True, blank=True)
    jp = models.DecimalField(_("JP"), max_digits=7, decimal_places=2)
    provider = models.CharField(_("provider"), max_length=300, blank=True)
    # The certificate PDF in the document store (`sigap.documents.storage`: a random name, never
    # reachable by URL; handed out by `sigap.competency.records.certificate_open` only).
    certificate = models.CharField(_("certificate"), max_length=64, blank=True, editable=False)
    certificate_number = models.CharField(_("certificate number"), max_length=100, blank=True)
    competencies = models.ManyToManyField(Competency, blank=True, related_name="trainings")
    # A training aimed at one procedure step of one service: its effect on that step is measured.
    service = models.ForeignKey(
        Service, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    step = models.CharField(_("procedure step"), max_length=200, blank=True)
    source = models.CharField(_("source"), max_length=10, choices=Source.choices)
    source_file = models.CharField(_("imported from"), max_length=200, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    recorded_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    class Meta:
        verbose_name = _("training record")
        verbose_name_plural = _("training records")
        ordering = ["employee", "-starts_on"]
        indexes = [models.Index(fields=["employee", "ends_on"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__gte=models.F("starts_on")), name="training_ends_after_start"
            ),
            models.CheckConstraint(condition=Q(hours__gte=0), name="training_hours_not_negative"),
            models.CheckConstraint(condition=Q(jp__gte=0), name="training_jp_not_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.employee}: {self.title}"


class GapRefresh(models.Model):
    """One run of the gap and AKPK refresh."""

    finished_at = models.DateTimeField(_("finished at"))
    seconds = models.FloatField(_("duration (s)"))
    gaps = models.PositiveIntegerField(_("gaps"))

    class Meta:
        verbose_name = _("gap refresh")
        verbose_name_plural = _("gap refreshes")
        ordering = ["-finished_at"]

    def __str__(self) -> str:
        return str(self.finished_at)


class CompetencyGap(models.Model):
    """A gap of one employee on one competency, from one side, with the figures that show it.
    Written by the gap refresh (each run replaces all rows); pages only read these."""

    class Kind(models.TextChoices):
        CURRENT_POSITION = "current", _("Below the standard of the current position")
        TARGET_POSITION = "target", _("Below the standard of the target position")
        PERFORMANCE = "performance", _("Performance on a procedure step below peers")
        SOFT_SKILL = "soft_skill", _("Conduct towards citizens below peers")

    employee = models.ForeignKey(Employee, on_delete=models.CASCADE, related_name="competency_gaps")
    competency = models.ForeignKey(Competency, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    required_level = models.PositiveSmallIntegerField(_("required level"), null=True)
    actual_level = models.PositiveSmallIntegerField(_("assessed level"), null=True)
    # Levels short for a profile gap; for the evidence gaps, how far below peers (a share, 0-1).
    size = models.FloatField(_("gap size"))
    service = models.ForeignKey(Service, on_delete=models.SET_NULL, null=True, related_name="+")
    step = models.CharField(_("procedure step"), max_length=200, blank=True)
    # Requests that went through the steps concerned in the last 12 months.
    citizens_affected = models.PositiveIntegerField(_("requests affected"), default=0)
    # The sentences that show the gap, as `sigap.leadership.models.Said` parts (msgid, params).
    evidence = models.JSONField(_("evidence"), default=list)
    computed_at = models.DateTimeField(_("computed at"))

    class Meta:
        verbose_name = _("competency gap")
        verbose_name_plural = _("competency gaps")
        ordering = ["employee", "-size"]
        indexes = [models.Index(fields=["employee", "kind"])]

    def __str__(self) -> str:
        return f"{self.employee}: {self.competency} ({self.kind})"


class DevelopmentPlan(models.Model):
    """The AKPK of one year: of a unit, or of the whole agency (`unit` empty). Generated from the
    gaps as a draft, then approved by the unit head and by HR (write functions, audited)."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        UNIT_APPROVED = "unit_approved", _("Approved by the unit head")
        APPROVED = "approved", _("Approved by HR")

    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+")
    unit = models.ForeignKey(
        Unit, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    year = models.PositiveSmallIntegerField(_("year"))
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default="draft")
    generated_at = models.DateTimeField(_("generated at"))
    unit_approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    unit_approved_at = models.DateTimeField(
        _("approved by the unit head at"), null=True, blank=True
    )
    hr_approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    hr_approved_at = models.DateTimeField(_("approved by HR at"), null=True, blank=True)

    class Meta:
        verbose_name = _("development plan (AKPK)")
        verbose_name_plural = _("development plans (AKPK)")
        ordering = ["-year", "agency", "unit"]
        constraints = [
            models.UniqueConstraint(fields=["agency", "unit", "year"], name="uniq_akpk_unit_year"),
            models.UniqueConstraint(
                fields=["agency", "year"],
                condition=Q(unit__isnull=True),
                name="uniq_akpk_agency_year",
            ),
        ]

    def __str__(self) -> str:
        return f"AKPK {self.year} {self.unit or self.agency}"


class PlanItem(models.Model):
    """One line of an AKPK: a competency to develop in some employees, by a route, with a
    provider, schedule and budget, ranked by gap × citizens affected."""

    plan = models.ForeignKey(DevelopmentPlan, on_delete=models.CASCADE, related_name="items")
    rank = models.PositiveIntegerField(_("rank"))
    competency = models.ForeignKey(Competency, on_delete=models.PROTECT, related_name="+")
    employees = models.ManyToManyField(Employee, related_name="plan_items")
    # The procedure step concerned, for an item built from performance gaps on one step.
    service = models.ForeignKey(
        Service, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    step = models.CharField(_("procedure step"), max_length=200, blank=True)
    route = models.CharField(_("route"), max_length=40, choices=ROUTE_CHOICES)
    provider = models.CharField(_("provider"), max_length=300, blank=True)
    month = models.PositiveSmallIntegerField(_("scheduled month"), null=True, blank=True)
    jp = models.DecimalField(_("planned JP"), max_digits=7, decimal_places=2, default=0)
    budget = models.DecimalField(_("budget (Rp)"), max_digits=14, decimal_places=0, default=0)
    priority = models.FloatField(_("priority"))
    gap_size = models.FloatField(_("gap size"))
    citizens_affected = models.PositiveIntegerField(_("requests affected"), default=0)
    evidence = models.JSONField(_("evidence"), default=list)
    # Set when someone changed the route, provider, month, JP or budget: a regenerated draft
    # keeps these values for the same competency and step.
    edited_at = models.DateTimeField(_("edited at"), null=True, blank=True)

    class Meta:
        verbose_name = _("development plan item")
        verbose_name_plural = _("development plan items")
        ordering = ["plan", "rank"]
        constraints = [
            models.CheckConstraint(
                condition=Q(month__isnull=True) | (Q(month__gte=1) & Q(month__lte=12)),
                name="plan_item_month_1_to_12",
            )
        ]

    def __str__(self) -> str:
        return f"{self.rank}. {self.competency}"


class TrainingEffect(models.Model):
    """The measured effect of a training aimed at a procedure step on the trained officers' step
    KPIs, against comparable untrained officers (difference in differences,
    `sigap.analytics.impact`). Written by the effect refresh; `conclusion` says whether the data
    carry a claim at all."""

    class Conclusion(models.TextChoices):
        IMPROVED = "improved", _("Improved")
        WORSENED = "worsened", _("Worsened")
        NO_EFFECT = "no_effect", _("No measurable effect")
        NO_CONCLUSION = "no_conclusion", _("No conclusion possible")

    title = models.CharField(_("training"), max_length=300)
    service = models.ForeignKey(Service, on_delete=models.CASCADE, related_name="+")
    step = models.CharField(_("procedure step"), max_length=200)
    starts_on = models.DateField(_("first training date"))
    participants = models.PositiveIntegerField(_("trained officers"))
    comparison = models.PositiveIntegerField(_("comparison officers"))
    kpi = models.CharField(_("indicator"), max_length=40)
    before = models.FloatField(_("trained officers before"), null=True)
    after = models.FloatField(_("trained officers after"), null=True)
    estimate = models.FloatField(_("difference in differences"), null=True)
    relative = models.FloatField(_("relative change"), null=True)
    ci_low = models.FloatField(_("95% CI low"), null=True)
    ci_high = models.FloatField(_("95% CI high"), null=True)
    pre_trend_p = models.FloatField(_("pre-trend p"), null=True)
    conclusion = models.CharField(_("conclusion"), max_length=20, choices=Conclusion.choices)
    # Why no conclusion, or the caveats, as Said parts.
    explanation = models.JSONField(_("explanation"), default=list)
    computed_at = models.DateTimeField(_("computed at"))

    class Meta:
        verbose_name = _("training effect")
        verbose_name_plural = _("training effects")
        ordering = ["-starts_on", "title", "kpi"]

    def __str__(self) -> str:
        return f"{self.title} ({self.kpi})"
