"""Innovations of the agency (the IID registry), ideas from staff, the agency's IID answers, and
the measured effect of innovations and roadmap actions.

The IID rules themselves (frames, weights, scoring) are pure configuration and functions in
`sigap.rules.innovation`; these models hold what the agency recorded and what sigap measured.
Indicators are keyed by their *name* key in the frame (numbering differs between sources and
years). Every change goes through the write functions of `sigap.innovation.services`, which are
audited.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from sigap.catalogue.models import Service
from sigap.leadership.models import RoadmapAction
from sigap.organisation.models import Agency, Employee, Unit


class Stage(models.TextChoices):
    """The tahapan of PP 38/2017: only innovations in application are scored for the IID."""

    INITIATIVE = "initiative", _("Initiative")
    TRIAL = "trial", _("Trial")
    APPLIED = "applied", _("Application")


class Initiator(models.TextChoices):
    HEAD_OF_REGION = "head_of_region", _("Head of region")
    DPRD = "dprd", _("DPRD member")
    ASN = "asn", _("Civil servant (ASN)")
    UNIT = "unit", _("Regional government unit")
    PUBLIC = "public", _("The public")


class Form(models.TextChoices):
    """Bentuk inovasi daerah."""

    GOVERNANCE = "governance", _("Regional governance")
    PUBLIC_SERVICE = "public_service", _("Public service")
    OTHER = "other", _("Other regional innovation")


class Kind(models.TextChoices):
    DIGITAL = "digital", _("Digital")
    NON_DIGITAL = "non_digital", _("Non-digital")


class TargetKpi(models.TextChoices):
    """The service KPI an innovation is meant to change (its primary outcome): judged at the
    configured confidence, the other KPIs together with a Bonferroni correction
    (`sigap.innovation.effects.levels`). The keys of `sigap.analytics.service_panel`."""

    LEAD_TIME = "lead_time", _("Lead time (working days)")
    SLA = "sla_share", _("Completion within the service standard's time")
    FIRST_TIME_RIGHT = "first_time_right", _("Files right the first time")
    IKM = "ikm", _("IKM")
    COMPLAINTS = "complaints_per_1000", _("Complaints per 1,000 requests")


class Innovation(models.Model):
    """One innovation as the IID profile describes it, linked to the units and services it
    changes. `stage` and the three dates move only through `services.innovation_set_stage`;
    the dates keep the order initiative <= trial <= application (checked there and here)."""

    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="innovations")
    name = models.CharField(_("name"), max_length=300)
    initiator = models.CharField(_("initiator"), max_length=20, choices=Initiator.choices)
    initiator_name = models.CharField(_("initiator's name"), max_length=200, blank=True)
    form = models.CharField(_("form"), max_length=20, choices=Form.choices)
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices)
    # A key of `sigap.rules.innovation.URUSAN` (the urusan pemerintahan of UU 23/2014).
    urusan = models.CharField(_("government affair (urusan)"), max_length=40)
    stage = models.CharField(_("stage"), max_length=12, choices=Stage.choices)
    initiated_on = models.DateField(_("initiative from"))
    trial_on = models.DateField(_("trial from"), null=True, blank=True)
    applied_on = models.DateField(_("application from"), null=True, blank=True)
    design = models.TextField(_("design (rancang bangun)"), blank=True)
    goals = models.TextField(_("goals"), blank=True)
    benefits = models.TextField(_("benefits"), blank=True)
    results = models.TextField(_("results"), blank=True)
    video_url = models.URLField(_("video link"), blank=True)
    # The indicator the innovation is meant to change (blank: none declared).
    target_kpi = models.CharField(
        _("indicator it aims to improve"), max_length=40, choices=TargetKpi.choices, blank=True
    )
    units = models.ManyToManyField(Unit, related_name="innovations", verbose_name=_("units"))
    services = models.ManyToManyField(
        Service, related_name="innovations", blank=True, verbose_name=_("services")
    )
    # A replication of another innovation of this registry (the original keeps its own record).
    replication_of = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="replications",
        verbose_name=_("replication of"),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(_("created at"))
    updated_at = models.DateTimeField(_("updated at"))

    class Meta:
        verbose_name = _("innovation")
        verbose_name_plural = _("innovations")
        ordering = ["-initiated_on", "name"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(trial_on__isnull=True)
                | models.Q(trial_on__gte=models.F("initiated_on")),
                name="innovation_trial_after_initiative",
            ),
            models.CheckConstraint(
                condition=models.Q(applied_on__isnull=True)
                | models.Q(applied_on__gte=models.F("initiated_on")),
                name="innovation_applied_after_initiative",
            ),
            models.CheckConstraint(
                condition=models.Q(applied_on__isnull=True)
                | models.Q(trial_on__isnull=True)
                | models.Q(applied_on__gte=models.F("trial_on")),
                name="innovation_applied_after_trial",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class StageChange(models.Model):
    """The history of an innovation's stage (the write function appends one row per move)."""

    innovation = models.ForeignKey(
        Innovation, on_delete=models.CASCADE, related_name="stage_changes"
    )
    stage = models.CharField(_("stage"), max_length=12, choices=Stage.choices)
    on = models.DateField(_("from"))
    note = models.TextField(_("note"), blank=True)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    at = models.DateTimeField(_("recorded at"))

    class Meta:
        verbose_name = _("stage change")
        verbose_name_plural = _("stage changes")
        ordering = ["innovation", "at", "pk"]

    def __str__(self) -> str:
        return f"{self.innovation} · {self.get_stage_display()} {self.on}"


