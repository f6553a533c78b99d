"""Competency development of ASN (rules-innovation-competency.md §2): the routes of Peraturan
LAN 10/2018, JP, the 20-JP duty and the job–person match (JPM).

Pure functions over plain values; no Django. The UNCERTAIN parts (the JP conversion of
non-classroom routes, JPM capping and bands) are parameters with the documented defaults.
"""

from __future__ import annotations

from enum import StrEnum


class RouteGroup(StrEnum):
    PENDIDIKAN = "pendidikan"
    KLASIKAL = "klasikal"
    NONKLASIKAL = "nonklasikal"


class Route(StrEnum):
    """A development route of Peraturan LAN 10/2018 (the stored code of a training record)."""

    # pendidikan
    TUGAS_BELAJAR = "tugas_belajar"
    IZIN_BELAJAR = "izin_belajar"
    # pelatihan klasikal
    STRUKTURAL_KEPEMIMPINAN = "struktural_kepemimpinan"
    MANAJERIAL = "manajerial"
    TEKNIS = "teknis"
    FUNGSIONAL = "fungsional"
    SOSIAL_KULTURAL = "sosial_kultural"
    SEMINAR = "seminar"
    WORKSHOP = "workshop"
    KURSUS = "kursus"
    PENATARAN = "penataran"
    BIMBINGAN_TEKNIS = "bimbingan_teknis"
    SOSIALISASI = "sosialisasi"
    # pelatihan nonklasikal
    COACHING = "coaching"
    MENTORING = "mentoring"
    E_LEARNING = "e_learning"
    JARAK_JAUH = "jarak_jauh"
    DETASERING = "detasering"
    ALAM_TERBUKA = "alam_terbuka"
    PATOK_BANDING = "patok_banding"
    PERTUKARAN = "pertukaran"
    BELAJAR_MANDIRI = "belajar_mandiri"
    KOMUNITAS_BELAJAR = "komunitas_belajar"
    BIMBINGAN_DI_TEMPAT_KERJA = "bimbingan_di_tempat_kerja"
    MAGANG = "magang"


ROUTE_GROUP: dict[Route, RouteGroup] = {
    **{r: RouteGroup.PENDIDIKAN for r in (Route.TUGAS_BELAJAR, Route.IZIN_BELAJAR)},
    **{
        r: RouteGroup.KLASIKAL
        for r in (
            Route.STRUKTURAL_KEPEMIMPINAN, Route.MANAJERIAL, Route.TEKNIS, Route.FUNGSIONAL,
            Route.SOSIAL_KULTURAL, Route.SEMINAR, Route.WORKSHOP, Route.KURSUS,
            Route.PENATARAN, Route.BIMBINGAN_TEKNIS, Route.SOSIALISASI,
        )
    },
    **{
        r: RouteGroup.NONKLASIKAL
        for r in (
            Route.COACHING, Route.MENTORING, Route.E_LEARNING, Route.JARAK_JAUH,
            Route.DETASERING, Route.ALAM_TERBUKA, Route.PATOK_BANDING, Route.PERTUKARAN,
            Route.BELAJAR_MANDIRI, Route.KOMUNITAS_BELAJAR, Route.BIMBINGAN_DI_TEMPAT_KERJA,
            Route.MAGANG,
        )
    },
}  # fmt: skip

MIN_LEVEL = 1
MAX_LEVEL = 5
JP_MINUTES = 45
"""1 JP (jam pelajaran) = 45 minutes (VERIFIED)."""
YEARLY_JP = 20
"""At least 20 JP per PNS per year (PP 11/2017 Pasal 203(4) as amended by PP 17/2020)."""
