"""Integrity signals over service requests and complaints: pure functions, no Django.

Four signals, each returned with the evidence behind it (receipt codes, complaint codes):

- **Overcharge** — evidence of paying more than the tariff of the service standard in force at
  submission: *pungutan di luar ketentuan* (PP 94/2021; rules.md §6.2, §7.1), per officer and
  unit. Two kinds of evidence, neither written by the officer: the request's reconciled payments
  (payment references recorded by a cashier or the bank statement) above the tariff, and citizen
  statements about the request that mention paying (an SKM comment, a complaint). Every finding
  says which evidence it rests on: "payments", "statements" or "both".
- **Queue jumping** — a request of one service, handled by one officer, finished before
  requests of the same service and officer submitted earlier (by more than a tolerance), with
  neither request paused for the applicant. The officer who received it is named.
- **Unequal treatment** — within one service and period, an applicant group (gender,
  disability, kecamatan, age band) against everyone else: lead time (Mann–Whitney U with tie
  correction; effect size Cliff's delta), rejection rate and return rate (two-proportion z
  test; effect size Cohen's h). Groups below a minimum size are not tested; p-values of all
  tests are adjusted together by Benjamini–Hochberg, and a finding needs both q ≤ alpha and an
  effect at least `min_effect`.
- **Officer risk score** — a weighted sum of an officer's cases (overcharges, queue jumps,
  complaints naming them); every score carries the list of cases behind it.

Where the rows come from is the caller's business (`sigap.integrity` reads the database).

>>> benjamini_hochberg([0.01, 0.02, 0.03, 0.04, 0.5])
[0.05, 0.05, 0.05, 0.05, 0.5]
"""

from __future__ import annotations

import math
import re
from bisect import bisect_right, insort
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta


@dataclass(frozen=True, slots=True)
class RequestRow:
    """One service request as integrity analysis needs it."""

    receipt: str
    service: str
    unit: int
    officer: int | None  # the officer who received (processed) it, else the intake officer
    submitted: datetime
    finished: datetime | None
    completed: bool  # finished and not rejected
    rejected: bool
    returns: int  # times returned for correction
    paused: bool  # ever returned or waiting for the applicant
    paid: int  # the sum of its reconciled payments (0 when none is reconciled)
    tariff: int  # of the standard in force at submission
    counter_officer: int | None = None  # who registered it at the counter, if anyone
    received: datetime | None = None  # when the officer took it into their queue
    gender: str = ""
    disability: bool | None = None
    region: str = ""
    age_band: str = ""
    # Citizen statements about this request that mention paying: "skm:<id>", "complaint:<code>".
    statements: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class ComplaintRow:
    code: str
    officer: int | None
    unit: int
    category: str
    substantiated: bool = False


@dataclass(frozen=True, slots=True)
class Thresholds:
    """Every knob in one place; the defaults are documented in docs/integrity.md."""

    overcharge_min_cases: int = 2
    """Overcharged requests before an officer is flagged (one can be a typing error)."""
    jump_tolerance: timedelta = timedelta(hours=1)
    """How much earlier a request must have been submitted, and later finished, to count."""
    jump_max_lead_ratio: float = 0.3
    """A jump must also be fast: lead time at most this share of the service's median (files
    that merely swapped places by chance are as slow as their neighbours)."""
    jump_min_cases: int = 3
    jump_min_rate: float = 0.01
    """Share of an officer's eligible requests that jumped the queue."""
    fairness_min_group: int = 20
    fairness_alpha: float = 0.05
    """False-discovery rate over all fairness tests (Benjamini–Hochberg)."""
    fairness_min_effect_delta: float = 0.2
    """|Cliff's delta| for lead time (0.147 small, 0.33 medium)."""
    fairness_min_effect_h: float = 0.2
    """|Cohen's h| for rates (0.2 small, 0.5 medium)."""
    weight_overcharge: float = 3.0
    weight_jump: float = 1.0
    weight_complaint: float = 1.0
    weight_complaint_substantiated: float = 3.0
    risk_flag_score: float = 6.0
    """An officer whose score reaches this is flagged even without a flagged signal."""


@dataclass(frozen=True, slots=True)
class Finding:
    """One signal about one subject, with the cases behind it."""

    kind: str  # "overcharge", "queue_jumping", "unequal_treatment", "officer_risk"
    subject: str  # "officer:<id>", "service:<code>"
    unit: int | None
    flagged: bool
    value: float  # the headline number (cases, rate, effect size, score)
    summary: dict[str, object] = field(default_factory=dict)
    evidence: tuple[str, ...] = ()


