"""Demo extension: the competency data of the demo kabupaten (issue #15), deterministic for a
seed and an end date.

Call it once the employees, the services and their standards exist:

    from sigap.demo.competency import build_competency, wipe_competency
    build_competency(seed=options.seed, until=until, agency=agency)

and `wipe_competency(agency_ids=...)` before raw-deleting the demo's employees, services, units
and agency (its rows point at them). It writes:

* the agency's technical competencies (group teknis, one line per level 1–5) and, for every
  procedure step of every demo service (all standard versions), the technical competencies the
  step needs (`StepCompetency`; the step names are the event log's activity names);
* one `StandardVersion` valid from the first day of the period: every position held in the
  agency requires the 9 national competencies of PermenPANRB 38/2017 and the technical ones of
  its post and of the services its holders serve, at the levels of `REQUIRED_LEVELS`;
* assessment results for two thirds of the employees (every structural post), a third of them
  assessed twice (history), spread around the standard: most meet it, some are below, a few above;
* a few career targets (the talent pool);
* the training records of the 24 months, on many routes of Peraturan LAN 10/2018, with the JP of
  `sigap.rules.competency.training_jp` under the agency's conversion: about three quarters of
  the employees reach 20 JP in a year, the rest fall short, a few land on exactly 19 or 20.
  None is aimed at a procedure step (`service`/`step` stay empty): the trainings whose effect
  on a step is measured are planted separately.
"""

from __future__ import annotations

import math
import random
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from typing import Any, NamedTuple

from django.contrib.auth import get_user_model
from django.db.models import Model, Q, QuerySet
from django.utils import timezone

from sigap.catalogue.models import ProcedureStep, Service
from sigap.competency.conf import jp_conversion
from sigap.competency.models import (
    Assessment,
    CareerTarget,
    Competency,
    CompetencyGap,
    CompetencyLevel,
    DevelopmentPlan,
    PlanItem,
    PositionRequirement,
    StandardVersion,
    StepCompetency,
    TrainingRecord,
)
from sigap.demo import content
from sigap.demo.writer import BulkWriter
from sigap.organisation.models import Agency, Employee, Position
from sigap.rules.competency import MAX_LEVEL, MIN_LEVEL, JpRule, Route, training_jp

HR_LOGIN = "demo.bkpsdm"  # records the demo's entered rows (sigap.demo.build.LOGINS)

# --- the national dictionary (PermenPANRB 38/2017) -------------------------------------------

MANAJERIAL = Competency.Group.MANAJERIAL
SOSIAL_KULTURAL = Competency.Group.SOSIAL_KULTURAL
TEKNIS = Competency.Group.TEKNIS

INTEGRITAS = "integritas"
KERJA_SAMA = "kerja-sama"
KOMUNIKASI = "komunikasi"
ORIENTASI_PADA_HASIL = "orientasi-pada-hasil"
PELAYANAN_PUBLIK = "pelayanan-publik"
PENGEMBANGAN_DIRI = "pengembangan-diri-dan-orang-lain"
MENGELOLA_PERUBAHAN = "mengelola-perubahan"
PENGAMBILAN_KEPUTUSAN = "pengambilan-keputusan"
PEREKAT_BANGSA = "perekat-bangsa"

NATIONAL: tuple[tuple[str, str, str], ...] = (
    (INTEGRITAS, "Integritas", MANAJERIAL),
    (KERJA_SAMA, "Kerja Sama", MANAJERIAL),
    (KOMUNIKASI, "Komunikasi", MANAJERIAL),
    (ORIENTASI_PADA_HASIL, "Orientasi pada Hasil", MANAJERIAL),
    (PELAYANAN_PUBLIK, "Pelayanan Publik", MANAJERIAL),
    (PENGEMBANGAN_DIRI, "Pengembangan Diri dan Orang Lain", MANAJERIAL),
    (MENGELOLA_PERUBAHAN, "Mengelola Perubahan", MANAJERIAL),
    (PENGAMBILAN_KEPUTUSAN, "Pengambilan Keputusan", MANAJERIAL),
    (PEREKAT_BANGSA, "Perekat Bangsa", SOSIAL_KULTURAL),
)
# The reach of each level in PermenPANRB 38/2017: oneself, colleagues, the unit one leads, the
# agency, the nation. Used only when the dictionary's data migration has not written them.
NATIONAL_REACH = (
    "dalam kapasitas pribadi",
    "bersama dan terhadap rekan kerja",
    "di lingkungan unit kerja yang dipimpin",
    "di lingkungan instansi dan dengan pemangku kepentingan",
    "di tingkat nasional sebagai panutan",
)

# --- the agency's technical competencies ----------------------------------------------------

CODE_PREFIX = "sukamaju-"


@dataclass(frozen=True)
class Technical:
    key: str  # the code without CODE_PREFIX
    name: str
    task: str  # what one does at the lower levels, a verb phrase ("memverifikasi ...")
    field: str  # the field, a noun phrase for the higher levels ("verifikasi ...")
    provider: str  # who trains it


