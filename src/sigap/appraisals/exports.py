"""Exports: the SKP document of one employee (PDF, ReportLab) and a unit recap (XLSX, openpyxl)."""

from __future__ import annotations

import io
from collections.abc import Iterable, Sequence
from typing import Any

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import getSampleStyleSheet
from reportlab.lib.units import cm
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from sigap import spreadsheets
from sigap.appraisals import conf
from sigap.appraisals.models import YEARLY, Predikat, Rating
from sigap.appraisals.selectors import SkpDocument, functional_jenjang
from sigap.rules.nip import format_nip
from sigap.rules.skp import BERAKHLAK, angka_kredit
from sigap.web import formatting

_RATING = dict(Rating.choices)
_PREDIKAT = dict(Predikat.choices)

EVIDENCE_FIELDS = (
    ("requests_handled", "Permohonan ditangani"),
    ("throughput", "Langkah selesai"),
    ("completed", "Permohonan selesai"),
    ("sla_share", "Tepat waktu (SLA)"),
    ("returns", "Pengembalian berkas"),
    ("rework_rate", "Pengembalian per permohonan"),
    ("median_hours", "Median waktu penanganan (jam)"),
    ("ikm", "IKM layanan"),
    ("complaints", "Pengaduan tentang pegawai"),
)


def evidence_value(evidence: Any, name: str, lang: str | None = None) -> str:
    """A figure of the evidence: "85 %", "1,25" (the SKP document passes lang="id", the page
    leaves it to the page's language)."""
    value = getattr(evidence, name, None) if evidence is not None else None
    if value is None:
        return formatting.MISSING
    if name == "sla_share":
        return formatting.percent(value, 0, lang)
    if isinstance(value, float):
        return formatting.decimal(value, 2, lang)
    return formatting.integer(value, lang) if isinstance(value, int) else str(value)


# The built-in PDF fonts (no font files to ship) lack a few symbols people type in targets.
_PDF_SAFE = str.maketrans({"≥": ">=", "≤": "<=", "≠": "!=", "→": "->", "×": "x"})


def _plain(text: object) -> str:
    """For plain table cells (no markup)."""
    return str(text).translate(_PDF_SAFE)


def _esc(text: object) -> str:
    """For Paragraphs (a small markup language: escape it)."""
    safe = str(text).translate(_PDF_SAFE)
    return safe.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _table(rows: list[list[Any]], widths: list[float]) -> Table:
    table = Table(rows, colWidths=widths, repeatRows=1)
    table.setStyle(
        TableStyle(
            [
                ("GRID", (0, 0), (-1, -1), 0.4, colors.grey),
                ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#eef2f6")),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("FONTSIZE", (0, 0), (-1, -1), 8),
            ]
        )
    )
    return table


