"""The workbook of the service-standards import: the empty template an agency fills in, and the
sample of docs/onboarding/samples (Kabupaten Sukamaju), both built here so they can be made
again (`python tools/onboarding_templates.py`) and checked against the committed files.

The headers are the file format `sigap.onboarding.standards` reads, written in Indonesian
whatever the language of the page: a file made in one language is read in any other. The
"Petunjuk" sheet explains each column and the 14 components of PermenPANRB 15/2014.
"""

from __future__ import annotations

import io
from datetime import date
from pathlib import Path
from typing import Any

from django.utils import translation
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from sigap.access import ACTION_ROLES, Action
from sigap.accounts.models import Role
from sigap.onboarding.standards import (
    KIND_WORDS,
    REQUIREMENT_COLUMNS,
    SERVICE_COLUMNS,
    SHEET_REQUIREMENTS,
    SHEET_SERVICES,
    SHEET_STEPS,
    STEP_COLUMNS,
    Column,
)

SHEET_GUIDE = "Petunjuk"
TEMPLATE_PATH = Path(
    "src/sigap/onboarding/static/onboarding/templates/standards-standar-pelayanan.xlsx"
)
SAMPLE_PATH = Path("docs/onboarding/samples/standar-pelayanan.xlsx")
DATA_ROWS = 500  # how far down the pick lists of the template reach

# Column key -> what the "Petunjuk" sheet says of it.
GUIDE: dict[str, str] = {
    "code": "Kode unik layanan (huruf kecil, angka dan tanda hubung), mis. sukamaju-kk. "
    "Kode baru membuat layanan baru; kode yang sudah ada memperbarui nama dan unitnya.",
    "name": "Nama jenis layanan, mis. Penerbitan Kartu Keluarga.",
    "unit": "Unit penyelenggara: Id UNOR SIASN, kode unit di sigap, atau nama unit persis.",
    "valid_from": "Tanggal standar ini mulai berlaku (TTTT-BB-HH). Satu baris untuk setiap "
    "versi: tanggal baru menambah versi baru dan mengakhiri versi sebelumnya sehari sebelumnya. "
    "Versi yang sudah dipakai untuk menilai permohonan tidak dapat diubah: beri tanggal baru.",
    "legal_basis": "Peraturan yang menjadi dasar penyelenggaraan layanan.",
    "requirements_text": "Ringkasan persyaratan, satu per baris. Jika lembar Persyaratan berisi "
    "baris untuk layanan dan tanggal ini, lembar itulah yang dipakai.",
    "procedure_text": "Tidak dibaca: tuliskan langkah-langkahnya di lembar Prosedur.",
    "sla_working_days": "Jangka waktu penyelesaian dalam hari kerja (bilangan bulat, minimal 1).",
    "tariff_rupiah": "Biaya dalam rupiah tanpa desimal; 0 atau “gratis” bila tidak dipungut biaya.",
    "product": "Produk pelayanan yang diterima pemohon, mis. Kartu Keluarga.",
    "product_signed": "ya bila produk berupa dokumen yang ditandatangani secara elektronik "
    "(BSrE), tidak bila bukan.",
    "complaint_channel": "Cara pemohon menyampaikan pengaduan, saran dan masukan.",
    "facilities": "Sarana, prasarana dan/atau fasilitas yang tersedia.",
    "officer_competency": "Kompetensi yang harus dimiliki pelaksana.",
    "internal_supervision": "Pengawasan internal atas pelaksanaan layanan.",
    "number_of_officers": "Jumlah pelaksana (bilangan bulat, minimal 1; kosong berarti 1).",
    "service_guarantee": "Jaminan pelayanan yang diberikan.",
    "security_guarantee": "Jaminan keamanan dan keselamatan pelayanan.",
    "officer_evaluation": "Cara kinerja pelaksana dievaluasi.",
    "needs_presence": "ya bila pemohon wajib datang sendiri ke loket (mis. perekaman biometrik).",
}
REQUIREMENT_GUIDE: dict[str, str] = {
    "code": "Kode layanan, seperti di lembar Layanan.",
    "valid_from": "Tanggal berlaku versi, seperti di lembar Layanan.",
    "name": "Satu persyaratan per baris.",
    "kind": "dokumen (berkas yang diunggah), isian (data yang diketik pemohon) atau pernyataan "
    "(pernyataan yang dicentang pemohon); kosong berarti dokumen.",
    "mandatory": "ya bila wajib, tidak bila boleh tidak dipenuhi; kosong berarti wajib.",
}
STEP_GUIDE: dict[str, str] = {
    "code": "Kode layanan, seperti di lembar Layanan.",
    "valid_from": "Tanggal berlaku versi, seperti di lembar Layanan.",
    "order": "Nomor urut langkah (1, 2, 3, ...), tidak boleh ganda dalam satu versi.",
    "name": "Nama langkah, mis. Verifikasi berkas.",
    "minutes": "Perkiraan waktu pengerjaan langkah dalam menit (minimal 1).",
    "role": "Kosong bila langkah boleh dikerjakan petugas unit mana pun, atau peran yang "
    "mengerjakannya: Petugas layanan atau Kepala unit.",
    "position": "Kosong, atau nama jabatan yang mengerjakannya. Bila peran dan jabatan diisi, "
    "salah satunya cukup.",
    "other_than": "Kosong, atau nomor langkah sebelumnya yang petugasnya tidak boleh mengerjakan "
    "langkah ini (prinsip empat mata).",
}