# --- statistics -------------------------------------------------------------------------------


def normal_sf(z: float) -> float:
    """P(Z > z) for a standard normal Z."""
    return 0.5 * math.erfc(z / math.sqrt(2.0))


def benjamini_hochberg(p_values: Sequence[float]) -> list[float]:
    """Adjusted p-values (q-values) controlling the false-discovery rate, in input order."""
    m = len(p_values)
    order = sorted(range(m), key=lambda i: p_values[i])
    adjusted = [0.0] * m
    running = 1.0
    for rank in range(m, 0, -1):
        i = order[rank - 1]
        running = min(running, p_values[i] * m / rank)
        adjusted[i] = round(min(1.0, running), 12)
    return adjusted


@dataclass(frozen=True, slots=True)
class RankTest:
    u: float  # Mann–Whitney U of the first sample
    p_value: float  # two-sided, normal approximation with tie correction
    cliffs_delta: float  # P(x > y) - P(x < y): positive when the first sample is larger


def mann_whitney(x: Sequence[float], y: Sequence[float]) -> RankTest:
    """Two-sided Mann–Whitney U test (normal approximation, tie-corrected, continuity)."""
    n1, n2 = len(x), len(y)
    if n1 == 0 or n2 == 0:
        raise ValueError("both samples need at least one value")
    pooled = sorted([(v, 0) for v in x] + [(v, 1) for v in y])
    n = n1 + n2
    rank_sum_x = 0.0
    tie_term = 0.0
    i = 0
    while i < n:
        j = i
        while j + 1 < n and pooled[j + 1][0] == pooled[i][0]:
            j += 1
        average_rank = (i + j) / 2 + 1
        ties = j - i + 1
        tie_term += ties**3 - ties
        rank_sum_x += average_rank * sum(1 for k in range(i, j + 1) if pooled[k][1] == 0)
        i = j + 1
    u = rank_sum_x - n1 * (n1 + 1) / 2
    mean = n1 * n2 / 2
    variance = n1 * n2 / 12 * ((n + 1) - tie_term / (n * (n - 1))) if n > 1 else 0.0
    if variance <= 0:
        p = 1.0
    else:
        z = (abs(u - mean) - 0.5) / math.sqrt(variance)
        p = min(1.0, 2 * normal_sf(max(z, 0.0)))
    return RankTest(u=u, p_value=p, cliffs_delta=2 * u / (n1 * n2) - 1)


@dataclass(frozen=True, slots=True)
class ProportionTest:
    p1: float
    p2: float
    p_value: float  # two-sided: pooled z test, or Fisher's exact test for small counts
    cohens_h: float  # 2·asin√p1 − 2·asin√p2
    exact: bool


def fisher_exact(k1: int, n1: int, k2: int, n2: int) -> float:
    """Two-sided Fisher exact p-value of the 2×2 table [[k1, n1-k1], [k2, n2-k2]]: the sum of
    the hypergeometric probabilities no larger than the observed one."""
    total, hits = n1 + n2, k1 + k2

    def log_p(k: int) -> float:
        return (
            math.lgamma(hits + 1)
            - math.lgamma(k + 1)
            - math.lgamma(hits - k + 1)
            + math.lgamma(total - hits + 1)
            - math.lgamma(n1 - k + 1)
            - math.lgamma(total - hits - n1 + k + 1)
            - math.lgamma(total + 1)
            + math.lgamma(n1 + 1)
            + math.lgamma(n2 + 1)
        )

    observed = log_p(k1)
    low, high = max(0, hits - n2), min(hits, n1)
    p = sum(math.exp(lp) for k in range(low, high + 1) if (lp := log_p(k)) <= observed + 1e-7)
    return min(1.0, p)


def two_proportions(k1: int, n1: int, k2: int, n2: int) -> ProportionTest:
    """Compare two rates; Fisher's exact test when an expected count is below 5 (the normal
    approximation is wrong there: one rejection among 47 is not evidence)."""
    if n1 == 0 or n2 == 0:
        raise ValueError("both groups need at least one case")
    p1, p2 = k1 / n1, k2 / n2
    pooled = (k1 + k2) / (n1 + n2)
    h = 2 * math.asin(math.sqrt(p1)) - 2 * math.asin(math.sqrt(p2))
    expected = min(n1 * pooled, n1 * (1 - pooled), n2 * pooled, n2 * (1 - pooled))
    if expected < 5:
        return ProportionTest(p1, p2, fisher_exact(k1, n1, k2, n2), h, True)
    se = math.sqrt(pooled * (1 - pooled) * (1 / n1 + 1 / n2))
    p_value = 1.0 if se == 0 else min(1.0, 2 * normal_sf(abs(p1 - p2) / se))
    return ProportionTest(p1, p2, p_value, h, False)


