"""The meritocracy settings: rules marked UNCERTAIN in rules.md, read from `settings.SIGAP`
with their documented defaults (a missing key is the default). Pages say which variant is used."""

from __future__ import annotations

from decimal import Decimal
from typing import Any, cast

from django.conf import settings
from django.utils.translation import gettext as _

from sigap.analytics.calibration import InflationSettings
from sigap.rules.skp import KOEFISIEN_AK, GuidanceRounding, PeriodKind

DEFAULTS: dict[str, Any] = {
    # §2.3: how often appraisals happen ("bulanan" | "triwulanan" | "semesteran").
    "SKP_PERIOD": "triwulanan",
    # §2.2: apply the distribution guide at all, and how percentages round for small teams.
    "SKP_GUIDANCE": True,
    "SKP_GUIDANCE_ROUNDING": "strict",
    # §2.2 (UNCERTAIN): a unit leader's hasil kerja follows the organisation's achievement;
    # sigap shows the unit's org predikat to the leader's rater (it does not set the rating).
    "SKP_LEADER_RESULT_FROM_ORG": True,
    # §3: the 9-box kinerja axis: "predikat" (Sangat Baik = above, Baik = meets, the rest =
    # below; UNCERTAIN, one codebase) or "hasil_kerja" (the work-results rating itself).
    "TALENT_PERFORMANCE_AXIS": "predikat",
    # §3: potential cut-offs (rendah < low <= menengah < high <= tinggi), instansi-defined.
    "POTENTIAL_CUTOFFS": (78, 90),
    # §3: where the 9-box potential axis comes from: "score" (the imported potential score) or
    # "jpm" (the job–person match against the current position, issue #15, shown capped at 100).
    "TALENT_POTENTIAL_SOURCE": "score",
    # §2.5: yearly AK coefficients that override the UNCERTAIN defaults, by jenjang.
    "AK_COEFFICIENTS": {},
    # Calibration: when a unit's ratings count as inflated (sigap convention).
    "INFLATION_MIN_RATED": 3,
    "INFLATION_MIN_TOP_SHARE": 0.40,
    "INFLATION_MAX_EVIDENCE": 0.45,
    # Recognition after this many yearly Sangat Baik in a row.
    "RECOGNITION_REPEAT_YEARS": 2,
}


def get(key: str) -> Any:
    return cast(dict[str, Any], getattr(settings, "SIGAP", {})).get(key, DEFAULTS[key])


def period_kind() -> PeriodKind:
    return PeriodKind(get("SKP_PERIOD"))


def guidance_rounding() -> GuidanceRounding:
    value = get("SKP_GUIDANCE_ROUNDING")
    if value not in ("strict", "nearest"):
        raise ValueError(f"SKP_GUIDANCE_ROUNDING must be 'strict' or 'nearest', not {value!r}")
    return cast(GuidanceRounding, value)


def talent_axis() -> str:
    value = get("TALENT_PERFORMANCE_AXIS")
    if value not in ("predikat", "hasil_kerja"):
        raise ValueError(
            f"TALENT_PERFORMANCE_AXIS must be 'predikat' or 'hasil_kerja', not {value!r}"
        )
    return str(value)


def talent_potential_source() -> str:
    value = get("TALENT_POTENTIAL_SOURCE")
    if value not in ("score", "jpm"):
        raise ValueError(f"TALENT_POTENTIAL_SOURCE must be 'score' or 'jpm', not {value!r}")
    return str(value)


def potential_cutoffs() -> tuple[float, float]:
    low, high = get("POTENTIAL_CUTOFFS")
    return float(low), float(high)


def ak_coefficients() -> dict[str, Decimal]:
    out = dict(KOEFISIEN_AK)
    out.update({k: Decimal(str(v)) for k, v in get("AK_COEFFICIENTS").items()})
    return out


def inflation() -> InflationSettings:
    return InflationSettings(
        min_rated=int(get("INFLATION_MIN_RATED")),
        min_top_share=float(get("INFLATION_MIN_TOP_SHARE")),
        max_evidence=float(get("INFLATION_MAX_EVIDENCE")),
    )


def variants() -> dict[str, str]:
    """What the pages print under "rules used", in the reader's language."""
    low, high = potential_cutoffs()
    infl = inflation()
    rounding = {"strict": _("strict"), "nearest": _("to the nearest person")}
    return {
        "period": period_kind().value,
        "guidance": (
            _("on, rounding %(rounding)s") % {"rounding": rounding[guidance_rounding()]}
            if get("SKP_GUIDANCE")
            else _("off")
        ),
        "potential": f"rendah < {low:g} ≤ menengah < {high:g} ≤ tinggi",
        "talent_axis": (
            _("predikat (Sangat Baik = di atas, Baik = sesuai, the rest = di bawah)")
            if talent_axis() == "predikat"
            else _("the hasil kerja rating")
        ),
        "potential_source": (
            _("the imported potential score")
            if talent_potential_source() == "score"
            else _("the job–person match (JPM) against the current position, at most 100")
        ),
        "inflation": _(
            "≥ %(share)s Sangat Baik with evidence percentile ≤ %(evidence)s "
            "(units with ≥ %(rated)d rated)"
        )
        % {
            "share": f"{infl.min_top_share:.0%}",
            "evidence": f"{infl.max_evidence:.0%}",
            "rated": infl.min_rated,
        },
    }