def processing_roles() -> list[str]:
    """The Indonesian names of the roles that may do a step, for the template's pick list."""
    codes = [r for r, _label in Role.choices if r in ACTION_ROLES[Action.REQUEST_PROCESS]]
    with translation.override("id"):
        return [str(Role(code).label) for code in codes]


def _header(sheet: Worksheet, columns: tuple[Column, ...]) -> None:
    sheet.append([c.header for c in columns])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
        cell.fill = PatternFill("solid", fgColor="DDEBF7")
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    sheet.freeze_panes = "A2"
    for i, column in enumerate(columns, start=1):
        letter = sheet.cell(row=1, column=i).column_letter
        sheet.column_dimensions[letter].width = max(14, min(40, len(column.header) + 4))


def _pick(sheet: Worksheet, columns: tuple[Column, ...], key: str, values: list[str]) -> None:
    index = next(i for i, c in enumerate(columns, start=1) if c.key == key)
    letter = sheet.cell(row=1, column=index).column_letter
    rule = DataValidation(type="list", formula1='"' + ",".join(values) + '"', allow_blank=True)
    rule.add(f"{letter}2:{letter}{DATA_ROWS + 1}")
    sheet.add_data_validation(rule)


def _guide(sheet: Worksheet) -> None:
    sheet.append(["Lembar", "Kolom", "Komponen (PermenPANRB 15/2014)", "Penjelasan"])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    sheet.append(
        [
            "",
            "",
            "",
            "Isi lembar Layanan (satu baris per versi standar pelayanan), Persyaratan dan "
            "Prosedur; lembar ini tidak dibaca. Impor diperiksa dulu (uji coba) dan hanya "
            "diterapkan bila tidak ada kesalahan: semua atau tidak sama sekali.",
        ]
    )
    for title, columns, words in (
        (SHEET_SERVICES, SERVICE_COLUMNS, GUIDE),
        (SHEET_REQUIREMENTS, REQUIREMENT_COLUMNS, REQUIREMENT_GUIDE),
        (SHEET_STEPS, STEP_COLUMNS, STEP_GUIDE),
    ):
        for column in columns:
            komponen = f"{column.komponen}. {column.header}" if column.komponen else ""
            sheet.append([title, column.header, komponen, words[column.key]])
    for letter, width in (("A", 14), ("B", 40), ("C", 40), ("D", 100)):
        sheet.column_dimensions[letter].width = width
    for row in sheet.iter_rows(min_row=2):
        for cell in row:
            cell.alignment = Alignment(wrap_text=True, vertical="top")