def _median(values: Sequence[float]) -> float:
    s = sorted(values)
    mid = len(s) // 2
    return s[mid] if len(s) % 2 else (s[mid - 1] + s[mid]) / 2


# --- overcharge ------------------------------------------------------------------------------

# What an overcharge case or flag rests on, as stored in the summaries ("evidence").
EVIDENCE_PAYMENTS, EVIDENCE_STATEMENTS, EVIDENCE_BOTH = "payments", "statements", "both"

# Words of paying, in Indonesian as citizens write it (stems with their affixes); whole words
# only, so that "ruang" is not "uang".
_PAYING = re.compile(
    r"\b(?:(?:mem|di|pem|ter)?bayar(?:an|kan|nya)?|uang|pungli|(?:di|pe)?pungut(?:an)?"
    r"|biaya(?:nya)?|ongkos|pelicin|amplop|sogok(?:an)?|suap|imbalan|tarif(?:nya)?"
    r"|rp\.?\s?\d[\d.,]*)\b",
    re.IGNORECASE,
)
# Mentions that deny paying or say the charge was right are not statements of overcharging.
_DENIED = re.compile(
    r"\b(?:tidak|tak|tanpa|bebas|nggak|gak|tdk|belum)\s+(?:ada\s+|perlu\s+|dipungut\s+"
    r"|dikenakan\s+|di\s?minta\s+)*(?:(?:mem|di)?bayar|biaya|pungutan|pungli|uang|dipungut)\w*"
    r"|\b(?:biaya|bayar|membayar|tarif)(?:nya)?\s+(?:sudah\s+|juga\s+)?(?:sesuai|jelas|murah"
    r"|wajar)(?:\s+(?:dengan\s+)?(?:papan\s+)?(?:tarif|ketentuan|aturan)\w*)?\b",
    re.IGNORECASE,
)


def mentions_paying(text: str) -> bool:
    """Does a citizen's comment or complaint speak of paying (money asked, paid, a charge)?

    A heuristic over words, not a judgement: statements that deny paying ("tidak dipungut
    biaya", "biaya sesuai tarif") do not count, and every flag lists its statements so an
    inspector reads them before acting.

    >>> mentions_paying("Diminta biaya tambahan yang tidak ada di papan tarif.")
    True
    >>> mentions_paying("Ruang tunggu bersih, tidak dipungut biaya.")
    False
    """
    return bool(_PAYING.search(_DENIED.sub(" ", text)))


def _case_evidence(row: RequestRow) -> str:
    by_payment = row.paid > row.tariff
    if by_payment and row.statements:
        return EVIDENCE_BOTH
    if by_payment:
        return EVIDENCE_PAYMENTS
    return EVIDENCE_STATEMENTS if row.statements else ""


def evidence_basis(case_evidence: Iterable[str]) -> str:
    """What a set of cases rests on: payments, statements, or both kinds."""
    kinds = set(case_evidence)
    payments = bool(kinds & {EVIDENCE_PAYMENTS, EVIDENCE_BOTH})
    statements = bool(kinds & {EVIDENCE_STATEMENTS, EVIDENCE_BOTH})
    if payments and statements:
        return EVIDENCE_BOTH
    return EVIDENCE_PAYMENTS if payments else EVIDENCE_STATEMENTS if statements else ""


def _officer_subject(officer: int) -> str:
    return f"officer:{officer}"


def _main_unit(units: Iterable[int]) -> int | None:
    counts: dict[int, int] = defaultdict(int)
    for unit in units:
        counts[unit] += 1
    return max(counts, key=lambda u: (counts[u], -u)) if counts else None


