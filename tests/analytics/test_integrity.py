"""Integrity signals: hand-computed answers, a scipy oracle for the statistics, and the
planted-pattern shapes each signal must find (and must not find on clean data)."""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta

import pytest

from sigap.analytics.integrity import (
    ComplaintRow,
    RequestRow,
    Thresholds,
    benjamini_hochberg,
    flagged_officers,
    integrity_findings,
    mann_whitney,
    mentions_paying,
    officer_risk,
    overcharges,
    queue_jumps,
    two_proportions,
    unequal_treatment,
)

T0 = datetime(2025, 3, 3, 8, 0, tzinfo=UTC)
T = Thresholds()


def row(receipt: str, *, hours: float = 0, lead_h: float | None = 24, **kw: object) -> RequestRow:
    submitted = T0 + timedelta(hours=hours)
    values: dict[str, object] = {
        "receipt": receipt,
        "service": "ktp",
        "unit": 1,
        "officer": 7,
        "submitted": submitted,
        "finished": submitted + timedelta(hours=lead_h) if lead_h is not None else None,
        "completed": lead_h is not None,
        "rejected": False,
        "returns": 0,
        "paused": False,
        "paid": 0,
        "tariff": 0,
    }
    values.update(kw)
    return RequestRow(**values)  # type: ignore[arg-type]


# --- statistics --------------------------------------------------------------------------------


def test_benjamini_hochberg_by_hand():
    # m = 4: 0.01·4/1 = 0.04, 0.02·4/2 = 0.04, 0.03·4/3 = 0.04, 0.5 stays 0.5.
    assert benjamini_hochberg([0.03, 0.5, 0.01, 0.02]) == [0.04, 0.5, 0.04, 0.04]
    # Step-up: a larger p-value can lower the q-value of a smaller one.
    assert benjamini_hochberg([0.04, 0.041]) == [0.041, 0.041]


def test_mann_whitney_by_hand():
    # x = {1, 2}, y = {3, 4}: every x below every y, U_x = 0, Cliff's delta = -1.
    result = mann_whitney([1, 2], [3, 4])
    assert result.u == 0 and result.cliffs_delta == -1
    # Ties count half: x = {1, 2}, y = {2, 3} -> U_x = 0 + 0.5 = 0.5.
    assert mann_whitney([1, 2], [2, 3]).u == 0.5


def test_two_proportions_by_hand():
    # 30/100 vs 10/100: pooled 0.2, se = sqrt(0.2·0.8·0.02) = 0.05657, z = 3.5355.
    result = two_proportions(30, 100, 10, 100)
    assert result.p_value == pytest.approx(0.000407, rel=1e-2)
    assert result.cohens_h == pytest.approx(0.5158, abs=1e-3)  # 2·asin√.3 − 2·asin√.1


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_mann_whitney_agrees_with_scipy(seed):
    stats = pytest.importorskip("scipy.stats")
    rng = random.Random(seed)
    x = [round(rng.lognormvariate(1, 0.5), 1) for _ in range(60)]
    y = [round(rng.lognormvariate(1.2, 0.5), 1) for _ in range(45)]
    ours = mann_whitney(x, y)
    theirs = stats.mannwhitneyu(x, y, alternative="two-sided", method="asymptotic")
    assert ours.u == pytest.approx(theirs.statistic)
    assert ours.p_value == pytest.approx(theirs.pvalue, rel=1e-6)


def test_benjamini_hochberg_agrees_with_scipy():
    stats = pytest.importorskip("scipy.stats")
    rng = random.Random(5)
    p = [rng.random() ** 3 for _ in range(200)]
    assert benjamini_hochberg(p) == pytest.approx(list(stats.false_discovery_control(p)))


# --- overcharge ----------------------------------------------------------------------------------


def test_paying_above_the_tariff_in_force_is_an_overcharge():
    rows = [
        row("A1", paid=50_000, tariff=0),
        row("A2", paid=75_000, tariff=25_000),
        row("A3", paid=25_000, tariff=25_000),  # the tariff: fine
        row("B1", officer=8, paid=10_000, tariff=0),
    ]
    found = {f.subject: f for f in overcharges(rows, T)}
    assert found["officer:7"].evidence == ("A1", "A2")
    assert found["officer:7"].summary["excess_rupiah"] == 100_000
    assert found["officer:7"].flagged
    # One case alone is listed but not flagged (it can be a typing error).
    assert found["officer:8"].evidence == ("B1",) and not found["officer:8"].flagged


