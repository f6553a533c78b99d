"""The measured effect in plain words: every KPI × conclusion, in Indonesian and English, with
the figures of the row formatted for the language (hand-written expectations)."""

from __future__ import annotations

import re

import pytest
from django.utils import translation

from sigap.innovation import wording
from sigap.innovation.models import InterventionEffect
from sigap.innovation.wording import effect_sentences

INNOVATION = InterventionEffect.Subject.INNOVATION
ACTION = InterventionEffect.Subject.ROADMAP_ACTION


def _effect(
    kpi: str, conclusion: str, estimate=None, ci=None, subject=INNOVATION, explanation=None
):  # type: ignore[no-untyped-def]
    # Unsaved: the wording reads the row's fields only.
    return InterventionEffect(
        subject=subject,
        kpi=kpi,
        conclusion=conclusion,
        estimate=estimate,
        ci_low=ci[0] if ci else None,
        ci_high=ci[1] if ci else None,
        explanation=explanation or [],
    )


# (kpi, conclusion, estimate, ci, Indonesian headline, English headline)
CASES = [
    (
        "lead_time",
        "improved",
        -2.1,
        (-3.0, -1.2),
        "Setelah inovasi diterapkan, waktu penyelesaian turun 2,1 hari kerja (IK 95 % 1,2–3,0) "
        "dibanding layanan pembanding.",
        "After the innovation was applied, the lead time fell by 2.1 working days (95% CI "
        "1.2–3.0) compared with the comparison services.",
    ),
    (
        "lead_time",
        "worsened",
        0.75,
        (0.25, 1.25),
        "Setelah inovasi diterapkan, waktu penyelesaian naik 0,8 hari kerja (IK 95 % 0,3–1,3) "
        "dibanding layanan pembanding.",
        "After the innovation was applied, the lead time rose by 0.8 working days (95% CI "
        "0.3–1.3) compared with the comparison services.",
    ),
    (
        "lead_time",
        "no_effect",
        -0.3,
        (-0.9, 0.3),
        "Setelah inovasi diterapkan, waktu penyelesaian tidak berubah secara terukur dibanding "
        "layanan pembanding (perubahan -0,3 hari kerja, IK 95 % -0,9 hingga 0,3).",
        "After the innovation was applied, the lead time did not change measurably compared "
        "with the comparison services (change -0.3 working days, 95% CI -0.9 to 0.3).",
    ),
    (
        "sla_share",
        "improved",
        0.085,
        (0.031, 0.139),
        "Setelah inovasi diterapkan, persentase permohonan yang selesai dalam waktu standar "
        "pelayanan naik 8,5 persen poin (IK 95 % 3,1–13,9) dibanding layanan pembanding.",
        "After the innovation was applied, the share of requests completed within the service "
        "standard's time rose by 8.5 percentage points (95% CI 3.1–13.9) compared with the "
        "comparison services.",
    ),
    (
        "sla_share",
        "worsened",
        -0.05,
        (-0.08, -0.02),
        "Setelah inovasi diterapkan, persentase permohonan yang selesai dalam waktu standar "
        "pelayanan turun 5,0 persen poin (IK 95 % 2,0–8,0) dibanding layanan pembanding.",
        "After the innovation was applied, the share of requests completed within the service "
        "standard's time fell by 5.0 percentage points (95% CI 2.0–8.0) compared with the "
        "comparison services.",
    ),
    (
        "sla_share",
        "no_effect",
        0.01,
        (-0.02, 0.04),
        "Setelah inovasi diterapkan, persentase permohonan yang selesai dalam waktu standar "
        "pelayanan tidak berubah secara terukur dibanding layanan pembanding (perubahan 1,0 "
        "persen poin, IK 95 % -2,0 hingga 4,0).",
        "After the innovation was applied, the share of requests completed within the service "
        "standard's time did not change measurably compared with the comparison services "
        "(change 1.0 percentage points, 95% CI -2.0 to 4.0).",
    ),
    (
        "first_time_right",
        "improved",
        0.12,
        (0.07, 0.17),
        "Setelah inovasi diterapkan, persentase permohonan yang tidak pernah dikembalikan "
        "untuk perbaikan naik 12,0 persen poin (IK 95 % 7,0–17,0) dibanding layanan pembanding.",
        "After the innovation was applied, the share of requests never returned for correction "
        "rose by 12.0 percentage points (95% CI 7.0–17.0) compared with the comparison services.",
    ),
    (
        "first_time_right",
        "worsened",
        -0.04,
        (-0.07, -0.01),
        "Setelah inovasi diterapkan, persentase permohonan yang tidak pernah dikembalikan "
        "untuk perbaikan turun 4,0 persen poin (IK 95 % 1,0–7,0) dibanding layanan pembanding.",
        "After the innovation was applied, the share of requests never returned for correction "
        "fell by 4.0 percentage points (95% CI 1.0–7.0) compared with the comparison services.",
    ),
    (
        "first_time_right",
        "no_effect",
        0.012,
        (-0.02, 0.044),
        "Setelah inovasi diterapkan, persentase permohonan yang tidak pernah dikembalikan "
        "untuk perbaikan tidak berubah secara terukur dibanding layanan pembanding (perubahan "
        "1,2 persen poin, IK 95 % -2,0 hingga 4,4).",
        "After the innovation was applied, the share of requests never returned for correction "
        "did not change measurably compared with the comparison services (change 1.2 "
        "percentage points, 95% CI -2.0 to 4.4).",
    ),
    (
        "ikm",
        "improved",
        3.456,
        (1.5, 5.4),
        "Setelah inovasi diterapkan, Indeks Kepuasan Masyarakat (IKM) naik 3,46 poin (IK 95 % "
        "1,50–5,40) dibanding layanan pembanding.",
        "After the innovation was applied, the community satisfaction index (IKM) rose by 3.46 "
        "points (95% CI 1.50–5.40) compared with the comparison services.",
    ),
    (
        "ikm",
        "worsened",
        -1.234,
        (-2.0, -0.5),
        "Setelah inovasi diterapkan, Indeks Kepuasan Masyarakat (IKM) turun 1,23 poin (IK 95 % "
        "0,50–2,00) dibanding layanan pembanding.",
        "After the innovation was applied, the community satisfaction index (IKM) fell by 1.23 "
        "points (95% CI 0.50–2.00) compared with the comparison services.",
    ),
    (
        "ikm",
        "no_effect",
        0.5,
        (-1.0, 2.0),
        "Setelah inovasi diterapkan, Indeks Kepuasan Masyarakat (IKM) tidak berubah secara "
        "terukur dibanding layanan pembanding (perubahan 0,50 poin, IK 95 % -1,00 hingga 2,00).",
        "After the innovation was applied, the community satisfaction index (IKM) did not "
        "change measurably compared with the comparison services (change 0.50 points, 95% CI "
        "-1.00 to 2.00).",
    ),
    (
        # 12.25 rounds half up to 12.3 (never to even); 1,000 is grouped the Indonesian way.
        "complaints_per_1000",
        "improved",
        -12.25,
        (-20.0, -4.5),
        "Setelah inovasi diterapkan, pengaduan turun 12,3 per 1.000 permohonan (IK 95 % "
        "4,5–20,0) dibanding layanan pembanding.",
        "After the innovation was applied, complaints fell by 12.3 per 1,000 requests (95% CI "
        "4.5–20.0) compared with the comparison services.",
    ),
    (
        "complaints_per_1000",
        "worsened",
        1234.5,
        (1000.0, 1469.0),
        "Setelah inovasi diterapkan, pengaduan naik 1.234,5 per 1.000 permohonan (IK 95 % "
        "1.000,0–1.469,0) dibanding layanan pembanding.",
        "After the innovation was applied, complaints rose by 1,234.5 per 1,000 requests (95% "
        "CI 1,000.0–1,469.0) compared with the comparison services.",
    ),
    (
        "complaints_per_1000",
        "no_effect",
        0.4,
        (-1.1, 1.9),
        "Setelah inovasi diterapkan, pengaduan per 1.000 permohonan tidak berubah secara "
        "terukur dibanding layanan pembanding (perubahan 0,4, IK 95 % -1,1 hingga 1,9).",
        "After the innovation was applied, complaints per 1,000 requests did not change "
        "measurably compared with the comparison services (change 0.4, 95% CI -1.1 to 1.9).",
    ),
]

