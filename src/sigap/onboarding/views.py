"""The onboarding page: the agency's imports for BKPSDM (employees), the administrator (units,
standards, history) and the Inspektorat (SP4N-LAPOR!), each over the agency's root unit.

Upload → the dry run, shown from what was kept (`onboarding_plan`) → apply (`onboarding_apply`),
which plans again inside the transaction. The file stays on the server between the two steps
(sigap.onboarding.uploads). Templates to fill in are static files of this app
(static/onboarding/templates/<kind>*.csv|xlsx), so they ship in the wheel and WhiteNoise serves
them.
"""

from __future__ import annotations

import base64
from dataclasses import asdict
from pathlib import Path
from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from sigap.access import Action, can
from sigap.documents.services import safe_name
from sigap.onboarding import uploads
from sigap.onboarding.accounts import links_csv, links_of
from sigap.onboarding.forms import UploadForm
from sigap.onboarding.lookup import root_unit
from sigap.onboarding.models import ImportRun
from sigap.onboarding.plan import IMPORTERS, REQUIRED_ACTION, ImportRefused, Plan
from sigap.onboarding.services import import_apply, import_dry_run, kind_label
from sigap.organisation.models import Agency, Unit

# The actions that open the page; which imports it lists is REQUIRED_ACTION of each.
ONBOARDING_ACTIONS = (Action.ONBOARD_PEOPLE, Action.ONBOARD_ORGANISATION, Action.LAPOR_EXCHANGE)
TEMPLATE_FILES = Path(__file__).resolve().parent / "static" / "onboarding" / "templates"
MAX_CHANGES = 500  # the changes a page lists (the counts count all)
MAX_PROBLEMS = 1000


def _agencies(user: Any) -> list[tuple[Agency, Unit]]:
    """(agency, root unit) of every agency whose root the user holds an onboarding role over."""
    found: dict[int, tuple[Agency, Unit]] = {}
    roots = Unit.objects.filter(parent__isnull=True).select_related("agency").order_by("path")
    for unit in roots:
        if unit.agency_id in found:
            continue
        if any(can(user, action, unit) for action in ONBOARDING_ACTIONS):
            found[unit.agency_id] = (unit.agency, unit)
    return sorted(found.values(), key=lambda pair: pair[0].name)


def _gate(request: HttpRequest) -> list[tuple[Agency, Unit]]:
    agencies = _agencies(request.user)
    if not agencies:
        raise PermissionDenied
    return agencies


def _may_run(user: Any, kind: str, root: Unit) -> bool:
    action = REQUIRED_ACTION.get(kind)
    return kind in IMPORTERS and action is not None and can(user, Action(action), root)


def _kinds(user: Any, root: Unit) -> list[str]:
    return [kind for kind in sorted(IMPORTERS) if _may_run(user, kind, root)]


def _takes_options(kinds: list[str]) -> bool:
    """Whether the form asks for options: the history import reads them (`source`, `mapping`), and
    so does any importer with `takes_options = True`."""
    return any(k == "history" or getattr(IMPORTERS[k], "takes_options", False) for k in kinds)


def template_files(kind: str) -> list[str]:
    """The files to fill in for `kind`: `<kind>.csv`, `<kind>-contoh.xlsx`..."""
    if not TEMPLATE_FILES.is_dir():
        return []
    return sorted(
        p.name
        for p in TEMPLATE_FILES.iterdir()
        if p.is_file() and (p.name.split(".")[0] == kind or p.name.startswith(f"{kind}-"))
    )


def shown_name(kind: str, file: str) -> str:
    """The template's name for a person: without the import's code in front of it
    ("unit-kerja.csv" for units-unit-kerja.csv), which is no word of the page's language."""
    return file.removeprefix(f"{kind}-")


def _chosen(agencies: list[tuple[Agency, Unit]], code: str) -> tuple[Agency, Unit]:
    for agency, root in agencies:
        if agency.code == code:
            return agency, root
    return agencies[0]


def _home(
    request: HttpRequest,
    agencies: list[tuple[Agency, Unit]],
    agency: Agency,
    root: Unit,
    form: UploadForm | None = None,
) -> HttpResponse:
    kinds = _kinds(request.user, root)
    if form is None:
        form = UploadForm(
            kinds=[(k, kind_label(k)) for k in kinds], with_options=_takes_options(kinds)
        )
    context = {
        "agency": agency,
        "agencies": [a for a, _ in agencies],
        "kinds": [
            {
                "kind": k,
                "label": kind_label(k),
                "files": [{"path": f, "shown": shown_name(k, f)} for f in template_files(k)],
            }
            for k in kinds
        ],
        "form": form,
        "runs": ImportRun.objects.filter(agency=agency).select_related("actor")[:20],
        "max_mb": uploads.max_bytes() // (1024 * 1024),
    }
    return render(request, "onboarding/home.html", context)


