"""Several indicators at once: a subject measured on five KPIs that changed nothing must not read
"improved" or "worsened" on some KPI much more often than one time in twenty. The declared
primary KPI is judged at the configured 95 %, the others at the Bonferroni-adjusted level; the
stored level is what the headline prints; the overall result of a subject is its primary KPI's.

Pure (no database) except the wording and outcome tests, which build unsaved rows."""

from __future__ import annotations

import random
from datetime import date

import pytest
from django.utils import translation

from sigap.analytics.impact import ImpactSettings, PanelRow, Verdict, month_number, t_quantile
from sigap.analytics.service_panel import (
    COMPLAINTS,
    FIRST_TIME_RIGHT,
    IKM,
    LEAD_TIME,
    SLA,
    ServiceCell,
)
from sigap.innovation.effects import (
    KPIS,
    NONE_DECLARED,
    OTHERS_TOGETHER,
    PRIMARY_KPI,
    SAMPLE,
    SECONDARY_KPI,
    SECONDARY_ONE,
    Intervention,
    level_sentences,
    levels,
    measure,
)
from sigap.innovation.models import Conclusion, InterventionEffect
from sigap.innovation.outcomes import MIXED, _verdict, effect_lines
from sigap.innovation.wording import confidence_level, headline, level_places

FIRST = month_number(2024, 1)
MONTHS = 10
START = date(2024, 6, 1)  # month 5 of the panel: 5 months before, 5 after
SERVICES = [f"kec-{i:02d}-domisili" for i in range(30)]
TREATED = SERVICES[:15]
FAMILIES = dict.fromkeys(SERVICES, "kec-domisili")
CASES = 100
# Fewer bootstrap replicates than the default keep 200 worlds fast; no placebo (a caveat only).
QUICK = ImpactSettings(bootstrap=49, placebo=False)
CLAIMS = (Verdict.IMPROVED, Verdict.WORSENED)


def null_world(seed: int) -> tuple[list[ServiceCell], dict[str, list[PanelRow]]]:
    """Thirty services of one family over ten months, each KPI its own level per service plus
    independent monthly noise: nothing happens at START."""
    rng = random.Random(seed)
    cells: list[ServiceCell] = []
    extra: dict[str, list[PanelRow]] = {IKM: [], COMPLAINTS: []}
    for code in SERVICES:
        level = [rng.gauss(0, 1) for _ in range(5)]
        for t in range(MONTHS):
            g = [rng.gauss(0, 1) for _ in range(5)]
            lead = 5 + level[0] + 0.5 * g[0]
            sla = round(CASES * (0.7 + 0.05 * level[1] + 0.04 * g[1]))
            ftr = round(CASES * (0.85 + 0.03 * level[2] + 0.03 * g[2]))
            period = FIRST + t
            cells.append(ServiceCell(code, period, CASES, lead * CASES, CASES, sla, ftr))
            extra[IKM].append(PanelRow(code, period, 80 + 2 * level[3] + g[3], 50.0))
            extra[COMPLAINTS].append(PanelRow(code, period, 5 + level[4] + 0.8 * g[4], CASES))
    return cells, extra


def subject(primary: str | None = None, kpis: tuple[str, ...] = KPIS) -> Intervention:
    return Intervention("innovation", 1, dict.fromkeys(TREATED, START), kpis, primary=primary)


def test_levels_bonferroni_over_the_others() -> None:
    # Hand-computed: 1 - 0.05/4 = 0.9875, 1 - 0.05/5 = 0.99, 1 - 0.05/1 = 0.95.
    declared = levels(KPIS, FIRST_TIME_RIGHT)
    assert declared[FIRST_TIME_RIGHT] == 0.95
    assert {declared[k] for k in KPIS if k != FIRST_TIME_RIGHT} == {0.9875}
    assert set(levels(KPIS, None).values()) == {0.99}
    assert levels((SLA, LEAD_TIME), SLA) == {SLA: 0.95, LEAD_TIME: 0.95}
    assert levels((LEAD_TIME,), None) == {LEAD_TIME: 0.95}
    # A primary that is not among the KPIs counts as none declared.
    assert set(levels(KPIS, "integrity_rate").values()) == {0.99}
    assert levels(KPIS, None, 0.9)[IKM] == 0.98


