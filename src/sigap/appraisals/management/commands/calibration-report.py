"""`sigap calibration-report --year 2025`: the calibration figures of an agency as text.

Reads what the calibration page reads (yearly appraisals and evidence snapshots): the predikat
distribution, the Spearman correlation between ratings and evidence, the differentiation index
and the units flagged for inflation, with the rule variants in use.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from sigap.appraisals.selectors import calibration
from sigap.organisation.models import Agency


def _num(value: float | None) -> str:
    return "—" if value is None else f"{value:.2f}"


class Command(BaseCommand):
    help = "Print an agency's rating distribution, rating-evidence correlation and inflated units."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--year", type=int, default=None, help="default: last year")
        parser.add_argument("--agency", default="", help="agency code (default: all agencies)")

    def handle(self, *args: Any, **opts: Any) -> None:
        year = opts["year"] or timezone.localdate().year - 1
        agency_id = None
        if opts["agency"]:
            agency = Agency.objects.filter(code=opts["agency"]).first()
            if agency is None:
                raise CommandError(f"unknown agency code {opts['agency']!r}")
            agency_id = agency.pk
        cal = calibration(None, year, agency_id=agency_id)
        out = self.stdout.write
        out(f"Calibration {year}: {cal.rated} yearly ratings")
        out(
            "Distribution: "
            + "; ".join(f"{label} {n} ({share:.1%})" for label, n, share in cal.distribution)
        )
        out(
            f"Spearman rating vs evidence: {_num(cal.correlation)} over {cal.paired} people "
            f"with evidence; differentiation index {_num(cal.differentiation)}"
        )
        out(f"Units flagged for inflation ({len(cal.inflated)}):")
        for row in cal.inflated:
            s = row.summary
            out(
                f"  {row.unit.name}: {s.rated} rated, {s.top_share:.0%} Sangat Baik, "
                f"evidence level {_num(s.evidence_level)} ({s.with_evidence} with evidence)"
            )
        for key, value in cal.variants.items():
            out(f"Rule used, {key}: {value}")
