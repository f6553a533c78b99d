"""Compare the last integrity run with the ground truth the demo generator planted.

Demo-only (it reads the demo's tables), so it lives in sigap.demo: `sigap demo_measure` runs it,
and `sigap integrity measure` calls that command by name."""

from __future__ import annotations

from dataclasses import dataclass, field

from sigap.demo.models import DemoBuild, PlantedPattern
from sigap.integrity.models import IntegrityRun, IntegritySignal

OFFICER_KINDS = {"overcharging": "overcharge", "queue_jumping": "queue_jumping"}


@dataclass
class Measurement:
    build_clean: bool
    officers: int
    flagged_officers: set[str]
    planted_officers: set[str]
    lines: list[str] = field(default_factory=list)

    @property
    def false_positives(self) -> set[str]:
        return self.flagged_officers - self.planted_officers

    @property
    def false_positive_rate(self) -> float:
        innocent = self.officers - len(self.planted_officers)
        return len(self.false_positives) / innocent if innocent else 0.0


def measure() -> Measurement:
    build = DemoBuild.objects.order_by("-pk").first()
    run = IntegrityRun.objects.order_by("-pk").first()
    if build is None or run is None:
        raise LookupError("needs a demo build and an integrity run")
    signals = list(IntegritySignal.objects.filter(run=run).select_related("officer", "service"))
    flagged = {s.officer.nip for s in signals if s.flagged and s.officer is not None}
    patterns = list(
        PlantedPattern.objects.filter(
            build=build, kind__in=[*OFFICER_KINDS, PlantedPattern.Kind.GROUP_DISPARITY]
        )
    )
    planted_officers = {p.subject for p in patterns if p.kind in OFFICER_KINDS}
    m = Measurement(build.is_clean, run.officers, flagged, planted_officers)
    for p in patterns:
        if p.kind in OFFICER_KINDS:
            hits = [
                s
                for s in signals
                if s.kind == OFFICER_KINDS[p.kind] and s.officer and s.officer.nip == p.subject
            ]
            planted = set(p.detail.get("requests", []))
            found = set(hits[0].evidence) & planted if hits else set()
            status = "FOUND" if hits and hits[0].flagged else "missed"
            basis = hits[0].summary.get("evidence") if hits else None
            m.lines.append(
                f"{p.kind} {p.subject} ({p.detail.get('unit')}): {status}; "
                f"{len(found)}/{len(planted)} planted requests in the evidence"
                + (f"; rests on {basis}" if basis else "")
            )
        else:
            group = next(iter(p.detail.get("group", {}).values()), "")
            hit = [
                s
                for s in signals
                if s.kind == "unequal_treatment"
                and s.flagged
                and s.service
                and s.service.code == p.subject
                and s.summary.get("group") == group
            ]
            summary = hit[0].summary if hit else {}
            m.lines.append(
                f"group_disparity {p.subject} ({group}): "
                + (
                    f"FOUND ({summary.get('metric')}, Cliff's delta {hit[0].value}, "
                    f"q {summary.get('q_value'):.2g}, median {summary.get('group_value')} "
                    f"vs {summary.get('rest_value')} days)"
                    if hit
                    else "missed"
                )
            )
    other = [
        f"{s.service.code if s.service else '?'}/{s.summary.get('attribute')}="
        f"{s.summary.get('group')} {s.summary.get('metric')}"
        for s in signals
        if s.kind == "unequal_treatment"
        and s.flagged
        and not any(
            p.kind == PlantedPattern.Kind.GROUP_DISPARITY
            and s.service
            and s.service.code == p.subject
            and s.summary.get("group") in p.detail.get("group", {}).values()
            for p in patterns
        )
    ]
    m.lines.append(f"unequal treatment flagged without a planted pattern: {len(other)} {other}")
    m.lines.append(
        f"officers analysed {m.officers}; flagged {len(flagged)}; planted {len(planted_officers)}; "
        f"false positives {len(m.false_positives)} = {m.false_positive_rate:.1%} of the others"
    )
    return m