def test_the_familywise_false_claim_rate_stays_near_five_percent() -> None:
    """200 worlds in which nothing changed, five KPIs each: with the correction (no primary
    declared, every KPI at 99 %) some KPI reads improved or worsened in at most about 5 % of
    them; judged at 95 % each, as before the correction, clearly more often (five chances)."""
    worlds = 200
    corrected = uncorrected = 0
    for seed in range(worlds):
        cells, extra = null_world(seed)
        found = measure(cells, extra, subject(), FAMILIES, settings=QUICK)
        assert [m.confidence for m in found] == [0.99] * 5
        corrected += any(m.impact.verdict in CLAIMS for m in found)
        # The same estimates judged at 95 % each: the interval of `did` at that level.
        uncorrected += any(
            m.impact.reason is None
            and m.impact.se is not None
            and abs(m.impact.estimate or 0.0) > t_quantile(0.975, m.impact.df or 1) * m.impact.se
            for m in found
        )
    # Measured: 12 of 200 (6 %) corrected, 47 of 200 (23.5 %) at 95 % each — as the arithmetic
    # says: at most 5 % (Bonferroni) against 1 - 0.95**5 = 22.6 % for five independent KPIs.
    assert corrected / worlds <= 0.08, corrected
    assert uncorrected / worlds >= 0.15, uncorrected
    assert uncorrected >= 2 * corrected + 10, (corrected, uncorrected)


def test_the_primary_kpi_keeps_ninety_five_percent() -> None:
    """With a primary KPI declared, its interval is exactly the one it gets measured alone (95 %),
    and every other KPI's interval is wider, at 98,75 %."""
    cells, extra = null_world(7)
    declared = {m.kpi: m for m in measure(cells, extra, subject(SLA), FAMILIES, settings=QUICK)}
    [alone] = measure(cells, extra, subject(kpis=(SLA,)), FAMILIES, settings=QUICK)
    main = declared[SLA]
    assert (main.primary, main.confidence) == (True, 0.95)
    assert (main.impact.ci_low, main.impact.ci_high) == (alone.impact.ci_low, alone.impact.ci_high)
    for kpi in (LEAD_TIME, FIRST_TIME_RIGHT, IKM, COMPLAINTS):
        other = declared[kpi]
        assert (other.primary, other.confidence) == (False, 0.9875)
        [single] = measure(cells, extra, subject(kpis=(kpi,)), FAMILIES, settings=QUICK)
        assert other.impact.estimate == single.impact.estimate
        assert other.impact.ci_low < single.impact.ci_low  # type: ignore[operator]
        assert other.impact.ci_high > single.impact.ci_high  # type: ignore[operator]
    # The explanation says so, after the sample, with the levels as parameters.
    ids = [s.msgid for s in main.explanation]
    assert ids[ids.index(SAMPLE) + 1 :][:2] == [PRIMARY_KPI["innovation"], OTHERS_TOGETHER]
    other = declared[IKM].explanation
    said = next(s for s in other if s.msgid == SECONDARY_KPI["innovation"])
    assert said.params == {
        "level": {"percent": 0.9875, "places": 2},
        "base": {"percent": 0.95, "places": 0},
        "n": {"count": 4},
    }


def test_the_level_sentences_of_each_case() -> None:
    both = (SLA, LEAD_TIME)  # a roadmap action on the SLA share: one other KPI, no correction
    assert [s.msgid for s in level_sentences("roadmap_action", SLA, both, SLA, 0.95)] == [
        PRIMARY_KPI["roadmap_action"]
    ]
    [one] = level_sentences("roadmap_action", LEAD_TIME, both, SLA, 0.95)
    assert one.msgid == SECONDARY_ONE["roadmap_action"]
    assert one.params == {"level": {"percent": 0.95, "places": 0}}
    [none] = level_sentences("innovation", IKM, KPIS, None, 0.95)
    assert none.msgid == NONE_DECLARED["innovation"]
    assert none.params["level"] == {"percent": 0.99, "places": 0}
    assert none.params["n"] == {"count": 5}
    assert level_sentences("innovation", LEAD_TIME, (LEAD_TIME,), None, 0.95) == []
    with translation.override("id"):
        text = str(none)
    assert "koreksi Bonferroni untuk 5 indikator" in text and "99 %" in text, text


