"""IID rules of rules-innovation-competency.md §1.2, table-driven from its vectors: the 2026
vectors and the 88/111 innovation, the band edges of 2023 and 2026, the divisor max(k, n), the
5-of-6 rule, bad input, and the ranking of single changes against hand-computed gains."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from sigap.rules.innovation import (
    BASIC_URUSAN,
    FRAMES,
    URUSAN,
    ChangeKind,
    IidError,
    InnovationInput,
    Predikat,
    SpdInput,
    UnknownFrame,
    agency_sid,
    check_spd_weights,
    eligible,
    frame,
    improvements,
    jumlah_inovasi,
    missing_mandatory,
    predikat,
    round2,
    row_score,
    score,
    sid_of_innovation,
)

D = Decimal
F26 = frame(2026)
F23 = frame(2023)
APPLIED = date(2025, 3, 1)
BASIC = ["education", "health", "public_works", "housing", "public_order", "social"]


def answers_worth(f, rows: int) -> dict[str, int]:
    """Answers of one innovation worth exactly `rows`: parameters from the heaviest row down."""
    answers, left = {}, rows
    for ind in sorted(f.sid, key=lambda i: -i.weight):
        p = min(3, left // ind.weight)
        if p:
            answers[ind.key], left = p, left - p * ind.weight
    assert left == 0
    return answers


def registry(n: int, rows: int, urusan: int) -> list[InnovationInput]:
    """n innovations worth `rows` each, spread over the first `urusan` basic urusan."""
    answers = answers_worth(F26, rows)
    return [InnovationInput(i, BASIC[i % urusan], APPLIED, answers) for i in range(n)]


def spd_worth(total: int) -> list[SpdInput]:
    """SPD answers worth `total` with weights adding up to 21 (17 rows: four weighing 2)."""
    rows = [SpdInput(ind.key, 2 if i < 4 else 1, 0) for i, ind in enumerate(F26.spd)]
    assert sum(r.weight for r in rows) == 21
    out, left = [], total
    for r in rows:
        p = min(3, left // r.weight)
        out.append(SpdInput(r.indicator, r.weight, p))
        left -= p * r.weight
    assert left == 0
    return out


# --- the rules doc's vectors (2026) ----------------------------------------------------------

VECTORS = [
    # SPD, n innovations, rows each, basic urusan covered, IID (2 dp), predikat
    (63, 200, 111, 6, D("100.00"), Predikat.SANGAT_INOVATIF),
    (40, 20, 70, 5, D("47.04"), Predikat.INOVATIF),
    (40, 20, 70, 4, D("44.00"), Predikat.INOVATIF),
    (40, 12, 80, 5, D("49.82"), Predikat.INOVATIF),
    (40, 21, 80, 5, D("51.19"), Predikat.INOVATIF),
]


@pytest.mark.parametrize(("spd_total", "n", "rows", "urusan", "expected", "band"), VECTORS)
def test_vectors_of_the_rules_doc(spd_total, n, rows, urusan, expected, band):
    result = score(F26, spd_worth(spd_total), registry(n, rows, urusan))
    assert (result.spd, result.n, result.rows_total) == (spd_total, n, n * rows)
    assert len(result.basic_covered) == urusan
    assert round2(result.iid) == expected == result.iid_rounded
    assert result.predikat is band


def test_vector_parts_20_by_70_with_5_urusan():
    result = score(F26, spd_worth(40), registry(20, 70, 5))
    # 1400 / max(12, 20) = 70; jumlah 0.38 × 20 = 7.6; (40 + 77.6) / 250 × 100 = 47.04
    assert (result.divisor, result.jumlah, result.sid) == (20, D("7.60"), D("77.60"))
    assert result.iid == D("47.04")


def test_the_88_of_111_innovation():
    answers = {
        "regulasi": 2, "sdm": 2, "anggaran": 3, "alat_kerja": 3, "bimtek": 2, "rkpd": 2,
        "aktor": 2, "pelaksana": 3, "jejaring": 2, "sosialisasi": 3, "pedoman_teknis": 3,
        "kemudahan_informasi": 2, "kemudahan_proses": 2, "penyelesaian_pengaduan": 3,
        "layanan_terintegrasi": 3, "replikasi": 1, "kecepatan_penciptaan": 2, "kemanfaatan": 3,
        "monev": 2, "video": 3,
    }  # fmt: skip
    assert len(answers) == len(F26.sid) == 20
    assert (sid_of_innovation(F26, answers), F26.sid_max) == (88, 111)


def test_frame_2026_weights_are_the_rules_docs_one_by_one():
    # rules-innovation-competency.md §1.2, in its order (a swap of two weights keeps Σ 37)
    assert [(i.key, i.weight) for i in F26.sid] == [
        ("regulasi", 3), ("sdm", 2), ("anggaran", 2), ("alat_kerja", 2), ("bimtek", 1),
        ("rkpd", 2), ("aktor", 1), ("pelaksana", 1), ("jejaring", 1), ("sosialisasi", 1),
        ("pedoman_teknis", 1), ("kemudahan_informasi", 1), ("kemudahan_proses", 2),
        ("penyelesaian_pengaduan", 1), ("layanan_terintegrasi", 2), ("replikasi", 3),
        ("kecepatan_penciptaan", 2), ("kemanfaatan", 3), ("monev", 2), ("video", 4),
    ]  # fmt: skip


def test_frame_2026_totals_and_mandatory_rows():
    assert (F26.sid_total_weight, F26.spd_max, F26.jumlah.maximum, F26.maximum) == (
        37,
        63,
        D("76.00"),
        D(250),
    )
    assert set(F26.mandatory) == {"regulasi", "sdm", "kecepatan_penciptaan", "kemanfaatan", "video"}
    assert F26.k == 12
    assert len(F26.spd) == 17 and all(i.weight is None for i in F26.spd)


def test_frame_2023_renames_three_rows_and_keeps_the_verified_shares():
    keys = {i.key for i in F23.sid}
    assert {"penggunaan_it", "online_sistem", "kualitas_inovasi"} <= keys
    assert not {"alat_kerja", "layanan_terintegrasi", "video"} & keys
    # SPD 25.2 %, SID 74.8 % of the maximum (BSKDN 2023, VERIFIED)
    assert D(F23.spd_max) / F23.maximum * 100 == D("25.2")
    assert (F23.sid_max + F23.jumlah.maximum) / F23.maximum * 100 == D("74.8")
    assert "kualitas_inovasi" in F23.mandatory


# --- band edges -----------------------------------------------------------------------------

EDGES = [
    (F26, "100", Predikat.SANGAT_INOVATIF),
    (F26, "65.01", Predikat.SANGAT_INOVATIF),
    (F26, "65.00", Predikat.INOVATIF),
    (F26, "65.004", Predikat.INOVATIF),  # rounds to 65.00
    (F26, "65.005", Predikat.SANGAT_INOVATIF),  # rounds to 65.01
    (F26, "40.01", Predikat.INOVATIF),
    (F26, "40.00", Predikat.KURANG_INOVATIF),
    (F26, "0.01", Predikat.KURANG_INOVATIF),
    (F26, "0.004", Predikat.TIDAK_DAPAT_DINILAI),
    (F26, "0", Predikat.TIDAK_DAPAT_DINILAI),
    (F23, "60.01", Predikat.SANGAT_INOVATIF),
    (F23, "60.00", Predikat.INOVATIF),
    (F23, "35.00", Predikat.INOVATIF),
    (F23, "34.99", Predikat.KURANG_INOVATIF),
    (F23, "34.995", Predikat.INOVATIF),  # rounds to 35.00
    (F23, "0.01", Predikat.KURANG_INOVATIF),
    (F23, "0", Predikat.TIDAK_DAPAT_DINILAI),
]


@pytest.mark.parametrize(("f", "value", "band"), EDGES)
def test_band_edges(f, value, band):
    assert predikat(f, D(value)) is band


def test_banding_unrounded_when_the_frame_says_so():
    from dataclasses import replace

    raw = replace(F26, band_decimals=None)
    assert predikat(raw, D("65.005")) is Predikat.INOVATIF
    assert predikat(F26, D("65.005")) is Predikat.SANGAT_INOVATIF


# --- divisor, jumlah inovasi, eligibility ----------------------------------------------------

DIVISOR = [
    # rows total, n, divisor, SID without jumlah
    (960, 12, 12, D(80)),
    (800, 10, 12, D(800) / 12),  # fewer than k: divided by k
    (0, 0, 12, D(0)),
    (1680, 21, 21, D(80)),
]


@pytest.mark.parametrize(("rows", "n", "divisor", "sid"), DIVISOR)
def test_divisor_is_max_of_k_and_n(rows, n, divisor, sid):
    assert agency_sid(F26, rows, n, 0) == (sid, divisor)


JUMLAH = [
    (20, 6, D("7.60")),
    (20, 5, D("7.60")),
    (20, 4, D(0)),
    (200, 5, D("76.00")),
    (250, 6, D("76.00")),  # capped at 200 innovations
    (0, 6, D(0)),
]


@pytest.mark.parametrize(("n", "covered", "expected"), JUMLAH)
def test_jumlah_inovasi_needs_5_of_6_basic_urusan(n, covered, expected):
    assert jumlah_inovasi(F26, n, covered) == expected


def test_only_basic_urusan_count_for_the_5_of_6_rule():
    assert set(BASIC) == BASIC_URUSAN
    answers = answers_worth(F26, 50)
    inns = [InnovationInput(u, u, APPLIED, answers) for u in [*BASIC[:4], "tourism", "finance"]]
    result = score(F26, [], inns)
    assert len(result.basic_covered) == 4 and result.jumlah == 0
    inns.append(InnovationInput("x", "social", APPLIED, answers))
    assert score(F26, [], inns).jumlah == D("0.38") * 7


def test_eligibility_window_and_exclusions():
    assert eligible(F26, date(2024, 1, 1)) and eligible(F26, date(2025, 12, 31))
    assert not eligible(F26, date(2023, 12, 31)) and not eligible(F26, date(2026, 1, 1))
    assert not eligible(F26, None)
    assert eligible(F23, date(2022, 6, 1)) and not eligible(F23, date(2024, 6, 1))
    answers = answers_worth(F26, 37)
    inns = [
        InnovationInput("in", "health", date(2025, 5, 1), answers),
        InnovationInput("old", "health", date(2023, 5, 1), answers),
        InnovationInput("trial", "health", None, answers),
    ]
    result = score(F26, [], inns)
    assert [c.key for c in result.counted] == ["in"]
    assert result.excluded == (("old", "outside_window"), ("trial", "not_applied"))
    assert (result.n, result.rows_total) == (1, 37)


def test_missing_mandatory_listed_per_innovation():
    inns = [
        InnovationInput("a", "health", APPLIED, {"regulasi": 1, "sdm": 2, "video": 0}),
        InnovationInput("b", "health", APPLIED, answers_worth(F26, 111)),
    ]
    result = score(F26, [], inns)
    assert result.missing_mandatory == {"a": ("kecepatan_penciptaan", "kemanfaatan", "video")}
    assert result.n == 2 and result.rows_total == 3 + 4 + 111  # the documented default


def test_missing_mandatory_excluded_when_the_frame_says_so():
    from dataclasses import replace

    strict = replace(F26, missing_mandatory_counts=False)
    inns = [
        InnovationInput("a", "health", APPLIED, {"regulasi": 1, "sdm": 2, "video": 0}),
        InnovationInput("b", "education", APPLIED, answers_worth(F26, 111)),
    ]
    result = score(strict, [], inns)
    assert [c.key for c in result.counted] == ["b"]
    assert result.excluded == (("a", "missing_mandatory"),)
    assert (result.n, result.rows_total, result.basic_covered) == (1, 111, {"education"})
    # (0 + 111 / 12) / 250 × 100 = 3.70
    assert round2(result.iid) == D("3.70")
    assert not any(c.innovation == "a" for c in improvements(strict, [], inns))


def test_the_added_innovation_counts_when_missing_mandatory_excludes():
    from dataclasses import replace

    strict = replace(F26, missing_mandatory_counts=False)
    # 25 rows with every mandatory row at 1 (14) + anggaran 3 (6) + bimtek 3 (3) + aktor 2 (2)
    b = {"regulasi": 1, "sdm": 1, "kecepatan_penciptaan": 1, "kemanfaatan": 1, "video": 1,
         "anggaran": 3, "bimtek": 3, "aktor": 2}  # fmt: skip
    inns = [InnovationInput("b", "education", APPLIED, b)]
    assert score(strict, [], inns).rows_total == 25
    # one more innovation of the mean 25 rows, carrying the mandatory rows, counts:
    # + 25 / 12 / 2.5 = 0.8333 (a greedy fill of 25 left sdm, kecepatan, kemanfaatan at 0)
    add = next(c for c in improvements(strict, [], inns) if c.kind is ChangeKind.ADD_INNOVATION)
    assert round(add.gain, 4) == D("0.8333")


def test_the_hypothetical_innovation_scores_exactly_its_rows():
    from sigap.rules.innovation import _answers_worth

    for rows in range(F26.sid_max + 1):
        answers = _answers_worth(F26, rows)
        assert sid_of_innovation(F26, answers) == rows, rows
        if rows >= 14:  # 3 + 2 + 2 + 3 + 4: every mandatory row at 1 at least
            assert not missing_mandatory(F26, answers), rows


# --- bad input --------------------------------------------------------------------------------


def test_parameter_4_is_refused_naming_the_indicator():
    with pytest.raises(IidError) as e:
        sid_of_innovation(F26, {"regulasi": 4})
    assert (e.value.code, e.value.field) == ("parameter_out_of_range", "regulasi")
    with pytest.raises(IidError):
        row_score(2, -1)
    with pytest.raises(IidError):
        row_score(2, True)  # type: ignore[arg-type]


def test_unknown_year_names_the_year_and_the_known_ones():
    with pytest.raises(UnknownFrame) as e:
        frame(2027)
    assert isinstance(e.value, ValueError)
    assert "2027" in str(e.value) and "2023, 2026" in str(e.value)
    assert e.value.known == (2023, 2026) == tuple(sorted(FRAMES))


def test_unknown_indicator_is_refused():
    with pytest.raises(IidError) as e:
        sid_of_innovation(F26, {"video_quality": 2})
    assert (e.value.code, e.value.field) == ("unknown_indicator", "video_quality")
    # a 2026 key is unknown in the 2023 frame
    with pytest.raises(IidError):
        sid_of_innovation(F23, {"video": 2})
    with pytest.raises(IidError) as e2:
        check_spd_weights(F26, [SpdInput("nope", 1, 1)])
    assert e2.value.field == "nope"


def test_spd_weights_over_21_refused_and_the_rest_reported():
    rows = [SpdInput(i.key, 2, 1) for i in F26.spd[:10]]  # 20
    assert check_spd_weights(F26, rows) == 1
    with pytest.raises(IidError) as e:
        check_spd_weights(F26, [*rows, SpdInput(F26.spd[10].key, 2, 1)])  # 22
    assert e.value.code == "weights_over_total"
    with pytest.raises(IidError) as e0:
        check_spd_weights(F26, [SpdInput("pad", 0, 1)])
    assert (e0.value.code, e0.value.field) == ("bad_weight", "pad")
    with pytest.raises(IidError) as e2:
        check_spd_weights(F26, [SpdInput("pad", 1, 1), SpdInput("pad", 1, 2)])
    assert e2.value.code == "repeated_indicator"
    with pytest.raises(IidError):
        check_spd_weights(F26, [SpdInput("pad", 1, 4)])


def test_unknown_urusan_refused():
    with pytest.raises(IidError) as e:
        score(F26, [], [InnovationInput(1, "space", APPLIED, {})])
    assert e.value.field == "urusan"


def test_urusan_table():
    assert len(URUSAN) >= 32 and all(len(k) <= 40 for k in URUSAN)


# --- what would raise the IID most -----------------------------------------------------------


def test_ranking_small_case_by_hand():
    # SPD: visi_misi weight 2 at 1 → 2. One innovation (education) with the four mandatory rows
    # regulasi 3, sdm 2, kecepatan 2, kemanfaatan 3 at parameter 1 → 10 rows; video missing.
    # IID = (2 + 10/12) / 250 × 100 = 1.1333…
    spd_rows = [SpdInput("visi_misi", 2, 1)]
    a = {"regulasi": 1, "sdm": 1, "kecepatan_penciptaan": 1, "kemanfaatan": 1}
    inns = [InnovationInput("A", "education", APPLIED, a)]
    base = score(F26, spd_rows, inns)
    assert round(base.iid, 6) == round(D(34) / 12 / D("2.5"), 6)
    changes = improvements(F26, spd_rows, inns)
    top = [(c.kind, c.indicator, round(c.gain, 4)) for c in changes[:4]]
    assert top == [
        (ChangeKind.SPD, "visi_misi", D("1.6000")),  # +4 SPD points / 2.5
        (ChangeKind.RAISE, "video", D("0.4000")),  # +12 rows / 12 / 2.5
        (ChangeKind.ADD_INNOVATION, "", D("0.3333")),  # a second 10-row innovation: +10/12/2.5
        (ChangeKind.COVER_URUSAN, "", D("0.3333")),  # 2 of 6 covered: no jumlah yet
    ]
    gains = {(c.kind, c.indicator): round(c.gain, 4) for c in changes}
    assert gains[(ChangeKind.MANDATORY, "video")] == D("0.1333")  # +4 rows
    assert gains[(ChangeKind.RAISE, "regulasi")] == D("0.2000")  # 1 → 3: +6 rows
    assert gains[(ChangeKind.RAISE, "bimtek")] == D("0.1000")  # 0 → 3: +3 rows
    assert all(c.gain > 0 for c in changes)
    assert [c.gain for c in changes] == sorted((c.gain for c in changes), reverse=True)


def test_ranking_fifth_basic_urusan_turns_on_jumlah():
    # four innovations of 10 rows in four basic urusan: covering a fifth adds the innovation
    # (+10/12) and switches on jumlah 0.38 × 5 = 1.9 → SID +2.7333 → IID +1.0933
    a = {"regulasi": 1, "sdm": 1, "kecepatan_penciptaan": 1, "kemanfaatan": 1}
    inns = [InnovationInput(u, u, APPLIED, a) for u in BASIC[:4]]
    changes = improvements(F26, [], inns)
    cover = [c for c in changes if c.kind is ChangeKind.COVER_URUSAN]
    assert {c.urusan for c in cover} == {"public_order", "social"}
    assert {round(c.gain, 4) for c in cover} == {D("1.0933")}
    assert changes[0].kind is ChangeKind.COVER_URUSAN
    add = next(c for c in changes if c.kind is ChangeKind.ADD_INNOVATION)
    assert round(add.gain, 4) == D("0.3333")


def test_ranking_past_the_divisor_only_jumlah_moves():
    # 12 innovations of 80 in 5 basic urusan: another 80-row one keeps the mean (divisor 13) and
    # adds 0.38 jumlah → +0.152 IID
    inns = registry(12, 80, 5)
    changes = improvements(F26, spd_worth(40), inns)
    add = next(c for c in changes if c.kind is ChangeKind.ADD_INNOVATION)
    assert add.gain == D("0.152")
    assert add.new_iid == score(F26, spd_worth(40), inns).iid + D("0.152")


def test_every_row_change_equals_the_iid_rescored_with_it():
    from dataclasses import replace

    spd_rows = [SpdInput("visi_misi", 2, 1), SpdInput("pad", 1, 0)]
    inns = [*registry(13, 40, 5), InnovationInput("late", "health", date(2026, 2, 1), {})]
    for c in improvements(F26, spd_rows, inns):
        if c.kind in (ChangeKind.RAISE, ChangeKind.MANDATORY):
            changed = [
                replace(i, answers={**i.answers, c.indicator: c.parameter})
                if i.key == c.innovation
                else i
                for i in inns
            ]
            assert score(F26, spd_rows, changed).iid == c.new_iid, c
        elif c.kind is ChangeKind.SPD:
            changed_spd = [replace(a, parameter=3) if a.indicator == c.indicator else a
                           for a in spd_rows]  # fmt: skip
            assert score(F26, changed_spd, inns).iid == c.new_iid, c
    assert not any(c.innovation == "late" for c in improvements(F26, spd_rows, inns))