@pytest.mark.parametrize(
    ("paid", "tariff", "statements", "evidence"),
    [
        (50_000, 0, (), "payments"),  # a reconciled payment above the tariff
        (25_000, 25_000, ("skm:1",), "statements"),  # paid the tariff, the citizen says more
        (0, 0, ("complaint:K1",), "statements"),  # nothing reconciled, a complaint
        (60_000, 25_000, ("complaint:K1",), "both"),
        (25_000, 25_000, (), ""),  # the tariff and nobody complains: no case
        (0, 25_000, (), ""),  # nothing reconciled yet: no evidence either way
    ],
)
def test_each_case_says_which_evidence_it_rests_on(paid, tariff, statements, evidence):
    rows = [row(f"A{i}", paid=paid, tariff=tariff, statements=statements) for i in range(2)]
    found = overcharges(rows, T)
    if not evidence:
        assert found == []
        return
    (finding,) = found
    assert finding.flagged and finding.summary["evidence"] == evidence
    assert finding.summary["case_evidence"] == {"A0": evidence, "A1": evidence}
    assert finding.summary["excess_rupiah"] == 2 * max(0, paid - tariff)


def test_a_flag_on_mixed_cases_rests_on_both_and_counts_each_kind():
    rows = [
        row("A1", paid=50_000),
        row("A2", statements=("skm:4", "complaint:K2")),
        row("A3", paid=30_000, tariff=30_000),
    ]
    (finding,) = overcharges(rows, T)
    assert finding.evidence == ("A1", "A2")
    assert finding.summary["evidence"] == "both"
    assert (finding.summary["cases_payments"], finding.summary["cases_statements"]) == (1, 1)
    assert finding.summary["statements"] == ["skm:4", "complaint:K2"]
    assert finding.summary["excess_rupiah"] == 50_000


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Diminta biaya tambahan yang tidak ada di papan tarif.", True),
        ("Katanya gratis tapi tetap bayar.", True),
        ("Saya diminta membayar Rp50.000 di luar tarif resmi agar berkas cepat.", True),
        ("Petugas minta uang rokok.", True),
        ("Ada pungli di loket.", True),
        ("Dimintai Rp 20.000 untuk percepatan", True),
        ("Ruang tunggu bersih dan nyaman.", False),  # "ruang" is not "uang"
        ("Pelayanan cepat, tidak dipungut biaya.", False),
        ("Tanpa biaya apa pun, gratis.", False),
        ("Biayanya sudah sesuai dengan papan tarif.", False),
        ("Antrean terlalu lama, mohon ditambah petugas.", False),
        ("", False),
    ],
)
def test_citizen_statements_that_mention_paying(text, expected):
    assert mentions_paying(text) is expected


def test_the_counter_officer_answers_for_the_money():
    rows = [row(f"C{i}", officer=7, counter_officer=9, paid=20_000) for i in range(2)]
    (finding,) = overcharges(rows, T)
    assert finding.subject == "officer:9"


# --- queue jumping -------------------------------------------------------------------------------


def _queue(officer: int = 7, n: int = 40, favoured: tuple[int, ...] = ()) -> list[RequestRow]:
    """A first-come-first-served queue, one request an hour, each done in 8 hours; favoured
    ones are done in 30 minutes."""
    return [
        row(
            f"Q{officer}-{i}",
            officer=officer,
            hours=i,
            lead_h=0.5 if i in favoured else 8,
        )
        for i in range(n)
    ]


def test_a_fifo_queue_has_no_jumps():
    assert queue_jumps(_queue(), T) == []


def test_requests_finished_ahead_of_earlier_ones_are_jumps():
    (finding,) = queue_jumps(_queue(favoured=(10, 20, 30, 33, 36)), T)
    assert finding.subject == "officer:7"
    assert finding.evidence == ("Q7-10", "Q7-20", "Q7-30", "Q7-33", "Q7-36")
    # Q7-10 was submitted at 10:00 and done at 10:30; Q7-2 … Q7-8 (submitted more than an
    # hour earlier, done after 11:30) were overtaken: 7 of them.
    assert finding.summary["cases"] == 5 and finding.flagged


def test_paused_requests_do_not_count_as_overtaken_or_overtaking():
    rows = _queue()
    rows[5] = row("Q7-5", hours=5, lead_h=200, paused=True)  # returned for correction
    assert queue_jumps(rows, T) == []


def test_jumps_below_the_minimum_are_listed_but_not_flagged():
    (finding,) = queue_jumps(_queue(favoured=(10,)), T)
    assert finding.evidence == ("Q7-10",) and not finding.flagged


# --- unequal treatment ---------------------------------------------------------------------------


def _applicants(seed: int, extra_days_for: str = "", n: int = 400) -> list[RequestRow]:
    rng = random.Random(seed)
    regions = ["Sukamaju", "Cibeureum", "Pasirjaya", "Girimukti"]
    rows = []
    for i in range(n):
        region = regions[i % 4]
        lead = rng.lognormvariate(3.5, 0.4)  # hours
        if region == extra_days_for:
            lead += 72
        rows.append(
            row(
                f"F{i}",
                officer=None,  # lead times drawn at random: not a first-come queue
                hours=i,
                lead_h=lead,
                region=region,
                gender="L" if rng.random() < 0.5 else "P",
                age_band=rng.choice(["18-30", "31-45", "46-60"]),
                disability=rng.random() < 0.1,
                returns=1 if rng.random() < 0.1 else 0,
            )
        )
    return rows