def overcharges(rows: Iterable[RequestRow], t: Thresholds) -> list[Finding]:
    """Officers with requests showing payment above the tariff in force, by reconciled payments
    or by citizen statements; evidence = those receipts, and each case says which evidence it
    has (`summary["case_evidence"]`) and the finding what it rests on (`summary["evidence"]`)."""
    cases: dict[int, list[tuple[RequestRow, str]]] = defaultdict(list)
    handled: dict[int, int] = defaultdict(int)
    for row in rows:
        who = row.counter_officer if row.counter_officer is not None else row.officer
        if who is None:
            continue
        handled[who] += 1
        kind = _case_evidence(row)
        if kind:
            cases[who].append((row, kind))
    findings = []
    for officer, pairs in sorted(cases.items()):
        pairs.sort(key=lambda p: p[0].submitted)
        found = [r for r, _ in pairs]
        kinds = [k for _, k in pairs]
        excess = sum(r.paid - r.tariff for r in found if r.paid > r.tariff)
        findings.append(
            Finding(
                kind="overcharge",
                subject=_officer_subject(officer),
                unit=_main_unit(r.unit for r in found),
                flagged=len(found) >= t.overcharge_min_cases,
                value=float(len(found)),
                summary={
                    "cases": len(found),
                    "handled": handled[officer],
                    "excess_rupiah": excess,
                    "services": sorted({r.service for r in found}),
                    "evidence": evidence_basis(kinds),
                    "cases_payments": sum(
                        1 for k in kinds if k in (EVIDENCE_PAYMENTS, EVIDENCE_BOTH)
                    ),
                    "cases_statements": sum(
                        1 for k in kinds if k in (EVIDENCE_STATEMENTS, EVIDENCE_BOTH)
                    ),
                    "case_evidence": {r.receipt: k for r, k in pairs},
                    "statements": [ref for r in found for ref in r.statements],
                },
                evidence=tuple(r.receipt for r in found),
            )
        )
    return findings


# --- queue jumping ---------------------------------------------------------------------------


def _overtakes(
    members: list[RequestRow], end: Callable[[RequestRow], datetime], tol: float
) -> list[tuple[RequestRow, int]]:
    """Members (sorted by submission) that reached `end` more than `tol` seconds before some
    member submitted more than `tol` seconds earlier; with how many they overtook."""
    subs = [r.submitted.timestamp() for r in members]
    ends = [end(r).timestamp() for r in members]
    earlier: list[float] = []  # end times of members submitted > tol before the current one
    out = []
    k = 0
    for i, row in enumerate(members):
        while k < i and subs[k] < subs[i] - tol:
            insort(earlier, ends[k])
            k += 1
        overtaken = len(earlier) - bisect_right(earlier, ends[i] + tol)
        if overtaken:
            out.append((row, overtaken))
    return out


def _finished(row: RequestRow) -> datetime:
    assert row.finished is not None
    return row.finished


def _received(row: RequestRow) -> datetime:
    assert row.received is not None
    return row.received


def queue_jumps(rows: Iterable[RequestRow], t: Thresholds) -> list[Finding]:
    """Per officer, requests taken out of first-come-first-served order, in either of two ways:

    - *finished* ahead of earlier-submitted requests of the same service and officer, and fast
      (lead time ≤ `jump_max_lead_ratio` × the service's median);
    - *received* (taken into the officer's queue) ahead of earlier-submitted requests waiting
      for the same officer, whatever their service.

    Paused requests (returned, waiting) are left out on both sides: the applicant, not the
    officer, changed their place."""
    by_service: dict[tuple[int, str], list[RequestRow]] = defaultdict(list)
    by_officer: dict[int, list[RequestRow]] = defaultdict(list)
    leads: dict[str, list[float]] = defaultdict(list)
    for row in rows:
        if row.officer is not None and row.completed and not row.paused and row.finished:
            by_service[(row.officer, row.service)].append(row)
            leads[row.service].append((row.finished - row.submitted).total_seconds())
            if row.received is not None:
                by_officer[row.officer].append(row)
    median_lead = {service: _median(values) for service, values in leads.items()}
    tol = t.jump_tolerance.total_seconds()
    hits: dict[int, dict[str, tuple[RequestRow, int]]] = defaultdict(dict)
    eligible: dict[int, int] = defaultdict(int)
    for (officer, service), members in by_service.items():
        members.sort(key=lambda r: r.submitted)
        eligible[officer] += len(members)
        fast = t.jump_max_lead_ratio * median_lead[service]
        for row, n in _overtakes(members, _finished, tol):
            if _finished(row).timestamp() - row.submitted.timestamp() <= fast:
                hits[officer][row.receipt] = (row, n)
    for officer, members in by_officer.items():
        members.sort(key=lambda r: r.submitted)
        for row, n in _overtakes(members, _received, tol):
            previous = hits[officer].get(row.receipt)
            hits[officer][row.receipt] = (row, max(n, previous[1] if previous else 0))
    jumped = {officer: list(found.values()) for officer, found in hits.items() if found}
    findings = []
    for officer, found in sorted(jumped.items()):
        rate = len(found) / eligible[officer]
        findings.append(
            Finding(
                kind="queue_jumping",
                subject=_officer_subject(officer),
                unit=_main_unit(r.unit for r, _ in found),
                flagged=len(found) >= t.jump_min_cases and rate >= t.jump_min_rate,
                value=round(rate, 4),
                summary={
                    "cases": len(found),
                    "eligible": eligible[officer],
                    "rate": round(rate, 4),
                    "requests_overtaken": sum(n for _, n in found),
                },
                evidence=tuple(r.receipt for r, _ in sorted(found, key=lambda p: p[0].submitted)),
            )
        )
    return findings