# fmt: off
TECHNICAL: tuple[Technical, ...] = (
    Technical("verifikasi-dokumen-kependudukan", "Verifikasi Dokumen Kependudukan",
              "memeriksa keabsahan dan kelengkapan dokumen persyaratan kependudukan",
              "verifikasi dokumen kependudukan", "Ditjen Dukcapil Kemendagri"),
    Technical("pengelolaan-data-kependudukan", "Pengelolaan Data Kependudukan (SIAK)",
              "merekam, memutakhirkan dan mencetak data kependudukan di SIAK",
              "pengelolaan data kependudukan", "Ditjen Dukcapil Kemendagri"),
    Technical("pencatatan-sipil", "Pencatatan Sipil",
              "mencatat peristiwa penting dan menerbitkan akta pencatatan sipil",
              "pencatatan sipil", "Ditjen Dukcapil Kemendagri"),
    Technical("perizinan-berusaha", "Pelayanan Perizinan Berusaha Berbasis Risiko (OSS RBA)",
              "memproses permohonan perizinan berusaha melalui OSS RBA",
              "pelayanan perizinan berusaha", "Kementerian Investasi/BKPM"),
    Technical("penilaian-teknis-bangunan", "Penilaian Teknis Bangunan Gedung",
              "memeriksa dokumen teknis dan kelaikan fungsi bangunan gedung",
              "penilaian teknis bangunan gedung", "BPSDM Kementerian PUPR"),
    Technical("administrasi-kesehatan", "Administrasi Pelayanan Kesehatan",
              "mengelola pendaftaran, surat keterangan dan rekomendasi layanan kesehatan",
              "administrasi pelayanan kesehatan", "Bapelkes Provinsi Jawa Tengah"),
    Technical("pelayanan-klinis", "Pemeriksaan dan Pelayanan Klinis",
              "melakukan pemeriksaan klinis sesuai standar profesi",
              "pelayanan klinis", "Bapelkes Provinsi Jawa Tengah"),
    Technical("rekam-medis", "Pengelolaan Rekam Medis",
              "menelusuri, mengisi dan menjaga kerahasiaan rekam medis",
              "pengelolaan rekam medis", "Bapelkes Provinsi Jawa Tengah"),
    Technical("kesehatan-lingkungan", "Inspeksi Kesehatan Lingkungan dan Laboratorium",
              "melakukan inspeksi sanitasi dan pengujian sampel",
              "inspeksi kesehatan lingkungan", "Bapelkes Provinsi Jawa Tengah"),
    Technical("administrasi-pendidikan", "Administrasi dan Pengawasan Pendidikan",
              "memverifikasi arsip sekolah dan dokumen peserta didik",
              "administrasi pendidikan", "BBPMP Provinsi Jawa Tengah"),
    Technical("data-kesejahteraan-sosial",
              "Verifikasi dan Validasi Data Kesejahteraan Sosial (DTKS)",
              "memverifikasi dan memadankan data kesejahteraan sosial di lapangan",
              "verifikasi data kesejahteraan sosial", "Pusdiklat Kesejahteraan Sosial Kemensos"),
    Technical("pengujian-kendaraan", "Pengujian Kendaraan Bermotor",
              "menguji laik jalan kendaraan bermotor sesuai prosedur",
              "pengujian kendaraan bermotor", "BPSDM Perhubungan"),
    Technical("angkutan-jalan", "Perencanaan dan Perizinan Angkutan Jalan",
              "mengkaji kebutuhan trayek dan memproses izin angkutan",
              "perencanaan angkutan jalan", "BPSDM Perhubungan"),
    Technical("manajemen-asn", "Manajemen ASN dan Administrasi Kepegawaian",
              "memproses usul kepegawaian sesuai ketentuan manajemen ASN",
              "manajemen ASN", "Badan Kepegawaian Negara"),
    Technical("paten", "Pelayanan Administrasi Terpadu Kecamatan (PATEN)",
              "memproses layanan administrasi terpadu di kecamatan",
              "pelayanan administrasi terpadu kecamatan", "BPSDM Kemendagri"),
    Technical("keuangan-retribusi", "Pengelolaan Keuangan dan Retribusi Daerah",
              "menghitung, memungut dan mencatat retribusi serta keuangan daerah",
              "pengelolaan keuangan daerah", "BPKP Perwakilan Jawa Tengah"),
    Technical("pelayanan-prima", "Pelayanan Prima dan Penanganan Pemohon",
              "menerima, menjelaskan dan menyerahkan layanan kepada pemohon dengan ramah",
              "pelayanan prima", "BPSDMD Provinsi Jawa Tengah"),
    Technical("tata-naskah-dinas", "Tata Naskah Dinas, Kearsipan dan Tanda Tangan Elektronik",
              "menyusun naskah dinas dan mengelola arsip serta tanda tangan elektronik",
              "tata naskah dinas dan kearsipan", "Arsip Nasional Republik Indonesia"),
    Technical("pengawasan-intern", "Pengawasan Intern Pemerintah",
              "melaksanakan audit dan reviu sesuai standar audit intern",
              "pengawasan intern", "Pusdiklatwas BPKP"),
    Technical("analisis-kebijakan", "Analisis Kebijakan Publik",
              "menyusun kajian dan rekomendasi kebijakan",
              "analisis kebijakan publik", "Lembaga Administrasi Negara"),
    Technical("sistem-informasi", "Pengelolaan Sistem Informasi dan Keamanan Data",
              "mengoperasikan aplikasi dan menjaga keamanan data",
              "pengelolaan sistem informasi", "BPSDM Komunikasi dan Digital"),
)
# fmt: on
TECHNICAL_LEVELS = (
    "Memahami dasar-dasar dan mampu {task} dengan bimbingan.",
    "Mampu {task} secara mandiri sesuai SOP dan standar pelayanan.",
    "Mampu {task} pada kasus yang rumit dan membimbing rekan kerja.",
    "Mampu mengevaluasi dan memperbaiki prosedur {field} di unit kerja.",
    "Menjadi rujukan dalam {field} dan merumuskan kebijakan tingkat daerah.",
)

# A service's own field, by the start of its code (the longest prefix wins).
SERVICE_FIELD: dict[str, str] = {
    "dukcapil-": "pengelolaan-data-kependudukan",
    "dukcapil-akta-": "pencatatan-sipil",
    "dpmptsp-": "perizinan-berusaha",
    "dinkes-": "kesehatan-lingkungan",
    "pkm-": "administrasi-kesehatan",
    "rsud-": "administrasi-kesehatan",
    "disdik-": "administrasi-pendidikan",
    "dinsos-": "data-kesejahteraan-sosial",
    "dishub-kir": "pengujian-kendaraan",
    "dishub-trayek": "angkutan-jalan",
    "bkpsdm-": "manajemen-asn",
    "kec-": "paten",
}
# Steps that need a more specific field than their service's: (code prefix, words in the step).
# fmt: off
STEP_FIELD: tuple[tuple[str, str, str], ...] = (
    ("dukcapil-", "verifikasi", "verifikasi-dokumen-kependudukan"),
    ("dukcapil-", "pencocokan", "verifikasi-dokumen-kependudukan"),
    ("dukcapil-", "pencatatan", "pencatatan-sipil"),
    ("dpmptsp-", "bangunan", "penilaian-teknis-bangunan"),
    ("dpmptsp-", "dokumen teknis", "penilaian-teknis-bangunan"),
    ("dpmptsp-", "tim profesi ahli", "penilaian-teknis-bangunan"),
    ("dpmptsp-pbg", "peninjauan lapangan", "penilaian-teknis-bangunan"),
    ("dpmptsp-slf", "verifikasi dokumen", "penilaian-teknis-bangunan"),
    ("dpmptsp-", "dinas kesehatan", "administrasi-kesehatan"),
    ("dpmptsp-apotek", "visitasi", "administrasi-kesehatan"),
    ("pkm-", "pemeriksaan", "pelayanan-klinis"),
    ("rsud-", "pemeriksaan", "pelayanan-klinis"),
    ("rsud-", "rekam medis", "rekam-medis"),
    ("rsud-", "resume", "rekam-medis"),
)
# fmt: on
FRONT_DESK = ("penerimaan", "pendaftaran", "penyerahan")
SIGNATURE = ("penandatanganan", "tanda tangan", "pengesahan")

# Technical competencies of a post whatever services its holders serve, by the post's name.
# fmt: off
POST_FIELD: tuple[tuple[str, str], ...] = (
    ("Auditor", "pengawasan-intern"), ("Pengawas Penyelenggaraan", "pengawasan-intern"),
    ("Analis Kebijakan", "analisis-kebijakan"), ("Pranata Komputer", "sistem-informasi"),
    ("Administrator Database Kependudukan", "pengelolaan-data-kependudukan"),
    ("Administrator Database Kependudukan", "sistem-informasi"),
    ("Pengolah Data", "sistem-informasi"), ("Arsiparis", "tata-naskah-dinas"),
    ("Pengadministrasi Perkantoran", "tata-naskah-dinas"),
    ("Pengelola Keuangan", "keuangan-retribusi"), ("Pengelola Retribusi", "keuangan-retribusi"),
    ("Analis Sumber Daya Manusia", "manajemen-asn"),
    ("Pranata Sumber Daya Manusia", "manajemen-asn"),
    ("Verifikator Berkas Kependudukan", "verifikasi-dokumen-kependudukan"),
    ("Operator Layanan", "pelayanan-prima"), ("Pengelola Layanan Kecamatan", "paten"),
    ("Penata Perizinan", "perizinan-berusaha"),
    ("Teknik Tata Bangunan", "penilaian-teknis-bangunan"),
    ("Dokter", "pelayanan-klinis"), ("Perawat", "pelayanan-klinis"), ("Bidan", "pelayanan-klinis"),
    ("Apoteker", "pelayanan-klinis"), ("Sanitarian", "kesehatan-lingkungan"),
    ("Pranata Laboratorium", "kesehatan-lingkungan"), ("Perekam Medis", "rekam-medis"),
    ("Administrator Kesehatan", "administrasi-kesehatan"),
    ("Petugas Pendaftaran Pasien", "administrasi-kesehatan"),
    ("Pengawas Sekolah", "administrasi-pendidikan"),
    ("Pekerja Sosial", "data-kesejahteraan-sosial"),
    ("Penyuluh Sosial", "data-kesejahteraan-sosial"), ("Penguji Kendaraan", "pengujian-kendaraan"),
)
# fmt: on