class Replication(models.Model):
    """An adoption of `original` by another unit of this agency or by another region. When the
    adopter's own record is in this registry, `replica` points to it."""

    original = models.ForeignKey(
        Innovation, on_delete=models.CASCADE, related_name="adoptions", verbose_name=_("original")
    )
    adopter_unit = models.ForeignKey(
        Unit, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    # Another region (pemda) that adopted it; blank when the adopter is a unit of this agency.
    adopter_region = models.CharField(_("adopting region"), max_length=200, blank=True)
    replica = models.OneToOneField(
        Innovation,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="replication_record",
    )
    adopted_on = models.DateField(_("adopted on"))
    note = models.TextField(_("note"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    recorded_at = models.DateTimeField(_("recorded at"))

    class Meta:
        verbose_name = _("replication")
        verbose_name_plural = _("replications")
        ordering = ["original", "adopted_on"]
        constraints = [
            models.CheckConstraint(
                condition=(models.Q(adopter_unit__isnull=False) & models.Q(adopter_region=""))
                | (models.Q(adopter_unit__isnull=True) & ~models.Q(adopter_region="")),
                name="replication_one_adopter",
            )
        ]

    def __str__(self) -> str:
        return f"{self.original} → {self.adopter_unit or self.adopter_region}"


class _Evidence(models.Model):
    """A bukti dukung file in the document store (`sigap.documents.storage`: random name, never
    reachable by URL), checked like every upload (`sigap.documents.sniff`)."""

    evidence = models.CharField(_("supporting document"), max_length=64, blank=True, editable=False)
    evidence_name = models.CharField(_("file name"), max_length=200, blank=True)
    evidence_kind = models.CharField(_("file kind"), max_length=8, blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    answered_at = models.DateTimeField(_("answered at"))

    class Meta:
        abstract = True


class IndicatorAnswer(_Evidence):
    """The answer of one innovation to one SID indicator of a frame year: the parameter chosen
    (1..3; 0 = none or not accepted), a note, and its bukti dukung."""

    innovation = models.ForeignKey(Innovation, on_delete=models.CASCADE, related_name="answers")
    frame = models.PositiveSmallIntegerField(_("IID year"))
    indicator = models.CharField(_("indicator"), max_length=60)
    parameter = models.PositiveSmallIntegerField(_("parameter"))
    note = models.TextField(_("note"), blank=True)

    class Meta:
        verbose_name = _("innovation indicator answer")
        verbose_name_plural = _("innovation indicator answers")
        ordering = ["innovation", "frame", "indicator"]
        constraints = [
            models.UniqueConstraint(
                fields=["innovation", "frame", "indicator"], name="uniq_innovation_answer"
            ),
            models.CheckConstraint(
                condition=models.Q(parameter__lte=3), name="innovation_answer_parameter"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.innovation} · {self.frame} · {self.indicator}"


class SpdAnswer(_Evidence):
    """The agency's answer to one regional (SPD) indicator of a frame year, entered by HR or
    Bappeda: sigap holds little of this data. `weight` is the row's bobot as the year's pedoman
    gives it (the frame's default where known)."""

    agency = models.ForeignKey(Agency, on_delete=models.CASCADE, related_name="iid_spd_answers")
    frame = models.PositiveSmallIntegerField(_("IID year"))
    indicator = models.CharField(_("indicator"), max_length=60)
    weight = models.PositiveSmallIntegerField(_("weight"))
    parameter = models.PositiveSmallIntegerField(_("parameter"))
    note = models.TextField(_("note"), blank=True)

    class Meta:
        verbose_name = _("regional indicator answer")
        verbose_name_plural = _("regional indicator answers")
        ordering = ["agency", "frame", "indicator"]
        constraints = [
            models.UniqueConstraint(
                fields=["agency", "frame", "indicator"], name="uniq_spd_answer"
            ),
            models.CheckConstraint(
                condition=models.Q(parameter__lte=3), name="spd_answer_parameter"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.agency} · {self.frame} · {self.indicator}"


class IdeaSource(models.TextChoices):
    OWN = "own", _("Own observation")
    ROADMAP = "roadmap", _("Roadmap action")
    COMPLAINTS = "complaints", _("Complaint pattern")
    SKM = "skm", _("Weak SKM element")


class IdeaStatus(models.TextChoices):
    PROPOSED = "proposed", _("Proposed")
    ACCEPTED = "accepted", _("Accepted into the registry")
    DECLINED = "declined", _("Not taken up")


class Idea(models.Model):
    """An improvement proposed by an employee. Colleagues endorse it; the head of `unit`
    accepts it into the registry (creating an Innovation at the initiative stage) or answers why
    not. It may come from a roadmap action, a complaint pattern (a complaint category of the
    unit) or a weak SKM unsur (the unsur key), and links back to it."""

    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="ideas")
    title = models.CharField(_("title"), max_length=300)
    problem = models.TextField(_("problem"))
    proposal = models.TextField(_("proposal"))
    proposed_by = models.ForeignKey(Employee, on_delete=models.PROTECT, related_name="ideas")
    proposed_at = models.DateTimeField(_("proposed at"))
    source = models.CharField(
        _("source"), max_length=12, choices=IdeaSource.choices, default=IdeaSource.OWN
    )
    roadmap_action = models.ForeignKey(
        RoadmapAction, on_delete=models.SET_NULL, null=True, blank=True, related_name="ideas"
    )
    # For a complaint pattern: the complaint category; for an SKM unsur: the unsur key.
    source_key = models.CharField(_("source detail"), max_length=40, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=IdeaStatus.choices, default=IdeaStatus.PROPOSED
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decision_note = models.TextField(_("answer"), blank=True)
    innovation = models.OneToOneField(
        Innovation, on_delete=models.SET_NULL, null=True, blank=True, related_name="idea"
    )

    class Meta:
        verbose_name = _("idea")
        verbose_name_plural = _("ideas")
        ordering = ["-proposed_at"]
        indexes = [models.Index(fields=["unit", "status"])]

    def __str__(self) -> str:
        return self.title


class Endorsement(models.Model):
    idea = models.ForeignKey(Idea, on_delete=models.CASCADE, related_name="endorsements")
    employee = models.ForeignKey(Employee, on_delete=models.CASCADE, related_name="+")
    at = models.DateTimeField(_("endorsed at"))

    class Meta:
        verbose_name = _("endorsement")
        verbose_name_plural = _("endorsements")
        constraints = [
            models.UniqueConstraint(fields=["idea", "employee"], name="uniq_endorsement")
        ]

    def __str__(self) -> str:
        return f"{self.idea} · {self.employee}"


class Conclusion(models.TextChoices):
    IMPROVED = "improved", _("Improved")
    WORSENED = "worsened", _("Worsened")
    NO_EFFECT = "no_effect", _("No measurable effect")
    NO_CONCLUSION = "no_conclusion", _("No conclusion possible")


class InterventionEffect(models.Model):
    """The measured effect of an innovation in application or a completed roadmap action on one
    KPI of the service points (unit, service) it changed, against comparison service points
    chosen automatically (difference in differences, `sigap.analytics.impact`). Replaced by each
    `sigap innovation effects` run; `conclusion` says whether the data carry a claim at all."""

    class Subject(models.TextChoices):
        INNOVATION = "innovation", _("Innovation")
        ROADMAP_ACTION = "roadmap_action", _("Roadmap action")

    subject = models.CharField(_("subject"), max_length=16, choices=Subject.choices)
    innovation = models.ForeignKey(
        Innovation, on_delete=models.CASCADE, null=True, blank=True, related_name="effects"
    )
    action = models.ForeignKey(
        RoadmapAction, on_delete=models.CASCADE, null=True, blank=True, related_name="effects"
    )
    kpi = models.CharField(_("indicator"), max_length=40)
    starts_on = models.DateField(_("from"))
    treated = models.PositiveIntegerField(_("services changed"))
    comparison = models.PositiveIntegerField(_("comparison services"))
    # How the comparison was chosen ("same_service": the same service family at other units;
    # "matched": other services closest on pre-period level and trend) and which services (ids)
    # were used, so a reader can check.
    comparison_basis = models.CharField(_("comparison basis"), max_length=20, blank=True)
    comparison_services = models.JSONField(_("comparison services"), default=list)
    before = models.FloatField(_("before"), null=True)
    after = models.FloatField(_("after"), null=True)
    estimate = models.FloatField(_("difference in differences"), null=True)
    relative = models.FloatField(_("relative change"), null=True)
    ci_low = models.FloatField(_("CI low"), null=True)
    ci_high = models.FloatField(_("CI high"), null=True)
    # The confidence level of the interval and verdict: the configured one (0.95) for the
    # subject's primary KPI, Bonferroni-adjusted (1 - 0.05/m) for the m others.
    confidence = models.FloatField(_("confidence level"), default=0.95)
    primary = models.BooleanField(_("primary indicator"), default=False)
    pre_trend_p = models.FloatField(_("pre-trend p"), null=True)
    conclusion = models.CharField(_("conclusion"), max_length=20, choices=Conclusion.choices)
    # Why no conclusion, or the caveats, as Said parts.
    explanation = models.JSONField(_("explanation"), default=list)
    computed_at = models.DateTimeField(_("computed at"))

    class Meta:
        verbose_name = _("measured effect")
        verbose_name_plural = _("measured effects")
        ordering = ["-starts_on", "subject", "kpi"]
        constraints = [
            models.CheckConstraint(
                condition=(
                    models.Q(subject="innovation", innovation__isnull=False, action__isnull=True)
                    | models.Q(
                        subject="roadmap_action", innovation__isnull=True, action__isnull=False
                    )
                ),
                name="effect_one_subject",
            )
        ]

    def __str__(self) -> str:
        return f"{self.innovation or self.action} ({self.kpi})"