NO_CONCLUSION = {
    "lead_time": (
        "Belum dapat disimpulkan apakah waktu penyelesaian berubah.",
        "No conclusion yet on whether the lead time changed.",
    ),
    "sla_share": (
        "Belum dapat disimpulkan apakah persentase permohonan yang selesai dalam waktu standar "
        "pelayanan berubah.",
        "No conclusion yet on whether the share of requests completed within the service "
        "standard's time changed.",
    ),
    "first_time_right": (
        "Belum dapat disimpulkan apakah persentase permohonan yang tidak pernah dikembalikan "
        "untuk perbaikan berubah.",
        "No conclusion yet on whether the share of requests never returned for correction changed.",
    ),
    "ikm": (
        "Belum dapat disimpulkan apakah Indeks Kepuasan Masyarakat (IKM) berubah.",
        "No conclusion yet on whether the community satisfaction index (IKM) changed.",
    ),
    "complaints_per_1000": (
        "Belum dapat disimpulkan apakah pengaduan per 1.000 permohonan berubah.",
        "No conclusion yet on whether complaints per 1,000 requests changed.",
    ),
}


@pytest.mark.parametrize(("kpi", "conclusion", "estimate", "ci", "id_text", "en_text"), CASES)
def test_the_headline_of_each_kpi_and_conclusion(kpi, conclusion, estimate, ci, id_text, en_text):  # type: ignore[no-untyped-def]
    e = _effect(kpi, conclusion, estimate, ci)
    with translation.override("id"):
        assert effect_sentences(e) == [id_text]
    with translation.override("en"):
        assert effect_sentences(e) == [en_text]