# --- the standard: required levels --------------------------------------------------------------

# The agency's standar kompetensi jabatan (UNCERTAIN, the common pattern of the rules doc §2.2):
# (manajerial, sosial kultural, teknis) by the position's level. Structural posts require the
# most managerial skill, functional posts more technical skill as their jenjang rises, pelaksana
# 1 (Pelayanan Publik 2: they serve citizens) with technical 2.
REQUIRED_LEVELS: dict[str, tuple[int, int, int]] = {
    "JPT Pratama": (4, 4, 3),
    "Administrator": (3, 3, 3),
    "Pengawas": (2, 2, 3),
    "Ahli Madya": (3, 3, 4),
    "Ahli Muda": (2, 2, 3),
    "Ahli Pertama": (2, 2, 2),
    "Terampil": (1, 1, 2),
    "Kelas 7": (1, 1, 2),
    "Kelas 6": (1, 1, 2),
    "Kelas 5": (1, 1, 2),
    "Kelas 3": (1, 1, 1),
}
REQUIRED_BY_KIND: dict[str, tuple[int, int, int]] = {  # a level not in the table
    Position.Kind.STRUKTURAL: (3, 3, 3),
    Position.Kind.FUNGSIONAL: (2, 2, 2),
    Position.Kind.PELAKSANA: (1, 1, 2),
}
PELAKSANA_PELAYANAN_PUBLIK = 2

# --- assessments ---------------------------------------------------------------------------------

ASSESSED_SHARE = 0.67  # of all employees; every structural post is among them
REASSESSED_SHARE = 0.3  # of the assessed: a second result about a year later
# Latest level minus the standard, by the kind of person (share of people, then of levels).
PROFILES: tuple[tuple[float, dict[int, float]], ...] = (
    (0.15, {-2: 0.01, -1: 0.09, 0: 0.55, 1: 0.35}),  # strong
    (0.65, {-2: 0.02, -1: 0.18, 0: 0.68, 1: 0.12}),  # typical
    (0.20, {-2: 0.12, -1: 0.48, 0: 0.38, 1: 0.02}),  # weak
)
CAREER_TARGETS = 8

# --- training ------------------------------------------------------------------------------------

YEAR_19, YEAR_20, YEAR_SHORT = 0.025, 0.03, 0.215  # shares of employees in a (full) year


@dataclass(frozen=True)
class Offering:
    """A scheduled class (a cohort shares it): its dates, clock hours and JP."""

    title: str
    route: Route
    starts_on: date
    ends_on: date
    hours: Decimal
    jp: Decimal
    provider: str
    competencies: tuple[str, ...]


# National topics of the classroom and shared routes: (title, competency codes).
# fmt: off
NATIONAL_TOPICS: dict[Route, tuple[tuple[str, tuple[str, ...]], ...]] = {
    Route.SEMINAR: (
        ("Seminar Nasional Inovasi Pelayanan Publik", (PELAYANAN_PUBLIK, MENGELOLA_PERUBAHAN)),
        ("Seminar Wawasan Kebangsaan dan Moderasi Beragama", (PEREKAT_BANGSA,)),
        ("Seminar Reformasi Birokrasi Tematik", (ORIENTASI_PADA_HASIL, MENGELOLA_PERUBAHAN)),
        ("Seminar Kesetaraan Gender dan Inklusi dalam Pelayanan",
         (PELAYANAN_PUBLIK, PEREKAT_BANGSA)),
    ),
    Route.SOSIALISASI: (
        ("Sosialisasi Nilai Dasar ASN BerAKHLAK", (INTEGRITAS, PEREKAT_BANGSA)),
        ("Sosialisasi Manajemen Talenta ASN", (PENGEMBANGAN_DIRI,)),
        ("Sosialisasi Pelindungan Data Pribadi (UU 27/2022)", (INTEGRITAS,)),
        ("Sosialisasi Pembangunan Zona Integritas WBK/WBBM", (INTEGRITAS, MENGELOLA_PERUBAHAN)),
    ),
    Route.WORKSHOP: (
        ("Workshop Penyusunan dan Evaluasi Standar Pelayanan", (PELAYANAN_PUBLIK,)),
        ("Workshop Survei Kepuasan Masyarakat dan Tindak Lanjutnya",
         (ORIENTASI_PADA_HASIL, PELAYANAN_PUBLIK)),
        ("Workshop Penyusunan SKP dan Dialog Kinerja", (ORIENTASI_PADA_HASIL, PENGEMBANGAN_DIRI)),
        ("Lokakarya Pengelolaan Pengaduan SP4N-LAPOR!", (PELAYANAN_PUBLIK, KOMUNIKASI)),
    ),
    Route.KURSUS: (
        ("Kursus Bahasa Isyarat Indonesia (BISINDO) untuk Petugas Layanan",
         (PELAYANAN_PUBLIK, KOMUNIKASI)),
        ("Kursus Komunikasi Publik dan Penulisan Informasi Layanan", (KOMUNIKASI,)),
    ),
    Route.PATOK_BANDING: (
        ("Patok banding ke Mal Pelayanan Publik Kota Semarang",
         (PELAYANAN_PUBLIK, MENGELOLA_PERUBAHAN)),
        ("Patok banding inovasi pelayanan ke Kabupaten Banyuwangi",
         (MENGELOLA_PERUBAHAN, KERJA_SAMA)),
    ),
    Route.MANAJERIAL: (
        ("Pelatihan Manajemen Kinerja bagi Pejabat", (ORIENTASI_PADA_HASIL, PENGAMBILAN_KEPUTUSAN)),
        ("Pelatihan Kepemimpinan Transformasional", (MENGELOLA_PERUBAHAN, PENGEMBANGAN_DIRI)),
        ("Pelatihan Pengambilan Keputusan Berbasis Data", (PENGAMBILAN_KEPUTUSAN,)),
    ),
    Route.E_LEARNING: (
        ("Literasi Digital bagi ASN", (MENGELOLA_PERUBAHAN,)),
        ("Pelayanan Publik Berorientasi Pengguna", (PELAYANAN_PUBLIK,)),
        ("Nilai Dasar ASN BerAKHLAK", (INTEGRITAS, PEREKAT_BANGSA)),
        ("Komunikasi Efektif di Tempat Kerja", (KOMUNIKASI,)),
        ("Antikorupsi dan Pengendalian Gratifikasi", (INTEGRITAS,)),
        ("Kerja Sama Tim Lintas Unit", (KERJA_SAMA,)),
        ("Manajemen Risiko Sektor Publik", (PENGAMBILAN_KEPUTUSAN,)),
    ),
    Route.KOMUNITAS_BELAJAR: (
        ("Komunitas belajar petugas layanan: bedah kasus pengaduan",
         (PELAYANAN_PUBLIK, KERJA_SAMA)),
        ("Komunitas belajar: berbagi praktik baik inovasi unit", (MENGELOLA_PERUBAHAN, KERJA_SAMA)),
    ),
}
SEMINAR_PROVIDERS = ("Lembaga Administrasi Negara", "Kementerian PANRB", "Ombudsman RI",
                     "Universitas Diponegoro")
