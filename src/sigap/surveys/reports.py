"""Laporan SKM of one unit and period, as PDF (ReportLab) and XLSX (openpyxl).

The sections follow the reports units publish: respondent profile, NRR per unsur (and NRR
tertimbang), IKM with mutu and kinerja, sample adequacy, a summary of comments and the
follow-up plan (rencana tindak lanjut).
"""

from __future__ import annotations

import io
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time
from decimal import ROUND_HALF_UP, Decimal

from django.utils import timezone

from sigap import spreadsheets
from sigap.analytics.ikm import period_bounds, period_label
from sigap.organisation.models import Unit
from sigap.rules.ikm import ELEMENTS, IkmResult, element
from sigap.rules.sample_size import SampleAdequacy, sample_adequacy
from sigap.service_requests.models import ServiceRequest
from sigap.surveys import selectors
from sigap.surveys.models import SurveyFollowUp, SurveyResponse
from sigap.web import formatting

PROFILE_TITLES = {
    "gender": "Jenis kelamin",
    "age_band": "Umur",
    "education": "Pendidikan",
    "occupation": "Pekerjaan",
}


@dataclass(frozen=True)
class Report:
    unit: Unit
    period: str
    period_label: str
    result: IkmResult | None
    sample: SampleAdequacy | None
    profile: dict[str, list[tuple[str, int]]]
    comments: list[tuple[date, str]]
    comment_count: int
    follow_ups: list[SurveyFollowUp]


def build(unit: Unit, period: str) -> Report:
    """Collect the report of `unit` (its whole subtree) for `period` (2025, 2025-S1, ...)."""
    first, last = period_bounds(period)
    tz = timezone.get_current_timezone()
    start = datetime.combine(first, time.min, tzinfo=tz)
    end = datetime.combine(last, time.max, tzinfo=tz)
    responses = SurveyResponse.objects.filter(
        unit__path__startswith=unit.path, submitted_at__range=(start, end)
    )
    requests = ServiceRequest.objects.filter(
        unit__path__startswith=unit.path, submitted_at__range=(start, end)
    )
    # The whole subtree is one group: the unit reports for its counters.
    result = selectors.overall(responses)
    sample = sample_adequacy(requests.count(), result.respondents) if result else None
    return Report(
        unit=unit,
        period=period,
        period_label=period_label(period),
        result=result,
        sample=sample,
        profile=selectors.profile_counts(responses),
        comments=selectors.comments(responses, limit=30),
        comment_count=responses.exclude(comment="").count(),
        follow_ups=list(SurveyFollowUp.objects.filter(unit=unit, period=period)),
    )


# How a figure goes into each file: the PDF prints it in Indonesian through the formatting
# layer ("3,25"); the workbook keeps it a number with its decimals as the cell's number format,
# so that officers can compute with it (it used to be text).
Figure = Callable[[Decimal | int | None, int], object]


def _pdf_figure(value: Decimal | int | None, places: int) -> object:
    return formatting.decimal(value, places, "id")


def _xlsx_figure(value: Decimal | int | None, places: int) -> object:
    if value is None:
        return None
    if isinstance(value, int):
        return value
    return Decimal(value).quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)


def _rows_nrr(report: Report, figure: Figure = _pdf_figure) -> list[list[object]]:
    rows: list[list[object]] = [["No", "Unsur", "NRR", "NRR tertimbang"]]
    for e in ELEMENTS:
        r = report.result
        rows.append(
            [
                f"U{e.number}",
                e.name,
                figure(r.nrr[e.code] if r else None, 2),
                figure(r.nrr_weighted(e.code) if r else None, 3),
            ]
        )
    return rows


def _summary(report: Report, figure: Figure = _pdf_figure) -> list[list[object]]:
    r, s = report.result, report.sample
    respondents = r.respondents if r else 0
    return [
        ["Unit pelayanan", report.unit.name],
        ["Periode", report.period_label],
        [
            "Jumlah responden",
            respondents if figure is _xlsx_figure else formatting.integer(respondents, "id"),
        ],
        ["IKM", figure(r.ikm if r else None, 2)],
        ["Mutu pelayanan", str(r.mutu) if r and r.mutu else "—"],
        ["Kinerja unit pelayanan", r.kinerja or "—" if r else "—"],
        ["Bobot per unsur", r.weighting.label if r else selectors.weighting().label],
        [
            "Sampel (Krejcie–Morgan)",
            f"{formatting.integer(s.respondents, 'id')} dari "
            f"{formatting.integer(s.required, 'id')} "
            f"(populasi {formatting.integer(s.population, 'id')})"
            + ("" if s.adequate else " — KURANG")
            if s
            else "—",
        ],
        [
            "Prioritas perbaikan",
            ", ".join(element(c).name for c in r.weakest) if r and r.weakest else "—",
        ],
    ]


