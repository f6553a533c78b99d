"""`sigap siasn ...`: the SIASN web service from the command line (docs/integrations.md).

- `sigap siasn check --nip NIP`: get both tokens and read one data-utama (is the set-up right?).
- `sigap siasn training --agency CODE --as USERNAME [--nip NIP]`: import the riwayat kursus and
  diklat of the agency's employees that have a SIASN PNS ID (or of one NIP).
- `sigap siasn push-skp --year Y --agency CODE --as USERNAME [--again]`: send the final yearly
  SKP results of the year; a result already sent (an Exchange says so) is skipped unless
  `--again`. Needs SIGAP_SIASN_WRITE_SKP.

`--as` names the HR user the work is done as: the access rules and the audit trail are theirs.
Each employee is all or nothing; one employee's failure is reported and the rest go on.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db.models import Q
from django.utils import timezone

from sigap.appraisals.models import YEARLY, Appraisal
from sigap.integrations.models import Exchange, System
from sigap.integrations.siasn import (
    SiasnClient,
    SiasnError,
    siasn_conf,
    siasn_import_training,
    siasn_push_skp,
    siasn_read_person,
)
from sigap.organisation.models import Agency, Employee


class Command(BaseCommand):
    help = "SIASN web service: check the set-up, import training, send yearly SKP results."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="sub", required=True)
        check = sub.add_parser("check", help="tokens and one data-utama read")
        check.add_argument("--nip", required=True)
        check.add_argument("--as", dest="username", default="")
        training = sub.add_parser("training", help="import riwayat kursus and diklat")
        training.add_argument("--agency", required=True, help="agency code")
        training.add_argument("--nip", default="", help="one employee only")
        training.add_argument("--as", dest="username", required=True, help="an HR user")
        push = sub.add_parser("push-skp", help="send the final yearly SKP results of a year")
        push.add_argument("--year", type=int, required=True)
        push.add_argument("--agency", required=True, help="agency code")
        push.add_argument("--as", dest="username", required=True, help="an HR user")
        push.add_argument("--again", action="store_true", help="also those already sent")

    def _user(self, username: str) -> Any:
        if not username:
            return None
        user = get_user_model().objects.filter(username=username, is_active=True).first()
        if user is None:
            raise CommandError(f"no active user {username!r}")
        return user

    def _agency(self, code: str) -> Agency:
        agency = Agency.objects.filter(code=code).first()
        if agency is None:
            raise CommandError(f"unknown agency code {code!r}")
        return agency

    def handle(self, *args: Any, **options: Any) -> None:
        actor = self._user(options["username"])
        try:
            if options["sub"] == "check":
                self._check(options["nip"], actor)
            elif options["sub"] == "training":
                self._training(self._agency(options["agency"]), options["nip"], actor)
            else:
                self._push_skp(
                    self._agency(options["agency"]), options["year"], actor, options["again"]
                )
        except SiasnError as exc:
            raise CommandError(exc.message) from None

    def _check(self, nip: str, actor: Any) -> None:
        person = siasn_read_person(nip, client=SiasnClient(actor=actor))
        self.stdout.write(
            f"SIASN check: tokens received; {person.nip}: {person.name}, "
            f"{person.golongan or '-'}, {person.position or '-'}, {person.unor_name or '-'} "
            f"(PNS ID {person.pns_id})"
        )

    def _training(self, agency: Agency, nip: str, actor: Any) -> None:
        today = timezone.localdate()
        employees = (
            Employee.objects.filter(unit__agency=agency)
            .exclude(pns_id="")
            .filter(Q(active_until__isnull=True) | Q(active_until__gte=today))
            .select_related("unit")
            .order_by("nip")
        )
        if nip:
            employees = employees.filter(nip=nip)
        client = SiasnClient(actor=actor)
        done = failed = created = already = matched = 0
        for employee in employees:
            try:
                result = siasn_import_training(employee, actor, client=client)
            except (SiasnError, PermissionDenied) as exc:
                failed += 1
                message = exc.message if isinstance(exc, SiasnError) else str(exc)
                self.stderr.write(f"{employee.nip}: {message}")
                continue
            done += 1
            created += result.created
            already += result.already
            matched += result.matched
        self.stdout.write(
            f"SIASN training {agency.code}: {done} employees imported, {failed} failed; "
            f"{created} records created, {already} already imported, {matched} matched "
            "records entered before"
        )

    def _push_skp(self, agency: Agency, year: int, actor: Any, again: bool) -> None:
        appraisals = (
            Appraisal.objects.filter(
                unit__agency=agency,
                plan__year=year,
                period=YEARLY,
                status=Appraisal.Status.FINAL,
            )
            .exclude(plan__employee__pns_id="")
            .select_related("plan__employee")
            .order_by("plan__employee__nip")
        )
        sent_before = set(
            Exchange.objects.filter(
                system=System.SIASN, operation="skp22/save", ok=True
            ).values_list("object_ref", flat=True)
        )
        conf = siasn_conf()
        client = SiasnClient(conf=conf, actor=actor)  # refuses when switched off
        if not conf.write_skp:
            raise CommandError(
                "sending SKP results is switched off (SIGAP_SIASN_WRITE_SKP is not on)"
            )
        sent = skipped = failed = 0
        for appraisal in appraisals:
            if not again and f"appraisal:{appraisal.pk}" in sent_before:
                skipped += 1
                continue
            try:
                siasn_push_skp(appraisal, actor, client=client)
            except (SiasnError, PermissionDenied) as exc:
                failed += 1
                message = exc.message if isinstance(exc, SiasnError) else str(exc)
                self.stderr.write(f"{appraisal.plan.employee.nip}: {message}")
                continue
            sent += 1
        self.stdout.write(
            f"SIASN SKP {year} {agency.code}: {sent} sent, {skipped} sent before, {failed} failed"
        )
