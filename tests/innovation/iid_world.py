"""A small IID registry on the test world, with its IID computed by hand.

Innovations of Kabupaten Contoh (2026 frame: applied 2024-01-01..2025-12-31 counts):
- A "Antrean daring KTP-el" (civil registration, not a basic-service affair), applied
  2024-06-01 at counter A on the KTP-el service: regulasi 2 (6), sdm 1 (2), kecepatan 3 (6),
  kemanfaatan 3 (9), video 2 (8) → 31;
- B "Rujukan cepat" (health), applied 2025-02-01 at Puskesmas B: regulasi 3 (9), anggaran 2 (4),
  alat kerja 3 (6) → 19; mandatory sdm, kecepatan, kemanfaatan, video missing;
- C "Arsip lama" (health), applied 2023-03-01: outside the window; regulasi 3;
- D "Uji coba SMS" (health), in trial: not in application.
SPD: visi_misi weight 2 × 3 = 6, pad 1 × 2 = 2 → 8.
n = 2, rows 50, divisor max(12, 2) = 12, one basic affair (health) → jumlah 0;
SID = 50 / 12 = 4.1667; IID = (8 + 4.1667) / 250 × 100 = 4.8667 → 4.87, Kurang Inovatif.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.utils import timezone

from sigap.innovation.models import IndicatorAnswer, Innovation, SpdAnswer
from tests.factories import World

IID = Decimal("4.87")


@dataclass
class Registry:
    a: Innovation
    b: Innovation
    c: Innovation
    d: Innovation


def innovation(world: World, name: str, urusan: str, stage: str, *, initiated: date,
               trial: date | None = None, applied: date | None = None, units=(), services=()
               ) -> Innovation:  # type: ignore[no-untyped-def]  # fmt: skip
    now = timezone.now()
    inn = Innovation.objects.create(
        agency=world.agency,
        name=name,
        initiator="unit",
        form="public_service",
        kind="digital",
        urusan=urusan,
        stage=stage,
        initiated_on=initiated,
        trial_on=trial,
        applied_on=applied,
        created_at=now,
        updated_at=now,
    )
    inn.units.set(units)
    inn.services.set(services)
    return inn


def answer(inn: Innovation, **parameters: int) -> None:
    for key, p in parameters.items():
        IndicatorAnswer.objects.create(
            innovation=inn, frame=2026, indicator=key, parameter=p, answered_at=timezone.now()
        )


def build(world: World) -> Registry:
    a = innovation(world, "Antrean daring KTP-el", "civil_registration", "applied",
                   initiated=date(2024, 1, 10), trial=date(2024, 3, 1), applied=date(2024, 6, 1),
                   units=[world.counter_a], services=[world.ktp])  # fmt: skip
    b = innovation(world, "Rujukan cepat", "health", "applied", initiated=date(2024, 9, 1),
                   applied=date(2025, 2, 1), units=[world.puskesmas_b],
                   services=[world.rujukan])  # fmt: skip
    c = innovation(world, "Arsip lama", "health", "applied", initiated=date(2022, 1, 1),
                   applied=date(2023, 3, 1), units=[world.puskesmas_b])  # fmt: skip
    d = innovation(world, "Uji coba SMS", "health", "trial", initiated=date(2025, 1, 1),
                   trial=date(2025, 5, 1), units=[world.puskesmas_b])  # fmt: skip
    answer(a, regulasi=2, sdm=1, kecepatan_penciptaan=3, kemanfaatan=3, video=2)
    answer(b, regulasi=3, anggaran=2, alat_kerja=3)
    answer(c, regulasi=3)
    for key, weight, p in (("visi_misi", 2, 3), ("pad", 1, 2)):
        SpdAnswer.objects.create(agency=world.agency, frame=2026, indicator=key, weight=weight,
                                 parameter=p, answered_at=timezone.now())  # fmt: skip
    return Registry(a, b, c, d)