# --- unequal treatment -----------------------------------------------------------------------

ATTRIBUTES: dict[str, Callable[[RequestRow], str]] = {
    "gender": lambda r: r.gender,
    "disability": lambda r: "" if r.disability is None else ("yes" if r.disability else "no"),
    "region": lambda r: r.region,
    "age_band": lambda r: r.age_band,
}


@dataclass(frozen=True, slots=True)
class _Test:
    service: str
    attribute: str
    group: str
    metric: str  # "lead_time", "rejection", "returns"
    n_group: int
    n_rest: int
    group_value: float
    rest_value: float
    effect: float
    p_value: float
    evidence: tuple[str, ...]
    unit: int


def _lead_days(row: RequestRow) -> float:
    assert row.finished is not None
    return (row.finished - row.submitted).total_seconds() / 86400


def _was_rejected(row: RequestRow) -> bool:
    return row.rejected


def _was_returned(row: RequestRow) -> bool:
    return row.returns > 0


def _fairness_tests(service: str, rows: list[RequestRow], t: Thresholds) -> list[_Test]:
    tests: list[_Test] = []
    unit = _main_unit(r.unit for r in rows) or 0
    finished = [r for r in rows if r.finished is not None]
    for attribute, key in ATTRIBUTES.items():
        # Only applicants who gave the attribute are compared: "unknown" is not a group.
        known = [r for r in finished if key(r)]
        groups = sorted({key(r) for r in known})
        if len(groups) < 2:
            continue
        for group in groups:
            inside = [r for r in known if key(r) == group]
            rest = [r for r in known if key(r) != group]
            if len(inside) < t.fairness_min_group or len(rest) < t.fairness_min_group:
                continue
            done_in = [r for r in inside if r.completed]
            done_rest = [r for r in rest if r.completed]
            if len(done_in) >= t.fairness_min_group and len(done_rest) >= t.fairness_min_group:
                lead_in = [_lead_days(r) for r in done_in]
                lead_rest = [_lead_days(r) for r in done_rest]
                rank = mann_whitney(lead_in, lead_rest)
                slowest = sorted(done_in, key=_lead_days, reverse=True)[:20]
                tests.append(
                    _Test(
                        service,
                        attribute,
                        group,
                        "lead_time",
                        len(done_in),
                        len(done_rest),
                        round(_median(lead_in), 2),
                        round(_median(lead_rest), 2),
                        rank.cliffs_delta,
                        rank.p_value,
                        tuple(r.receipt for r in slowest),
                        unit,
                    )
                )
            outcomes: tuple[tuple[str, Callable[[RequestRow], bool]], ...] = (
                ("rejection", _was_rejected),
                ("returns", _was_returned),
            )
            for metric, hit in outcomes:
                k_in = sum(1 for r in inside if hit(r))
                k_rest = sum(1 for r in rest if hit(r))
                if k_in + k_rest == 0:
                    continue
                prop = two_proportions(k_in, len(inside), k_rest, len(rest))
                tests.append(
                    _Test(
                        service,
                        attribute,
                        group,
                        metric,
                        len(inside),
                        len(rest),
                        round(prop.p1, 4),
                        round(prop.p2, 4),
                        prop.cohens_h,
                        prop.p_value,
                        tuple(r.receipt for r in inside if hit(r))[:50],
                        unit,
                    )
                )
    return tests