def test_no_sentence_on_the_level_without_a_verdict() -> None:
    cells, _extra = null_world(3)
    short = [c for c in cells if c.period < FIRST + 6]  # one month after: too few
    for m in measure(short, {}, subject(LEAD_TIME, (LEAD_TIME, SLA)), FAMILIES, settings=QUICK):
        assert m.impact.verdict == Verdict.NO_CONCLUSION
        ids = {s.msgid for s in m.explanation}
        assert not ids & {PRIMARY_KPI["innovation"], SECONDARY_ONE["innovation"]}


@pytest.mark.parametrize(
    ("level", "places", "id_text", "en_text"),
    [
        (0.95, 0, "95 %", "95%"),
        (0.9875, 2, "98,75 %", "98.75%"),
        (0.975, 1, "97,5 %", "97.5%"),
        (0.99, 0, "99 %", "99%"),
        (1 - 0.05 / 3, 2, "98,33 %", "98.33%"),
    ],
)
def test_a_level_is_written_the_readers_way(
    level: float, places: int, id_text: str, en_text: str
) -> None:
    assert level_places(level) == places
    assert confidence_level(level) in (id_text, en_text)
    with translation.override("id"):
        assert confidence_level(level) == id_text
    with translation.override("en"):
        assert confidence_level(level) == en_text


def _effect(kpi: str, conclusion: str, *, confidence: float = 0.95, primary: bool = False):  # type: ignore[no-untyped-def]
    return InterventionEffect(
        pk=None,
        subject="innovation",
        kpi=kpi,
        starts_on=date(2025, 1, 1),
        treated=6,
        comparison=6,
        estimate=0.05,
        ci_low=0.01,
        ci_high=0.09,
        conclusion=conclusion,
        confidence=confidence,
        primary=primary,
        explanation=[],
    )


def test_the_headline_prints_the_stored_level() -> None:
    wide = _effect(FIRST_TIME_RIGHT, Conclusion.IMPROVED, confidence=0.9875)
    with translation.override("id"):
        text = headline(wide)
    assert "(IK 98,75 % 1,0–9,0)" in text, text
    assert "95" not in text
    with translation.override("en"):
        assert "(98.75% CI 1.0–9.0)" in headline(wide)
        assert "(95% CI 1.0–9.0)" in headline(_effect(FIRST_TIME_RIGHT, Conclusion.IMPROVED))
    with translation.override("id"):
        none = headline(_effect(IKM, Conclusion.NO_EFFECT, confidence=0.99))
    assert "IK 99 %" in none, none


def test_the_overall_result_is_the_primary_kpis() -> None:
    # A KPI other than the primary one improved (it passed its corrected test): the innovation
    # is judged on the KPI it was meant to change, which did not move.
    lines = effect_lines(
        [
            _effect(SLA, Conclusion.IMPROVED, confidence=0.9875),
            _effect(LEAD_TIME, Conclusion.NO_EFFECT, primary=True),
            _effect(IKM, Conclusion.NO_EFFECT, confidence=0.9875),
        ]
    )
    assert lines[0].kpi == LEAD_TIME and lines[0].primary  # the primary line first
    assert _verdict(lines) == Conclusion.NO_EFFECT
    # Its primary KPI improved, another worsened: it worked on what it aimed at.
    mixed = [
        _effect(LEAD_TIME, Conclusion.IMPROVED, primary=True),
        _effect(IKM, Conclusion.WORSENED, confidence=0.9875),
    ]
    assert _verdict(effect_lines(mixed)) == Conclusion.IMPROVED
    # The primary KPI without a conclusion: no conclusion, whatever the others say.
    unsure = [
        _effect(LEAD_TIME, Conclusion.NO_CONCLUSION, primary=True),
        _effect(SLA, Conclusion.IMPROVED, confidence=0.9875),
    ]
    assert _verdict(effect_lines(unsure)) == Conclusion.NO_CONCLUSION
    # None declared: as before, on the (corrected) verdicts of all KPIs.
    undeclared = [
        _effect(LEAD_TIME, Conclusion.IMPROVED, confidence=0.99),
        _effect(IKM, Conclusion.WORSENED, confidence=0.99),
    ]
    assert _verdict(effect_lines(undeclared)) == MIXED