@pytest.mark.parametrize("kpi", sorted(NO_CONCLUSION))
def test_no_conclusion_then_the_stored_reason(kpi):  # type: ignore[no-untyped-def]
    # The reason is the explanation `sigap innovation effects` stored, its figures formatted
    # for the reader (a msgid outside the catalogue keeps its words, not its number format).
    reason = [["Only %(n)s comparison services.", {"n": {"count": 1200}}]]
    e = _effect(kpi, "no_conclusion", explanation=reason)
    with translation.override("id"):
        assert effect_sentences(e) == [NO_CONCLUSION[kpi][0], "Only 1.200 comparison services."]
    with translation.override("en"):
        assert effect_sentences(e) == [NO_CONCLUSION[kpi][1], "Only 1,200 comparison services."]


def test_a_roadmap_action_reads_as_an_action():
    e = _effect("lead_time", "improved", -1.0, (-1.5, -0.5), subject=ACTION)
    with translation.override("id"):
        assert effect_sentences(e)[0].startswith(
            "Setelah aksi peta jalan diselesaikan, waktu penyelesaian turun 1,0 hari kerja"
        )
    with translation.override("en"):
        assert effect_sentences(e)[0].startswith(
            "After the roadmap action was completed, the lead time fell by 1.0 working days"
        )


def test_the_stored_explanation_follows_the_headline():
    caveat = [["Compared: %(t)s services.", {"t": {"count": 6}}], ["Caution.", {}]]
    e = _effect("sla_share", "improved", 0.1, (0.05, 0.15), explanation=caveat)
    with translation.override("en"):
        assert effect_sentences(e)[1:] == ["Compared: 6 services.", "Caution."]


def test_an_unknown_kpi_names_no_internal_key():
    e = _effect("queue_wait_minutes", "improved", -3.0, (-4.0, -2.0))
    with translation.override("id"):
        (text,) = effect_sentences(e)
    assert text == "Setelah inovasi diterapkan, indikator ini membaik secara terukur."
    assert "queue" not in text


# English words that must not reach an Indonesian sentence.
ENGLISH = re.compile(r"\b(the|fell|rose|by|CI|after|compared|with|points|working|days?)\b", re.I)


@pytest.mark.parametrize(("kpi", "conclusion", "estimate", "ci", "id_text", "en_text"), CASES)
def test_no_english_or_snake_case_in_indonesian(kpi, conclusion, estimate, ci, id_text, en_text):  # type: ignore[no-untyped-def]
    with translation.override("id"):
        text = effect_sentences(_effect(kpi, conclusion, estimate, ci))[0]
        names = [wording.kpi_name(k) for k in wording.KPI_NAMES]
    assert not ENGLISH.search(text), text
    assert "_" not in text
    assert not any(ENGLISH.search(n) or "_" in n for n in names), names


def test_every_sentence_has_its_translation():
    msgids = [*wording.NO_CONCLUSION.values(), *wording.SINCE.values(), *wording.OTHER.values()]
    msgids += [m for by_kpi in wording.HEADLINES.values() for m in by_kpi.values()]
    with translation.override("id"):
        untranslated = [m for m in msgids if translation.gettext(m) == m]
    assert untranslated == []
