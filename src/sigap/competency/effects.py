"""Does training work? `training_effects_refresh` measures every training aimed at a procedure
step against comparable officers not (yet) trained, and replaces the TrainingEffect rows.

A training is the TrainingRecords with one title, service and step; its participants are the
records' employees, each from the day their own training ended (staggered). The comparison
officers are the other officers who work on the same service and step; an officer trained on
that step by *another* training counts as a comparison only until theirs ended. Each KPI of the
step panel (`sigap.analytics.step_panel`: rework share, median handling time, first-time-right)
goes through the difference in differences of `sigap.analytics.impact`, with its minimum
samples; a training that cannot be measured gets "no conclusion" and the reason.

The analysis reads the analytics store as the last `sigap analytics refresh` left it (the same
store and engine as `sigap.performance.services`). Explanations are stored as Said parts with
raw numbers; `effect_sentences` formats them in the reader's language.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping
from datetime import date
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import Min
from django.utils import timezone
from django.utils.translation import gettext_noop

from sigap.analytics.engine import connect
from sigap.analytics.impact import (
    DEFAULT_SETTINGS,
    Caveat,
    Impact,
    ImpactSettings,
    Reason,
)
from sigap.analytics.refresh import EVENTS
from sigap.analytics.step_panel import (
    FIRST_TIME_RIGHT,
    HANDLING,
    REWORK,
    StepCell,
    step_effects,
    step_panel,
)
from sigap.catalogue.models import Service
from sigap.competency.models import TrainingEffect, TrainingRecord
from sigap.performance.services import store_dir
from sigap.web import formatting
from sigap.web.said import Said, from_stored

GroupKey = tuple[str, int, str]  # (title, service id, step)

# The headline per KPI: the change fell / rose, or no measurable change.
HEADLINES: dict[str, dict[str, str]] = {
    FIRST_TIME_RIGHT: {
        "fell": gettext_noop(
            "After the training, files returned by participants fell %(change)s (95%% CI "
            "%(from)s–%(to)s%%) compared with similar officers not yet trained."
        ),
        "rose": gettext_noop(
            "After the training, files returned by participants rose %(change)s (95%% CI "
            "%(from)s–%(to)s%%) compared with similar officers not yet trained."
        ),
        "none": gettext_noop(
            "After the training, files returned by participants did not change measurably "
            "compared with similar officers not yet trained (%(change)s, 95%% CI %(low)s to "
            "%(high)s)."
        ),
    },
    REWORK: {
        "fell": gettext_noop(
            "After the training, rework caused by participants fell %(change)s (95%% CI "
            "%(from)s–%(to)s%%) compared with similar officers not yet trained."
        ),
        "rose": gettext_noop(
            "After the training, rework caused by participants rose %(change)s (95%% CI "
            "%(from)s–%(to)s%%) compared with similar officers not yet trained."
        ),
        "none": gettext_noop(
            "After the training, rework caused by participants did not change measurably "
            "compared with similar officers not yet trained (%(change)s, 95%% CI %(low)s to "
            "%(high)s)."
        ),
    },
    HANDLING: {
        "fell": gettext_noop(
            "After the training, participants' handling time fell %(change)s (95%% CI "
            "%(from)s–%(to)s%%) compared with similar officers not yet trained."
        ),
        "rose": gettext_noop(
            "After the training, participants' handling time rose %(change)s (95%% CI "
            "%(from)s–%(to)s%%) compared with similar officers not yet trained."
        ),
        "none": gettext_noop(
            "After the training, participants' handling time did not change measurably "
            "compared with similar officers not yet trained (%(change)s, 95%% CI %(low)s to "
            "%(high)s)."
        ),
    },
}
NO_CONCLUSION: dict[Reason, str] = {
    Reason.OUTSIDE_DATA: gettext_noop(
        "No conclusion: the training lies outside the months the event log covers."
    ),
    Reason.TOO_FEW_TREATED: gettext_noop(
        "No conclusion: only %(n)s trained officers worked on this step long enough before "
        "and after the training (at least %(min)s needed)."
    ),
    Reason.TOO_FEW_COMPARISON: gettext_noop(
        "No conclusion: only %(n)s comparable officers not yet trained work on this step (at "
        "least %(min)s needed)."
    ),
    Reason.TOO_FEW_PRE_PERIODS: gettext_noop(
        "No conclusion: too few months of work on this step before the training (%(n)s; at "
        "least %(min)s needed)."
    ),
    Reason.TOO_FEW_POST_PERIODS: gettext_noop(
        "No conclusion: too few months of work on this step since the training (%(n)s; at "
        "least %(min)s needed)."
    ),
    Reason.TOO_FEW_EVENTS: gettext_noop(
        "No conclusion: participants handled too few files on this step (%(before)s before and "
        "%(after)s after the training; at least %(min)s each needed)."
    ),
    Reason.PRE_TREND: gettext_noop(
        "No conclusion: before the training, participants were already moving differently "
        "from similar officers on this indicator (pre-trend %(p)s)."
    ),
}
SAMPLE = gettext_noop(
    "Compared: %(treated)s trained officers with %(comparison)s similar officers, at least "
    "%(pre)s months before and %(post)s months after the training."
)
PLACEBO = gettext_noop(
    "Caution: the same comparison at an earlier, made-up date also shows a difference, so part "
    "of it may not come from the training."
)
FALLBACK = gettext_noop(
    "After the training, the indicator moved by %(estimate)s against similar officers not yet "
    "trained (95%% CI %(low)s to %(high)s)."
)

FALLBACK_SHARE = gettext_noop(
    "After the training, the share of files right the first time moved by %(share)s against "
    "similar officers not yet trained (95%% CI %(share_low)s to %(share_high)s)."
)

# Params shown as percentages ("38 %"), and the ends of a range shown as bare percentage
# numbers followed by one % after the range ("21–52 %").
PERCENT_PARAMS = frozenset({"change", "low", "high"})
SHARE_PARAMS = frozenset({"share", "share_low", "share_high"})  # first-time-right, 1 decimal
RANGE_PARAMS = frozenset({"from", "to"})


def training_groups() -> dict[GroupKey, dict[str, date]]:
    """Every training aimed at a step: (title, service id, step) -> participant NIP -> the day
    their training ended (the earliest, for one attended twice)."""
    groups: dict[GroupKey, dict[str, date]] = defaultdict(dict)
    records = (
        TrainingRecord.objects.filter(service__isnull=False)
        .exclude(step="")
        .exclude(employee__nip="")
        .values_list("title", "service_id", "step", "employee__nip", "ends_on")
    )
    for title, service_id, step, nip, ends_on in records:
        participants = groups[(title, service_id, step)]
        if nip not in participants or ends_on < participants[nip]:
            participants[nip] = ends_on
    return dict(groups)


def _first_started() -> dict[GroupKey, date]:
    """The day each training (title, service id, step) first started: TrainingEffect.starts_on,
    the "first training date" (the analysis itself uses each participant's end date)."""
    rows = (
        TrainingRecord.objects.filter(service__isnull=False)
        .exclude(step="")
        .values_list("title", "service_id", "step")
        .annotate(first=Min("starts_on"))
    )
    return {(title, service_id, step): first for title, service_id, step, first in rows}


def analyse_groups(
    groups: Mapping[GroupKey, Mapping[str, date]],
    service_codes: Mapping[int, str],
    events: Path | None,
    *,
    engine: str = "duckdb",
    impact_settings: ImpactSettings = DEFAULT_SETTINGS,
) -> dict[GroupKey, dict[str, Impact]]:
    """Each group's impact per KPI, from one panel query over the log at `events`."""
    pairs = sorted({(service_codes[s], step) for _t, s, step in groups if s in service_codes})
    cells: dict[tuple[str, str], list[StepCell]] = defaultdict(list)
    if events is not None and events.exists() and pairs:
        with connect(engine) as eng:
            eng.register_log(events)
            for c in step_panel(eng, pairs, tz=settings.TIME_ZONE):
                cells[(c.service, c.step)].append(c)
    out: dict[GroupKey, dict[str, Impact]] = {}
    for key, trained in groups.items():
        _title, service_id, step = key
        code = service_codes.get(service_id, "")
        # Officers of other trainings on the same step: comparisons only until theirs ended.
        elsewhere: dict[str, date] = {}
        for other, participants in groups.items():
            if other != key and other[1:] == key[1:]:
                for nip, ended in participants.items():
                    elsewhere[nip] = min(ended, elsewhere.get(nip, ended))
        out[key] = step_effects(
            cells.get((code, step), []), trained, elsewhere=elsewhere, settings=impact_settings
        )
    return out


def training_effects_refresh(
    store: Path | None = None,
    *,
    engine: str = "duckdb",
    impact_settings: ImpactSettings = DEFAULT_SETTINGS,
) -> int:
    """Measure every training aimed at a step and replace all TrainingEffect rows; returns the
    number of rows written."""
    groups = training_groups()
    first_started = _first_started()
    services = {s.pk: s for s in Service.objects.filter(pk__in={k[1] for k in groups})}
    codes = {pk: s.code for pk, s in services.items()}
    events = Path(store or store_dir()) / EVENTS
    results = analyse_groups(groups, codes, events, engine=engine, impact_settings=impact_settings)
    now = timezone.now()
    rows = []
    for (title, service_id, step), by_kpi in results.items():
        trained = groups[(title, service_id, step)]
        for kpi, impact in by_kpi.items():
            rows.append(
                TrainingEffect(
                    title=title,
                    service=services[service_id],
                    step=step,
                    starts_on=first_started[(title, service_id, step)],
                    participants=len(trained),
                    comparison=impact.n_comparison,
                    kpi=kpi,
                    before=impact.before,
                    after=impact.after,
                    estimate=impact.estimate,
                    relative=impact.relative,
                    ci_low=impact.ci_low,
                    ci_high=impact.ci_high,
                    pre_trend_p=impact.pre_trend_p,
                    conclusion=impact.verdict.value,
                    explanation=[s.stored() for s in explain(kpi, impact, impact_settings)],
                    computed_at=now,
                )
            )
    with transaction.atomic():
        TrainingEffect.objects.all().delete()
        TrainingEffect.objects.bulk_create(rows)
    return len(rows)


def _relative_change(kpi: str, impact: Impact) -> tuple[float, float, float] | None:
    """(change, low, high) relative to the counterfactual (`impact.baseline`, what the
    participants' rows would have been without the training): the absolute effect and its CI
    divided by it, so the interval excludes 0 exactly when the verdict's does. For
    first-time-right, the change of the files *returned* (1 - first-time-right, for the
    effect and the baseline alike), which is what people count."""
    if impact.estimate is None or impact.ci_low is None or impact.ci_high is None:
        return None
    if impact.baseline is None:
        return None
    if kpi == FIRST_TIME_RIGHT:
        returned = 1 - impact.baseline
        if returned <= 0:
            return None
        return (
            -impact.estimate / returned,
            -impact.ci_high / returned,
            -impact.ci_low / returned,
        )
    if impact.baseline <= 0:
        return None
    return (
        impact.estimate / impact.baseline,
        impact.ci_low / impact.baseline,
        impact.ci_high / impact.baseline,
    )


def explain(kpi: str, impact: Impact, s: ImpactSettings = DEFAULT_SETTINGS) -> list[Said]:
    """The sentences of one result, headline first, with raw numbers as params."""
    if impact.reason is not None and impact.reason is not Reason.PRE_TREND:
        return [Said(NO_CONCLUSION[impact.reason], _reason_params(impact, s))]
    sentences: list[Said] = []
    if impact.reason is Reason.PRE_TREND:
        sentences.append(Said(NO_CONCLUSION[Reason.PRE_TREND], {"p": impact.pre_trend_p}))
    else:
        rel = _relative_change(kpi, impact)
        if rel is None and kpi == FIRST_TIME_RIGHT:
            params = {"share": impact.estimate, "share_low": impact.ci_low}
            params["share_high"] = impact.ci_high
            sentences.append(Said(FALLBACK_SHARE, params))
        elif rel is None:
            sentences.append(
                Said(
                    FALLBACK,
                    {"estimate": impact.estimate, "low": impact.ci_low, "high": impact.ci_high},
                )
            )
        else:
            # Direction and significance from the one interval the figures show.
            change, low, high = rel
            if high < 0:
                params = {"change": -change, "from": -high, "to": -low}
                sentences.append(Said(HEADLINES[kpi]["fell"], params))
            elif low > 0:
                params = {"change": change, "from": low, "to": high}
                sentences.append(Said(HEADLINES[kpi]["rose"], params))
            else:
                params = {"change": change, "low": low, "high": high}
                sentences.append(Said(HEADLINES[kpi]["none"], params))
    sentences.append(
        Said(
            SAMPLE,
            {
                "treated": impact.n_treated,
                "comparison": impact.n_comparison,
                "pre": impact.pre_periods,
                "post": impact.post_periods,
            },
        )
    )
    if Caveat.PLACEBO_EFFECT in impact.caveats:
        sentences.append(Said(PLACEBO))
    return sentences


def _reason_params(impact: Impact, s: ImpactSettings) -> dict[str, Any]:
    match impact.reason:
        case Reason.TOO_FEW_TREATED:
            return {"n": impact.n_treated, "min": s.min_treated}
        case Reason.TOO_FEW_COMPARISON:
            return {"n": impact.n_comparison, "min": s.min_comparison}
        case Reason.TOO_FEW_PRE_PERIODS:
            return {"n": impact.pre_periods, "min": s.min_pre_periods}
        case Reason.TOO_FEW_POST_PERIODS:
            return {"n": impact.post_periods, "min": s.min_post_periods}
        case Reason.TOO_FEW_EVENTS:
            return {
                "before": impact.events_before,
                "after": impact.events_after,
                "min": s.min_events,
            }
    return {}


def _formatted(params: Mapping[str, Any]) -> dict[str, str]:
    out = {}
    for name, value in params.items():
        if name in SHARE_PARAMS and isinstance(value, float):
            out[name] = formatting.percent(value, 1)
        elif name in PERCENT_PARAMS and isinstance(value, float):
            out[name] = formatting.percent(value, 0)
        elif name in RANGE_PARAMS and isinstance(value, float):
            out[name] = formatting.number(value * 100, 0)
        elif name == "p":
            out[name] = formatting.p_value_clause("p", value)
        elif isinstance(value, float) and not value.is_integer():
            out[name] = formatting.number(value, 3)
        else:
            out[name] = formatting.integer(value)
    return out


def effect_sentences(effect: TrainingEffect) -> list[str]:
    """The stored explanation of `effect` in the active language, numbers formatted for it;
    the first sentence is the headline."""
    return [str(Said(s.msgid, _formatted(s.params))) for s in from_stored(effect.explanation)]


__all__ = [
    "analyse_groups",
    "effect_sentences",
    "explain",
    "training_effects_refresh",
    "training_groups",
]
