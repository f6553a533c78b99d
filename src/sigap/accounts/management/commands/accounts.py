"""`sigap accounts activation-link NIP`: a fresh activation link for one employee's account.

For the helpdesk: a new member of staff whose link expired or was lost, or someone who forgot
their password. The link is printed once (only its hash is stored); every older unused link of
that account stops working. The account must exist (the accounts import makes it), belong to an
active employee, and not be deactivated. Audited as "account.activation_link" by
"sigap accounts".
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction
from django.utils import timezone

from sigap.accounts.activation import activation_days, activation_issue
from sigap.organisation.models import Employee

COMMAND_LINE = "sigap accounts"


class Command(BaseCommand):
    help = "Staff accounts. `activation-link NIP` prints a fresh one-time activation link."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="sub", required=True)
        link = sub.add_parser(
            "activation-link", help="a fresh activation link for the account of this NIP"
        )
        link.add_argument("nip")

    def handle(self, *args: Any, **options: Any) -> None:
        nip = options["nip"].strip()
        employee = Employee.objects.filter(nip=nip).select_related("user").first()
        if employee is None:
            raise CommandError(f"No employee has the NIP {nip}.")
        if not employee.is_active_on(timezone.localdate()):
            raise CommandError(f"{employee.name} ({nip}) is not an active employee.")
        user = employee.user
        if user is None:
            raise CommandError(
                f"{employee.name} ({nip}) has no account yet: import it first "
                "(sigap onboard accounts)."
            )
        if not user.is_active:
            raise CommandError(f"The account {user.get_username()} is deactivated.")
        with transaction.atomic():
            url = activation_issue(user=user, by=COMMAND_LINE)
        self.stdout.write(
            f"Activation link for {employee.name} ({nip}), user name {user.get_username()}, "
            f"valid {activation_days()} days, once (older links no longer work):\n{url}"
        )