def workbook(
    services: list[list[Any]] | None = None,
    requirements: list[list[Any]] | None = None,
    steps: list[list[Any]] | None = None,
) -> Workbook:
    """The workbook with these rows (each in the order of the sheet's columns)."""
    book = Workbook()
    first = book.active
    assert first is not None
    book.remove(first)
    for title, columns, rows in (
        (SHEET_SERVICES, SERVICE_COLUMNS, services),
        (SHEET_REQUIREMENTS, REQUIREMENT_COLUMNS, requirements),
        (SHEET_STEPS, STEP_COLUMNS, steps),
    ):
        sheet = book.create_sheet(title)
        _header(sheet, columns)
        for row in rows or []:
            sheet.append(row)
        for r in sheet.iter_rows(min_row=2):
            for cell in r:
                if isinstance(cell.value, date):
                    cell.number_format = "yyyy-mm-dd"
    yes_no = ["ya", "tidak"]
    _pick(book[SHEET_SERVICES], SERVICE_COLUMNS, "product_signed", yes_no)
    _pick(book[SHEET_SERVICES], SERVICE_COLUMNS, "needs_presence", yes_no)
    _pick(book[SHEET_REQUIREMENTS], REQUIREMENT_COLUMNS, "kind", list(KIND_WORDS.values()))
    _pick(book[SHEET_REQUIREMENTS], REQUIREMENT_COLUMNS, "mandatory", yes_no)
    _pick(book[SHEET_STEPS], STEP_COLUMNS, "role", processing_roles())
    _guide(book.create_sheet(SHEET_GUIDE))
    return book


def to_bytes(book: Workbook) -> bytes:
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def template_bytes() -> bytes:
    """The empty template, for the onboarding page's download."""
    return to_bytes(workbook())


# --- the sample agency (docs/onboarding/samples/README.md) -----------------------------------

BIDANG_DUKCAPIL = "A8ACA7397AF53912E040640A040269BB"  # Bidang Pelayanan Pendaftaran Penduduk
BIDANG_PERIZINAN = "A8ACA7397AF33912E040640A040269BB"  # Bidang Pelayanan Perizinan
ADMINDUK = (
    "Undang-Undang Nomor 24 Tahun 2013 tentang Perubahan atas Undang-Undang Nomor 23 Tahun 2006 "
    "tentang Administrasi Kependudukan; Peraturan Presiden Nomor 96 Tahun 2018"
)
DUKCAPIL_COMMON = {
    "complaint": "Loket pengaduan Disdukcapil, SP4N-LAPOR!, WhatsApp pengaduan",
    "facilities": "Ruang tunggu, loket pelayanan, komputer dan printer, akses kursi roda",
    "competency": "Memahami administrasi kependudukan dan aplikasi SIAK",
    "supervision": "Kepala Bidang Pelayanan Pendaftaran Penduduk dan Inspektorat Daerah",
    "guarantee": "Pelayanan diselesaikan sesuai jangka waktu dan tanpa biaya",
    "security": "Data pemohon dijaga kerahasiaannya sesuai peraturan",
    "evaluation": "Evaluasi kinerja pelaksana setiap tiga bulan",
}


def _service_row(
    code: str,
    name: str,
    unit: str,
    day: date,
    legal: str,
    sla: int,
    product: str,
    officers: int,
    common: dict[str, str],
) -> list[Any]:
    return [
        code,
        name,
        unit,
        day,
        legal,
        "Lihat lembar Persyaratan",
        "Lihat lembar Prosedur",
        sla,
        0,
        product,
        "ya",
        common["complaint"],
        common["facilities"],
        common["competency"],
        common["supervision"],
        officers,
        common["guarantee"],
        common["security"],
        common["evaluation"],
        "tidak",
    ]


