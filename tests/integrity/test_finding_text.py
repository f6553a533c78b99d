"""How a finding's figures read (integrity/_finding.html): through the formatting layer, so no
"q = 0,0000" and no "1491,0" (issue #14). The page is HTML: "<" arrives as "&lt;"."""

from __future__ import annotations

import pytest
from django.template.loader import render_to_string
from django.utils import translation

UNEQUAL = {
    "kind": "unequal_treatment",
    "value": 0.41234,
    "summary": {
        "attribute": "gender",
        "group": "P",
        "metric": "rejection",
        "n_group": 1200,
        "group_value": 0.125,
        "rest_value": 0.0625,
        "q_value": 0.00000012,
    },
}
LEAD = {**UNEQUAL, "summary": {**UNEQUAL["summary"], "metric": "lead_time", "q_value": 0.0234,
                               "group_value": 6.5, "rest_value": 4.0}}  # fmt: skip
RISK = {
    "kind": "officer_risk",
    "value": 1491.0,
    "summary": {"parts": {"overcharge": 1491.0, "complaint": 0.5}, "threshold": 3.0},
}
OVERCHARGE = {
    "kind": "overcharge",
    "value": 2.0,
    "summary": {"cases": 2, "handled": 40, "excess_rupiah": 150000},
}


@pytest.mark.parametrize(
    ("signal", "lang", "expected"),
    [
        (UNEQUAL, "id", "(1.200 permohonan)"),
        (UNEQUAL, "id", "12,5 % dibandingkan 6,3 %"),
        (UNEQUAL, "id", "ukuran efek 0,41, q &lt; 0,001"),
        (UNEQUAL, "en", "(1,200 requests): share rejected 12.5% against 6.3% for the rest"),
        (UNEQUAL, "en", "effect size 0.41, q &lt; 0.001"),
        (LEAD, "en", "lead time 6.5 against 4 for the rest; effect size 0.41, q = 0.023"),
        (RISK, "id", "Skor 1.491 (ditandai mulai 3)"),
        (RISK, "id", "Pungutan di luar ketentuan 1.491 · Pengaduan 0,5"),
        (RISK, "en", "Overcharge (pungutan di luar ketentuan) 1,491 · Complaints 0.5"),
        (OVERCHARGE, "id", "kelebihan Rp 150.000"),
        (OVERCHARGE, "en", "Rp 150,000 in excess"),
    ],
)
def test_a_findings_figures_are_written_by_the_formatting_layer(signal, lang, expected):
    with translation.override(lang):
        text = render_to_string("integrity/_finding.html", {"s": signal})
    assert expected in text, text