@login_required
@require_GET
def home(request: HttpRequest) -> HttpResponse:
    agencies = _gate(request)
    agency, root = _chosen(agencies, request.GET.get("agency", ""))
    return _home(request, agencies, agency, root)


def _shown(plan: Plan) -> dict[str, Any]:
    """What the plan page shows, kept as JSON with the upload (the payload never is)."""
    listed = [c for c in plan.changes if c.action != "unchanged"]
    problems = plan.errors + plan.warnings
    return {
        "rows": plan.rows,
        "counts": plan.counts(),
        "problems": [asdict(p) for p in problems[:MAX_PROBLEMS]],
        "problems_total": len(problems),
        "changes": [
            {
                "action": c.action,
                "what": c.what,
                "label": c.label,
                "row": c.row,
                "fields": [[label, old, new] for label, (old, new) in c.fields.items()],
            }
            for c in listed[:MAX_CHANGES]
        ],
        "changes_total": len(listed),
    }


@login_required
@require_POST
def upload(request: HttpRequest) -> HttpResponse:
    agencies = _gate(request)
    agency, root = _chosen(agencies, request.POST.get("agency", ""))
    kinds = _kinds(request.user, root)
    form = UploadForm(
        request.POST,
        request.FILES,
        kinds=[(k, kind_label(k)) for k in kinds],
        with_options=_takes_options(kinds),
    )
    if not form.is_valid():
        return _home(request, agencies, agency, root, form)
    kind = form.cleaned_data["kind"]
    received = form.cleaned_data["file"]
    name = safe_name(received.name or "")
    options = form.options()
    kept = uploads.keep(
        request,
        received.chunks(),
        {"agency": agency.pk, "kind": kind, "name": name, "options": options},
    )
    plan = import_dry_run(
        kind, kept.data(), name, agency=agency, actor=request.user, options=options
    )
    kept.meta["plan"] = _shown(plan)
    uploads.save_meta(kept)
    return redirect(reverse("onboarding_plan", args=[kept.token]))


def _kept(request: HttpRequest, token: str) -> tuple[uploads.Kept, Agency, Unit]:
    """The user's kept upload, with its agency and root: 404 for anything else."""
    _gate(request)
    kept = uploads.find(request, token)
    if kept is None:
        raise Http404
    agency = Agency.objects.filter(pk=int(kept.meta.get("agency") or 0)).first()
    root = root_unit(agency) if agency is not None else None
    if agency is None or root is None or not _may_run(request.user, kept.meta["kind"], root):
        raise Http404
    return kept, agency, root


@login_required
@require_GET
def plan_page(request: HttpRequest, token: str) -> HttpResponse:
    kept, agency, _root = _kept(request, token)
    shown = kept.meta.get("plan")
    if shown is None:
        raise Http404
    return render(
        request,
        "onboarding/plan.html",
        {
            "agency": agency,
            "kept": kept,
            "kind_label": kind_label(kept.meta["kind"]),
            "shown": shown,
            "max_changes": MAX_CHANGES,
            "max_problems": MAX_PROBLEMS,
        },
    )


@login_required
@require_POST
def apply_page(request: HttpRequest, token: str) -> HttpResponse:
    kept, agency, _root = _kept(request, token)
    kind, name = kept.meta["kind"], kept.meta["name"]
    context: dict[str, Any] = {"agency": agency, "kind_label": kind_label(kind), "file": name}
    try:
        applied, plan = import_apply(
            kind,
            kept.data(),
            name,
            agency=agency,
            actor=request.user,
            options=kept.meta.get("options") or {},
        )
        context["shown"] = _shown(plan)
        context["counts"] = applied.counts
        # New accounts' activation links: shown here once, and as a download made in the page
        # (a data: link), never kept on the server.
        links = links_of(plan)
        if links:
            context["links"] = links
            context["links_csv"] = base64.b64encode(links_csv(links)).decode("ascii")
    except ImportRefused as refused:
        context["problems"] = refused.problems
    finally:
        uploads.discard(request, kept)
    return render(request, "onboarding/result.html", context)