def _follow_up_rows(report: Report) -> list[list[str]]:
    rows = [["Unsur", "Rencana tindak lanjut", "Waktu", "Penanggung jawab"]]
    for f in report.follow_ups:
        rows.append([element(f.element).name, f.action, f.timeline, f.responsible])
    if len(rows) == 1 and report.result and report.result.weakest:
        for code in report.result.weakest:
            rows.append([element(code).name, "(belum diisi)", "", ""])
    return rows


def to_xlsx(report: Report) -> bytes:
    """The report as a workbook, through the one spreadsheet writer: comments are citizens'
    text (a comment starting with "=" stays text, a control character is dropped)."""
    summary: list[Sequence[object]] = [["Laporan Survei Kepuasan Masyarakat (PermenPANRB 14/2017)"]]
    summary += _summary(report, _xlsx_figure)
    summary.append([])
    nrr_header = len(summary)
    summary += _rows_nrr(report, _xlsx_figure)
    profile: list[list[object]] = []
    titles: list[int] = []
    for field, rows in report.profile.items():
        titles.append(len(profile))
        profile.append([PROFILE_TITLES[field]])
        profile += [[label, n] for label, n in rows]
        profile.append([])
    comments: list[list[object]] = [["Jumlah komentar", report.comment_count]]
    comments += [[day, text] for day, text in report.comments]
    return spreadsheets.to_xlsx(
        [
            spreadsheets.Sheet(
                "Ringkasan", rows=summary, header_rows=1, bold_rows=[nrr_header],
                widths={"A": 28, "B": 45},
            ),
            spreadsheets.Sheet("Profil responden", rows=profile, bold_rows=titles),
            spreadsheets.Sheet("Saran dan masukan", rows=comments, widths={"A": 12, "B": 80}),
            spreadsheets.Sheet(
                "Rencana tindak lanjut", rows=_follow_up_rows(report), header_rows=1,
                widths={"A": 28, "B": 45},
            ),
        ]
    )  # fmt: skip


def to_pdf(report: Report) -> bytes:
    from reportlab.lib import colors
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import getSampleStyleSheet
    from reportlab.lib.units import cm
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

    styles = getSampleStyleSheet()
    body = styles["BodyText"]

    def para(text: str) -> Paragraph:
        # Comments are citizens' text: escape it, ReportLab paragraphs read markup.
        return Paragraph(text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;"), body)

    def table(rows: Sequence[Sequence[object]], widths: list[float]) -> Table:
        t = Table([[para(str(c)) for c in row] for row in rows], colWidths=widths, repeatRows=1)
        t.setStyle(
            TableStyle(
                [
                    ("GRID", (0, 0), (-1, -1), 0.4, colors.grey),
                    ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#dbe7f3")),
                    ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ]
            )
        )
        return t

    out = io.BytesIO()
    doc = SimpleDocTemplate(
        out,
        pagesize=A4,
        title=f"Laporan SKM {report.unit.name} {report.period_label}",
        leftMargin=2 * cm,
        rightMargin=2 * cm,
    )
    story: list = [  # type: ignore[type-arg]
        Paragraph("Laporan Survei Kepuasan Masyarakat", styles["Title"]),
        Paragraph(f"{para(report.unit.name).text} — {report.period_label}", styles["Heading2"]),
        table(_summary(report), [5 * cm, 12 * cm]),
        Spacer(1, 0.4 * cm),
        Paragraph("Nilai rata-rata per unsur", styles["Heading3"]),
        table(_rows_nrr(report), [1.2 * cm, 9 * cm, 3 * cm, 3.8 * cm]),
        Spacer(1, 0.4 * cm),
        Paragraph("Profil responden", styles["Heading3"]),
    ]
    for field, rows in report.profile.items():
        story.append(
            table(
                [
                    [PROFILE_TITLES[field], "Jumlah"],
                    *[[lbl, formatting.integer(n, "id")] for lbl, n in rows],
                ],
                [10 * cm, 3 * cm],
            )
        )
        story.append(Spacer(1, 0.2 * cm))
    story.append(Paragraph(f"Saran dan masukan ({report.comment_count})", styles["Heading3"]))
    for day, text in report.comments:
        story.append(para(f"{formatting.long_date(day, 'id')}: {text}"))
    story.append(Paragraph("Rencana tindak lanjut", styles["Heading3"]))
    story.append(table(_follow_up_rows(report), [4 * cm, 7 * cm, 3 * cm, 3 * cm]))
    doc.build(story)
    return out.getvalue()