CLASS_PROVIDERS = ("BPSDMD Provinsi Jawa Tengah", "Lembaga Administrasi Negara",
                   "BPSDM Kemendagri", "BKPSDM Kabupaten Sukamaju")
E_LEARNING_PROVIDERS = ("ASN Unggul (LAN RI)", "E-learning BPSDM Kemendagri",
                        "E-learning BPSDMD Provinsi Jawa Tengah")
# Certificate number prefixes by provider; the in-house routes give no numbered certificate.
CERTIFICATE_PREFIX: dict[str, str] = {
    "BPSDMD Provinsi Jawa Tengah": "BPSDMD-JTG", "Lembaga Administrasi Negara": "LAN",
    "BPSDM Kemendagri": "BPSDM-KDN", "BKPSDM Kabupaten Sukamaju": "BKPSDM-SKM",
    "Kementerian PANRB": "KEMENPANRB", "Ombudsman RI": "ORI", "Universitas Diponegoro": "UNDIP",
    "ASN Unggul (LAN RI)": "ASNU", "E-learning BPSDM Kemendagri": "EL-KDN",
    "E-learning BPSDMD Provinsi Jawa Tengah": "EL-JTG",
    **{t.provider: "".join(w[0] for w in t.provider.replace("/", " ").split()).upper()
       for t in TECHNICAL},
}
# fmt: on
UNCERTIFIED = {
    Route.COACHING,
    Route.MENTORING,
    Route.BELAJAR_MANDIRI,
    Route.KOMUNITAS_BELAJAR,
    Route.BIMBINGAN_DI_TEMPAT_KERJA,
}
# Routes about a technical competency half the time, a national topic otherwise.
FLEXIBLE = {Route.E_LEARNING, Route.BELAJAR_MANDIRI, Route.COACHING, Route.MENTORING}
SIASN_SHARE = 0.35  # of the certified records: imported from SIASN rather than entered
# Route weights by the kind of post (the rest of the year is filled with flexible routes).
ROUTE_WEIGHTS: dict[Route, float] = {
    Route.TEKNIS: 16,
    Route.BIMBINGAN_TEKNIS: 14,
    Route.E_LEARNING: 12,
    Route.SEMINAR: 9,
    Route.WORKSHOP: 7,
    Route.SOSIALISASI: 6,
    Route.COACHING: 6,
    Route.MENTORING: 3,
    Route.KURSUS: 3,
    Route.PATOK_BANDING: 2,
    Route.BELAJAR_MANDIRI: 4,
    Route.KOMUNITAS_BELAJAR: 3,
    Route.JARAK_JAUH: 3,
    Route.BIMBINGAN_DI_TEMPAT_KERJA: 3,
    Route.FUNGSIONAL: 4,  # functional posts only
    Route.MANAJERIAL: 5,  # structural posts only
}
# What fills a year up to its target when no scheduled class is small enough (any whole JP fit).
FILLERS: dict[Route, float] = {
    Route.E_LEARNING: 5,
    Route.BELAJAR_MANDIRI: 2,
    Route.COACHING: 2,
    Route.BIMBINGAN_DI_TEMPAT_KERJA: 1,
}
# The posts a talent may be developed for, by the talent's level.
TARGET_LEVELS: dict[str, set[str]] = {
    "Ahli Muda": {"Pengawas", "Administrator"},
    "Ahli Madya": {"Administrator", "JPT Pratama"},
    "Pengawas": {"Administrator"},
}
SCHEDULED = {  # classroom routes held on fixed dates for a cohort: (days lo, hi, JP per day)
    Route.TEKNIS: (2, 5, (8, 9, 10)),
    Route.BIMBINGAN_TEKNIS: (1, 3, (6, 7, 8)),
    Route.FUNGSIONAL: (3, 10, (8,)),
    Route.MANAJERIAL: (2, 4, (8,)),
    Route.KURSUS: (3, 8, (3, 4)),
    Route.JARAK_JAUH: (5, 15, (2, 3)),
    Route.SEMINAR: (1, 2, (0,)),  # per-day routes: JP by the conversion
    Route.SOSIALISASI: (1, 1, (0,)),
    Route.WORKSHOP: (1, 3, (0,)),
    Route.PATOK_BANDING: (1, 3, (0,)),
}


class TrainingRow(NamedTuple):
    """A training record's columns after its id, before `recorded_at` (TRAINING_COLUMNS)."""

    employee_id: int
    title: str
    route: str
    starts_on: date
    ends_on: date
    hours: Decimal
    sessions: int | None
    jp: Decimal
    provider: str
    certificate: str
    certificate_number: str
    service_id: None
    step: str
    source: str
    source_file: str
    recorded_by_id: int | None


# The bulk tables are written through `sigap.demo.writer` (columns checked against the models).
ASSESSMENT_COLUMNS = (
    "employee_id", "competency_id", "level", "assessed_on", "method", "source", "source_file",
    "recorded_by_id",
)  # fmt: skip
TRAINING_COLUMNS = tuple(TrainingRow._fields)


# --- wiping -----------------------------------------------------------------------------------


def wipe_competency(*, agency_ids: list[int]) -> None:
    """Delete the competency rows of these agencies, of their employees and services, and the
    agencies' technical competencies (call before raw-deleting employees, services or units)."""
    employees = Employee.objects.filter(unit__agency_id__in=agency_ids)
    services = Service.objects.filter(unit__agency_id__in=agency_ids)
    own = Competency.objects.filter(agency_id__in=agency_ids)
    DevelopmentPlan.objects.filter(agency_id__in=agency_ids).delete()
    PlanItem.objects.filter(competency__in=own).delete()
    StandardVersion.objects.filter(agency_id__in=agency_ids).delete()
    PositionRequirement.objects.filter(competency__in=own).delete()
    CareerTarget.objects.filter(employee__in=employees).delete()
    Assessment.objects.filter(Q(employee__in=employees) | Q(competency__in=own)).delete()
    CompetencyGap.objects.filter(Q(employee__in=employees) | Q(competency__in=own)).delete()
    records = TrainingRecord.objects.filter(employee__in=employees)
    TrainingRecord.competencies.through.objects.filter(
        Q(trainingrecord__in=records) | Q(competency__in=own)
    ).delete()
    records.delete()
    StepCompetency.objects.filter(Q(service__in=services) | Q(competency__in=own)).delete()
    CompetencyLevel.objects.filter(competency__in=own).delete()
    own.delete()


# --- the build --------------------------------------------------------------------------------


