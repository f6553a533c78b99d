"""SKM responses (PermenPANRB 14/2017): one row per questionnaire, one column per unsur code.

Each unsur is a column named by its stable code (`sigap.rules.ikm.ELEMENT_CODES`), never by its
position, so U8/U9 ordering disputes cannot corrupt data, and the IKM of any group is one
`SUM`/`COUNT` per column.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from sigap.catalogue.models import Service
from sigap.organisation.models import Unit
from sigap.rules.ikm import ELEMENT_CODES, ELEMENTS
from sigap.service_requests.models import AgeBand, Gender, ServiceRequest

COMMENT_MAX = 4000


class Education(models.TextChoices):
    SD = "sd", _("Primary school or less (SD)")
    SMP = "smp", _("Junior secondary (SLTP)")
    SMA = "sma", _("Senior secondary (SLTA)")
    DIPLOMA = "d1-d3", _("Diploma (D1–D3)")
    S1 = "d4-s1", _("Bachelor (D4/S1)")
    S2 = "s2", _("Master (S2)")
    S3 = "s3", _("Doctorate (S3)")


class Occupation(models.TextChoices):
    PNS = "pns", _("Civil servant (PNS)")
    TNI = "tni", "TNI"
    POLRI = "polri", "POLRI"
    SWASTA = "swasta", _("Private employee")
    WIRAUSAHA = "wirausaha", _("Self-employed")
    PELAJAR = "pelajar", _("Student")
    LAINNYA = "lainnya", _("Other")


class SurveyChannel(models.TextChoices):
    WEB = "web", _("Web form")
    QR = "qr", _("QR code at the counter")
    RECEIPT = "receipt", _("Link on the receipt")
    API = "api", _("API")


def _answer(label: str) -> models.PositiveSmallIntegerField[int | None, int | None]:
    return models.PositiveSmallIntegerField(label, null=True, blank=True)


class SurveyResponse(models.Model):
    service = models.ForeignKey(Service, on_delete=models.PROTECT, related_name="survey_responses")
    # Copied from the service so per-unit IKM is one indexed filter, as for requests.
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="survey_responses")
    # One response per receipt: the database refuses a second one even under a race.
    service_request = models.OneToOneField(
        ServiceRequest,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="survey_response",
    )
    submitted_at = models.DateTimeField(_("submitted at"))
    channel = models.CharField(_("channel"), max_length=10, choices=SurveyChannel.choices)

    persyaratan = _answer("U1 Persyaratan")
    prosedur = _answer("U2 Sistem, Mekanisme, dan Prosedur")
    waktu = _answer("U3 Waktu Penyelesaian")
    biaya = _answer("U4 Biaya/Tarif")
    produk = _answer("U5 Produk Spesifikasi Jenis Pelayanan")
    kompetensi = _answer("U6 Kompetensi Pelaksana")
    perilaku = _answer("U7 Perilaku Pelaksana")
    pengaduan = _answer("U8 Penanganan Pengaduan, Saran dan Masukan")
    sarana = _answer("U9 Sarana dan Prasarana")

    comment = models.TextField(_("comment"), max_length=COMMENT_MAX, blank=True)
    gender = models.CharField(_("gender"), max_length=1, choices=Gender.choices, blank=True)
    age_band = models.CharField(_("age band"), max_length=6, choices=AgeBand.choices, blank=True)
    education = models.CharField(
        _("education"), max_length=6, choices=Education.choices, blank=True
    )
    occupation = models.CharField(
        _("occupation"), max_length=10, choices=Occupation.choices, blank=True
    )
    client_hash = models.CharField(max_length=32, blank=True, editable=False)

    class Meta:
        verbose_name = _("survey response")
        verbose_name_plural = _("survey responses")
        indexes = [
            models.Index(fields=["unit", "submitted_at"]),
            models.Index(fields=["service", "submitted_at"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(**{f"{code}__isnull": True}) | Q(**{f"{code}__range": (1, 4)}),
                name=f"survey_{code}_1_to_4",
            )
            for code in ELEMENT_CODES
        ]

    def __str__(self) -> str:
        return f"SKM #{self.pk} {self.service_id}"

    def answers(self) -> dict[str, int | None]:
        return {code: getattr(self, code) for code in ELEMENT_CODES}


class SurveyFollowUp(models.Model):
    """A row of the follow-up plan (rencana tindak lanjut) of a unit's SKM report."""

    unit = models.ForeignKey(Unit, on_delete=models.CASCADE, related_name="survey_follow_ups")
    period = models.CharField(
        _("period"), max_length=8, help_text="2025, 2025-S1, 2025-Q3, 2025-07"
    )
    element = models.CharField(
        _("unsur"), max_length=12, choices=[(e.code, f"U{e.number} {e.name}") for e in ELEMENTS]
    )
    action = models.TextField(_("planned action"))
    timeline = models.CharField(_("timeline"), max_length=200)
    responsible = models.CharField(_("responsible"), max_length=200)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(_("created at"), null=True, blank=True)

    class Meta:
        verbose_name = _("SKM follow-up plan")
        verbose_name_plural = _("SKM follow-up plans")
        ordering = ["unit", "period", "element"]

    def __str__(self) -> str:
        return f"{self.unit} {self.period} {self.element}"
