"""`sigap demo`: migrate, then build the demo kabupaten unless it is already there."""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import date, timedelta
from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone
from tqdm import tqdm

from sigap import keys
from sigap.demo.build import (
    DEMO_PASSWORD,
    LOGINS,
    DemoBuilder,
    Options,
    WipeRefused,
    counts,
    demo_exists,
    period,
    wipe,
)
from sigap.demo.content import AGENCY_CODE
from sigap.demo.models import DemoBuild
from sigap.demo.online import demo_pages, digital_shares
from sigap.notifications.links import applicant_url, link_days
from sigap.organisation.models import Employee, Unit


class Command(BaseCommand):
    help = "Build a realistic demo kabupaten (deterministic for a seed); reuse it if it exists."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--rebuild", action="store_true", help="wipe the demo data and build it again"
        )
        parser.add_argument("--seed", type=int, default=2026, help="random seed (default 2026)")
        parser.add_argument(
            "--until",
            type=date.fromisoformat,
            default=None,
            help="YYYY-MM-DD: the demo's today; the 24 months end as it begins (default: today)",
        )
        parser.add_argument(
            "--requests", type=int, default=200_000, help="number of service requests"
        )
        parser.add_argument("--clean", action="store_true", help="plant no integrity patterns")

    def handle(self, *args: Any, **opts: Any) -> None:
        started = time.monotonic()
        if opts["requests"] < 1:
            raise CommandError("--requests must be at least 1")
        if opts["until"] and opts["until"] > timezone.localdate():
            # Events after the real now would block officers acting on those requests today.
            raise CommandError("--until cannot be later than today")
        call_command("migrate", interactive=False, verbosity=0)
        if demo_exists() and not opts["rebuild"]:
            self.stdout.write(
                "Demo data already present: reusing it (use --rebuild to start over)."
            )
        else:
            if opts["rebuild"]:
                self.stdout.write("Wiping the previous demo data...")
            try:
                wipe()
            except WipeRefused as exc:
                raise CommandError(str(exc)) from exc
            options = Options(
                seed=opts["seed"],
                until=opts["until"],
                requests=opts["requests"],
                clean=opts["clean"],
            )
            bars: list[tqdm[Any]] = []

            def progress(phase: str, total: int) -> Callable[[int], None]:
                for bar in bars:
                    bar.close()
                bar = tqdm(total=total, desc=phase, unit=" rows", file=self.stderr._out, leave=True)
                bars.append(bar)

                def advance(n: int) -> None:
                    bar.update(n)

                return advance

            build = DemoBuilder(options, progress).run()
            for bar in bars:
                bar.close()
            # Pages read precomputed result tables: fill them once for the new data.
            self.stdout.write("Computing the integrity signals...")
            call_command("integrity", "refresh", stdout=self.stdout._out)
            self.stdout.write("Computing the service performance...")
            call_command("analytics", "refresh", "--full", stdout=self.stdout._out)
            # Before the leadership refresh: the roadmap's competency actions cite the gaps.
            self.stdout.write("Computing the competency gaps, the AKPK and the training effects...")
            call_command(
                "competency", "refresh", "--as-of", str(build.until), stdout=self.stdout._out
            )
            # After the analytics refresh (it reads the store), before the leadership refresh
            # (the scorecard shows what worked).
            self.stdout.write("Measuring the effects of innovations and roadmap actions...")
            call_command(
                "innovation", "effects", "--as-of", str(build.until), stdout=self.stdout._out
            )
            self.stdout.write("Computing the leadership scorecards and roadmap...")
            call_command(
                "leadership", "refresh", "--as-of", str(build.until), stdout=self.stdout._out
            )
            build.seconds = round(time.monotonic() - started, 1)
            build.save(update_fields=["seconds"])
        self._summary(started)

    def _summary(self, started: float) -> None:
        build = DemoBuild.objects.order_by("-id").first()
        assert build is not None
        out = self.stdout.write
        out("")
        start, until = period(build.until)
        clean = ", clean (no integrity patterns)" if build.is_clean else ""
        out(
            f"Demo kabupaten: seed {build.seed}{clean}; requests from {start.isoformat()} to the "
            f"end of {until - timedelta(days=1)} (the demo's today is {until.isoformat()}); "
            f"built in {build.seconds:.1f} s"
        )
        for name, value in counts().items():
            out(f"  {name:<20} {value:>10,}")
        out("")
        shares = digital_shares(AGENCY_CODE, start, until)
        if shares:
            out("Online and mobile share of the requests, first 3 months -> last 3 months:")
            for share in shares:
                first = share.first_digital / share.first if share.first else 0.0
                last = share.last_digital / share.last if share.last else 0.0
                out(
                    f"  {share.service[:58] or 'All services':<58} {first:>4.0%} of "
                    f"{share.first:>6,} -> {last:>4.0%} of {share.last:>6,}"
                )
            out("")
        pages = demo_pages(AGENCY_CODE)
        if pages:
            labels = {
                "returned": "returned, waiting for the applicant's correction",
                "in_progress": "in progress",
                "completed": "completed, with the product to download",
            }
            out(
                "Applicants' own pages (the link their messages carry; it works for "
                f"{link_days()} days, SIGAP_APPLICANT_LINK_DAYS):"
            )
            for what, code in pages.items():
                out(f"  {code} {labels[what]}: {applicant_url(code)}")
            out("")
        out(f"Demo log-ins (password for all: {DEMO_PASSWORD} — demo only):")
        units = dict(Unit.objects.filter(agency__code=AGENCY_CODE).values_list("code", "name"))
        people = dict(
            Employee.objects.filter(user__username__in=[lg.username for lg in LOGINS]).values_list(
                "user__username", "name"
            )
        )
        for login in LOGINS:
            unit = units.get(login.unit_key, "?")
            who = f" ({people[login.username]})" if login.username in people else ""
            out(f"  {login.username:<16} {login.role:<11} {unit} — {login.label}{who}")
        out(
            "  HR, inspector and admin set up two-step verification (an authenticator app) at "
            "their first log-in: docs/security.md, Staff log-in."
        )
        out(
            f"Demo keys: {keys.demo_file()} — DEMO KEYS, NOT FOR PRODUCTION; serve this demo "
            "with `sigap serve --demo`."
        )
        out(f"Done in {time.monotonic() - started:.1f} s.")