def skp_pdf(doc: SkpDocument) -> bytes:
    """The SKP document: identity, plan with targets and evidence, ratings, predikat, history."""
    styles = getSampleStyleSheet()
    small = styles["BodyText"]
    small.fontSize = 8
    small.leading = 10
    buffer = io.BytesIO()
    pdf = SimpleDocTemplate(
        buffer,
        pagesize=A4,
        leftMargin=1.6 * cm,
        rightMargin=1.6 * cm,
        topMargin=1.5 * cm,
        bottomMargin=1.5 * cm,
        title=f"SKP {doc.year} {doc.employee.name}",
    )
    e = doc.employee
    story: list[Any] = [
        Paragraph(f"SASARAN KINERJA PEGAWAI (SKP) TAHUN {doc.year}", styles["Title"]),
        Paragraph("PermenPANRB 6/2022 tentang Pengelolaan Kinerja Pegawai ASN", small),
        Spacer(1, 8),
        _table(
            [
                ["Pegawai yang dinilai", ""],
                ["Nama", _plain(e.name)],
                ["NIP", format_nip(e.nip) if e.status == "pns" else e.nip],
                ["Pangkat/golongan", e.rank],
                ["Jabatan", Paragraph(_esc(e.position.name), small)],
                ["Unit kerja", Paragraph(_esc(e.unit.name), small)],
                ["Pejabat penilai", _plain(e.supervisor.name) if e.supervisor else "—"],
            ],
            [4.5 * cm, 13 * cm],
        ),
        Spacer(1, 10),
        Paragraph("Rencana hasil kerja, indikator, target dan bukti objektif", styles["Heading3"]),
    ]
    rows: list[list[Any]] = [["No", "Rencana hasil kerja", "Indikator", "Target", "Bukti"]]
    for result in doc.results:
        for i, ind in enumerate(result.indicators.all()):
            rows.append(
                [
                    str(result.order) if i == 0 else "",
                    Paragraph(_esc(result.text), small) if i == 0 else "",
                    Paragraph(_esc(ind.text), small),
                    Paragraph(_esc(ind.target), small),
                    evidence_value(doc.evidence, ind.evidence_key, "id")
                    if ind.evidence_key
                    else "—",
                ]
            )
    if len(rows) == 1:
        rows.append(["", "Belum ada rencana", "", "", ""])
    story += [_table(rows, [1 * cm, 5.5 * cm, 5.5 * cm, 3 * cm, 2.5 * cm]), Spacer(1, 10)]
    story.append(Paragraph("Bukti objektif dari data layanan", styles["Heading3"]))
    story.append(
        _table(
            [["Ukuran", "Nilai"]]
            + [
                [label, evidence_value(doc.evidence, name, "id")] for name, label in EVIDENCE_FIELDS
            ],
            [8 * cm, 4 * cm],
        )
    )
    story += [Spacer(1, 10), Paragraph("Penilaian", styles["Heading3"])]
    rating_rows: list[list[Any]] = [
        ["Periode", "Hasil kerja", "Perilaku kerja", "Predikat", "Status"]
    ]
    for period in sorted(doc.appraisals, key=lambda p: (p == YEARLY, p)):
        a = doc.appraisals[period]
        rating_rows.append(
            [
                "Tahunan" if period == YEARLY else f"Periode {period}",
                _RATING[a.hasil_kerja].split("(")[-1].rstrip(")"),
                _RATING[a.perilaku_kerja].split("(")[-1].rstrip(")"),
                _PREDIKAT[a.predikat],
                "Final" if a.is_final else "Draf",
            ]
        )
    story.append(_table(rating_rows, [3 * cm, 3.8 * cm, 3.8 * cm, 3.6 * cm, 2 * cm]))
    yearly = doc.yearly
    if yearly is not None:
        story += [
            Spacer(1, 6),
            Paragraph(
                f"<b>Predikat kinerja tahunan: {_PREDIKAT[yearly.predikat]}</b>", styles["BodyText"]
            ),
        ]
        if yearly.behaviour_notes:
            story.append(Paragraph("Catatan perilaku kerja (BerAKHLAK)", styles["Heading4"]))
            for value in BERAKHLAK:
                note = yearly.behaviour_notes.get(value.code)
                if note:
                    story.append(Paragraph(f"<b>{value.name}</b>: {_esc(note)}", small))
    if doc.angka_kredit is not None:
        story.append(
            Paragraph(
                f"Angka kredit tahunan: {formatting.number(doc.angka_kredit, 3, 'id')} "
                f"(koefisien {formatting.number(doc.ak_coefficient, 3, 'id')}; "
                "PermenPANRB 1/2023, Peraturan BKN 3/2023)",
                small,
            )
        )
    if doc.corrections:
        story += [Spacer(1, 8), Paragraph("Koreksi tercatat", styles["Heading4"])]
        story.append(
            _table(
                [["Waktu", "Jenis", "Lama -> baru", "Alasan"]]
                + [
                    [
                        formatting.short_datetime(c.at, "id"),
                        c.get_kind_display(),
                        f"{_PREDIKAT[c.old_predikat]} -> {_PREDIKAT[c.new_predikat]}",
                        Paragraph(_esc(c.reason), small),
                    ]
                    for c in doc.corrections
                ],
                [3 * cm, 2.5 * cm, 4.5 * cm, 7.5 * cm],
            )
        )
    pdf.build(story)
    return buffer.getvalue()


RECAP_HEADER = [
    "Unit kerja",
    "Nama",
    "NIP",
    "Jabatan",
    "Hasil kerja",
    "Perilaku kerja",
    "Predikat",
    "Status",
    "Permohonan ditangani",
    "Tepat waktu (SLA)",
    "Pengembalian per permohonan",
    "IKM",
    "Pengaduan",
    "Skor bukti (0–1)",
    "Angka kredit",
]


def _rating_words(code: str) -> str:
    """A rating as the SKP form words it ("di atas ekspektasi"), never its code ("di_atas")."""
    return str(_RATING[code]).split("(")[-1].rstrip(")")


def unit_recap_xlsx(year: int, rows: Iterable[tuple[Any, Any, Any]]) -> bytes:
    """One line per employee: (employee, yearly appraisal or None, evidence or None)."""
    coefficients = conf.ak_coefficients()

    def lines() -> Iterable[Sequence[object]]:
        yield RECAP_HEADER
        for employee, appraisal, evidence in rows:
            jenjang = functional_jenjang(employee.position)
            ak = (
                float(angka_kredit(appraisal.predikat, coefficients[jenjang]))
                if jenjang is not None and appraisal is not None
                else None
            )
            yield [
                employee.unit.name,
                employee.name,
                employee.nip,
                employee.position.name,
                _rating_words(appraisal.hasil_kerja) if appraisal else None,
                _rating_words(appraisal.perilaku_kerja) if appraisal else None,
                _PREDIKAT[appraisal.predikat] if appraisal else None,
                appraisal.get_status_display() if appraisal else None,
                evidence.requests_handled if evidence else None,
                spreadsheets.Ratio(evidence.sla_share if evidence else None, 0),
                evidence.rework_rate if evidence else None,
                evidence.ikm if evidence else None,
                evidence.complaints if evidence else None,
                evidence.composite if evidence else None,
                ak,
            ]

    widths = (30, 28, 20, 30, 10, 10, 16, 8, 10, 10, 10, 8, 8, 10, 10)
    # Names and units are text typed by staff: the writer keeps "=..." a string, never a formula.
    sheet = spreadsheets.Sheet(
        f"Rekap SKP {year}",
        rows=lines(),
        header_rows=1,
        widths=dict(zip("ABCDEFGHIJKLMNO", widths, strict=True)),
        freeze="A2",
    )
    return spreadsheets.to_xlsx([sheet])
