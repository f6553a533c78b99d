"""The agency's IID of a frame year as a workbook laid out for entry into the national IID
application: a summary sheet (the parts of the score, from `sigap.innovation.iid`), one sheet
of SPD rows (one row per indicator of the frame, answered or not) and one sheet of innovations ×
SID indicators (one row per innovation and indicator). Cells are typed: weights, parameters and
scores are numbers, dates are dates, the IID a decimal with two places."""

from __future__ import annotations

from django.utils.translation import gettext as _

from sigap.innovation.iid import workbench
from sigap.innovation.iid_labels import REASONS, predikat_label, urusan_name
from sigap.organisation.models import Agency
from sigap.rules.innovation import Frame, round2, row_score
from sigap.spreadsheets import Sheet, to_xlsx


def iid_xlsx(agency: Agency, f: Frame) -> bytes:
    wb = workbench(agency, f, top=0)
    s = wb.score
    counted = {int(c.key) for c in s.counted}  # type: ignore[call-overload]
    why = {int(k): str(REASONS[r]) for k, r in s.excluded}  # type: ignore[call-overload]
    summary = Sheet(
        _("Summary"),
        rows=[
            [_("Part"), _("Value")],
            [_("Agency"), agency.name],
            [_("IID year"), f.year],
            [_("SPD score"), s.spd],
            [_("Innovations counted"), s.n],
            [_("Sum of the innovations' SID rows"), s.rows_total],
            [_("Divisor"), s.divisor],
            [_("Innovation count score"), round2(s.jumlah)],
            [_("SID score"), round2(s.sid)],
            [_("IID"), round2(s.iid)],
            [_("Predikat"), predikat_label(s.predikat)],
        ],
        header_rows=1,
        widths={"A": 40, "B": 30},
    )
    spd_rows: list[list[object]] = [
        [_("No."), _("Indicator"), _("Weight"), _("Parameter"), _("Score"), _("Note"),
         _("Supporting document")]
    ]  # fmt: skip
    for n, (spd_ind, answer) in enumerate(wb.spd, start=1):
        spd_rows.append(
            [
                n,
                _(spd_ind.name),
                answer.weight if answer else None,
                answer.parameter if answer else None,
                row_score(answer.weight, answer.parameter, spd_ind.key) if answer else None,
                answer.note if answer else "",
                answer.evidence_name if answer else "",
            ]
        )
    sid_rows: list[list[object]] = [
        [_("Innovation ID"), _("Innovation"), _("Government affair"), _("Stage"),
         _("Applied from"), _("Counted"), _("No."), _("Indicator"), _("Weight"),
         _("Mandatory"), _("Parameter"), _("Score"), _("Note"), _("Supporting document")]
    ]  # fmt: skip
    for pk, inn in wb.innovations.items():
        answers = wb.answers.get(pk, {})
        status = _("Yes") if pk in counted else _("No: %(why)s") % {"why": why.get(pk, "")}
        for number, ind in enumerate(f.sid, start=1):
            a = answers.get(ind.key)
            parameter = a.parameter if a else 0
            sid_rows.append(
                [
                    pk,
                    inn.name,
                    urusan_name(inn.urusan),
                    inn.get_stage_display(),
                    inn.applied_on,
                    status,
                    number,
                    _(ind.name),
                    ind.weight,
                    _("Yes") if ind.mandatory else _("No"),
                    parameter,
                    row_score(ind.weight, parameter, ind.key),
                    a.note if a else "",
                    a.evidence_name if a else "",
                ]
            )
    return to_xlsx(
        [
            summary,
            Sheet(
                _("SPD"),
                rows=spd_rows,
                header_rows=1,
                freeze="A2",
                widths={"B": 50, "F": 40, "G": 30},
            ),
            Sheet(
                _("Innovations"),
                rows=sid_rows,
                header_rows=1,
                freeze="A2",
                widths={"B": 40, "C": 30, "H": 40, "M": 40, "N": 30},
            ),
        ]
    )
