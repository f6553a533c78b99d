"""What the demo generator built, and the ground truth of the patterns it planted."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class DemoBuild(models.Model):
    """One run of `sigap demo`: the database holds demo data while a row exists."""

    seed = models.PositiveIntegerField(_("seed"))
    until = models.DateField(_("last day of the period"))
    requests = models.PositiveIntegerField(_("requested number of service requests"))
    is_clean = models.BooleanField(_("without planted integrity patterns"), default=False)
    agency = models.ForeignKey(
        "organisation.Agency", on_delete=models.SET_NULL, null=True, related_name="+"
    )
    seconds = models.FloatField(_("build time (s)"), default=0)
    built_at = models.DateTimeField(_("built at"), auto_now_add=True)

    class Meta:
        verbose_name = _("demo build")
        verbose_name_plural = _("demo builds")

    def __str__(self) -> str:
        return f"demo seed={self.seed} until={self.until}"


class PlantedPattern(models.Model):
    """A pattern the generator planted on purpose: what an analysis should find.

    `subject` names what it is about (an officer's NIP, a service code, "service/step");
    `detail` holds the parameters and, for per-request patterns, the receipt codes.
    """

    class Kind(models.TextChoices):
        SLOW_OFFICER = "slow_officer", _("Slow officer")
        FAST_OFFICER = "fast_officer", _("Fast officer")
        HIGH_RETURN_OFFICER = "high_return_officer", _("Officer with a high return rate")
        BOTTLENECK = "bottleneck", _("Bottleneck step")
        REWORK = "rework", _("Rework loop")
        DEVIATION = "deviation", _("Deviation from the declared procedure")
        STANDARD_VERSION = "standard_version", _("New service-standard version")
        SEASONALITY = "seasonality", _("Seasonal volume")
        OVERCHARGING = "overcharging", _("Overcharging officer")
        QUEUE_JUMPING = "queue_jumping", _("Queue-jumping officer")
        GROUP_DISPARITY = "group_disparity", _("One applicant group waits longer")
        RATING_INFLATION = "rating_inflation", _("Inflated performance ratings")
        ABSENCE = "absence", _("Absences")
        IKM_WEAKEST_UNSUR = "ikm_weakest_unsur", _("A unit's weakest SKM element")
        SLOW_COMPLAINT_FOLLOW_UP = "slow_complaint_follow_up", _("Slow complaint follow-up")
        PUNGLI_COMPLAINTS = "pungli_complaints", _("Pungli complaints about overchargers")
        TRAINING_EFFECT = "training_effect", _("Training with a known effect on a step")
        INNOVATION_EFFECT = "innovation_effect", _("Innovation with a known effect on services")

    build = models.ForeignKey(DemoBuild, on_delete=models.CASCADE, related_name="patterns")
    kind = models.CharField(_("kind"), max_length=24, choices=Kind.choices)
    subject = models.CharField(_("subject"), max_length=200)
    detail = models.JSONField(_("detail"), default=dict)

    class Meta:
        verbose_name = _("planted pattern")
        verbose_name_plural = _("planted patterns")
        ordering = ["kind", "subject"]

    def __str__(self) -> str:
        return f"{self.kind}: {self.subject}"