def unequal_treatment(rows: Iterable[RequestRow], t: Thresholds) -> list[Finding]:
    """Group-vs-rest comparisons per service, BH-adjusted together; only significant results
    with a meaningful effect are flagged, but every tested difference is returned (unflagged)
    when its raw p-value is below alpha, so an inspector can see near misses."""
    by_service: dict[str, list[RequestRow]] = defaultdict(list)
    for row in rows:
        by_service[row.service].append(row)
    tests: list[_Test] = []
    for service in sorted(by_service):
        tests.extend(_fairness_tests(service, by_service[service], t))
    q_values = benjamini_hochberg([x.p_value for x in tests]) if tests else []
    findings = []
    for test, q in zip(tests, q_values, strict=True):
        if test.p_value > t.fairness_alpha:
            continue
        minimum = (
            t.fairness_min_effect_delta if test.metric == "lead_time" else t.fairness_min_effect_h
        )
        # Only a group treated worse is a finding: slower, or rejected/returned more often.
        worse = test.effect > 0
        findings.append(
            Finding(
                kind="unequal_treatment",
                subject=f"service:{test.service}",
                unit=test.unit,
                flagged=worse and q <= t.fairness_alpha and abs(test.effect) >= minimum,
                value=round(test.effect, 4),
                summary={
                    "attribute": test.attribute,
                    "group": test.group,
                    "metric": test.metric,
                    "n_group": test.n_group,
                    "n_rest": test.n_rest,
                    "group_value": test.group_value,
                    "rest_value": test.rest_value,
                    "effect_size": "cliffs_delta" if test.metric == "lead_time" else "cohens_h",
                    "p_value": test.p_value,
                    "q_value": q,
                    "tests_in_family": len(tests),
                },
                evidence=test.evidence,
            )
        )
    return findings


# --- officer risk score ----------------------------------------------------------------------


def officer_risk(
    signals: Sequence[Finding], complaints: Iterable[ComplaintRow], t: Thresholds
) -> list[Finding]:
    """Combine an officer's cases into one score; the evidence lists every case behind it,
    prefixed by its kind ("overcharge:<receipt>", "complaint:<code>"). Cases of a signal count
    only once that signal is flagged for the officer: background noise (a few files that
    swapped places) must not add up to a score."""
    score: dict[str, float] = defaultdict(float)
    evidence: dict[str, list[str]] = defaultdict(list)
    parts: dict[str, dict[str, float]] = defaultdict(lambda: defaultdict(float))
    units: dict[str, int | None] = {}
    flagged_signal: dict[str, bool] = defaultdict(bool)
    for s in signals:
        if not s.subject.startswith("officer:"):
            continue
        weight = {"overcharge": t.weight_overcharge, "queue_jumping": t.weight_jump}.get(s.kind)
        if weight is None or not s.flagged:
            continue
        score[s.subject] += weight * len(s.evidence)
        parts[s.subject][s.kind] += weight * len(s.evidence)
        evidence[s.subject].extend(f"{s.kind}:{code}" for code in s.evidence)
        units.setdefault(s.subject, s.unit)
        flagged_signal[s.subject] |= s.flagged
    for c in complaints:
        if c.officer is None:
            continue
        subject = _officer_subject(c.officer)
        weight = t.weight_complaint_substantiated if c.substantiated else t.weight_complaint
        score[subject] += weight
        parts[subject]["complaint"] += weight
        evidence[subject].append(f"complaint:{c.code}")
        units.setdefault(subject, c.unit)
    return [
        Finding(
            kind="officer_risk",
            subject=subject,
            unit=units.get(subject),
            flagged=flagged_signal[subject] or score[subject] >= t.risk_flag_score,
            value=round(score[subject], 2),
            summary={"parts": dict(parts[subject]), "threshold": t.risk_flag_score},
            evidence=tuple(evidence[subject]),
        )
        for subject in sorted(score, key=lambda s: (-score[s], s))
    ]


def integrity_findings(
    requests: Sequence[RequestRow],
    complaints: Sequence[ComplaintRow] = (),
    thresholds: Thresholds | None = None,
) -> list[Finding]:
    """Every signal, in one list: overcharge, queue jumping, unequal treatment, officer risk."""
    t = thresholds or Thresholds()
    per_officer = overcharges(requests, t) + queue_jumps(requests, t)
    return [
        *per_officer,
        *unequal_treatment(requests, t),
        *officer_risk(per_officer, complaints, t),
    ]


def flagged_officers(findings: Iterable[Finding]) -> set[str]:
    return {f.subject for f in findings if f.flagged and f.subject.startswith("officer:")}