@dataclass
class CompetencySummary:
    technical: int
    step_links: int
    requirements: int
    assessed_employees: int
    assessments: int
    career_targets: int
    trainings: int


def build_competency(*, seed: int, until: date, agency: Agency) -> CompetencySummary:
    """Write the demo agency's competency data (see the module docstring)."""
    return _Builder(seed, until, agency).run()


def _period_start(until: date) -> date:
    try:
        return until.replace(year=until.year - 2)
    except ValueError:  # 29 February
        return until.replace(year=until.year - 2, day=28)


def step_fields(service_code: str, step: str) -> list[str]:
    """The technical competencies (keys) a procedure step needs: the front desk's and the
    signature's for those steps, the service's own field (or a more specific one) for the rest;
    a step that touches a retribusi also needs the retribusi one."""
    low = step.lower()
    keys: list[str] = []
    if low.startswith(FRONT_DESK) or "penyerahan" in low:
        keys.append("pelayanan-prima")
    if low.startswith((*SIGNATURE, "penerbitan")):
        keys.append("tata-naskah-dinas")
    if "retribusi" in low:
        keys.append("keuangan-retribusi")
    if not keys or low.startswith(("penerbitan", "pencetakan")):
        specific = [k for prefix, words, k in STEP_FIELD if service_code.startswith(prefix)
                    and words in low]  # fmt: skip
        if specific:
            keys.append(specific[0])
        else:
            prefix = max((p for p in SERVICE_FIELD if service_code.startswith(p)), key=len)
            keys.append(SERVICE_FIELD[prefix])
    return list(dict.fromkeys(keys))


def required_levels(position: Position) -> tuple[int, int, int]:
    """(manajerial, sosial kultural, teknis) required of a position by `REQUIRED_LEVELS`."""
    return REQUIRED_LEVELS.get(position.level, REQUIRED_BY_KIND.get(position.kind, (2, 2, 2)))


def _clip(level: int) -> int:
    return max(MIN_LEVEL, min(MAX_LEVEL, level))


def _pick(rng: random.Random, weights: dict[int, float]) -> int:
    return rng.choices(list(weights), weights=list(weights.values()))[0]


