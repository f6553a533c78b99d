"""Competency rules of rules-innovation-competency.md §2, table-driven from its vectors: JP
conversion of every route basis (the default BPS table), the 20-JP duty, the job–person match
with each capping policy, the mapping and selection bands; and the settings that override the
UNCERTAIN ones (`sigap.competency.conf`)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from django.test import override_settings

from sigap.competency import conf
from sigap.rules.competency import (
    DEFAULT_CONVERSION,
    MAPPING_BANDS,
    ROUTE_GROUP,
    SELECTION_BANDS,
    Band,
    JpBasis,
    JpError,
    JpmCapping,
    JpRule,
    Route,
    RouteGroup,
    band,
    hours_to_jp,
    jp_between,
    jp_standing,
    jpm,
    training_jp,
)

D = Decimal
ALL_3 = [3] * 9
ALL_4 = [4] * 9

# --- JPM (§2.2): the three vectors -------------------------------------------------------------

JPM_VECTORS = [
    # individual levels, standard levels, percent, individual Σ, standard Σ, mapping band
    ([3, 3, 2, 3, 3, 2, 3, 3, 3], ALL_3, D("92.59"), 25, 27, "optimal"),
    ([4, 3, 3, 4, 3, 3, 4, 3, 4], ALL_4, D("86.11"), 31, 36, "cukup_optimal"),
    ([4, 4, 3, 3, 3, 3, 3, 3, 3], ALL_3, D("107.41"), 29, 27, "optimal"),
]


@pytest.mark.parametrize(("individual", "standard", "percent", "i", "s", "code"), JPM_VECTORS)
def test_jpm_vectors_of_the_rules_doc(individual, standard, percent, i, s, code):
    result = jpm(list(zip(individual, standard, strict=True)))
    assert (result.percent, result.individual, result.standard) == (percent, i, s)
    assert band(result.percent, MAPPING_BANDS) == code


def test_uncapped_total_is_shown_capped_at_100_with_the_surplus():
    result = jpm(list(zip([4, 4, 3, 3, 3, 3, 3, 3, 3], ALL_3, strict=True)))
    assert (result.percent, result.shown, result.surplus) == (D("107.41"), D(100), D("7.41"))
    below = jpm(list(zip([3, 3, 2, 3, 3, 2, 3, 3, 3], ALL_3, strict=True)))
    assert (below.shown, below.surplus) == (D("92.59"), D(0))


OVER_AND_UNDER = list(zip([5, 5, 2, 3, 3, 3, 3, 3, 3], ALL_3, strict=True))  # +4 and -1

CAPPING = [
    # policy, percent, individual Σ counted
    (JpmCapping.NONE, D("111.11"), 30),  # 30 / 27
    (JpmCapping.PER_COMPETENCY, D("96.30"), 26),  # each at most 3: 26 / 27
    (JpmCapping.TOTAL, D("100.00"), 30),  # 111.11 capped at 100
]


@pytest.mark.parametrize(("capping", "percent", "counted"), CAPPING)
def test_each_capping_policy(capping, percent, counted):
    result = jpm(OVER_AND_UNDER, capping)
    assert (result.percent, result.individual, result.standard) == (percent, counted, 27)


@pytest.mark.parametrize("capping", list(JpmCapping))
def test_capping_changes_nothing_below_the_standard(capping):
    pairs = list(zip([3, 3, 2, 3, 3, 2, 3, 3, 3], ALL_3, strict=True))
    assert jpm(pairs, capping).percent == D("92.59")


def test_a_competency_not_assessed_counts_as_zero():
    assert jpm([(0, 3), (3, 3)]).percent == D("50.00")


@pytest.mark.parametrize(
    "pairs", [[], [(6, 3)], [(-1, 3)], [(3, 0)], [(3, 6)]], ids=["empty", "6", "-1", "std0", "std6"]
)
def test_jpm_refuses_what_is_not_a_level(pairs):
    with pytest.raises(ValueError):
        jpm(pairs)


# --- bands (§2.2): the edges -------------------------------------------------------------------

MAPPING_EDGES = [
    (D("100"), "optimal"),
    (D("90"), "optimal"),
    (D("89.99"), "cukup_optimal"),
    (D("78"), "cukup_optimal"),
    (D("77.99"), "kurang_optimal"),
    (D("0"), "kurang_optimal"),
]
SELECTION_EDGES = [
    (D("80"), "memenuhi_syarat"),
    (D("79.99"), "masih_memenuhi_syarat"),
    (D("68"), "masih_memenuhi_syarat"),
    (D("67.99"), "kurang_memenuhi_syarat"),
    (D("0"), "kurang_memenuhi_syarat"),
]


@pytest.mark.parametrize(("percent", "code"), MAPPING_EDGES)
def test_mapping_band_edges_90_and_78(percent, code):
    assert band(percent, MAPPING_BANDS) == code


@pytest.mark.parametrize(("percent", "code"), SELECTION_EDGES)
def test_selection_band_edges_80_and_68(percent, code):
    assert band(percent, SELECTION_BANDS) == code


def test_bands_in_any_order_are_read_from_the_highest_down():
    assert band(D(85), tuple(reversed(MAPPING_BANDS))) == "cukup_optimal"


def test_below_every_band_is_an_error():
    with pytest.raises(ValueError):
        band(D(10), [Band(D(50), "lulus")])


# --- the 20-JP duty (§2.1) ---------------------------------------------------------------------

DUTY = [
    (D(19), False, D(1)),
    (D("19.99"), False, D("0.01")),
    (D(20), True, D(0)),
    (D(34), True, D(0)),
    (D(0), False, D(20)),
]


@pytest.mark.parametrize(("total", "compliant", "short"), DUTY)
def test_19_jp_is_not_compliant_20_is(total, compliant, short):
    standing = jp_standing(total)
    assert (standing.compliant, standing.short, standing.required) == (compliant, short, 20)


def test_the_duty_is_a_parameter():
    assert jp_standing(D(20), required=24).short == D(4)


# --- JP conversion (§2.1): every basis of the default table ------------------------------------

MON, TUE, WED, FRI = date(2025, 3, 3), date(2025, 3, 4), date(2025, 3, 5), date(2025, 3, 7)

CONVERSION = [
    # id, route, start, end, hours, sessions, JP
    ("classroom: 45 minutes a JP", Route.TEKNIS, MON, FRI, D(30), None, D(40)),
    ("classroom: rounded half up", Route.MANAJERIAL, MON, MON, D(1), None, D("1.33")),
    ("seminar: 4 JP a day", Route.SEMINAR, MON, TUE, D(0), None, D(8)),
    ("sosialisasi: 4 JP a day", Route.SOSIALISASI, MON, MON, D(0), None, D(4)),
    ("workshop: 5 JP a day", Route.WORKSHOP, MON, WED, D(0), None, D(15)),
    ("e-learning under its cap", Route.E_LEARNING, MON, TUE, D(3), None, D(4)),
    ("e-learning: at most 3 JP a day", Route.E_LEARNING, MON, TUE, D(10), None, D(6)),
    ("belajar mandiri: at most 2 JP a day", Route.BELAJAR_MANDIRI, MON, MON, D(6), None, D(2)),
    ("komunitas belajar: at most 2 a day", Route.KOMUNITAS_BELAJAR, MON, WED, D(9), None, D(6)),
    ("coaching: 2 JP a session", Route.COACHING, MON, MON, D(0), 1, D(2)),
    ("coaching: 2 sessions a month", Route.COACHING, date(2025, 3, 1), date(2025, 3, 31), D(0),
     5, D(4)),
    ("coaching: the cap per month touched", Route.COACHING, date(2025, 3, 1), date(2025, 5, 31),
     D(0), 5, D(10)),
    ("mentoring: 2 sessions a month", Route.MENTORING, MON, FRI, D(0), 3, D(4)),
    ("tugas belajar: 20 JP a semester", Route.TUGAS_BELAJAR, date(2025, 1, 1),
     date(2025, 6, 30), D(0), None, D(20)),
    ("tugas belajar: six months mid-month", Route.TUGAS_BELAJAR, date(2025, 1, 15),
     date(2025, 7, 14), D(0), None, D(20)),
    ("izin belajar: a started semester", Route.IZIN_BELAJAR, date(2025, 1, 15),
     date(2025, 7, 15), D(0), None, D(40)),
    ("izin belajar: four years", Route.IZIN_BELAJAR, date(2021, 8, 1), date(2025, 7, 31), D(0),
     None, D(160)),
    ("detasering: 20 JP", Route.DETASERING, MON, date(2025, 6, 30), D(0), None, D(20)),
    ("pertukaran: 20 JP", Route.PERTUKARAN, MON, FRI, D(0), None, D(20)),
    ("magang: 20 JP", Route.MAGANG, MON, FRI, D(0), None, D(20)),
    ("patok banding: 10 JP", Route.PATOK_BANDING, MON, TUE, D(0), None, D(10)),
]  # fmt: skip


@pytest.mark.parametrize(
    ("route", "starts", "ends", "hours", "sessions", "jp"),
    [c[1:] for c in CONVERSION],
    ids=[c[0] for c in CONVERSION],
)
def test_default_conversion(route, starts, ends, hours, sessions, jp):
    assert training_jp(route, starts, ends, hours, sessions) == jp


def test_every_route_has_a_rule_and_a_group():
    assert set(DEFAULT_CONVERSION) == set(Route) == set(ROUTE_GROUP)
    assert ROUTE_GROUP[Route.TUGAS_BELAJAR] is RouteGroup.PENDIDIKAN
    assert ROUTE_GROUP[Route.SEMINAR] is RouteGroup.KLASIKAL
    assert ROUTE_GROUP[Route.MAGANG] is RouteGroup.NONKLASIKAL


@pytest.mark.parametrize("basis", list(JpBasis))
def test_every_basis_is_used_by_the_default_table(basis):
    assert any(rule.basis is basis for rule in DEFAULT_CONVERSION.values())


BAD = [
    ("end before start", Route.TEKNIS, TUE, MON, D(8), None, "ends_before_start", "ends_on"),
    ("negative hours", Route.TEKNIS, MON, MON, D(-1), None, "negative_hours", "hours"),
    ("negative sessions", Route.COACHING, MON, MON, D(0), -1, "negative_sessions", "sessions"),
    ("sessions missing", Route.COACHING, MON, MON, D(0), None, "sessions_required", "sessions"),
]  # fmt: skip


@pytest.mark.parametrize(
    ("route", "starts", "ends", "hours", "sessions", "code", "field"),
    [b[1:] for b in BAD],
    ids=[b[0] for b in BAD],
)
def test_bad_records_are_refused_with_the_field(route, starts, ends, hours, sessions, code, field):
    with pytest.raises(JpError) as caught:
        training_jp(route, starts, ends, hours, sessions)
    assert (caught.value.code, caught.value.field) == (code, field)


def test_hours_to_jp():
    assert hours_to_jp(D("0.75")) == D(1)
    assert hours_to_jp(D(15)) == D(20)


def test_a_custom_table():
    table = {**DEFAULT_CONVERSION, Route.SEMINAR: JpRule(JpBasis.FIXED, D(3))}
    assert training_jp(Route.SEMINAR, MON, WED, D(0), conversion=table) == D(3)


# --- the settings (sigap.competency.conf) ------------------------------------------------------


def test_defaults_without_settings():
    assert conf.jp_conversion() == DEFAULT_CONVERSION
    assert conf.yearly_jp() == 20
    assert conf.jpm_capping() is JpmCapping.NONE
    assert conf.mapping_bands() == MAPPING_BANDS
    assert conf.selection_bands() == SELECTION_BANDS


def test_conversion_override_replaces_only_its_routes(settings):
    settings.SIGAP = {
        **settings.SIGAP,
        "COMPETENCY_JP_CONVERSION": {
            "seminar": {"basis": "per_day", "jp": 6},
            "coaching": {"basis": "per_session", "jp": "1.5", "monthly_sessions": 4},
        },
    }
    table = conf.jp_conversion()
    assert table[Route.SEMINAR] == JpRule(JpBasis.PER_DAY, D(6))
    assert table[Route.COACHING] == JpRule(JpBasis.PER_SESSION, D("1.5"), 4)
    assert table[Route.WORKSHOP] == DEFAULT_CONVERSION[Route.WORKSHOP]
    assert training_jp(Route.SEMINAR, MON, TUE, D(0), conversion=table) == D(12)
    assert training_jp(Route.COACHING, MON, FRI, D(0), 6, conversion=table) == D(6)


def test_an_unknown_route_in_the_override_is_an_error(settings):
    settings.SIGAP = {**settings.SIGAP, "COMPETENCY_JP_CONVERSION": {"rapat": {"basis": "fixed"}}}
    with pytest.raises(ValueError):
        conf.jp_conversion()


@pytest.mark.parametrize(
    ("policy", "expected"),
    [("none", JpmCapping.NONE), ("per_competency", JpmCapping.PER_COMPETENCY),
     ("total", JpmCapping.TOTAL)],
)  # fmt: skip
def test_capping_setting(policy, expected):
    with override_settings(SIGAP={"COMPETENCY_JPM_CAPPING": policy}):
        assert conf.jpm_capping() is expected
        assert (
            jpm(OVER_AND_UNDER, conf.jpm_capping()).percent
            == dict((c, p) for c, p, _ in CAPPING)[expected]
        )


def test_a_capping_that_does_not_exist_is_an_error():
    with override_settings(SIGAP={"COMPETENCY_JPM_CAPPING": "half"}), pytest.raises(ValueError):
        conf.jpm_capping()


def test_yearly_jp_setting():
    with override_settings(SIGAP={"COMPETENCY_YEARLY_JP": 24}):
        assert conf.yearly_jp() == 24
        assert not jp_standing(D(20), conf.yearly_jp()).compliant


def test_band_settings():
    with override_settings(
        SIGAP={
            "COMPETENCY_MAPPING_BANDS": [(85, "optimal"), (70, "cukup_optimal"), (0, "kurang")],
            "COMPETENCY_SELECTION_BANDS": [(75, "memenuhi_syarat"), (0, "kurang")],
        }
    ):
        assert band(D(86), conf.mapping_bands()) == "optimal"
        assert band(D("84.99"), conf.mapping_bands()) == "cukup_optimal"
        assert band(D(75), conf.selection_bands()) == "memenuhi_syarat"
        assert band(D(74), conf.selection_bands()) == "kurang"


# --- JP spread over an activity's days ------------------------------------------------------------


@pytest.mark.parametrize(
    ("jp", "starts", "ends", "period_start", "period_end", "expected"),
    [
        # one day, inside the period
        ("8", date(2025, 3, 3), date(2025, 3, 3), date(2025, 1, 1), date(2025, 12, 31), "8.00"),
        # outside the period: before it, after it
        ("8", date(2024, 3, 3), date(2024, 3, 3), date(2025, 1, 1), date(2025, 12, 31), "0.00"),
        ("8", date(2025, 5, 1), date(2025, 5, 2), date(2025, 1, 1), date(2025, 4, 30), "0.00"),
        # across New Year, 2 of 4 days in each year
        ("8", date(2024, 12, 30), date(2025, 1, 2), date(2025, 1, 1), date(2025, 12, 31), "4.00"),
        ("8", date(2024, 12, 30), date(2025, 1, 2), date(2024, 1, 1), date(2024, 12, 31), "4.00"),
        # under way: 3 of 9 days done
        ("9", date(2025, 3, 25), date(2025, 4, 2), date(2025, 1, 1), date(2025, 3, 27), "3.00"),
        # a 4-year tugas belajar (1 461 days): 365 days of 2023 → 160 × 365 / 1461
        ("160", date(2022, 8, 1), date(2026, 7, 31), date(2023, 1, 1), date(2023, 12, 31), "39.97"),
        # 2022: 153 days (1 Aug – 31 Dec)
        ("160", date(2022, 8, 1), date(2026, 7, 31), date(2022, 1, 1), date(2022, 12, 31), "16.76"),
        # half up: 1 JP over 8 days, 1 day = 0.125 → 0.13
        ("1", date(2025, 1, 1), date(2025, 1, 8), date(2025, 1, 1), date(2025, 1, 1), "0.13"),
        # the whole activity inside the period
        ("6.5", date(2025, 2, 1), date(2025, 2, 28), date(2025, 1, 1), date(2025, 12, 31), "6.50"),
    ],
)
def test_jp_between_spreads_jp_evenly_over_the_days(
    jp, starts, ends, period_start, period_end, expected
):
    assert jp_between(Decimal(jp), starts, ends, period_start, period_end) == Decimal(expected)


def test_jp_between_refuses_an_activity_ending_before_it_starts():
    with pytest.raises(ValueError):
        jp_between(
            Decimal(8), date(2025, 3, 3), date(2025, 3, 2), date(2025, 1, 1), date(2025, 12, 31)
        )
