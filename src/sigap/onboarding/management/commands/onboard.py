"""`sigap onboard`: the command-line door to onboarding (the page /onboarding/ is the other).

    sigap onboard agency --code C --name N --kind kabupaten|kota|provinsi|kementerian \\
        --region-code PP.KK
        creates the agency or updates it. Its root unit comes with the first units import
        (`sigap onboard units units.csv --agency C --apply`).

    sigap onboard KIND FILE --agency CODE [--apply] [--all] [--option key=value ...] [--lang id|en]
        a dry run by default: the counts, the changes (create, update, deactivate; the unchanged
        only counted unless --all) and every problem as "file, sheet, row, column: message".
        --apply plans again inside one transaction and writes all of it, or nothing.
        --option passes the importer's options ("mapping.case=no_permohonan" nests under "map").

The exit status is 0 when the file has no errors and 1 when it has (and then nothing is
written). Output is in Bahasa Indonesia unless --lang en. Runs from here have no actor (the
server's operator; the audit trail names them "sigap onboard") unless --as names a user who
holds the import's role over the agency's top unit.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from sigap.access import Action, can
from sigap.onboarding import services
from sigap.onboarding.accounts import links_of
from sigap.onboarding.lookup import root_unit
from sigap.onboarding.plan import IMPORTERS, REQUIRED_ACTION, Change, ImportRefused, Plan, Problem
from sigap.organisation.models import Agency


def action_label(action: str) -> str:
    return {
        "create": _("create"),
        "update": _("update"),
        "deactivate": _("deactivate"),
        "unchanged": _("unchanged"),
    }.get(action, action)


COUNTED = ("create", "update", "deactivate", "unchanged", "errors", "warnings")


def counts_line(counts: dict[str, int]) -> str:
    return _(
        "create %(create)d, update %(update)d, deactivate %(deactivate)d, unchanged "
        "%(unchanged)d; errors %(errors)d, warnings %(warnings)d"
    ) % {key: counts.get(key, 0) for key in COUNTED}


def change_line(change: Change) -> str:
    line = f"  {action_label(change.action)}: {change.what} {change.label}"
    if change.row:
        line += " " + _("(row %(row)d)") % {"row": change.row}
    if change.fields:
        line += ": " + "; ".join(
            f"{label} “{old}” → “{new}”" if old else f"{label} “{new}”"
            for label, (old, new) in change.fields.items()
        )
    return line


def problem_line(problem: Problem) -> str:
    return f"  {problem.where()}: {problem.message}"


OPTION_FORMAT = gettext_noop(
    "An option is written key=value (a dot nests: mapping.case=column); not “%(pair)s”."
)


class Command(BaseCommand):
    help = (
        "Onboard an agency: `onboard agency ...` creates or updates it; `onboard KIND FILE "
        "--agency CODE` shows what importing FILE would change (a dry run), `--apply` writes it."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="target", required=True, metavar="agency|KIND")
        agency = sub.add_parser("agency", help="create or update the agency")
        agency.add_argument("--code", required=True, help="the agency's code (a slug)")
        agency.add_argument("--name", required=True)
        agency.add_argument("--kind", required=True, choices=Agency.Kind.values)
        agency.add_argument(
            "--region-code", default="", help="Kemendagri code: PP.KK (kabupaten, kota) or PP"
        )
        agency.add_argument("--lang", choices=["id", "en"], default="id")
        for kind in sorted(IMPORTERS):
            one = sub.add_parser(kind, help=f"import a {kind} file")
            one.add_argument("file", type=Path)
            one.add_argument("--agency", required=True, help="the agency's code")
            one.add_argument("--apply", action="store_true", help="write it (default: dry run)")
            one.add_argument("--all", action="store_true", help="list the unchanged too")
            one.add_argument(
                "--option",
                action="append",
                default=[],
                metavar="KEY=VALUE",
                help="an importer option; a dot nests (mapping.case=no_permohonan)",
            )
            one.add_argument("--lang", choices=["id", "en"], default="id")
            one.add_argument(
                "--as",
                dest="as_user",
                metavar="USERNAME",
                help="act as this user, who must hold the import's role over the agency's top "
                "unit (imports written through other write functions need one: lapor)",
            )

    def handle(self, *args: Any, **options: Any) -> None:
        with translation.override(options["lang"]):
            if options["target"] == "agency":
                self._agency(options)
            else:
                self._import(options["target"], options)

    def _agency(self, options: dict[str, Any]) -> None:
        try:
            agency, created = services.agency_save(
                code=options["code"],
                name=options["name"],
                kind=options["kind"],
                region_code=options["region_code"],
            )
        except ValidationError as exc:
            raise CommandError(
                "; ".join(f"{field}: {' '.join(msgs)}" for field, msgs in exc.message_dict.items())
            ) from None
        message = (
            _("Agency created: %(name)s (%(code)s).")
            if created
            else _("Agency updated: %(name)s (%(code)s).")
        )
        self.stdout.write(message % {"name": agency.name, "code": agency.code})
        if not agency.units.exists():
            self.stdout.write(
                _(
                    "It has no units yet: the units import makes its root unit "
                    "(sigap onboard units FILE --agency %(code)s --apply)."
                )
                % {"code": agency.code}
            )

    def _import(self, kind: str, options: dict[str, Any]) -> None:
        agency = Agency.objects.filter(code=options["agency"]).first()
        if agency is None:
            raise CommandError(
                _("There is no agency %(code)s: create it with `sigap onboard agency`.")
                % {"code": options["agency"]}
            )
        actor = self._actor(options.get("as_user"), kind, agency)
        path: Path = options["file"]
        try:
            data = path.read_bytes()
        except OSError as exc:
            raise CommandError(
                _("%(file)s cannot be read: %(reason)s") % {"file": path, "reason": exc.strerror}
            ) from None
        try:
            importer_options = services.parse_options(options["option"])
        except ValueError as exc:
            raise CommandError(_(OPTION_FORMAT) % {"pair": exc.args[0]}) from None
        name = path.name
        if not options["apply"]:
            plan = services.import_dry_run(
                kind, data, name, agency=agency, actor=actor, options=importer_options
            )
            self._show(plan, every=options["all"])
            if plan.ok:
                self.stdout.write(
                    _("Dry run: nothing was written. Run again with --apply to write it.")
                )
                return
            raise CommandError(
                _("%(n)d errors: nothing can be written until they are corrected.")
                % {"n": len(plan.errors)},
                returncode=1,
            )
        try:
            applied, plan = services.import_apply(
                kind, data, name, agency=agency, actor=actor, options=importer_options
            )
        except ImportRefused as refused:
            self.stdout.write(_("Refused, nothing was written. Errors:"))
            for problem in refused.problems:
                self.stdout.write(problem_line(problem))
            raise CommandError(
                _("%(n)d errors: nothing can be written until they are corrected.")
                % {"n": len(refused.problems)},
                returncode=1,
            ) from None
        self._show(plan, every=options["all"])
        links = links_of(plan)
        if links:
            # Shown once, never stored: whoever runs the import hands each person their link.
            self.stdout.write(_("Activation links (shown only now; each works once):"))
            for link in links:
                self.stdout.write(f"{link.nip}\t{link.name}\t{link.url}")
        self.stdout.write(
            _("Applied: %(file)s (%(kind)s) for %(agency)s: %(counts)s.")
            % {
                "file": applied.file,
                "kind": services.kind_label(kind),
                "agency": agency.name,
                "counts": counts_line(applied.counts),
            }
        )

    def _actor(self, username: str | None, kind: str, agency: Agency) -> Any:
        """The user named by --as, who must hold the import's role over the agency's top unit;
        None (the server's operator) without --as."""
        if not username:
            return None
        user = get_user_model().objects.filter(username=username, is_active=True).first()
        root = root_unit(agency)
        action = REQUIRED_ACTION.get(kind)
        if user is None or root is None or action is None or not can(user, Action(action), root):
            raise CommandError(
                _("%(user)s may not run this import for %(agency)s.")
                % {"user": username, "agency": agency.name}
            )
        return user

    def _show(self, plan: Plan, *, every: bool) -> None:
        self.stdout.write(
            _("%(kind)s, %(file)s: %(rows)d rows read.")
            % {"kind": services.kind_label(plan.kind), "file": plan.file, "rows": plan.rows}
        )
        self.stdout.write(counts_line(plan.counts()))
        listed = [c for c in plan.changes if every or c.action != "unchanged"]
        if listed:
            self.stdout.write(_("Changes:"))
            for change in listed:
                self.stdout.write(change_line(change))
        if plan.errors:
            self.stdout.write(_("Errors:"))
            for problem in plan.errors:
                self.stdout.write(problem_line(problem))
        if plan.warnings:
            self.stdout.write(_("Warnings:"))
            for problem in plan.warnings:
                self.stdout.write(problem_line(problem))