class _Builder:
    def __init__(self, seed: int, until: date, agency: Agency) -> None:
        self.rng = random.Random(f"competency-{seed}")
        self.until = until
        self.start = _period_start(until)
        self.agency = agency
        self.conversion: dict[Route, JpRule] = jp_conversion()
        self.hr = get_user_model().objects.filter(username=HR_LOGIN).first()
        self.serials: dict[str, int] = defaultdict(int)
        self.offerings: dict[tuple[int, Route, str], list[Offering]] = {}
        self.now = timezone.now()
        self.step_links = 0

    def _link_step_trainings(self) -> None:
        """The trainings aimed at a procedure step (planted before the simulation, by
        `demo.training_plant`) develop the competencies that step is linked to."""
        links = StepCompetency.objects.filter(service__unit__agency=self.agency)
        needs: dict[tuple[int, str], list[int]] = {}
        for service_id, step, competency_id in links.values_list(
            "service_id", "step", "competency_id"
        ):
            needs.setdefault((service_id, step), []).append(competency_id)
        through = TrainingRecord.competencies.through
        through.objects.bulk_create(
            through(trainingrecord_id=record_id, competency_id=competency_id)
            for record_id, service_id, step in TrainingRecord.objects.filter(
                employee__unit__agency=self.agency, service__isnull=False
            ).values_list("pk", "service_id", "step")
            for competency_id in needs.get((service_id, step), ())
        )

    def run(self) -> CompetencySummary:
        national = self._national()
        technical = self._technical()
        by_code = {**national, **technical}
        services = list(
            Service.objects.filter(unit__agency=self.agency).select_related("unit").order_by("code")
        )
        service_fields = self._step_links(services, technical)
        employees = list(
            Employee.objects.filter(unit__agency=self.agency)
            .select_related("position", "unit")
            .order_by("nip")
        )
        requirements = self._standard(employees, services, service_fields, national, technical)
        profiles, assessed, n_assessments = self._assessments(employees, requirements)
        targets = self._career_targets(employees, profiles, requirements)
        trainings = self._trainings(employees, requirements, profiles, by_code)
        self._link_step_trainings()
        return CompetencySummary(
            technical=len(technical),
            step_links=self.step_links,
            requirements=sum(len(v) for v in requirements.values()),
            assessed_employees=assessed,
            assessments=n_assessments,
            career_targets=targets,
            trainings=trainings,
        )

    def _insert(
        self, model: type[Model], columns: Sequence[str], rows: Sequence[tuple[object, ...]]
    ) -> int:
        """Write rows (without id; with `recorded_at` = now when the model has it) in bulk with
        explicit ids; return the first id."""
        writer = BulkWriter()
        fields = {f.column for f in model._meta.concrete_fields}
        stamp = ("recorded_at",) if "recorded_at" in fields else ()
        full = ("id", *columns, *stamp)
        writer.check_columns(model, full)
        first = writer.next_id(model)
        now = writer.dt(int(self.now.timestamp())) if stamp else None
        writer.insert(
            model,
            full,
            ((first + i, *row, *((now,) if stamp else ())) for i, row in enumerate(rows)),
        )
        writer.reset_sequences(model)
        return first

    # -- the dictionary --

    def _national(self) -> dict[str, Competency]:
        """The 9 national competencies: those of the dictionary's data migration, the missing
        ones made here (a database without that migration's data)."""
        codes = [code for code, _n, _g in NATIONAL]
        found = {c.code: c for c in Competency.objects.filter(code__in=codes)}
        missing = [
            Competency(code=code, name=name, group=group, agency=None)
            for code, name, group in NATIONAL
            if code not in found
        ]
        if missing:
            Competency.objects.bulk_create(missing)
            CompetencyLevel.objects.bulk_create(
                CompetencyLevel(
                    competency=c,
                    level=level,
                    description=f"Mampu menerapkan {c.name.lower()} {reach}.",
                )
                for c in missing
                for level, reach in enumerate(NATIONAL_REACH, start=1)
            )
            found.update({c.code: c for c in missing})
        return {code: found[code] for code in codes}

    def _technical(self) -> dict[str, Competency]:
        rows = [
            Competency(
                code=f"{CODE_PREFIX}{t.key}",
                name=t.name,
                group=TEKNIS,
                agency=self.agency,
                definition=f"Kemampuan {t.task} ({t.field}).",
            )
            for t in TECHNICAL
        ]
        Competency.objects.bulk_create(rows)
        CompetencyLevel.objects.bulk_create(
            CompetencyLevel(
                competency=c, level=level, description=line.format(task=t.task, field=t.field)
            )
            for t, c in zip(TECHNICAL, rows, strict=True)
            for level, line in enumerate(TECHNICAL_LEVELS, start=1)
        )
        return {c.code: c for c in rows}

    def _step_links(
        self, services: list[Service], technical: dict[str, Competency]
    ) -> dict[int, list[str]]:
        """Link every step name of every standard version; return each service's codes."""
        steps: dict[int, list[str]] = defaultdict(list)
        for service_id, name in (
            ProcedureStep.objects.filter(standard__service__in=services)
            .order_by("standard__service__code", "standard__version", "order")
            .values_list("standard__service_id", "name")
        ):
            if name not in steps[service_id]:
                steps[service_id].append(name)
        links, fields = [], {}
        for service in services:
            codes: list[str] = []
            for step in steps[service.pk]:
                for key in step_fields(service.code, step):
                    code = f"{CODE_PREFIX}{key}"
                    links.append(
                        StepCompetency(service=service, step=step, competency=technical[code])
                    )
                    codes.append(code)
            fields[service.pk] = list(dict.fromkeys(codes))
        StepCompetency.objects.bulk_create(links)
        self.step_links = len(links)
        return fields

    # -- the standard --

    def _standard(
        self,
        employees: list[Employee],
        services: list[Service],
        service_fields: dict[int, list[str]],
        national: dict[str, Competency],
        technical: dict[str, Competency],
    ) -> dict[int, list[tuple[Competency, int]]]:
        """Position id -> [(competency, required level)] of the version valid from the start."""
        served: dict[int, list[str]] = defaultdict(list)  # position id -> technical codes
        paths = [(s.unit.path, s.pk) for s in services]
        positions: dict[int, Position] = {}
        for emp in employees:
            pos = emp.position
            positions[pos.pk] = pos
            for prefix, key in POST_FIELD:
                if pos.name.startswith(prefix):
                    served[pos.pk].append(f"{CODE_PREFIX}{key}")
            heads_subtree = pos.kind == Position.Kind.STRUKTURAL
            for path, service_id in paths:
                mine = path.startswith(emp.unit.path) if heads_subtree else path == emp.unit.path
                if mine:
                    served[pos.pk].extend(service_fields[service_id])
        version = StandardVersion.objects.create(
            agency=self.agency,
            valid_from=self.start,
            note="Standar kompetensi jabatan Pemerintah Kabupaten Sukamaju (Peraturan Bupati "
            "tentang Standar Kompetensi Jabatan)",
            created_by=self.hr,
        )
        requirements: dict[int, list[tuple[Competency, int]]] = {}
        for pos in sorted(positions.values(), key=lambda p: p.name):
            manajerial, sosial, teknis = required_levels(pos)
            levels: list[tuple[Competency, int]] = []
            for code, comp in national.items():
                level = sosial if comp.group == SOSIAL_KULTURAL else manajerial
                if code == PELAYANAN_PUBLIK and pos.kind != Position.Kind.STRUKTURAL:
                    level = max(level, PELAKSANA_PELAYANAN_PUBLIK)
                levels.append((comp, level))
            for code in sorted(set(served[pos.pk])):
                levels.append((technical[code], teknis))
            requirements[pos.pk] = levels
        PositionRequirement.objects.bulk_create(
            PositionRequirement(version=version, position_id=pid, competency=c, level=level)
            for pid, levels in requirements.items()
            for c, level in levels
        )
        return requirements

    # -- assessments --

    def _assessments(
        self, employees: list[Employee], requirements: dict[int, list[tuple[Competency, int]]]
    ) -> tuple[dict[int, dict[int, int]], int, int]:
        """Employee id -> competency id -> latest level, for the assessed; their number and the
        number of results."""
        rng = self.rng
        structural = [e for e in employees if e.position.kind == Position.Kind.STRUKTURAL]
        others = [e for e in employees if e.position.kind != Position.Kind.STRUKTURAL]
        wanted = max(0, math.ceil(ASSESSED_SHARE * len(employees)) - len(structural))
        chosen = {e.pk for e in structural} | {
            e.pk for e in rng.sample(others, min(wanted, len(others)))
        }
        rows: list[tuple[object, ...]] = []
        latest: dict[int, dict[int, int]] = {}
        last_day = self.until - timedelta(days=1)
        hr = self.hr.pk if self.hr is not None else None
        for emp in employees:
            if emp.pk not in chosen:
                continue
            profile = rng.choices([p for _s, p in PROFILES], weights=[s for s, _p in PROFILES])[0]
            first_on = self.start + timedelta(days=rng.randint(60, 300))
            second_on = first_on + timedelta(days=rng.randint(330, 420))
            twice = rng.random() < REASSESSED_SHARE and second_on <= last_day
            kind = emp.position.kind
            latest[emp.pk] = {}
            for comp, required in requirements[emp.position_id]:
                level = _clip(required + _pick(rng, profile))
                latest[emp.pk][comp.pk] = level
                rounds = [(second_on if twice else first_on, level)]
                if twice:
                    roll = rng.random()
                    earlier = level - 1 if roll < 0.35 else level + 1 if roll < 0.42 else level
                    rounds.insert(0, (first_on, _clip(earlier)))
                for on, lvl in rounds:
                    if comp.group == TEKNIS:
                        method, on = Assessment.Method.UJI_KOMPETENSI, on + timedelta(days=14)
                    elif kind == Position.Kind.STRUKTURAL:
                        method = Assessment.Method.ASSESSMENT_CENTRE
                    else:
                        method = Assessment.Method.FEEDBACK_360
                    on = min(on, last_day)
                    imported = method != Assessment.Method.FEEDBACK_360
                    rows.append(
                        (
                            emp.pk,
                            comp.pk,
                            lvl,
                            on,
                            method.value,
                            (
                                Assessment.Source.IMPORTED
                                if imported
                                else Assessment.Source.ENTERED
                            ).value,
                            f"hasil-{method.replace('_', '-')}-{on.year}.xlsx" if imported else "",
                            None if imported else hr,
                        )
                    )
        self._insert(Assessment, ASSESSMENT_COLUMNS, rows)
        return latest, len(latest), len(rows)

    def _career_targets(
        self,
        employees: list[Employee],
        profiles: dict[int, dict[int, int]],
        requirements: dict[int, list[tuple[Competency, int]]],
    ) -> int:
        """A few assessed officers who meet their standard (all but at most one competency),
        developed for the head's post of their unit (a section head: of the unit above)."""
        specs = {s.key: s for s in content.UNITS}
        names = [s.head for s in specs.values() if s.head]
        head_post = {p.name: p for p in Position.objects.filter(name__in=names)}
        candidates: list[tuple[Employee, Position]] = []
        for emp in employees:
            latest = profiles.get(emp.pk)
            if latest is None or emp.position.level not in TARGET_LEVELS:
                continue
            if sum(latest[c.pk] < level for c, level in requirements[emp.position_id]) > 1:
                continue  # a talent meets the standard, but for at most one competency
            spec = specs.get(emp.unit.code)
            if spec is None:
                continue
            key = spec.parent if emp.position.kind == Position.Kind.STRUKTURAL else spec.key
            target = head_post.get(specs[key].head) if key in specs else None
            if (
                target is not None
                and target.level in TARGET_LEVELS[emp.position.level]
                and target.pk in requirements
            ):
                candidates.append((emp, target))
        chosen = self.rng.sample(candidates, min(CAREER_TARGETS, len(candidates)))
        CareerTarget.objects.bulk_create(
            CareerTarget(
                employee=emp,
                position=target,
                set_by=self.hr,
                set_on=self.until - timedelta(days=self.rng.randint(20, 300)),
            )
            for emp, target in sorted(chosen, key=lambda pair: pair[0].nip)
        )
        return len(chosen)

    # -- training records --

    def _years(self) -> list[tuple[int, date, date, float]]:
        """(year, first day, last day, share of the year) of the calendar years in the period."""
        last = self.until - timedelta(days=1)
        out = []
        for year in range(self.start.year, last.year + 1):
            a, b = max(self.start, date(year, 1, 1)), min(last, date(year, 12, 31))
            if a <= b:
                out.append(
                    (year, a, b, ((b - a).days + 1) / (date(year, 12, 31).timetuple().tm_yday))
                )
        return out

    def _target(self, share: float) -> int:
        """The JP an employee gathers in a year: most reach 20, some fall short, a few land on
        exactly 19 or 20. A year only partly inside the period is scaled down."""
        rng = self.rng
        roll = rng.random()
        if roll < YEAR_19:
            full = 19
        elif roll < YEAR_19 + YEAR_20:
            full = 20
        elif roll < YEAR_19 + YEAR_20 + YEAR_SHORT:
            full = 0 if rng.random() < 0.1 else rng.randint(3, 18)
        else:
            full = min(90, 21 + int(rng.expovariate(1 / 12)))
        return full if share >= 0.8 else round(full * share / 0.8)

    def _trainings(
        self,
        employees: list[Employee],
        requirements: dict[int, list[tuple[Competency, int]]],
        profiles: dict[int, dict[int, int]],
        by_code: dict[str, Competency],
    ) -> int:
        rng = self.rng
        rows: list[TrainingRow] = []
        links: list[tuple[str, ...]] = []
        for emp in employees:
            own = [c for c, _l in requirements[emp.position_id] if c.group == TEKNIS]
            latest = profiles.get(emp.pk, {})
            weak = [c for c, lvl in requirements[emp.position_id] if latest.get(c.pk, lvl) < lvl]
            kind = emp.position.kind
            weights = {
                r: w
                for r, w in ROUTE_WEIGHTS.items()
                if (r is not Route.FUNGSIONAL or kind == Position.Kind.FUNGSIONAL)
                and (r is not Route.MANAJERIAL or kind == Position.Kind.STRUKTURAL)
            }
            for year, first, last, share in self._years():
                remaining = Decimal(self._target(share))
                for _ in range(20):  # a bound: each activity takes at least 1 JP
                    if remaining <= 0:
                        break
                    route = rng.choices(list(weights), weights=list(weights.values()))[0]
                    activity = self._activity(emp, route, year, first, last, remaining, own, weak)
                    if activity is None:  # no class small enough: a flexible route
                        filler = rng.choices(list(FILLERS), weights=list(FILLERS.values()))[0]
                        activity = self._activity(
                            emp, filler, year, first, last, remaining, own, weak
                        )
                    if activity is None:
                        activity = self._e_learning(emp, first, last, remaining, own, weak)
                    row, codes = activity
                    rows.append(row)
                    links.append(codes)
                    remaining -= row.jp
        first_id = self._insert(TrainingRecord, TRAINING_COLUMNS, rows)
        through = TrainingRecord.competencies.through
        self._insert(
            through,
            ("trainingrecord_id", "competency_id"),
            [
                (first_id + i, by_code[code].pk)
                for i, codes in enumerate(links)
                for code in dict.fromkeys(codes)
            ],
        )
        return len(rows)

    def _topic(
        self, route: Route, own: Sequence[Competency], weak: Sequence[Competency]
    ) -> tuple[str, tuple[str, ...]]:
        """(what the activity is about, competency codes): a technical competency of the post
        (half the time one the employee falls short of) or a national topic of the route."""
        rng = self.rng
        technical_routes = {Route.TEKNIS, Route.BIMBINGAN_TEKNIS, Route.JARAK_JAUH,
                            Route.BIMBINGAN_DI_TEMPAT_KERJA, Route.FUNGSIONAL}  # fmt: skip
        national = NATIONAL_TOPICS.get(route, NATIONAL_TOPICS[Route.E_LEARNING])
        flexible = route in FLEXIBLE and rng.random() < 0.5
        if own and (route in technical_routes or flexible):
            weak_own = [c for c in weak if c.group == TEKNIS]
            comp = rng.choice(weak_own if weak_own and rng.random() < 0.5 else own)
            return comp.name, (comp.code,)
        if route in technical_routes:  # a post without technical competencies: a shared class
            route = Route.WORKSHOP
            national = NATIONAL_TOPICS[route]
        weak_national = [(t, codes) for t, codes in national if any(c.code in codes for c in weak)]
        return rng.choice(weak_national if weak_national and rng.random() < 0.5 else national)

    def _record(
        self,
        emp: Employee,
        title: str,
        route: Route,
        starts_on: date,
        ends_on: date,
        hours: Decimal,
        provider: str,
        sessions: int | None = None,
    ) -> TrainingRow:
        rng = self.rng
        jp = training_jp(route, starts_on, ends_on, hours, sessions, conversion=self.conversion)
        number, source, source_file = "", TrainingRecord.Source.ENTERED, ""
        if route not in UNCERTIFIED:
            prefix = CERTIFICATE_PREFIX.get(provider, "SERT")
            self.serials[f"{prefix}-{ends_on.year}"] += 1
            serial = self.serials[f"{prefix}-{ends_on.year}"]
            number = f"{prefix}/{serial:05d}/{ends_on.year}"
            if rng.random() < SIASN_SHARE:
                source = TrainingRecord.Source.SIASN
                source_file = f"riwayat-diklat-siasn-{ends_on.year}.csv"
        return TrainingRow(
            emp.pk, title, route.value, starts_on, ends_on, hours, sessions, jp, provider, "",
            number, None, "", source.value, source_file,
            None if source == TrainingRecord.Source.SIASN or self.hr is None else self.hr.pk,
        )  # fmt: skip

    def _within(self, first: date, last: date, days: int) -> tuple[date, date]:
        """A random span of `days` days (at most the window) inside [first, last]."""
        room = (last - first).days + 1
        days = max(1, min(days, room))
        start = first + timedelta(days=self.rng.randint(0, room - days))
        return start, start + timedelta(days=days - 1)

    def _offering(
        self, route: Route, year: int, first: date, last: date, topic: tuple[str, tuple[str, ...]]
    ) -> list[Offering]:
        """The classes of a route and topic in a year: two or three cohorts on fixed dates."""
        key = (year, route, topic[0])
        if key in self.offerings:
            return self.offerings[key]
        rng = self.rng
        lo, hi, per_day = SCHEDULED[route]
        classes = []
        for _ in range(rng.randint(2, 3)):
            starts_on, ends_on = self._within(first, last, rng.randint(lo, hi))
            days = (ends_on - starts_on).days + 1
            if route == Route.KURSUS:  # weekly meetings
                starts_on, ends_on = self._within(first, last, days * 7)
            jp_day = rng.choice(per_day)
            hours = Decimal(days * jp_day) * 3 / 4 if jp_day else Decimal(days * 6)
            code = topic[1][0]
            technical = next((t for t in TECHNICAL if f"{CODE_PREFIX}{t.key}" == code), None)
            if route == Route.SEMINAR:
                provider = rng.choice(SEMINAR_PROVIDERS)
            elif technical is not None and route in (
                Route.TEKNIS,
                Route.JARAK_JAUH,
                Route.FUNGSIONAL,
            ):
                provider = technical.provider
            elif route in (Route.SOSIALISASI, Route.PATOK_BANDING, Route.BIMBINGAN_TEKNIS):
                provider = "BKPSDM Kabupaten Sukamaju"
            else:
                provider = rng.choice(CLASS_PROVIDERS)
            title = {
                Route.TEKNIS: f"Pelatihan Teknis {topic[0]}",
                Route.BIMBINGAN_TEKNIS: f"Bimbingan Teknis {topic[0]}",
                Route.JARAK_JAUH: f"Pelatihan Jarak Jauh {topic[0]}",
                Route.FUNGSIONAL: f"Pelatihan Fungsional: {topic[0]}",
            }.get(route, topic[0])
            jp = training_jp(route, starts_on, ends_on, hours, conversion=self.conversion)
            classes.append(
                Offering(title, route, starts_on, ends_on, hours, jp, provider, topic[1])
            )
        self.offerings[key] = classes
        return classes

    def _activity(
        self,
        emp: Employee,
        route: Route,
        year: int,
        first: date,
        last: date,
        remaining: Decimal,
        own: Sequence[Competency],
        weak: Sequence[Competency],
    ) -> tuple[TrainingRow, tuple[str, ...]] | None:
        """One activity of the route worth at most `remaining` JP, or None when it has none."""
        rng = self.rng
        topic = self._topic(route, own, weak)
        if route in SCHEDULED:
            if (
                route in (Route.TEKNIS, Route.BIMBINGAN_TEKNIS, Route.JARAK_JAUH, Route.FUNGSIONAL)
                and not own
            ):
                route = Route.WORKSHOP
            fitting = [
                o for o in self._offering(route, year, first, last, topic) if o.jp <= remaining
            ]
            if not fitting:
                return None
            o = rng.choice(fitting)
            record = self._record(
                emp, o.title, o.route, o.starts_on, o.ends_on, o.hours, o.provider
            )
            return record, o.competencies
        title, codes = topic
        if route in (Route.COACHING, Route.MENTORING):
            sessions = rng.randint(1, min(6, int(remaining // 2)) or 1)
            if sessions * 2 > remaining:
                return None
            months = math.ceil(sessions / 2)
            starts_on, ends_on = self._within(first, last, 31 * (months - 1) + 1)
            who = "atasan langsung" if route == Route.COACHING else "mentor senior"
            record = self._record(
                emp, f"{route.value.capitalize()} oleh {who}: {title}", route, starts_on,
                ends_on, Decimal(sessions) * Decimal("1.5"), emp.unit.name, sessions,
            )  # fmt: skip
            return record, codes
        if route in (
            Route.BELAJAR_MANDIRI,
            Route.KOMUNITAS_BELAJAR,
            Route.BIMBINGAN_DI_TEMPAT_KERJA,
        ):
            jp = min(int(remaining), rng.randint(2, 8))
            starts_on, ends_on = self._within(first, last, math.ceil(jp / 2) + rng.randint(0, 30))
            label = {
                Route.BELAJAR_MANDIRI: "Belajar mandiri", Route.KOMUNITAS_BELAJAR: "",
                Route.BIMBINGAN_DI_TEMPAT_KERJA: "Bimbingan di tempat kerja",
            }[route]  # fmt: skip
            provider = "ASN Unggul (LAN RI)" if route == Route.BELAJAR_MANDIRI else emp.unit.name
            full = f"{label}: {title}" if label else title
            hours = Decimal(jp) * 3 / 4
            return self._record(emp, full, route, starts_on, ends_on, hours, provider), codes
        return self._e_learning(emp, first, last, remaining, own, weak)

    def _e_learning(
        self,
        emp: Employee,
        first: date,
        last: date,
        remaining: Decimal,
        own: Sequence[Competency],
        weak: Sequence[Competency],
    ) -> tuple[TrainingRow, tuple[str, ...]]:
        """An e-learning course of at most `remaining` JP (any whole number fits: it fills a
        year up to its target)."""
        rng = self.rng
        title, codes = self._topic(Route.E_LEARNING, own, weak)
        jp = min(int(remaining), rng.randint(2, 16)) or 1
        starts_on, ends_on = self._within(first, last, math.ceil(jp / 3) + rng.randint(0, 20))
        provider = rng.choice(E_LEARNING_PROVIDERS)
        hours = Decimal(jp) * 3 / 4
        title = f"E-learning {title}"
        record = self._record(emp, title, Route.E_LEARNING, starts_on, ends_on, hours, provider)
        return record, codes


# --- summaries ----------------------------------------------------------------------------------


def competency_counts(agency_code: str = content.AGENCY_CODE) -> dict[str, int]:
    """Row counts of the demo's competency data (`sigap.demo.build.counts`)."""
    mine = Q(employee__unit__agency__code=agency_code)
    return {
        "competencies (technical)": Competency.objects.filter(agency__code=agency_code).count(),
        "step competencies": StepCompetency.objects.filter(
            service__unit__agency__code=agency_code
        ).count(),
        "position requirements": PositionRequirement.objects.filter(
            version__agency__code=agency_code
        ).count(),
        "assessment results": Assessment.objects.filter(mine).count(),
        "career targets": CareerTarget.objects.filter(mine).count(),
        "training records": TrainingRecord.objects.filter(mine).count(),
    }


# --- comparing builds -------------------------------------------------------------------------


def competency_fingerprint_queries(
    agency_code: str = content.AGENCY_CODE,
) -> list[QuerySet[Any, Any]]:
    """The demo's competency rows by natural keys (not ids), for `sigap.demo.build.fingerprint`."""
    mine = Q(employee__unit__agency__code=agency_code)
    through = TrainingRecord.competencies.through
    return [
        Competency.objects.filter(agency__code=agency_code)
        .order_by("code")
        .values_list("code", "name", "group", "definition"),
        StepCompetency.objects.filter(service__unit__agency__code=agency_code)
        .order_by("service__code", "step", "competency__code")
        .values_list("service__code", "step", "competency__code"),
        PositionRequirement.objects.filter(version__agency__code=agency_code)
        .order_by("version__valid_from", "position__name", "competency__code")
        .values_list("version__valid_from", "position__name", "competency__code", "level"),
        Assessment.objects.filter(mine)
        .order_by("employee__nip", "competency__code", "assessed_on", "method", "level")
        .values_list(
            "employee__nip",
            "competency__code",
            "assessed_on",
            "method",
            "level",
            "source",
            "source_file",
        ),
        CareerTarget.objects.filter(mine)
        .order_by("employee__nip")
        .values_list("employee__nip", "position__name", "set_on"),
        TrainingRecord.objects.filter(mine)
        .order_by(*TRAINING_KEY)
        .values_list(
            *TRAINING_KEY,
            "route",
            "sessions",
            "provider",
            "source",
            "source_file",
            "service__code",
            "step",
        ),
        through.objects.filter(trainingrecord__employee__unit__agency__code=agency_code)
        .order_by(*(f"trainingrecord__{k}" for k in TRAINING_KEY), "competency__code")
        .values_list(*(f"trainingrecord__{k}" for k in TRAINING_KEY), "competency__code"),
    ]


TRAINING_KEY = (
    "employee__nip", "starts_on", "title", "certificate_number", "ends_on", "hours", "jp",
)  # fmt: skip