def test_a_group_that_waits_longer_is_found_with_its_effect_size():
    flagged = [f for f in unequal_treatment(_applicants(1, "Girimukti"), T) if f.flagged]
    assert [(f.summary["attribute"], f.summary["group"], f.summary["metric"]) for f in flagged] == [
        ("region", "Girimukti", "lead_time")
    ]
    (finding,) = flagged
    assert finding.value > 0.9  # Cliff's delta: nearly every Girimukti file is slower
    assert finding.summary["q_value"] < 0.05
    assert len(finding.evidence) == 20


def test_no_group_is_flagged_when_nobody_is_treated_differently():
    for seed in range(5):
        assert not [f for f in unequal_treatment(_applicants(seed), T) if f.flagged]


def test_groups_below_the_minimum_size_are_not_tested():
    rows = _applicants(1, "Girimukti", n=60)  # 15 per region
    assert not [f for f in unequal_treatment(rows, T) if f.summary["attribute"] == "region"]


def test_unknown_attribute_values_are_not_a_group():
    rows = [row(f"U{i}", hours=i, gender="") for i in range(100)]
    assert unequal_treatment(rows, T) == []


# --- officer risk -------------------------------------------------------------------------------


def test_the_risk_score_lists_every_case_behind_it():
    requests = [
        row("A1", paid=50_000),
        row("A2", paid=50_000),
        *_queue(officer=8, favoured=(10, 20, 30, 33, 36)),
    ]
    complaints = [
        ComplaintRow("K1", officer=7, unit=1, category="pungli", substantiated=True),
        ComplaintRow("K2", officer=9, unit=1, category="perilaku"),
    ]
    risk = {
        f.subject: f for f in integrity_findings(requests, complaints) if f.kind == "officer_risk"
    }
    assert risk["officer:7"].value == 3 * 2 + 3  # two overcharges, one substantiated complaint
    assert risk["officer:7"].evidence == ("overcharge:A1", "overcharge:A2", "complaint:K1")
    assert risk["officer:8"].value == 5 and risk["officer:8"].flagged
    assert risk["officer:9"].value == 1 and not risk["officer:9"].flagged


def test_complaints_alone_flag_an_officer_past_the_threshold():
    complaints = [ComplaintRow(f"K{i}", officer=5, unit=1, category="perilaku") for i in range(6)]
    (risk,) = officer_risk([], complaints, T)
    assert risk.flagged and len(risk.evidence) == 6


def test_a_clean_office_flags_nobody():
    requests = [*_queue(7), *_queue(8), *_applicants(3)]
    assert flagged_officers(integrity_findings(requests)) == set()


def test_small_counts_use_fishers_exact_test():
    # One rejection among 47 against none among 787: z would say p < 0.001; Fisher says
    # p = 47/834 ≈ 0.056 (the single rejection lands in the small group by chance that often).
    result = two_proportions(1, 47, 0, 787)
    assert result.exact
    assert result.p_value == pytest.approx(47 / 834)


@pytest.mark.parametrize("table", [(1, 47, 0, 787), (3, 20, 10, 200), (0, 30, 6, 40)])
def test_fishers_exact_test_agrees_with_scipy(table):
    stats = pytest.importorskip("scipy.stats")
    k1, n1, k2, n2 = table
    theirs = stats.fisher_exact([[k1, n1 - k1], [k2, n2 - k2]]).pvalue
    assert two_proportions(k1, n1, k2, n2).p_value == pytest.approx(theirs, rel=1e-6)


def test_a_fast_request_is_a_jump_only_if_it_overtook_someone():
    rows = [row(f"S{i}", hours=i * 24, lead_h=8) for i in range(20)]
    rows.append(row("FAST", hours=20 * 24, lead_h=0.5))  # fast, but nobody was waiting
    assert queue_jumps(rows, T) == []


def test_unflagged_noise_does_not_add_to_the_risk_score():
    signals = queue_jumps(_queue(n=400, favoured=(10, 20)), T)  # 2 of 400: not flagged
    assert signals and not signals[0].flagged
    assert officer_risk(signals, [], T) == []


def test_a_request_taken_into_the_queue_ahead_of_earlier_ones_is_a_jump():
    # The officer takes requests one an hour in order; Z, submitted last, is taken at once.
    rows = [
        row(f"I{i}", hours=i * 0.25, lead_h=48, received=T0 + timedelta(hours=i)) for i in range(12)
    ]
    rows.append(row("Z", hours=3, lead_h=48, received=T0 + timedelta(hours=3, minutes=5)))
    (finding,) = queue_jumps(rows, T)
    assert finding.evidence == ("Z",)
    # Z (submitted 11:00, taken 11:05) went ahead of the files submitted more than an hour
    # before it (before 10:00: I0 … I7) and taken more than an hour after it (after 12:05):
    # I5, I6, I7.
    assert finding.summary["requests_overtaken"] == 3