def sample_rows() -> tuple[list[list[Any]], list[list[Any]], list[list[Any]]]:
    """The four versions of the sample agency: sukamaju-kk (2025 and 2026), sukamaju-akta-lahir
    and sukamaju-pbg."""
    v2025, v2026 = date(2025, 1, 1), date(2026, 1, 1)
    perizinan = {
        "complaint": "Loket pengaduan DPMPTSP, SP4N-LAPOR!, surel pengaduan",
        "facilities": "Ruang tunggu, loket pelayanan, ruang konsultasi teknis",
        "competency": "Memahami peraturan bangunan gedung dan SIMBG",
        "supervision": "Kepala Bidang Pelayanan Perizinan dan Inspektorat Daerah",
        "guarantee": "Pelayanan diselesaikan sesuai jangka waktu",
        "security": "Dokumen pemohon disimpan dengan aman",
        "evaluation": "Evaluasi kinerja pelaksana setiap tiga bulan",
    }
    kk, akta, pbg = "sukamaju-kk", "sukamaju-akta-lahir", "sukamaju-pbg"
    services = [
        _service_row(kk, "Penerbitan Kartu Keluarga", BIDANG_DUKCAPIL, v2025, ADMINDUK, 3,
                     "Kartu Keluarga", 2, DUKCAPIL_COMMON),
        _service_row(kk, "Penerbitan Kartu Keluarga", BIDANG_DUKCAPIL, v2026, ADMINDUK, 1,
                     "Kartu Keluarga", 2, DUKCAPIL_COMMON),
        _service_row(akta, "Penerbitan Akta Kelahiran", BIDANG_DUKCAPIL, v2025, ADMINDUK, 5,
                     "Kutipan Akta Kelahiran", 2, DUKCAPIL_COMMON),
        _service_row(pbg, "Persetujuan Bangunan Gedung", BIDANG_PERIZINAN, v2025,
                     "Peraturan Pemerintah Nomor 16 Tahun 2021 tentang Peraturan Pelaksanaan "
                     "Undang-Undang Nomor 28 Tahun 2002 tentang Bangunan Gedung", 28,
                     "Surat Persetujuan Bangunan Gedung", 1, perizinan),
    ]  # fmt: skip
    kk_requirements = [
        ("Formulir permohonan F-1.02", "dokumen", "ya"),
        ("Buku nikah atau akta perkawinan", "dokumen", "ya"),
        ("Kartu Keluarga lama", "dokumen", "tidak"),
    ]
    requirements = [[kk, day, n, k, m] for day in (v2025, v2026) for n, k, m in kk_requirements]
    requirements += [
        [akta, v2025, "Surat keterangan kelahiran dari rumah sakit atau bidan", "dokumen", "ya"],
        [akta, v2025, "Buku nikah atau akta perkawinan orang tua", "dokumen", "ya"],
        [akta, v2025, "NIK ibu", "isian", "ya"],
        [pbg, v2025, "Dokumen rencana teknis bangunan", "dokumen", "ya"],
        [pbg, v2025, "Bukti kepemilikan atau hak atas tanah", "dokumen", "ya"],
        [pbg, v2025, "Nomor Induk Berusaha", "isian", "tidak"],
        [pbg, v2025, "Data yang disampaikan benar", "pernyataan", "ya"],
    ]
    with translation.override("id"):
        head = str(Role.UNIT_HEAD.label)
    dukcapil_steps = [
        (1, "Verifikasi berkas", 15, ""),
        (2, "Entri data", 20, ""),
        (3, "Persetujuan", 10, head),
        (4, "Pencetakan dokumen", 10, ""),
    ]
    steps = [
        [code, day, order, name, minutes, role, "", ""]
        for code, day in ((kk, v2025), (kk, v2026), (akta, v2025))
        for order, name, minutes, role in dukcapil_steps
    ]
    steps += [
        [pbg, v2025, 1, "Verifikasi berkas", 30, "", "", ""],
        [pbg, v2025, 2, "Pemeriksaan teknis", 240, "", "", ""],
        [pbg, v2025, 3, "Penghitungan retribusi", 60, "", "", ""],
        [pbg, v2025, 4, "Persetujuan", 30, head, "", ""],
        [pbg, v2025, 5, "Penerbitan PBG", 30, "", "", ""],
    ]
    return services, requirements, steps


def sample_bytes() -> bytes:
    return to_bytes(workbook(*sample_rows()))


def write_files(root: Path) -> list[Path]:
    """Write the template and the sample under the repository `root`; returns their paths."""
    written = []
    for relative, data in ((TEMPLATE_PATH, template_bytes()), (SAMPLE_PATH, sample_bytes())):
        path = root / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
        written.append(path)
    return written
