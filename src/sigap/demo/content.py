# ruff: noqa: E501  (data tables read better one entry per line)
"""What the demo kabupaten is made of: fixed Indonesian content, no randomness here.

Kabupaten Sukamaju is fictional. Its NIK region code 33.99 does not exist, so no demo NIK can
belong to a real person; regulations cited in the service standards are real.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

AGENCY_CODE = "kab-sukamaju"
AGENCY_NAME = "Pemerintah Kabupaten Sukamaju"
# Province 33 (Jawa Tengah) exists, regency 99 does not: NIKs are valid in shape only.
NIK_PROVINCE, NIK_REGENCY = "33", "99"
# Hari jadi Kabupaten Sukamaju: a local day off (AgencySpecialDay) every year.
HARI_JADI = (3, 12)

# (kecamatan, is remote, desa...) - the first one is the seat of the regency.
KECAMATAN: list[tuple[str, bool, list[str]]] = [
    (
        "Sukamaju",
        False,
        ["Sukamaju", "Sukajadi", "Mekarsari", "Cikaret", "Pasirhalang", "Margahayu"],
    ),
    ("Cibening", False, ["Cibening", "Cijambu", "Sukarame", "Tegalwangi", "Bojongsari"]),
    ("Karangjati", False, ["Karangjati", "Jatimulya", "Kertajaya", "Sindangsari", "Pangauban"]),
    ("Pasirwangi", False, ["Pasirwangi", "Padamukti", "Sarimukti", "Barusari", "Karyamekar"]),
    ("Margamulya", False, ["Margamulya", "Sukamanah", "Cikalong", "Mandalasari", "Wanajaya"]),
    ("Tanjungsari", False, ["Tanjungsari", "Gudang", "Kutamandiri", "Raharja", "Margaluyu"]),
    ("Sindangreret", False, ["Sindangreret", "Cilopang", "Ciherang", "Sukaasih", "Neglasari"]),
    ("Wanasari", False, ["Wanasari", "Wanakerta", "Cibodas", "Sirnagalih", "Sukaresik"]),
    ("Mekarjaya", False, ["Mekarjaya", "Mekarwangi", "Jayamukti", "Sindanglaya", "Cipeundeuy"]),
    ("Sukaresmi", False, ["Sukaresmi", "Cikahuripan", "Rawabogo", "Pasirjambu", "Cisaat"]),
    ("Cikadu", True, ["Cikadu", "Karangwangi", "Gunungjaya", "Cimanggu", "Parakanjaya"]),
    ("Gunungsari", True, ["Gunungsari", "Girimukti", "Leuwiliang", "Cibuniasih", "Sirnajaya"]),
]
REMOTE_KECAMATAN = "Gunungsari"

MALE_NAMES = [
    "Agus",
    "Budi",
    "Dedi",
    "Eko",
    "Hendra",
    "Iwan",
    "Joko",
    "Rudi",
    "Slamet",
    "Wahyu",
    "Yusuf",
    "Ahmad",
    "Asep",
    "Bambang",
    "Cecep",
    "Dadang",
    "Deden",
    "Dimas",
    "Fajar",
    "Hadi",
    "Hasan",
    "Ilham",
    "Irfan",
    "Kurniawan",
    "Lukman",
    "Mamat",
    "Nanang",
    "Rahmat",
    "Rizki",
    "Sutrisno",
    "Taufik",
    "Ujang",
    "Yayat",
    "Zainal",
    "Arif",
    "Bayu",
    "Dani",
    "Firman",
    "Gilang",
    "Imam",
    "Kusnadi",
    "Muhammad",
    "Nur",
    "Rian",
    "Sigit",
    "Teguh",
    "Wawan",
    "Yoga",
    "Aditya",
    "Andi",
    "Bagus",
    "Darmawan",
    "Haris",
    "Jajang",
    "Komarudin",
    "Ade",
    "Endang",
]
FEMALE_NAMES = [
    "Siti",
    "Sri",
    "Dewi",
    "Rina",
    "Ani",
    "Nur",
    "Yuni",
    "Lina",
    "Wati",
    "Ratna",
    "Endah",
    "Fitri",
    "Dian",
    "Ika",
    "Lia",
    "Mira",
    "Neneng",
    "Eneng",
    "Tuti",
    "Yanti",
    "Euis",
    "Iis",
    "Cucu",
    "Nining",
    "Rini",
    "Sari",
    "Wulan",
    "Ayu",
    "Putri",
    "Indah",
    "Intan",
    "Lestari",
    "Maya",
    "Novi",
    "Nurul",
    "Rahma",
    "Rosita",
    "Santi",
    "Tini",
    "Umi",
    "Yeni",
    "Anisa",
    "Dewi",
    "Ratih",
    "Suci",
    "Wiwin",
    "Lilis",
    "Imas",
    "Nia",
    "Kartika",
]
# Second names: most Indonesians have no family name, and many second names are gendered.
MALE_SECOND_NAMES = [
    "Setiawan",
    "Supriyadi",
    "Hidayat",
    "Saputra",
    "Gunawan",
    "Permana",
    "Nugraha",
    "Suryana",
    "Hermawan",
    "Fauzi",
    "Ramdani",
    "Maulana",
    "Hakim",
    "Firmansyah",
    "Pratama",
    "Wijaya",
    "Kusuma",
    "Sopian",
    "Sudrajat",
    "Mulyana",
    "Suhendar",
    "Hamdani",
    "Iskandar",
    "Syahputra",
    "Rachman",
    "Santoso",
    "Widodo",
    "Prasetyo",
    "Utomo",
    "Nugroho",
    "Wibowo",
    "Suharto",
    "Haryanto",
    "Suryadi",
    "Jaelani",
    "Sobari",
]
FEMALE_SECOND_NAMES = [
    "Kurniasih",
    "Wulandari",
    "Rahayu",
    "Susanti",
    "Sulastri",
    "Rohmah",
    "Handayani",
    "Purnamasari",
    "Lestari",
    "Sukmawati",
    "Hasanah",
    "Mardiana",
    "Aminah",
    "Kartini",
    "Komariah",
    "Nurhayati",
    "Puspitasari",
    "Anggraini",
    "Maharani",
    "Fitriani",
    "Rahmawati",
    "Safitri",
    "Permatasari",
    "Nuraeni",
]


# --- the unit tree --------------------------------------------------------------------------------


@dataclass(frozen=True)
class UnitSpec:
    """One unit: `staff` is the number of employees besides its head."""

    key: str
    name: str
    kind: str  # a Unit.Kind value
    parent: str | None
    head: str  # the head's position name ("" = none: the root is led by the Bupati, not an ASN)
    head_level: str
    staff: int
    staff_mix: str  # key of STAFF_MIX


# fmt: off
UNITS: list[UnitSpec] = [
    UnitSpec("pemda", AGENCY_NAME, "pemda", None, "", "", 0, "admin"),
    UnitSpec("setda", "Sekretariat Daerah", "opd", "pemda", "Sekretaris Daerah", "JPT Pratama", 90, "admin"),
    UnitSpec("setda-org", "Bagian Organisasi", "bidang", "setda", "Kepala Bagian Organisasi", "Administrator", 18, "admin"),
    UnitSpec("setda-hukum", "Bagian Hukum", "bidang", "setda", "Kepala Bagian Hukum", "Administrator", 16, "admin"),
    UnitSpec("inspektorat", "Inspektorat Daerah", "opd", "pemda", "Inspektur Daerah", "JPT Pratama", 38, "audit"),
    UnitSpec("bkpsdm", "Badan Kepegawaian dan Pengembangan Sumber Daya Manusia (BKPSDM)", "opd", "pemda", "Kepala BKPSDM", "JPT Pratama", 20, "hr"),
    UnitSpec("bkpsdm-mutasi", "Bidang Mutasi dan Promosi", "bidang", "bkpsdm", "Kepala Bidang Mutasi dan Promosi", "Administrator", 16, "hr"),
    UnitSpec("bkpsdm-bangkom", "Bidang Pengembangan Kompetensi", "bidang", "bkpsdm", "Kepala Bidang Pengembangan Kompetensi", "Administrator", 14, "hr"),
    UnitSpec("dukcapil", "Dinas Kependudukan dan Pencatatan Sipil", "opd", "pemda", "Kepala Dinas Kependudukan dan Pencatatan Sipil", "JPT Pratama", 22, "admin"),
    UnitSpec("dukcapil-dafduk", "Bidang Pelayanan Pendaftaran Penduduk", "bidang", "dukcapil", "Kepala Bidang Pelayanan Pendaftaran Penduduk", "Administrator", 8, "dukcapil"),
    UnitSpec("dukcapil-loket-dafduk", "Loket Pelayanan Pendaftaran Penduduk", "unit_layanan", "dukcapil-dafduk", "Kepala Seksi Identitas Penduduk", "Pengawas", 34, "dukcapil"),
    UnitSpec("dukcapil-capil", "Bidang Pelayanan Pencatatan Sipil", "bidang", "dukcapil", "Kepala Bidang Pelayanan Pencatatan Sipil", "Administrator", 8, "dukcapil"),
    UnitSpec("dukcapil-loket-capil", "Loket Pelayanan Pencatatan Sipil", "unit_layanan", "dukcapil-capil", "Kepala Seksi Kelahiran dan Kematian", "Pengawas", 24, "dukcapil"),
    UnitSpec("dpmptsp", "Dinas Penanaman Modal dan Pelayanan Terpadu Satu Pintu (DPMPTSP)", "opd", "pemda", "Kepala DPMPTSP", "JPT Pratama", 16, "admin"),
    UnitSpec("dpmptsp-perizinan", "Bidang Pelayanan Perizinan", "bidang", "dpmptsp", "Kepala Bidang Pelayanan Perizinan", "Administrator", 8, "perizinan"),
    UnitSpec("dpmptsp-mpp", "Front Office Mal Pelayanan Publik Sukamaju", "unit_layanan", "dpmptsp-perizinan", "Kepala Seksi Pelayanan Perizinan", "Pengawas", 26, "perizinan"),
    UnitSpec("dinkes", "Dinas Kesehatan", "opd", "pemda", "Kepala Dinas Kesehatan", "JPT Pratama", 30, "health"),
    UnitSpec("dinkes-kesmas", "Bidang Kesehatan Masyarakat", "bidang", "dinkes", "Kepala Bidang Kesehatan Masyarakat", "Administrator", 18, "health"),
    UnitSpec("pkm-sukamaju", "Puskesmas Sukamaju", "unit_layanan", "dinkes", "Kepala Puskesmas Sukamaju", "Pengawas", 62, "health"),
    UnitSpec("pkm-cibening", "Puskesmas Cibening", "unit_layanan", "dinkes", "Kepala Puskesmas Cibening", "Pengawas", 52, "health"),
    UnitSpec("pkm-gunungsari", "Puskesmas Gunungsari", "unit_layanan", "dinkes", "Kepala Puskesmas Gunungsari", "Pengawas", 40, "health"),
    UnitSpec("disdik", "Dinas Pendidikan", "opd", "pemda", "Kepala Dinas Pendidikan", "JPT Pratama", 60, "admin"),
    UnitSpec("disdik-dikdas", "Bidang Pembinaan Pendidikan Dasar", "bidang", "disdik", "Kepala Bidang Pembinaan Pendidikan Dasar", "Administrator", 24, "education"),
    UnitSpec("dinsos", "Dinas Sosial", "opd", "pemda", "Kepala Dinas Sosial", "JPT Pratama", 20, "admin"),
    UnitSpec("dinsos-linjamsos", "Bidang Perlindungan dan Jaminan Sosial", "bidang", "dinsos", "Kepala Bidang Perlindungan dan Jaminan Sosial", "Administrator", 22, "social"),
    UnitSpec("dishub", "Dinas Perhubungan", "opd", "pemda", "Kepala Dinas Perhubungan", "JPT Pratama", 34, "transport"),
    UnitSpec("dishub-uptd-pkb", "UPTD Pengujian Kendaraan Bermotor", "unit_layanan", "dishub", "Kepala UPTD Pengujian Kendaraan Bermotor", "Pengawas", 26, "transport"),
    UnitSpec("rsud", "RSUD Sukamaju", "opd", "pemda", "Direktur RSUD Sukamaju", "JPT Pratama", 450, "hospital"),
    UnitSpec("rsud-rekam-medis", "Instalasi Rekam Medis RSUD Sukamaju", "unit_layanan", "rsud", "Kepala Instalasi Rekam Medis", "Pengawas", 22, "hospital"),
] + [
    UnitSpec(
        f"kec-{name.lower()}", f"Kecamatan {name}", "kecamatan", "pemda", f"Camat {name}",
        "Administrator", 24 if name in ("Sukamaju", "Cibening", "Gunungsari") else 22, "kecamatan",
    )
    for name, _remote, _desa in KECAMATAN
]
# fmt: on

# Positions per staff mix: (position name, kind, level, weight, gelar suffix, PPPK share).
Position = tuple[str, str, str, int, str, float]
STAFF_MIX: dict[str, list[Position]] = {
    "admin": [
        ("Analis Kebijakan Ahli Muda", "fungsional", "Ahli Muda", 2, "S.Sos., M.Si.", 0.0),
        ("Analis Kebijakan Ahli Pertama", "fungsional", "Ahli Pertama", 3, "S.AP.", 0.1),
        ("Pranata Komputer Ahli Pertama", "fungsional", "Ahli Pertama", 2, "S.Kom.", 0.3),
        ("Arsiparis Terampil", "fungsional", "Terampil", 2, "A.Md.", 0.3),
        ("Pengadministrasi Perkantoran", "pelaksana", "Kelas 6", 6, "", 0.3),
        ("Pengelola Keuangan", "pelaksana", "Kelas 7", 3, "S.E.", 0.1),
        ("Pengemudi", "pelaksana", "Kelas 3", 1, "", 0.5),
    ],
    "audit": [
        ("Auditor Ahli Madya", "fungsional", "Ahli Madya", 2, "S.E., M.Ak.", 0.0),
        ("Auditor Ahli Muda", "fungsional", "Ahli Muda", 4, "S.E., Ak.", 0.0),
        ("Auditor Ahli Pertama", "fungsional", "Ahli Pertama", 5, "S.E.", 0.1),
        (
            "Pengawas Penyelenggaraan Urusan Pemerintahan di Daerah Ahli Muda",
            "fungsional",
            "Ahli Muda",
            3,
            "S.H.",
            0.0,
        ),
        ("Pengadministrasi Perkantoran", "pelaksana", "Kelas 6", 2, "", 0.3),
    ],
    "hr": [
        (
            "Analis Sumber Daya Manusia Aparatur Ahli Muda",
            "fungsional",
            "Ahli Muda",
            3,
            "S.Psi.",
            0.0,
        ),
        (
            "Analis Sumber Daya Manusia Aparatur Ahli Pertama",
            "fungsional",
            "Ahli Pertama",
            4,
            "S.AP.",
            0.1,
        ),
        (
            "Pranata Sumber Daya Manusia Aparatur Terampil",
            "fungsional",
            "Terampil",
            3,
            "A.Md.",
            0.2,
        ),
        ("Pranata Komputer Ahli Pertama", "fungsional", "Ahli Pertama", 1, "S.Kom.", 0.3),
        ("Pengadministrasi Perkantoran", "pelaksana", "Kelas 6", 3, "", 0.3),
    ],
    "dukcapil": [
        (
            "Administrator Database Kependudukan Ahli Pertama",
            "fungsional",
            "Ahli Pertama",
            3,
            "S.Kom.",
            0.2,
        ),
        ("Operator Layanan Operasional", "pelaksana", "Kelas 5", 6, "", 0.4),
        ("Pengolah Data dan Informasi", "pelaksana", "Kelas 6", 3, "A.Md.", 0.3),
        ("Verifikator Berkas Kependudukan", "pelaksana", "Kelas 7", 3, "S.H.", 0.2),
    ],
    "perizinan": [
        ("Penata Perizinan Ahli Pertama", "fungsional", "Ahli Pertama", 3, "S.H.", 0.2),
        ("Penata Perizinan Ahli Muda", "fungsional", "Ahli Muda", 1, "S.T., M.T.", 0.0),
        (
            "Teknik Tata Bangunan dan Perumahan Ahli Pertama",
            "fungsional",
            "Ahli Pertama",
            1,
            "S.T.",
            0.1,
        ),
        ("Operator Layanan Operasional", "pelaksana", "Kelas 5", 4, "", 0.4),
    ],
    "health": [
        ("Dokter Ahli Pertama", "fungsional", "Ahli Pertama", 2, "", 0.2),
        ("Dokter Ahli Muda", "fungsional", "Ahli Muda", 1, "", 0.0),
        ("Perawat Terampil", "fungsional", "Terampil", 5, "A.Md.Kep.", 0.4),
        ("Perawat Ahli Pertama", "fungsional", "Ahli Pertama", 3, "S.Kep., Ners", 0.3),
        ("Bidan Terampil", "fungsional", "Terampil", 4, "A.Md.Keb.", 0.4),
        ("Sanitarian Terampil", "fungsional", "Terampil", 1, "A.Md.KL.", 0.3),
        ("Pranata Laboratorium Kesehatan Terampil", "fungsional", "Terampil", 1, "A.Md.AK.", 0.3),
        ("Administrator Kesehatan Ahli Pertama", "fungsional", "Ahli Pertama", 1, "S.K.M.", 0.2),
        ("Petugas Pendaftaran Pasien", "pelaksana", "Kelas 5", 2, "", 0.5),
    ],
    "hospital": [
        ("Dokter Spesialis Ahli Muda", "fungsional", "Ahli Muda", 2, "Sp.PD.", 0.0),
        ("Dokter Ahli Pertama", "fungsional", "Ahli Pertama", 2, "", 0.2),
        ("Perawat Terampil", "fungsional", "Terampil", 8, "A.Md.Kep.", 0.4),
        ("Perawat Ahli Pertama", "fungsional", "Ahli Pertama", 5, "S.Kep., Ners", 0.3),
        ("Bidan Terampil", "fungsional", "Terampil", 2, "A.Md.Keb.", 0.4),
        ("Apoteker Ahli Pertama", "fungsional", "Ahli Pertama", 1, "S.Farm., Apt.", 0.2),
        ("Perekam Medis Terampil", "fungsional", "Terampil", 2, "A.Md.RMIK.", 0.3),
        ("Petugas Pendaftaran Pasien", "pelaksana", "Kelas 5", 2, "", 0.5),
    ],
    "education": [
        ("Pengawas Sekolah Ahli Madya", "fungsional", "Ahli Madya", 2, "S.Pd., M.Pd.", 0.0),
        ("Pengawas Sekolah Ahli Muda", "fungsional", "Ahli Muda", 3, "S.Pd.", 0.0),
        ("Analis Kebijakan Ahli Pertama", "fungsional", "Ahli Pertama", 1, "S.Pd.", 0.1),
        ("Pengadministrasi Perkantoran", "pelaksana", "Kelas 6", 3, "", 0.3),
    ],
    "social": [
        ("Pekerja Sosial Ahli Pertama", "fungsional", "Ahli Pertama", 3, "S.Sos.", 0.2),
        ("Penyuluh Sosial Ahli Pertama", "fungsional", "Ahli Pertama", 2, "S.Sos.", 0.2),
        ("Pengolah Data dan Informasi", "pelaksana", "Kelas 6", 3, "A.Md.", 0.3),
    ],
    "transport": [
        ("Penguji Kendaraan Bermotor Terampil", "fungsional", "Terampil", 4, "", 0.2),
        ("Penguji Kendaraan Bermotor Ahli Pertama", "fungsional", "Ahli Pertama", 2, "S.T.", 0.1),
        ("Pengelola Retribusi", "pelaksana", "Kelas 6", 2, "", 0.3),
        ("Operator Layanan Operasional", "pelaksana", "Kelas 5", 2, "", 0.4),
    ],
    "kecamatan": [
        ("Analis Kebijakan Ahli Pertama", "fungsional", "Ahli Pertama", 2, "S.IP.", 0.1),
        ("Operator Layanan Operasional", "pelaksana", "Kelas 5", 3, "", 0.4),
        ("Pengadministrasi Perkantoran", "pelaksana", "Kelas 6", 3, "", 0.3),
        ("Pengelola Layanan Kecamatan", "pelaksana", "Kelas 7", 2, "", 0.2),
    ],
}
# A "Sekretaris" for each OPD with a head of level JPT Pratama is added by the builder.

# PNS ranks by level: (lowest, highest) index into organisation.models.PNS_RANKS.
RANK_RANGE: dict[str, tuple[str, str]] = {
    "JPT Pratama": ("IV/c", "IV/d"),
    "Administrator": ("III/d", "IV/b"),
    "Pengawas": ("III/b", "III/d"),
    "Ahli Madya": ("IV/a", "IV/c"),
    "Ahli Muda": ("III/c", "III/d"),
    "Ahli Pertama": ("III/a", "III/b"),
    "Terampil": ("II/c", "III/b"),
    "Kelas 7": ("II/d", "III/c"),
    "Kelas 6": ("II/b", "III/b"),
    "Kelas 5": ("II/a", "III/a"),
    "Kelas 3": ("I/c", "II/b"),
}
# PPPK grades (Perpres 98/2020 lampiran) by level.
PPPK_GRADE: dict[str, tuple[int, int]] = {
    "Ahli Madya": (11, 12),
    "Ahli Muda": (10, 11),
    "Ahli Pertama": (9, 9),
    "Terampil": (7, 7),
    "Kelas 7": (6, 7),
    "Kelas 6": (5, 6),
    "Kelas 5": (5, 5),
    "Kelas 3": (2, 3),
}

# --- the service catalogue -------------------------------------------------------------------------

ADMINDUK = (
    "UU 23/2006 tentang Administrasi Kependudukan sebagaimana diubah dengan UU 24/2013 "
    "(Pasal 79A: pelayanan administrasi kependudukan tidak dipungut biaya); Perpres 96/2018; "
    "Permendagri 108/2019"
)
PERIZINAN = (
    "PP 5/2021 tentang Penyelenggaraan Perizinan Berusaha Berbasis Risiko; Perbup Sukamaju 12/2023"
)
RETRIBUSI = "UU 1/2022 tentang HKPD; Perda Kabupaten Sukamaju 4/2024 tentang Pajak Daerah dan Retribusi Daerah"
COMPLAINT = "SP4N-LAPOR! (lapor.go.id), SMS/WA 0812-2000-1234, kotak pengaduan di {place}"


@dataclass(frozen=True)
class Version:
    """A later version of a service standard, in force from `months_in` months into the period."""

    months_in: int
    sla: int
    steps: list[tuple[str, int]] | None = None  # None = the steps of the first version
    note: str = ""
    sign_step: str = ""  # "" = the service's sign step


@dataclass(frozen=True)
class ServiceSpec:
    code: str
    name: str
    unit: str
    volume: float  # relative requests per working day
    steps: list[tuple[str, int]]  # (name, expected minutes) in the declared order
    sla: int
    requirements: list[str]
    product: str
    legal_basis: str
    tariff: int = 0
    season: str = "flat"  # key of SEASONS
    online: float = 0.5  # how far the service goes online by the end of the period (0..1)
    verify: str = ""  # the step where files are checked: returns and rejections happen here
    applicant_step: str = ""  # a step that needs the applicant (signature, biometrics, payment)
    # The standard says the applicant must come in person (biometrics, a test, collecting the
    # original): such requests book a counter slot (sigap.booking).
    presence: bool = False
    sign_step: str = ""  # a step done by the head of the OPD
    # Separation of duties declared in the standard (sigap.rules.duties), besides the two the
    # builder always declares (the sign step: the signer's position; the verification step:
    # another officer than the one who received the file):
    approve: dict[str, str] = field(default_factory=dict)  # step -> earlier step it certifies
    head_steps: tuple[str, ...] = ()  # done by the unit head (role; the demo.kepala log-in)
    bottlenecks: dict[str, float] = field(default_factory=dict)  # step -> mean wait, working days
    wait: float = 0.25  # mean wait before an ordinary step, working days
    p_return: float = 0.06
    p_reject: float = 0.015
    p_wait: float = 0.08
    versions: list[Version] = field(default_factory=list)


DUKCAPIL_REQ = ["KTP-el asli pemohon", "Kartu Keluarga asli"]
# Requirements that are not documents to hand in: a value the applicant types, or a condition
# they declare (sigap.catalogue.requirements); every other requirement is a document.
REQUIREMENT_KINDS: dict[str, str] = {
    "Telah berusia 17 tahun, sudah kawin atau pernah kawin": "statement",
    "Alamat dan titik koordinat usaha": "field",
    "Data pemohon dan data bangunan": "field",
}

# A document needed only in some cases ("jika hilang", "bila ada"): optional on the online form.
CONDITIONAL = re.compile(r"\((jika|bila|bagi|usia) ", re.I)


def requirement(name: str) -> str | dict[str, object]:
    """A requirement as the standard stores it (`sigap.catalogue.requirements`)."""
    if name in REQUIREMENT_KINDS:
        return {"name": name, "kind": REQUIREMENT_KINDS[name]}
    if CONDITIONAL.search(name):
        return {"name": name, "kind": "document", "optional": True}
    return name


# Month (1..12) multipliers of the volume.
SEASONS: dict[str, list[float]] = {
    "flat": [1.0] * 12,
    # School registration (PPDB) in June-July needs KK, KIA, akta kelahiran and KTP-el of parents.
    "school": [0.9, 0.9, 1.0, 1.05, 1.35, 1.65, 1.45, 0.95, 0.9, 0.9, 0.85, 0.8],
    "ijazah": [0.7, 0.7, 0.8, 0.9, 1.3, 2.2, 2.0, 1.3, 0.9, 0.8, 0.7, 0.7],
    # Building and business permits slow down at the start of the year and pick up after Lebaran.
    "business": [0.75, 0.85, 1.0, 1.05, 1.1, 1.1, 1.05, 1.05, 1.1, 1.1, 1.0, 0.85],
    # Rainy season (Dec-Mar) brings more sick notes and referrals.
    "health": [1.25, 1.25, 1.15, 1.0, 0.9, 0.85, 0.85, 0.85, 0.9, 1.0, 1.1, 1.2],
    # Social assistance data is updated before the quarterly bansos distribution.
    "social": [1.3, 0.9, 0.9, 1.3, 0.9, 0.9, 1.3, 0.9, 0.9, 1.3, 0.9, 0.9],
}

_S = ServiceSpec
# fmt: off
SERVICES: list[ServiceSpec] = [
    # --- Disdukcapil: pendaftaran penduduk ---
    _S("dukcapil-ktp-el", "Penerbitan KTP-el", "dukcapil-loket-dafduk", 60,
       [("Penerimaan berkas", 5), ("Verifikasi berkas", 10), ("Perekaman biometrik", 10),
        ("Pencetakan KTP-el", 5), ("Penyerahan KTP-el", 3)],
       3, ["Fotokopi Kartu Keluarga", "Telah berusia 17 tahun, sudah kawin atau pernah kawin",
           "Surat keterangan kehilangan dari kepolisian (jika hilang)", "KTP-el lama (jika rusak)"],
       "KTP-el", ADMINDUK, season="school", online=0.5, verify="Verifikasi berkas",
       applicant_step="Perekaman biometrik", bottlenecks={"Verifikasi berkas": 1.1}, presence=True,
       p_return=0.07, versions=[Version(12, 2, note="Percepatan layanan: jangka waktu 3 → 2 hari kerja")]),
    _S("dukcapil-kk", "Penerbitan Kartu Keluarga (KK)", "dukcapil-loket-dafduk", 55,
       [("Penerimaan berkas", 5), ("Verifikasi berkas", 10), ("Entri data SIAK", 10),
        ("Tanda tangan elektronik Kepala Dinas", 2), ("Pencetakan dan penyerahan KK", 5)],
       3, ["Formulir F-1.01 biodata keluarga", "Buku nikah/akta perkawinan atau akta perceraian",
           "Surat keterangan pindah (bagi penduduk pindah datang)", "KK lama"],
       "Kartu Keluarga", ADMINDUK, season="school", online=0.6, verify="Verifikasi berkas",
       sign_step="Tanda tangan elektronik Kepala Dinas", bottlenecks={"Verifikasi berkas": 1.0},
       p_return=0.09, versions=[Version(12, 2, note="Jangka waktu 3 → 2 hari kerja setelah TTE")]),
    _S("dukcapil-kia", "Penerbitan Kartu Identitas Anak (KIA)", "dukcapil-loket-dafduk", 20,
       [("Penerimaan berkas", 5), ("Verifikasi berkas", 8), ("Pencetakan KIA", 5), ("Penyerahan KIA", 3)],
       3, ["Fotokopi kutipan akta kelahiran anak", "KK asli orang tua", "KTP-el orang tua",
           "Pas foto anak berwarna 2x3 (usia 5 tahun ke atas)"],
       "Kartu Identitas Anak", ADMINDUK + "; Permendagri 2/2016 tentang KIA", season="school",
       online=0.6, verify="Verifikasi berkas", bottlenecks={"Verifikasi berkas": 0.9}),
    _S("dukcapil-pindah", "Penerbitan Surat Keterangan Pindah (SKPWNI)", "dukcapil-loket-dafduk", 15,
       [("Penerimaan berkas", 5), ("Verifikasi berkas", 10), ("Penerbitan SKPWNI", 10),
        ("Penyerahan dokumen", 3)],
       1, [*DUKCAPIL_REQ, "Formulir F-1.03 perpindahan penduduk"],
       "Surat Keterangan Pindah WNI", ADMINDUK, online=0.6, verify="Verifikasi berkas",
       bottlenecks={"Verifikasi berkas": 0.5}, wait=0.1),
    _S("dukcapil-pindah-datang", "Pelayanan Pindah Datang", "dukcapil-loket-dafduk", 12,
       [("Penerimaan berkas", 5), ("Verifikasi berkas", 10), ("Entri data SIAK", 10),
        ("Penerbitan KK dan KTP-el baru", 10), ("Penyerahan dokumen", 3)],
       3, ["Surat Keterangan Pindah WNI dari daerah asal", "KTP-el asli", "Formulir F-1.03"],
       "KK dan KTP-el alamat baru", ADMINDUK, online=0.5, verify="Verifikasi berkas",
       bottlenecks={"Verifikasi berkas": 1.0}),
    _S("dukcapil-legalisir", "Legalisir Dokumen Kependudukan", "dukcapil-loket-dafduk", 15,
       [("Penerimaan berkas", 3), ("Pencocokan dengan dokumen asli", 5), ("Pengesahan", 3)],
       1, ["Dokumen kependudukan asli", "Fotokopi dokumen yang akan dilegalisir"],
       "Fotokopi dokumen kependudukan yang dilegalisir", ADMINDUK, season="school", online=0.0,
       wait=0.05, p_return=0.02, p_reject=0.005, p_wait=0.0,
       approve={"Pengesahan": "Pencocokan dengan dokumen asli"}, head_steps=("Pengesahan",),
       presence=True),
    # --- Disdukcapil: pencatatan sipil ---
    _S("dukcapil-akta-lahir", "Penerbitan Akta Kelahiran", "dukcapil-loket-capil", 40,
       [("Penerimaan berkas", 5), ("Verifikasi berkas", 12), ("Entri data pencatatan sipil", 10),
        ("Penandatanganan Kepala Dinas", 3), ("Penyerahan akta", 3)],
       5, ["Surat keterangan kelahiran dari rumah sakit/puskesmas/bidan", "KK orang tua",
           "Buku nikah/akta perkawinan orang tua", "KTP-el dua orang saksi"],
       "Kutipan Akta Kelahiran", ADMINDUK + "; Perpres 96/2018 Pasal 33", season="school",
       online=0.6, verify="Verifikasi berkas", sign_step="Penandatanganan Kepala Dinas",
       bottlenecks={"Verifikasi berkas": 0.8, "Penandatanganan Kepala Dinas": 1.6}, p_return=0.15,
       versions=[Version(13, 3, [("Penerimaan berkas", 5), ("Verifikasi berkas", 12),
                                 ("Entri data pencatatan sipil", 10),
                                 ("Tanda tangan elektronik Kepala Dinas", 2), ("Penyerahan akta", 3)],
                         note="Tanda tangan basah diganti TTE; jangka waktu 5 → 3 hari kerja",
                         sign_step="Tanda tangan elektronik Kepala Dinas")]),
    _S("dukcapil-akta-mati", "Penerbitan Akta Kematian", "dukcapil-loket-capil", 12,
       [("Penerimaan berkas", 5), ("Verifikasi berkas", 10), ("Entri data pencatatan sipil", 10),
        ("Penandatanganan Kepala Dinas", 3), ("Penyerahan akta", 3)],
       3, ["Surat keterangan kematian dari rumah sakit atau kepala desa", "KK almarhum",
           "KTP-el almarhum", "KTP-el pelapor"],
       "Kutipan Akta Kematian", ADMINDUK, verify="Verifikasi berkas",
       sign_step="Penandatanganan Kepala Dinas", bottlenecks={"Penandatanganan Kepala Dinas": 1.2}, online=0.4),
    _S("dukcapil-akta-kawin", "Penerbitan Akta Perkawinan (non-Muslim)", "dukcapil-loket-capil", 3,
       [("Penerimaan berkas", 5), ("Verifikasi berkas", 15), ("Pencatatan perkawinan", 20),
        ("Penandatanganan Kepala Dinas", 3), ("Penyerahan akta", 3)],
       3, ["Surat keterangan perkawinan dari pemuka agama", "KTP-el dan KK kedua mempelai",
           "Pas foto berdampingan 4x6", "KTP-el dua orang saksi"],
       "Kutipan Akta Perkawinan", ADMINDUK, verify="Verifikasi berkas",
       applicant_step="Pencatatan perkawinan", sign_step="Penandatanganan Kepala Dinas", online=0.3),
    _S("dukcapil-akta-cerai", "Penerbitan Akta Perceraian", "dukcapil-loket-capil", 1,
       [("Penerimaan berkas", 5), ("Verifikasi berkas", 15), ("Pencatatan perceraian", 15),
        ("Penandatanganan Kepala Dinas", 3), ("Penyerahan akta", 3)],
       3, ["Salinan putusan pengadilan yang berkekuatan hukum tetap", "Kutipan akta perkawinan",
           "KTP-el dan KK"],
       "Kutipan Akta Perceraian", ADMINDUK, verify="Verifikasi berkas",
       sign_step="Penandatanganan Kepala Dinas", online=0.3),
    # --- DPMPTSP ---
    _S("dpmptsp-nib", "Pendampingan Penerbitan NIB dan Izin Usaha (OSS RBA)", "dpmptsp-mpp", 12,
       [("Penerimaan permohonan", 5), ("Verifikasi data pelaku usaha", 15), ("Input OSS RBA", 20),
        ("Penandatanganan Kepala DPMPTSP", 3), ("Penyerahan NIB", 3)],
       5, ["KTP-el penanggung jawab", "NPWP", "Akta pendirian (badan usaha)", "Alamat dan titik koordinat usaha"],
       "Nomor Induk Berusaha (NIB) dan izin usaha", PERIZINAN, season="business", online=0.7,
       verify="Verifikasi data pelaku usaha", sign_step="Penandatanganan Kepala DPMPTSP",
       bottlenecks={"Penandatanganan Kepala DPMPTSP": 2.2}, p_return=0.1,
       versions=[Version(12, 3, [("Penerimaan permohonan", 5), ("Verifikasi data pelaku usaha", 15),
                                 ("Input OSS RBA", 20), ("Penyerahan NIB", 3)],
                         note="NIB terbit otomatis dari OSS: langkah tanda tangan dihapus; 5 → 3 hari kerja")]),
    _S("dpmptsp-pbg", "Persetujuan Bangunan Gedung (PBG)", "dpmptsp-mpp", 3,
       [("Penerimaan berkas", 10), ("Verifikasi dokumen teknis", 60), ("Peninjauan lapangan", 120),
        ("Sidang Tim Profesi Ahli", 90), ("Perhitungan retribusi", 30),
        ("Penandatanganan Kepala DPMPTSP", 5), ("Penyerahan PBG", 5)],
       28, ["Data pemohon dan data bangunan", "Dokumen rencana teknis (arsitektur, struktur, MEP)",
            "Bukti kepemilikan tanah", "KKPR/informasi tata ruang"],
       "Persetujuan Bangunan Gedung", "PP 16/2021 tentang Peraturan Pelaksanaan UU 28/2002 "
       "tentang Bangunan Gedung; " + RETRIBUSI, season="business", online=0.8,
       verify="Verifikasi dokumen teknis", applicant_step="Perhitungan retribusi",
       sign_step="Penandatanganan Kepala DPMPTSP",
       bottlenecks={"Peninjauan lapangan": 6.0, "Sidang Tim Profesi Ahli": 4.0,
                    "Penandatanganan Kepala DPMPTSP": 2.5},
       wait=1.0, p_return=0.35, p_reject=0.04, p_wait=0.3),
    _S("dpmptsp-sip-dokter", "Surat Izin Praktik Dokter", "dpmptsp-mpp", 1,
       [("Penerimaan berkas", 5), ("Verifikasi berkas", 15), ("Rekomendasi Dinas Kesehatan", 20),
        ("Penandatanganan Kepala DPMPTSP", 3), ("Penyerahan izin", 3)],
       7, ["STR dokter yang masih berlaku", "Rekomendasi organisasi profesi (IDI)",
           "Surat keterangan dari fasilitas pelayanan kesehatan", "Pas foto 4x6"],
       "Surat Izin Praktik (SIP) Dokter", "UU 17/2023 tentang Kesehatan; Permenkes 2052/2011",
       online=0.8, verify="Verifikasi berkas", sign_step="Penandatanganan Kepala DPMPTSP",
       bottlenecks={"Rekomendasi Dinas Kesehatan": 2.0, "Penandatanganan Kepala DPMPTSP": 2.2}),
    _S("dpmptsp-sipb", "Surat Izin Praktik Bidan", "dpmptsp-mpp", 1,
       [("Penerimaan berkas", 5), ("Verifikasi berkas", 15), ("Rekomendasi Dinas Kesehatan", 20),
        ("Penandatanganan Kepala DPMPTSP", 3), ("Penyerahan izin", 3)],
       7, ["STR bidan yang masih berlaku", "Rekomendasi IBI", "Surat keterangan tempat praktik"],
       "Surat Izin Praktik Bidan (SIPB)", "UU 17/2023 tentang Kesehatan; Permenkes 28/2017",
       online=0.8, verify="Verifikasi berkas", sign_step="Penandatanganan Kepala DPMPTSP",
       bottlenecks={"Rekomendasi Dinas Kesehatan": 1.8, "Penandatanganan Kepala DPMPTSP": 2.2}),
    _S("dpmptsp-sipp", "Surat Izin Praktik Perawat", "dpmptsp-mpp", 1.5,
       [("Penerimaan berkas", 5), ("Verifikasi berkas", 15), ("Rekomendasi Dinas Kesehatan", 20),
        ("Penandatanganan Kepala DPMPTSP", 3), ("Penyerahan izin", 3)],
       7, ["STR perawat yang masih berlaku", "Rekomendasi PPNI", "Surat keterangan tempat praktik"],
       "Surat Izin Praktik Perawat (SIPP)", "UU 17/2023 tentang Kesehatan; Permenkes 26/2019",
       online=0.8, verify="Verifikasi berkas", sign_step="Penandatanganan Kepala DPMPTSP",
       bottlenecks={"Rekomendasi Dinas Kesehatan": 1.8, "Penandatanganan Kepala DPMPTSP": 2.2}),
    _S("dpmptsp-reklame", "Izin Penyelenggaraan Reklame", "dpmptsp-mpp", 1,
       [("Penerimaan berkas", 5), ("Verifikasi berkas", 15), ("Peninjauan lokasi", 60),
        ("Penandatanganan Kepala DPMPTSP", 3), ("Penyerahan izin", 3)],
       5, ["KTP-el pemohon", "Desain dan ukuran reklame", "Foto lokasi", "Surat persetujuan pemilik lahan"],
       "Izin reklame", PERIZINAN + "; " + RETRIBUSI, season="business", online=0.6,
       verify="Verifikasi berkas", sign_step="Penandatanganan Kepala DPMPTSP",
       bottlenecks={"Peninjauan lokasi": 2.0}, p_return=0.12),
    _S("dpmptsp-slf", "Sertifikat Laik Fungsi (SLF)", "dpmptsp-mpp", 0.5,
       [("Penerimaan berkas", 10), ("Verifikasi dokumen", 60), ("Pemeriksaan kelaikan bangunan", 120),
        ("Penandatanganan Kepala DPMPTSP", 5), ("Penyerahan SLF", 5)],
       10, ["PBG", "Surat pernyataan kelaikan fungsi dari pengkaji teknis", "Gambar terbangun (as built drawing)"],
       "Sertifikat Laik Fungsi", "PP 16/2021 Pasal 274-286", online=0.8, verify="Verifikasi dokumen",
       sign_step="Penandatanganan Kepala DPMPTSP",
       bottlenecks={"Pemeriksaan kelaikan bangunan": 3.0, "Penandatanganan Kepala DPMPTSP": 2.2},
       p_return=0.2),
    _S("dpmptsp-apotek", "Izin Operasional Apotek", "dpmptsp-mpp", 0.5,
       [("Penerimaan berkas", 5), ("Verifikasi berkas", 20), ("Visitasi lapangan", 90),
        ("Penandatanganan Kepala DPMPTSP", 3), ("Penyerahan izin", 3)],
       12, ["STRA dan SIPA apoteker penanggung jawab", "Denah bangunan", "Daftar sarana dan prasarana"],
       "Surat Izin Apotek", "Permenkes 9/2017 tentang Apotek; " + PERIZINAN, online=0.8,
       verify="Verifikasi berkas", sign_step="Penandatanganan Kepala DPMPTSP",
       bottlenecks={"Visitasi lapangan": 3.5, "Penandatanganan Kepala DPMPTSP": 2.2}, p_return=0.18),
    # --- Dinas Kesehatan ---
    _S("dinkes-slhs", "Sertifikat Laik Higiene Sanitasi (SLHS) Jasa Boga", "dinkes-kesmas", 0.8,
       [("Penerimaan berkas", 5), ("Inspeksi kesehatan lingkungan", 90), ("Uji laboratorium sampel", 30),
        ("Penandatanganan Kepala Dinas Kesehatan", 3), ("Penyerahan sertifikat", 3)],
       14, ["NIB", "Sertifikat pelatihan keamanan pangan penjamah", "Hasil uji laboratorium"],
       "Sertifikat Laik Higiene Sanitasi", "Permenkes 1096/2011; " + RETRIBUSI, tariff=100_000,
       online=0.4, verify="Inspeksi kesehatan lingkungan", sign_step="Penandatanganan Kepala Dinas Kesehatan",
       bottlenecks={"Uji laboratorium sampel": 5.0}, p_return=0.15),
] + [
    spec
    for key, name, vol in (("sukamaju", "Sukamaju", 1.0), ("cibening", "Cibening", 0.75),
                           ("gunungsari", "Gunungsari", 0.5))
    for spec in (
        _S(f"pkm-{key}-rujukan", f"Surat Rujukan ke Rumah Sakit — Puskesmas {name}", f"pkm-{key}", 12 * vol,
           [("Pendaftaran", 3), ("Pemeriksaan dokter", 15), ("Penerbitan surat rujukan", 5)],
           1, ["Kartu BPJS Kesehatan/KIS", "KTP-el atau KK", "Hasil pemeriksaan penunjang (bila ada)"],
           "Surat rujukan", "Permenkes 001/2012 tentang Sistem Rujukan Pelayanan Kesehatan Perorangan",
           season="health", online=0.15, wait=0.02, p_return=0.01, p_reject=0.005, p_wait=0.0),
        _S(f"pkm-{key}-sks", f"Surat Keterangan Sehat — Puskesmas {name}", f"pkm-{key}", 8 * vol,
           [("Pendaftaran", 3), ("Pemeriksaan fisik", 15), ("Penerbitan surat keterangan", 5)],
           1, ["KTP-el", "Pas foto 3x4"], "Surat Keterangan Sehat", RETRIBUSI, tariff=15_000,
           season="ijazah", online=0.1, wait=0.03, p_return=0.0, p_reject=0.002, p_wait=0.0),
    )
] + [
    # --- Dinas Pendidikan ---
    _S("disdik-legalisir-ijazah", "Legalisir Ijazah dan STTB", "disdik-dikdas", 10,
       [("Penerimaan berkas", 3), ("Pencocokan dengan ijazah asli", 5),
        ("Penandatanganan Kepala Bidang", 2), ("Penyerahan", 2)],
       2, ["Ijazah/STTB asli", "Fotokopi ijazah yang akan dilegalisir (maks. 10 lembar)"],
       "Fotokopi ijazah yang dilegalisir", "Permendikbud 29/2014 tentang Pengesahan Fotokopi Ijazah",
       season="ijazah", online=0.2, sign_step="Penandatanganan Kepala Bidang",
       bottlenecks={"Penandatanganan Kepala Bidang": 0.9}, p_return=0.02, p_wait=0.0,
       presence=True),
    _S("disdik-pengganti-ijazah", "Surat Keterangan Pengganti Ijazah", "disdik-dikdas", 0.8,
       [("Penerimaan berkas", 5), ("Verifikasi arsip sekolah", 30), ("Penerbitan surat keterangan", 10),
        ("Penandatanganan Kepala Dinas Pendidikan", 3), ("Penyerahan", 2)],
       10, ["Surat keterangan kehilangan dari kepolisian", "Fotokopi ijazah (bila ada)",
            "Surat pernyataan dua saksi teman sekelas"],
       "Surat keterangan pengganti ijazah", "Permendikbud 29/2014", season="ijazah", online=0.3,
       verify="Verifikasi arsip sekolah", sign_step="Penandatanganan Kepala Dinas Pendidikan",
       bottlenecks={"Verifikasi arsip sekolah": 3.0}, p_return=0.12),
    _S("disdik-mutasi-siswa", "Rekomendasi Pindah Sekolah (Mutasi Peserta Didik)", "disdik-dikdas", 3,
       [("Penerimaan berkas", 5), ("Verifikasi berkas", 10), ("Penerbitan rekomendasi", 5), ("Penyerahan", 2)],
       3, ["Surat pindah dari sekolah asal", "Surat keterangan diterima dari sekolah tujuan", "Rapor asli"],
       "Surat rekomendasi mutasi", "Permendikbud 1/2021 tentang PPDB", season="school", online=0.4,
       verify="Verifikasi berkas"),
    # --- Dinas Sosial ---
    _S("dinsos-sktm", "Surat Keterangan Tidak Mampu dan Pendaftaran DTKS", "dinsos-linjamsos", 14,
       [("Penerimaan berkas", 5), ("Verifikasi berkas", 15), ("Verifikasi lapangan", 60),
        ("Penandatanganan Kepala Dinas Sosial", 3), ("Penyerahan surat keterangan", 3)],
       5, ["Surat pengantar desa/kelurahan", "KTP-el dan KK", "Foto rumah tampak depan"],
       "Surat Keterangan Tidak Mampu / bukti terdaftar DTKS",
       "UU 13/2011 tentang Penanganan Fakir Miskin; Permensos 3/2021 tentang DTKS", season="social",
       online=0.35, verify="Verifikasi berkas", sign_step="Penandatanganan Kepala Dinas Sosial",
       bottlenecks={"Verifikasi lapangan": 1.8, "Penandatanganan Kepala Dinas Sosial": 1.0}, p_return=0.2),
    _S("dinsos-pbi", "Rekomendasi Peserta PBI Jaminan Kesehatan", "dinsos-linjamsos", 5,
       [("Penerimaan berkas", 5), ("Pemadanan data DTKS", 15), ("Penerbitan rekomendasi", 5),
        ("Penyerahan", 2)],
       3, ["KTP-el dan KK", "Surat keterangan terdaftar DTKS"],
       "Surat rekomendasi PBI-JK", "PP 101/2012 tentang Penerima Bantuan Iuran Jaminan Kesehatan",
       season="social", online=0.35, verify="Pemadanan data DTKS", bottlenecks={"Pemadanan data DTKS": 1.0}),
    # --- Dinas Perhubungan ---
    _S("dishub-kir", "Pengujian Berkala Kendaraan Bermotor (Uji KIR)", "dishub-uptd-pkb", 18,
       [("Pendaftaran dan pembayaran retribusi", 5), ("Pemeriksaan administrasi", 5),
        ("Pengujian teknis kendaraan", 30), ("Penerbitan kartu uji dan tanda uji", 10)],
       1, ["STNK asli", "Buku uji lama", "KTP-el pemilik", "Kendaraan dibawa ke tempat uji"],
       "Kartu uji berkala (BLUe) dan tanda uji", "UU 22/2009 tentang LLAJ; PP 55/2012; "
       "Permenhub PM 19/2021; " + RETRIBUSI, tariff=87_000, online=0.3,
       verify="Pemeriksaan administrasi", applicant_step="Pengujian teknis kendaraan", wait=0.02,
       presence=True,
       p_return=0.08, p_reject=0.03, p_wait=0.1,
       approve={"Penerbitan kartu uji dan tanda uji": "Pengujian teknis kendaraan"}),
    _S("dishub-trayek", "Izin Trayek Angkutan Perdesaan", "dishub", 0.5,
       [("Penerimaan berkas", 10), ("Verifikasi berkas", 30), ("Kajian kebutuhan trayek", 60),
        ("Penandatanganan Kepala Dinas Perhubungan", 3), ("Penyerahan izin", 3)],
       14, ["Akta badan hukum perusahaan angkutan", "STNK dan buku uji kendaraan", "Surat pernyataan pool"],
       "Izin penyelenggaraan angkutan orang dalam trayek", "Permenhub PM 15/2019", online=0.4,
       verify="Verifikasi berkas", sign_step="Penandatanganan Kepala Dinas Perhubungan",
       bottlenecks={"Kajian kebutuhan trayek": 4.0}),
    # --- RSUD ---
    _S("rsud-resume-medis", "Permintaan Resume Medis", "rsud-rekam-medis", 6,
       [("Penerimaan permintaan", 5), ("Penelusuran berkas rekam medis", 20),
        ("Pengisian resume oleh DPJP", 30), ("Penyerahan resume", 3)],
       3, ["Surat kuasa (bila diwakilkan)", "KTP-el pasien dan peminta", "Kartu berobat"],
       "Resume medis", "Permenkes 24/2022 tentang Rekam Medis; " + RETRIBUSI, tariff=30_000,
       online=0.3, verify="Penelusuran berkas rekam medis",
       bottlenecks={"Pengisian resume oleh DPJP": 1.6}, p_return=0.04),
    _S("rsud-sks", "Surat Keterangan Sehat RSUD", "rsud-rekam-medis", 5,
       [("Pendaftaran", 3), ("Pemeriksaan fisik", 20), ("Pemeriksaan penunjang", 30),
        ("Penerbitan surat keterangan", 5)],
       1, ["KTP-el", "Pas foto 3x4"], "Surat Keterangan Sehat", RETRIBUSI, tariff=50_000,
       season="ijazah", online=0.2, wait=0.05, p_return=0.0, p_reject=0.002, p_wait=0.0),
    # --- BKPSDM (a service to civil servants) ---
    _S("bkpsdm-kenaikan-pangkat", "Usul Kenaikan Pangkat Reguler", "bkpsdm-mutasi", 2,
       [("Penerimaan usul", 5), ("Verifikasi berkas usul", 20), ("Pengusulan ke BKN", 15),
        ("Penerbitan SK kenaikan pangkat", 10), ("Penyerahan SK", 3)],
       20, ["SK pangkat terakhir", "Penilaian kinerja (SKP) dua tahun terakhir", "SK jabatan"],
       "SK kenaikan pangkat", "PP 11/2017 tentang Manajemen PNS sebagaimana diubah PP 17/2020",
       online=0.9, verify="Verifikasi berkas usul", bottlenecks={"Pengusulan ke BKN": 8.0},
       p_return=0.15),
] + [
    spec
    for key, name, vol in (("sukamaju", "Sukamaju", 1.0), ("cibening", "Cibening", 0.8),
                           ("gunungsari", "Gunungsari", 0.5))
    for spec in (
        _S(f"kec-{key}-domisili", f"Surat Keterangan Domisili — Kecamatan {name}", f"kec-{key}", 6 * vol,
           [("Penerimaan berkas", 3), ("Verifikasi berkas", 5), ("Penandatanganan Camat", 2), ("Penyerahan", 2)],
           1, ["Surat pengantar RT/RW dan desa", "KTP-el dan KK"], "Surat keterangan domisili",
           "Permendagri 4/2010 tentang Pelayanan Administrasi Terpadu Kecamatan (PATEN)", online=0.2,
           verify="Verifikasi berkas", sign_step="Penandatanganan Camat",
           bottlenecks={"Penandatanganan Camat": 0.4}, wait=0.05),
        _S(f"kec-{key}-ahli-waris", f"Pengesahan Surat Keterangan Ahli Waris — Kecamatan {name}", f"kec-{key}",
           2 * vol,
           [("Penerimaan berkas", 5), ("Verifikasi berkas", 15), ("Pemeriksaan saksi", 30),
            ("Penandatanganan Camat", 3), ("Penyerahan", 2)],
           5, ["Surat keterangan kematian", "KK dan KTP-el para ahli waris", "Surat pernyataan ahli waris",
               "KTP-el dua orang saksi"],
           "Surat keterangan ahli waris yang disahkan Camat", "Permendagri 4/2010 (PATEN)", online=0.1,
           verify="Verifikasi berkas", applicant_step="Pemeriksaan saksi", sign_step="Penandatanganan Camat",
           bottlenecks={"Penandatanganan Camat": 0.8}, p_return=0.12, p_wait=0.25),
    )
]
# fmt: on

# Life events (peristiwa kehidupan, seeded by catalogue migration 0005) of each service: the
# public catalogue is browsed by them. Keys are service codes, or a prefix and suffix for the
# services every puskesmas or kecamatan offers.
LIFE_EVENTS: dict[str, tuple[str, ...]] = {
    "dukcapil-ktp-el": ("dokumen-kependudukan",),
    "dukcapil-kk": ("dokumen-kependudukan", "kelahiran", "perkawinan", "pindah-domisili"),
    "dukcapil-kia": ("kelahiran", "dokumen-kependudukan"),
    "dukcapil-pindah": ("pindah-domisili",),
    "dukcapil-pindah-datang": ("pindah-domisili",),
    "dukcapil-legalisir": ("dokumen-kependudukan",),
    "dukcapil-akta-lahir": ("kelahiran",),
    "dukcapil-akta-mati": ("kematian",),
    "dukcapil-akta-kawin": ("perkawinan",),
    "dukcapil-akta-cerai": ("perkawinan",),
    "dpmptsp-nib": ("usaha",),
    "dpmptsp-pbg": ("bangunan", "usaha"),
    "dpmptsp-sip-dokter": ("kesehatan", "usaha"),
    "dpmptsp-sipb": ("kesehatan", "usaha"),
    "dpmptsp-sipp": ("kesehatan", "usaha"),
    "dpmptsp-reklame": ("usaha",),
    "dpmptsp-slf": ("bangunan",),
    "dpmptsp-apotek": ("kesehatan", "usaha"),
    "dinkes-slhs": ("usaha", "kesehatan"),
    "pkm-*-rujukan": ("kesehatan",),
    "pkm-*-sks": ("kesehatan",),
    "disdik-legalisir-ijazah": ("pendidikan",),
    "disdik-pengganti-ijazah": ("pendidikan",),
    "disdik-mutasi-siswa": ("pendidikan", "pindah-domisili"),
    "dinsos-sktm": ("bantuan-sosial",),
    "dinsos-pbi": ("bantuan-sosial", "kesehatan"),
    "dishub-kir": ("kendaraan",),
    "dishub-trayek": ("kendaraan", "usaha"),
    "rsud-resume-medis": ("kesehatan",),
    "rsud-sks": ("kesehatan",),
    "bkpsdm-kenaikan-pangkat": ("kepegawaian",),
    "kec-*-domisili": ("pindah-domisili",),
    "kec-*-ahli-waris": ("kematian",),
}


def life_events_of(code: str) -> tuple[str, ...]:
    """The life events of the demo service `code` (a "pkm-*-sks" key covers every puskesmas)."""
    if code in LIFE_EVENTS:
        return LIFE_EVENTS[code]
    for key, events in LIFE_EVENTS.items():
        head, star, tail = key.partition("*")
        if star and code.startswith(head) and code.endswith(tail):
            return events
    return ()


# The same service offered by several units shares a family key (`catalogue.Service.family`):
# what "the same service elsewhere" means when an innovation's effect is measured.
FAMILIES: dict[str, str] = {
    "kec-*-domisili": "kec-domisili",
    "kec-*-ahli-waris": "kec-ahli-waris",
    "pkm-*-rujukan": "pkm-rujukan",
    "pkm-*-sks": "pkm-sks",
}


def family_of(code: str) -> str:
    """The family key of the demo service `code` ("" when no other unit offers it)."""
    for key, family in FAMILIES.items():
        head, star, tail = key.partition("*")
        if star and code.startswith(head) and code.endswith(tail):
            return family
    return ""


# Reasons shown to the applicant (they go into the event note).
RETURN_REASONS = [
    "Fotokopi KK tidak terbaca, mohon unggah ulang",
    "Dokumen persyaratan belum lengkap",
    "Data pada formulir tidak sesuai dengan dokumen asli",
    "Tanda tangan saksi belum ada",
    "Pas foto tidak sesuai ketentuan",
    "Surat pengantar desa sudah kedaluwarsa",
]
WAIT_REASONS = [
    "Menunggu pemohon hadir untuk tanda tangan",
    "Menunggu pemohon hadir untuk perekaman",
    "Menunggu pembayaran retribusi",
    "Menunggu kehadiran saksi",
]
REJECT_REASONS = [
    "Pemohon tidak memenuhi persyaratan",
    "Permohonan ganda (sudah pernah diajukan)",
    "Berkas tidak dilengkapi dalam batas waktu",
    "Dokumen terindikasi tidak asli",
]
ABANDONED_REASON = "Berkas tidak dilengkapi dalam batas waktu"
