"""The layers hold: read from the source with `ast`, without importing anything.

- The apps (`sigap.<app>`, and the top-level modules such as `sigap.access`) import each other
  without cycles, but for the few back-edges listed in ALLOWED_BACK_EDGES, each with its reason.
- Nothing outside `sigap.demo` imports the demo (its generators, its measurement, its tables).
- `sigap.rules` imports neither Django nor another sigap app; `sigap.analytics` imports no
  Django; `sigap.throttling` imports no other sigap app.

Every import counts, also inside a function or under `if TYPE_CHECKING:`: a deferred import is
still a dependency, and hiding one there must not make a cycle disappear.
"""

from __future__ import annotations

import ast
from collections import defaultdict
from collections.abc import Iterator, Mapping
from functools import cache
from pathlib import Path

SRC = Path(__file__).resolve().parent.parent / "src"

# (importing module, imported app) pairs allowed to close a cycle. Keep this list short and
# shrinking; an entry needs its reason. Both cycles run through `sigap.access`, which sits above
# the unit tree and the role grants, while an app below it has staff pages that ask it. Breaking
# them means moving those pages into an app above access: not worth it today.
ALLOWED_BACK_EDGES: dict[tuple[str, str], str] = {
    # access reads the unit tree (organisation.models.Unit); the employee pages ask access.
    ("sigap.organisation.views", "access"): "employee pages",
    ("sigap.organisation.selectors", "access"): "employee reads, scoped",
    # accounts' role grants (which access reads) are audited (audit.services); the audit trail's
    # own page is the Inspektorat's (Action.AUDIT_VIEW), scoped to its units.
    ("sigap.audit.views", "access"): "the audit trail page",
    ("sigap.audit.selectors", "access"): "the audit trail read, scoped",
}


def module_name(path: Path) -> str:
    parts = list(path.relative_to(SRC).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def app_of(module: str) -> str:
    """`sigap.surveys.views` → `surveys`; `sigap.access` → `access`; `sigap` → `sigap`."""
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else parts[0]


def imported_modules(path: Path, module: str) -> Iterator[str]:
    """Every module `path` imports, relative imports resolved; `from a import b` yields `a.b`
    too (b may be a module)."""
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
        if isinstance(node, ast.Import):
            yield from (alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[: len(package.split(".")) - node.level + 1]
                target = ".".join([*base, *([node.module] if node.module else [])])
            else:
                target = node.module or ""
            yield target
            yield from (f"{target}.{alias.name}" for alias in node.names)


@cache
def imports() -> Mapping[str, frozenset[str]]:
    """Module → the modules it imports, for every module under src/sigap."""
    return {
        module_name(path): frozenset(imported_modules(path, module_name(path)))
        for path in sorted((SRC / "sigap").rglob("*.py"))
    }


def is_sigap(target: str) -> bool:
    return target == "sigap" or target.startswith("sigap.")


def app_edges(allowed: Mapping[tuple[str, str], str]) -> dict[str, dict[str, set[str]]]:
    """app → imported app → the importing modules, without the allowed back-edges."""
    edges: dict[str, dict[str, set[str]]] = defaultdict(lambda: defaultdict(set))
    for module, targets in imports().items():
        source = app_of(module)
        for target in targets:
            if not is_sigap(target) or target == "sigap":
                continue
            other = app_of(target)
            if other != source and (module, other) not in allowed:
                edges[source][other].add(module)
    return edges


def cycles(graph: Mapping[str, Mapping[str, object]]) -> list[list[str]]:
    """The strongly connected components of more than one node (Tarjan), each sorted."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for succ in graph.get(node, {}):
            if succ not in index:
                visit(succ)
                low[node] = min(low[node], low[succ])
            elif succ in on_stack:
                low[node] = min(low[node], index[succ])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.append(member)
                if member == node:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return sorted(found)


def test_the_cycle_finder_finds_a_cycle_and_only_cycles():
    assert cycles({"a": {"b": 1}, "b": {"c": 1}, "c": {"a": 1}, "d": {"a": 1}}) == [["a", "b", "c"]]
    assert cycles({"a": {"b": 1}, "b": {"c": 1}}) == []


def test_the_parser_sees_relative_deferred_and_type_checking_imports():
    seen = imports()
    assert "sigap.organisation.models" in seen["sigap.access"]  # under TYPE_CHECKING
    assert "sigap.throttling.ratelimit" in seen["sigap.throttling.intake"]
    assert seen["sigap.demo.management.commands.demo_measure"] >= {"sigap.demo.integrity"}


def test_apps_import_each_other_without_cycles():
    graph = app_edges(ALLOWED_BACK_EDGES)
    found = cycles(graph)
    detail = [
        f"{a} → {b} ({', '.join(sorted(graph[a][b]))})"
        for component in found
        for a in component
        for b in component
        if b in graph.get(a, {})
    ]
    assert not found, "import cycles between apps:\n" + "\n".join(detail)


def test_every_allowed_back_edge_is_still_needed():
    """An entry whose import is gone must leave the list, so that it only ever shrinks."""
    stale = [
        (module, app)
        for module, app in ALLOWED_BACK_EDGES
        if not any(app_of(t) == app for t in imports().get(module, ()) if is_sigap(t))
    ]
    assert not stale, f"remove from ALLOWED_BACK_EDGES: {stale}"
    if ALLOWED_BACK_EDGES:
        assert cycles(app_edges({})), "no cycle is left: empty ALLOWED_BACK_EDGES"


def test_nothing_outside_the_demo_imports_the_demo():
    """Production code never reads the demo's tables nor calls its generators. The demo app is
    named in settings.INSTALLED_APPS as a string (not an import), and `sigap integrity measure`
    runs `sigap demo_measure` by its command name."""
    offenders = sorted(
        f"{module} imports {target}"
        for module, targets in imports().items()
        if app_of(module) != "demo"
        for target in targets
        if target == "sigap.demo" or target.startswith("sigap.demo.")
    )
    assert not offenders, "\n".join(offenders)


def _foreign_imports(app: str, *, django: bool, sigap_apps: bool) -> list[str]:
    found = []
    for module, targets in imports().items():
        if app_of(module) != app:
            continue
        for target in sorted(targets):
            if django and (target == "django" or target.startswith("django.")):
                found.append(f"{module} imports {target}")
            if sigap_apps and is_sigap(target) and target != "sigap" and app_of(target) != app:
                found.append(f"{module} imports {target}")
    return found


def test_rules_import_neither_django_nor_another_app():
    assert not _foreign_imports("rules", django=True, sigap_apps=True)


def test_analytics_imports_no_django():
    assert not _foreign_imports("analytics", django=True, sigap_apps=False)


def test_throttling_imports_no_other_app():
    """It sits below every app that takes input from strangers."""
    assert not _foreign_imports("throttling", django=False, sigap_apps=True)


def test_every_app_and_module_is_seen():
    """The walk reaches the whole source tree (a moved folder would otherwise escape it)."""
    apps = {app_of(m) for m in imports()}
    assert {"rules", "analytics", "demo", "access", "throttling", "web", "api"} <= apps
