"""The service catalogue: services and their versioned service standards (PermenPANRB 15/2014)."""

from __future__ import annotations

from datetime import date

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.functional import lazy
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from sigap.accounts.models import Role
from sigap.catalogue.requirements import InvalidRequirements, Requirement, parse_requirements
from sigap.organisation.models import Unit
from sigap.rules.duties import StepDuty


class LifeEvent(models.Model):
    """A moment in a citizen's life (peristiwa kehidupan: a birth, moving house, opening a
    business) through which the public catalogue is browsed: people look for what they need
    when something happens to them, not by the office that serves it."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=100)
    description = models.CharField(_("description"), max_length=300, blank=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("life event")
        verbose_name_plural = _("life events")
        ordering = ["order", "name"]

    def __str__(self) -> str:
        return self.name


RETENTION_MIN_DAYS = 30
RETENTION_MAX_DAYS = 3650
"""The range of a service's own document retention period: at least a month (a file is not
deleted before anyone could look back at it), at most ten years (a longer period is an archive,
not a service's working copy)."""


def _retention_range() -> str:
    return gettext("Between %(low)s and %(high)s days, or empty for the agency default.") % {
        "low": RETENTION_MIN_DAYS,
        "high": RETENTION_MAX_DAYS,
    }


_RETENTION_RANGE = lazy(_retention_range, str)()


class Service(models.Model):
    """A jenis layanan delivered by a unit, e.g. "Penerbitan KTP-el" at a Dukcapil counter."""

    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="services")
    code = models.SlugField(_("code"), max_length=60, unique=True)
    name = models.CharField(_("name"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    # The same service offered by several units (every kecamatan's Surat Keterangan Domisili)
    # shares a family key: it is what "the same service elsewhere" means when an innovation's
    # effect is measured against comparison services (sigap.innovation.effects). Blank: none.
    family = models.SlugField(
        _("service family"),
        max_length=60,
        blank=True,
        help_text=_(
            "The same key for the same service offered by several units, e.g. every "
            "kecamatan's certificate of domicile. Empty when no other unit offers it."
        ),
    )
    is_active = models.BooleanField(_("active"), default=True)
    life_events = models.ManyToManyField(
        LifeEvent, blank=True, related_name="services", verbose_name=_("life events")
    )
    # Read through sigap.documents.services.retention_days(service), never directly: empty
    # means the agency default.
    document_retention_days = models.PositiveSmallIntegerField(
        _("document retention (days)"),
        null=True,
        blank=True,
        help_text=_(
            "Days after a request of this service is finished before its uploaded files and its "
            "product are deleted. Empty: the agency's default period."
        ),
        validators=[
            MinValueValidator(RETENTION_MIN_DAYS, message=_RETENTION_RANGE),
            MaxValueValidator(RETENTION_MAX_DAYS, message=_RETENTION_RANGE),
        ],
    )

    class Meta:
        verbose_name = _("service")
        verbose_name_plural = _("services")
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(document_retention_days__isnull=True)
                | Q(
                    document_retention_days__gte=RETENTION_MIN_DAYS,
                    document_retention_days__lte=RETENTION_MAX_DAYS,
                ),
                name="service_document_retention_range",
                violation_error_message=_RETENTION_RANGE,
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def standard_on(self, day: date) -> ServiceStandard | None:
        """The version of the service standard in force on `day`."""
        return (
            self.standards.filter(valid_from__lte=day)
            .filter(Q(valid_until__isnull=True) | Q(valid_until__gte=day))
            .order_by("-valid_from")
            .first()
        )


class ServiceStandard(models.Model):
    """One version of a service's standar pelayanan (the 14 components of PermenPANRB 15/2014).

    Versions never change once requests refer to them: a new version is added with its own
    `valid_from`, and a request is judged against the version in force when it was submitted.
    """

    service = models.ForeignKey(Service, on_delete=models.PROTECT, related_name="standards")
    version = models.PositiveIntegerField(_("version"))
    # Empty while the version is a draft (sigap.catalogue.services): a draft is never in force,
    # since every reader selects by `valid_from <= day`, which no NULL satisfies.
    valid_from = models.DateField(_("in force from"), null=True, blank=True)
    valid_until = models.DateField(_("in force until"), null=True, blank=True)
    # Service-delivery components (published).
    requirements = models.JSONField(_("requirements (persyaratan)"), default=list)
    sla_working_days = models.PositiveSmallIntegerField(
        _("time limit in working days (jangka waktu)"), validators=[MinValueValidator(1)]
    )
    tariff_rupiah = models.DecimalField(
        _("tariff in rupiah (0 = free)"),
        max_digits=14,
        decimal_places=0,
        validators=[MinValueValidator(0)],
    )
    product = models.CharField(_("product (produk pelayanan)"), max_length=300)
    complaint_channel = models.CharField(
        _("complaint handling (penanganan pengaduan)"), max_length=300
    )
    # Manufacturing components.
    legal_basis = models.TextField(_("legal basis (dasar hukum)"))
    facilities = models.TextField(_("facilities (sarana, prasarana)"), blank=True)
    officer_competency = models.TextField(_("officer competency"), blank=True)
    internal_supervision = models.TextField(_("internal supervision"), blank=True)
    number_of_officers = models.PositiveSmallIntegerField(_("number of officers"), default=1)
    service_guarantee = models.TextField(_("service guarantee"), blank=True)
    security_guarantee = models.TextField(_("security and safety guarantee"), blank=True)
    officer_evaluation = models.TextField(_("evaluation of officers"), blank=True)
    # Whether the procedure needs the applicant at the counter (biometrics, a test, collecting
    # the original): such requests can book a counter slot (sigap.booking).
    # The product (produk pelayanan) is a document signed electronically (BSrE): the officer's
    # last step then takes the PDF and sigap has it signed (sigap.integrations.signing).
    product_signed = models.BooleanField(_("product is signed electronically"), default=False)
    needs_presence = models.BooleanField(_("applicant must come in person"), default=False)

    class Meta:
        verbose_name = _("service standard")
        verbose_name_plural = _("service standards")
        ordering = ["service", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["service", "version"], name="uniq_standard_version"),
            # One version per day, so the version in force on a day is never ambiguous.
            models.UniqueConstraint(
                fields=["service", "valid_from"],
                name="uniq_standard_valid_from",
                violation_error_message=_(
                    "Another version of this service's standard takes effect on the same day."
                ),
            ),
            models.CheckConstraint(
                condition=Q(tariff_rupiah__gte=0), name="standard_tariff_not_negative"
            ),
            models.CheckConstraint(
                condition=Q(sla_working_days__gte=1), name="standard_sla_positive"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.service} v{self.version}"

    def clean(self) -> None:
        if self.tariff_rupiah is not None and self.tariff_rupiah < 0:
            raise ValidationError({"tariff_rupiah": _("The tariff cannot be negative.")})
        if self.valid_until and (self.valid_from is None or self.valid_until < self.valid_from):
            raise ValidationError({"valid_until": _("The end date is before the start date.")})

    def requirement_list(self) -> list[Requirement]:
        """The requirements as the pages show them (names and kinds); an unreadable list (only
        possible through a raw database edit) shows as none rather than as its raw data."""
        try:
            return parse_requirements(self.requirements)
        except InvalidRequirements:
            return []

    def in_force_on(self, day: date) -> bool:
        """Whether this version is the one in force on `day` (what `Service.standard_on`
        selects, for a standard already in hand)."""
        if self.valid_from is None:  # a draft
            return False
        return self.valid_from <= day and (self.valid_until is None or self.valid_until >= day)

    @property
    def is_draft(self) -> bool:
        return self.valid_from is None

    def status_on(self, day: date) -> str:
        """ "draft", "scheduled" (published, not yet in force), "in_force" or "past"."""
        if self.valid_from is None:
            return "draft"
        if self.valid_from > day:
            return "scheduled"
        return "in_force" if self.in_force_on(day) else "past"

    def ordered_steps(self) -> list[ProcedureStep]:
        return list(self.steps.select_related("other_officer_than").order_by("order"))


class ProcedureStep(models.Model):
    """One step of the declared procedure (sistem, mekanisme, dan prosedur).

    A step may also declare who may complete it (separation of duties, `sigap.rules.duties`):
    nothing (any officer who processes the unit's requests), a role held over the unit, a
    position (jabatan) by name, and/or "another officer than the one who did" an earlier step of
    the same standard (four eyes). Role and position together: either is enough. The write
    functions of `sigap.service_requests` refuse anyone else.
    """

    standard = models.ForeignKey(ServiceStandard, on_delete=models.CASCADE, related_name="steps")
    order = models.PositiveSmallIntegerField(_("order"))
    name = models.CharField(_("step"), max_length=200)
    expected_minutes = models.PositiveIntegerField(
        _("expected duration (minutes)"), validators=[MinValueValidator(1)]
    )
    done_by_role = models.CharField(
        _("only by the holder of the role"), max_length=12, choices=Role.choices, blank=True
    )
    done_by_position = models.CharField(
        _("only by the holder of the position (jabatan)"), max_length=200, blank=True
    )
    # RESTRICT, not PROTECT: the steps of a standard that is deleted go together.
    other_officer_than = models.ForeignKey(
        "self",
        on_delete=models.RESTRICT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("by another officer than the one who did step"),
    )

    class Meta:
        verbose_name = _("procedure step")
        verbose_name_plural = _("procedure steps")
        ordering = ["standard", "order"]
        constraints = [
            models.UniqueConstraint(fields=["standard", "order"], name="uniq_step_order"),
            models.UniqueConstraint(fields=["standard", "name"], name="uniq_step_name"),
        ]

    def __str__(self) -> str:
        return f"{self.order}. {self.name}"

    def clean(self) -> None:
        from sigap.access import ACTION_ROLES, Action

        if self.done_by_role and self.done_by_role not in ACTION_ROLES[Action.REQUEST_PROCESS]:
            raise ValidationError(
                {"done_by_role": _("This role does not process requests, so it cannot do a step.")}
            )
        other = self.other_officer_than
        if other is not None and (
            other.standard_id != self.standard_id or other.order >= self.order
        ):
            raise ValidationError(
                {
                    "other_officer_than": _(
                        "Four eyes can only refer to an earlier step of the same standard."
                    )
                }
            )

    def duty(self) -> StepDuty:
        """The declaration in the terms of `sigap.rules.duties`."""
        other = self.other_officer_than
        return StepDuty(
            order=self.order,
            role=self.done_by_role,
            position=self.done_by_position.strip(),
            other_than_step=other.order if other is not None else None,
        )

    @property
    def is_restricted(self) -> bool:
        return not self.duty().is_open

    def holder_text(self) -> str:
        """Who holds this step, in words: "the unit head", "the holder of the position …"."""
        role = self.get_done_by_role_display().lower() if self.done_by_role else ""
        position = self.done_by_position.strip()
        if role and position:
            return gettext("the %(role)s or the holder of the position “%(position)s”") % {
                "role": role,
                "position": position,
            }
        if role:
            return gettext("the %s") % role
        if position:
            return gettext("the holder of the position “%s”") % position
        return ""

    def done_by_text(self) -> str:
        """Who may complete this step, in words a civil servant understands."""
        holder = self.holder_text()
        other = self.other_officer_than
        if holder and other is not None:
            return gettext("Only %(holder)s, and not the officer who completed “%(step)s”.") % {
                "holder": holder,
                "step": other.name,
            }
        if holder:
            return gettext("Only %s.") % holder
        if other is not None:
            return gettext("Another officer than the one who completed “%s”.") % other.name
        return gettext("Any officer of the unit.")


class Consultation(models.Model):
    """The public consultation (forum konsultasi publik, PermenPANRB 15/2014) on a draft version
    of a service standard: a period in which anyone may comment on the page of the service, the
    unit's answers, and optionally a hearing held with the public.

    The record stays with the version: once it takes effect, its consultation is shown with it.
    """

    standard = models.OneToOneField(
        ServiceStandard, on_delete=models.CASCADE, related_name="consultation"
    )
    opens_on = models.DateField(_("open from"))
    closes_on = models.DateField(_("open until"))
    hearing_on = models.DateField(_("hearing date"), null=True, blank=True)
    hearing_place = models.CharField(_("hearing place"), max_length=200, blank=True)
    hearing_attendance = models.PositiveIntegerField(
        _("number of people who attended"), null=True, blank=True
    )
    hearing_parties = models.TextField(_("parties who attended"), blank=True)

    class Meta:
        verbose_name = _("public consultation")
        verbose_name_plural = _("public consultations")
        constraints = [
            models.CheckConstraint(
                condition=Q(closes_on__gte=models.F("opens_on")), name="consultation_period"
            )
        ]

    def __str__(self) -> str:
        return f"{self.standard} ({self.opens_on} – {self.closes_on})"

    @property
    def unit(self) -> Unit:
        return self.standard.service.unit

    def is_open_on(self, day: date) -> bool:
        return self.standard.is_draft and self.opens_on <= day <= self.closes_on

    @property
    def has_hearing(self) -> bool:
        return self.hearing_on is not None


class ConsultationComment(models.Model):
    """A comment of the public on a draft standard, and the unit's answer.

    Public only once answered: the answer is also the moderation (a comment that is abusive,
    off-topic or all personal data is set aside with a reason instead, and never shown).
    Phone numbers and e-mail addresses in the text are masked wherever it is shown publicly.
    """

    class Status(models.TextChoices):
        NEW = "new", _("Awaiting an answer")
        ANSWERED = "answered", _("Answered")
        SET_ASIDE = "set_aside", _("Set aside (not published)")

    consultation = models.ForeignKey(
        Consultation, on_delete=models.CASCADE, related_name="comments"
    )
    name = models.CharField(_("name"), max_length=100, blank=True)
    contact = models.CharField(_("phone or e-mail"), max_length=200, blank=True)
    text = models.TextField(_("comment"), max_length=2000)
    submitted_at = models.DateTimeField(_("sent at"))
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.NEW
    )
    answer = models.TextField(_("answer"), blank=True, max_length=2000)
    answered_at = models.DateTimeField(_("answered at"), null=True, blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("consultation comment")
        verbose_name_plural = _("consultation comments")
        ordering = ["submitted_at", "pk"]

    def __str__(self) -> str:
        return f"{self.consultation.standard} #{self.pk}"

    @property
    def unit(self) -> Unit:
        return self.consultation.standard.service.unit
