"""The organisation: agencies (instansi), their unit tree, positions and civil servants (ASN)."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from sigap.rules.calendar import WorkingCalendar
from sigap.rules.nip import InvalidNip, parse_nip
from sigap.web.rule_messages import nip_message


class Agency(models.Model):
    """An instansi, e.g. a kabupaten government. Owns a working-day calendar."""

    class Kind(models.TextChoices):
        KABUPATEN = "kabupaten", _("Regency (kabupaten)")
        KOTA = "kota", _("City (kota)")
        PROVINSI = "provinsi", _("Province")
        KEMENTERIAN = "kementerian", _("Ministry / agency")

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    # Whether cuti bersama counts as a day off for SLAs is a policy choice of each instansi.
    cuti_bersama_is_day_off = models.BooleanField(_("cuti bersama is a day off"), default=True)
    # The Kemendagri region code (Kepmendagri 300.2.2-2138/2025): "PP.KK" for a kabupaten/kota,
    # "PP" for a province; published with the open data so a Satu Data portal can place it.
    region_code = models.CharField(_("region code (Kemendagri)"), max_length=13, blank=True)

    class Meta:
        verbose_name = _("agency")
        verbose_name_plural = _("agencies")

    def __str__(self) -> str:
        return self.name

    def working_calendar(self) -> WorkingCalendar:
        days = self.special_days.all()
        return WorkingCalendar(
            cuti_bersama_is_day_off=self.cuti_bersama_is_day_off,
            extra_days_off=frozenset(d.date for d in days if not d.is_working),
            extra_working_days=frozenset(d.date for d in days if d.is_working),
        )


class AgencySpecialDay(models.Model):
    """A local day off (e.g. the regency's anniversary) or a weekend day declared working."""

    agency = models.ForeignKey(Agency, on_delete=models.CASCADE, related_name="special_days")
    date = models.DateField(_("date"))
    name = models.CharField(_("name"), max_length=200)
    is_working = models.BooleanField(_("declared a working day"), default=False)

    class Meta:
        verbose_name = _("agency special day")
        verbose_name_plural = _("agency special days")
        constraints = [
            models.UniqueConstraint(fields=["agency", "date"], name="uniq_agency_special_day")
        ]

    def __str__(self) -> str:
        return f"{self.date} {self.name}"


class Unit(models.Model):
    """A node of the agency's tree: OPD, bidang, or a service point (Puskesmas, Dukcapil counter).

    `path` is a materialised path ("/3/17/42/") so that a whole subtree is one indexed
    prefix query; access scopes are subtrees.
    """

    class Kind(models.TextChoices):
        PEMDA = "pemda", _("Regional government")
        OPD = "opd", _("Regional agency (OPD)")
        BIDANG = "bidang", _("Division (bidang)")
        UNIT_LAYANAN = "unit_layanan", _("Service unit")
        KECAMATAN = "kecamatan", _("District office (kecamatan)")

    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="units")
    parent = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="children"
    )
    code = models.SlugField(_("code"), max_length=60)
    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    path = models.CharField(max_length=255, editable=False, db_index=True, default="")
    address = models.CharField(_("address"), max_length=300, blank=True)
    # From SIASN's UNOR reference (onboarding): its Id, the eselon of the unit's head and the
    # head's position name. Empty for units made by hand.
    siasn_id = models.CharField(_("SIASN UNOR id"), max_length=64, blank=True)
    eselon = models.CharField(_("eselon"), max_length=8, blank=True)
    head_position = models.CharField(_("position of the unit's head"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("unit")
        verbose_name_plural = _("units")
        ordering = ["path"]
        constraints = [
            models.UniqueConstraint(fields=["agency", "code"], name="uniq_unit_code"),
            models.UniqueConstraint(
                fields=["agency", "siasn_id"],
                condition=~models.Q(siasn_id=""),
                name="uniq_unit_siasn_id",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def save(self, *args: object, **kwargs: object) -> None:
        super().save(*args, **kwargs)  # type: ignore[arg-type]
        path = f"{self.parent.path if self.parent else '/'}{self.pk}/"
        if path != self.path:
            old = self.path
            self.path = path
            Unit.objects.filter(pk=self.pk).update(path=path)
            if old:  # moved: re-root the whole subtree in one statement per node
                for child in Unit.objects.filter(path__startswith=old).exclude(pk=self.pk):
                    Unit.objects.filter(pk=child.pk).update(path=path + child.path[len(old) :])

    def clean(self) -> None:
        if self.parent_id and self.parent and self.parent.agency_id != self.agency_id:
            raise ValidationError({"parent": _("The parent unit belongs to another agency.")})
        if self.pk and self.parent and f"/{self.pk}/" in self.parent.path:
            raise ValidationError({"parent": _("A unit cannot be placed under itself.")})

    def subtree(self) -> models.QuerySet[Unit]:
        return Unit.objects.filter(path__startswith=self.path)

    def ancestors(self) -> list[Unit]:
        ids = [int(p) for p in self.path.strip("/").split("/") if p]
        by_id = Unit.objects.in_bulk(ids)
        return [by_id[i] for i in ids if i in by_id]


class Position(models.Model):
    """A jabatan: structural (struktural), functional (fungsional) or executor (pelaksana)."""

    class Kind(models.TextChoices):
        STRUKTURAL = "struktural", _("Structural")
        FUNGSIONAL = "fungsional", _("Functional")
        PELAKSANA = "pelaksana", _("Executor (pelaksana)")

    name = models.CharField(_("position name"), max_length=200, unique=True)
    kind = models.CharField(_("type"), max_length=20, choices=Kind.choices)
    # Eselon for structural posts, jenjang (Ahli Pertama...) for functional, class for pelaksana.
    level = models.CharField(_("level"), max_length=60, blank=True)

    class Meta:
        verbose_name = _("position")
        verbose_name_plural = _("positions")

    def __str__(self) -> str:
        return self.name


PNS_RANKS = [
    f"{group}/{room}"
    for group, rooms in (("I", "abcd"), ("II", "abcd"), ("III", "abcd"), ("IV", "abcde"))
    for room in rooms
]


def validate_nip(value: str) -> None:
    """Full structural check of a PNS NIP (birth date, TMT, gender, serial)."""
    try:
        parse_nip(value)
    except InvalidNip as exc:
        raise ValidationError(nip_message(exc), code="invalid_nip") from exc


def validate_pppk_number(value: str) -> None:
    """A PPPK number (NI PPPK) is also 18 digits starting with the birth date, but its middle
    digits are not a TMT month (UNCERTAIN structure), so only those parts are checked."""
    if not (len(value) == 18 and value.isdigit()):
        raise ValidationError(_("A PPPK number has 18 digits."), code="invalid_nip")
    try:
        date(int(value[:4]), int(value[4:6]), int(value[6:8]))
    except ValueError:
        raise ValidationError(
            _("The first 8 digits of a PPPK number are a birth date (yyyymmdd)."),
            code="invalid_nip",
        ) from None


class Employee(models.Model):
    """A civil servant (ASN): PNS, or PPPK on a contract."""

    class Status(models.TextChoices):
        PNS = "pns", "PNS"
        PPPK = "pppk", "PPPK"

    nip = models.CharField("NIP", max_length=18, unique=True)
    # SIASN's PNS ID (the key of its web service: rw-kursus, skp22); empty until onboarded.
    pns_id = models.CharField(_("SIASN PNS ID"), max_length=64, blank=True)
    name = models.CharField(_("name"), max_length=200)
    status = models.CharField(_("ASN status"), max_length=4, choices=Status.choices)
    position = models.ForeignKey(Position, on_delete=models.PROTECT, related_name="employees")
    # Golongan/ruang ("III/a") for PNS; grade 1-17 for PPPK.
    rank = models.CharField(_("rank (golongan/ruang or PPPK grade)"), max_length=8)
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="employees")
    supervisor = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="reports"
    )
    active_from = models.DateField(_("active from"))
    active_until = models.DateField(_("active until"), null=True, blank=True)
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="employee",
    )

    class Meta:
        verbose_name = _("employee")
        verbose_name_plural = _("employees")
        ordering = ["name"]
        indexes = [models.Index(fields=["unit", "name"])]

    def __str__(self) -> str:
        return f"{self.name} ({self.nip})"

    def clean(self) -> None:
        errors: dict[str, Any] = {}
        try:
            (validate_pppk_number if self.status == self.Status.PPPK else validate_nip)(self.nip)
        except ValidationError as exc:
            errors["nip"] = exc.messages[0]
        if self.status == self.Status.PNS and self.rank not in PNS_RANKS:
            errors["rank"] = _("A PNS rank is a golongan/ruang such as III/a.")
        if self.status == self.Status.PPPK and not (
            self.rank.isdigit() and 1 <= int(self.rank) <= 17
        ):
            errors["rank"] = _("A PPPK grade is a number from 1 to 17.")
        if self.active_until and self.active_from and self.active_until < self.active_from:
            errors["active_until"] = _("The end of the active period is before its start.")
        if self.supervisor_id and self.supervisor_id == self.pk:
            errors["supervisor"] = _("An employee cannot supervise themselves.")
        if errors:
            raise ValidationError(errors)

    def is_active_on(self, day: date) -> bool:
        return self.active_from <= day and (self.active_until is None or day <= self.active_until)
