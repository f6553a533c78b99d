"""The agency's IID for a frame year, from the registry and the answers, scored once by
`sigap.rules.innovation` (the pages and the export only display it), and the ranked single
changes that would raise it.

An innovation enters the rules as in application (`applied_on`) only at the stage *penerapan*;
its answers are those of the year's frame. The SPD answers are the agency's.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from sigap.innovation.models import IndicatorAnswer, Innovation, SpdAnswer, Stage
from sigap.organisation.models import Agency
from sigap.rules.innovation import (
    Change,
    Frame,
    IidScore,
    InnovationInput,
    SpdIndicator,
    SpdInput,
    improvements,
    missing_mandatory,
    score,
)


@dataclass(frozen=True)
class Workbench:
    frame: Frame
    score: IidScore
    innovations: dict[int, Innovation]  # by id: every innovation of the agency
    answers: dict[int, dict[str, IndicatorAnswer]]  # innovation id -> indicator -> answer
    spd: list[tuple[SpdIndicator, SpdAnswer | None]]  # the frame's SPD rows, in order
    changes: list[Change]

    @property
    def counted(self) -> list[tuple[Innovation, int, tuple[str, ...]]]:
        return [
            (self.innovations[int(c.key)], c.rows, c.missing_mandatory)  # type: ignore[call-overload]
            for c in self.score.counted
        ]

    @property
    def excluded(self) -> list[tuple[Innovation, str]]:
        return [(self.innovations[int(k)], why) for k, why in self.score.excluded]  # type: ignore[call-overload]

    def missing_mandatory(self, innovation_id: int) -> tuple[str, ...]:
        """The mandatory indicators of an innovation without accepted evidence (the rules')."""
        given = {k: a.parameter for k, a in self.answers.get(innovation_id, {}).items()}
        return missing_mandatory(self.frame, given)

    def without_file(self, innovation_id: int) -> list[str]:
        """Indicators answered with a parameter above 0 but no bukti dukung."""
        return [
            k
            for k, a in self.answers.get(innovation_id, {}).items()
            if a.parameter and not a.evidence
        ]


def inputs(
    agency: Agency, f: Frame
) -> tuple[
    list[SpdInput],
    list[InnovationInput],
    dict[int, Innovation],
    dict[int, dict[str, IndicatorAnswer]],
    list[tuple[SpdIndicator, SpdAnswer | None]],
]:
    innovations = {i.pk: i for i in Innovation.objects.filter(agency=agency).order_by("name", "pk")}
    answers: dict[int, dict[str, IndicatorAnswer]] = defaultdict(dict)
    for a in IndicatorAnswer.objects.filter(innovation__agency=agency, frame=f.year):
        answers[a.innovation_id][a.indicator] = a
    spd_rows = {a.indicator: a for a in SpdAnswer.objects.filter(agency=agency, frame=f.year)}
    spd_inputs = [
        SpdInput(s.indicator, s.weight, s.parameter)
        for ind in f.spd
        if (s := spd_rows.get(ind.key)) is not None
    ]
    inns = [
        InnovationInput(
            key=i.pk,
            urusan=i.urusan,
            applied_on=i.applied_on if i.stage == Stage.APPLIED else None,
            answers={k: a.parameter for k, a in answers.get(i.pk, {}).items()},
        )
        for i in innovations.values()
    ]
    spd_list = [(ind, spd_rows.get(ind.key)) for ind in f.spd]
    return spd_inputs, inns, innovations, dict(answers), spd_list


def workbench(agency: Agency, f: Frame, *, top: int | None = 20) -> Workbench:
    """The IID of `agency` for the frame `f`, every part, and the `top` changes that would
    raise it most (all of them when None)."""
    spd_inputs, inns, innovations, answers, spd_list = inputs(agency, f)
    result = score(f, spd_inputs, inns)
    changes = improvements(f, spd_inputs, inns)
    return Workbench(
        frame=f,
        score=result,
        innovations=innovations,
        answers=answers,
        spd=spd_list,
        changes=changes if top is None else changes[:top],
    )
