"""Browser journeys: the system Chromium driven by Playwright against a live Django server.

One small but real demo kabupaten is built per module (the demo generator with a few thousand
requests, then the same refresh commands `sigap demo` runs), so the pages show what they show
on the real demo: result tables, rankings, trends. The server runs in this process on the test
database (Django's LiveServerThread, the one behind pytest-django's `live_server`), but the
data is built once per module outside the tests' transactions — `live_server` would flush the
database after every test and each journey would pay for the build again.

Chromium is the Debian package (`apt-get install chromium`, done by `make test` when missing);
Playwright's own browser downloads are never used. Without Chromium the tests skip with a
message on a developer machine and fail under CI=true, where they are required.

Screenshots: set SIGAP_SCREENSHOTS=docs/screenshots (`make screenshots`) to save full-page PNGs
of the pages the journeys visit; a normal run writes nothing. SIGAP_BROWSER_REQUESTS sets the size
of the demo (3,000 requests by default; `make screenshots` uses 20,000).
"""

from __future__ import annotations

import io
import json
import os
import shutil
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import timedelta
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.core.management import call_command
from django.test.utils import override_settings
from django.utils import timezone

ROOT = Path(__file__).resolve().parents[2]
AXE_JS = ROOT / "src" / "sigap" / "web" / "static" / "vendor" / "axe-core" / "axe.min.js"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]
# WCAG 2.1 level A and AA, the level the issue asks of the public pages.
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
DESKTOP = {"width": 1280, "height": 900}
MOBILE = {"width": 390, "height": 844}
SITE_LANGUAGE = "id"  # settings.LANGUAGE_CODE of sigap (tests/conftest.py switches it to "en")
DEMO_REQUESTS = int(os.environ.get("SIGAP_BROWSER_REQUESTS", "3000"))


def chromium_path() -> str | None:
    configured = os.environ.get("SIGAP_CHROMIUM")
    if configured:
        return configured if Path(configured).is_file() else None
    for name in ("chromium", "chromium-browser"):
        found = shutil.which(name)
        if found:
            return found
    return None


def _require(condition: bool, message: str) -> None:
    """Skip on a developer machine; fail under CI=true, where the browser tests are required."""
    if condition:
        return
    if os.environ.get("CI", "").lower() in ("1", "true", "yes"):
        pytest.fail(f"CI=true: {message}", pytrace=False)
    pytest.skip(message)


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    """Chromium for the module's journeys.

    Playwright's sync API keeps an asyncio loop running in this thread while it is started,
    and Django refuses database access from a thread with a running loop (it cannot tell this
    harmless case from a real async view). The check is lifted for the module only, and
    Playwright stops at its end so the next test modules of this worker run as usual.
    """
    executable = chromium_path()
    _require(
        executable is not None,
        "browser tests need the system Chromium (/usr/bin/chromium): `make test` installs it "
        "with apt-get, or run `sudo apt-get install chromium`",
    )
    _require(AXE_JS.is_file(), f"{AXE_JS} is missing: run `make install` (tools/fetch_vendor.py)")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        _require(False, "playwright is not installed: run `make install` (the dev extra)")
        raise
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    try:
        with sync_playwright() as pw:
            chromium = pw.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
            yield chromium
            chromium.close()
            # Django keeps connections per context (asgiref Local), and Playwright's loop gives
            # this module a context of its own: a connection opened in it (the test database's
            # migrations, when this module runs first) is closed here, or PostgreSQL refuses to
            # drop the test database at the end ("being accessed by other users").
            from django.db import connections

            connections.close_all()
    finally:
        if previous is None:
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


@dataclass
class Site:
    """The live server and what the journeys need to know about the demo behind it."""

    url: str
    build_seconds: float  # the demo and its result tables, shown with `pytest -s`

    def __call__(self, path: str) -> str:
        return self.url + path


# The database settings.py configures (var/sigap.sqlite3, or SIGAP_DATABASE_URL), read before
# pytest-django points the connection at the test database.
CONFIGURED_DATABASE = str(settings.DATABASES["default"]["NAME"])


def _refuse_real_database() -> None:
    """The module wipes and rebuilds the demo: never on the database the settings name.

    pytest-django only creates the test database when a collected test asks for the database
    (the `django_db` marker on the journeys); without it the connection would still point at
    var/sigap.sqlite3, the demo people are using.
    """
    from django.db import connection

    if str(connection.settings_dict["NAME"]) == CONFIGURED_DATABASE:
        pytest.fail(
            f"refusing to build the browser tests' demo in {CONFIGURED_DATABASE}: the test "
            "database is not set up (the journeys must carry the django_db marker)",
            pytrace=False,
        )


@pytest.fixture(scope="module")
def site(
    request: pytest.FixtureRequest,
    browser: Any,
    django_db_setup: None,
    django_db_blocker: Any,
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[Site]:
    from pytest_django.live_server_helper import LiveServer

    from sigap.demo.build import DemoBuilder, Options, wipe

    var_dir = tmp_path_factory.mktemp("var")
    with (
        django_db_blocker.unblock(),
        override_settings(VAR_DIR=var_dir, DOCUMENTS_DIR=var_dir / "documents"),
    ):
        _refuse_real_database()
        # A module that only needs a few rows to exist (the public forms) sets a smaller demo.
        requests = getattr(request.module, "BROWSER_DEMO_REQUESTS", DEMO_REQUESTS)
        started = time.monotonic()
        wipe()
        server = None
        try:
            # Yesterday, as the demo's "today": every request and event lies in the past.
            until = timezone.localdate() - timedelta(days=1)
            DemoBuilder(Options(seed=7, until=until, requests=requests)).run()
            # The result tables the pages read, filled as `sigap demo` fills them.
            out = StringIO()
            call_command("integrity", "refresh", stdout=out)
            call_command("analytics", "refresh", "--full", stdout=out)
            call_command("leadership", "refresh", "--as-of", str(until), stdout=out)
            # What a module's tests need beyond the demo, committed before the server starts: a
            # test's own writes stay in its transaction, which the server's connection cannot see
            # on PostgreSQL.
            setup = getattr(request.module, "browser_demo_setup", None)
            if setup is not None:
                setup()
            built = time.monotonic() - started
            server = LiveServer("localhost")
            server._live_server_modified_settings.enable()
            print(f"\nbrowser tests: demo of {requests} requests built in {built:.1f} s")
            yield Site(url=server.url, build_seconds=built)
        finally:
            if server is not None:
                server._live_server_modified_settings.disable()
                server.stop()
            # Leave the test database empty for the next module, as a transactional test's flush
            # does: the demo, and also what the refresh commands wrote outside the demo agency
            # (their run records, audit entries), which `wipe()` leaves as history.
            call_command("flush", interactive=False, verbosity=0)


@pytest.fixture
def page(browser: Any, site: Site) -> Iterator[Any]:
    """A fresh tab (no cookies) that reads the site in Bahasa Indonesia, as citizens see it.

    tests/conftest.py makes English the site default for the assertions of the other tests; the
    journeys find elements without wording, so they are checked (axe) and pictured in the
    language sigap serves by default, set here through the language switcher's cookie.
    """
    context = browser.new_context(viewport=DESKTOP, locale="id-ID")
    context.add_cookies(
        [{"name": settings.LANGUAGE_COOKIE_NAME, "value": SITE_LANGUAGE, "url": site.url}]
    )
    context.set_default_timeout(15_000)
    tab = context.new_page()
    refused: list[str] = []
    tab.on("console", lambda message: _note_csp_violation(refused, tab.url, message.text))
    yield tab
    context.close()
    if refused:
        distinct = list(dict.fromkeys(refused))
        pytest.fail(
            f"Chromium reported {len(refused)} Content-Security-Policy violation(s) "
            "(sigap.web.csp):\n" + "\n".join(text[:400] for text in distinct[:10]),
            pytrace=False,
        )


def _note_csp_violation(refused: list[str], url: str, text: str) -> None:
    """Chromium reports every CSP violation on the console ("Refused to execute inline
    script...", "Applying inline style violates the following Content Security Policy
    directive..."): each one fails the journey."""
    if text.startswith("Refused to") or "Content Security Policy" in text:
        refused.append(f"{url}: {text}")


# --- axe-core ---------------------------------------------------------------------------------


def axe_violations(page: Any) -> list[dict[str, Any]]:
    """Run axe-core (served from the vendored file, never a CDN) on the page as it is now."""
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        # From the site's own static files: an inline copy would be refused by the CSP.
        page.add_script_tag(url=f"/{settings.STATIC_URL.strip('/')}/vendor/axe-core/axe.min.js")
    result = page.evaluate(
        """async (tags) => {
            const r = await axe.run(document, {runOnly: {type: 'tag', values: tags},
                                                 resultTypes: ['violations']});
            return r.violations.map(v => ({
                id: v.id, impact: v.impact, help: v.help, helpUrl: v.helpUrl,
                nodes: v.nodes.map(n => ({target: n.target.join(' '),
                                          html: n.html.slice(0, 200),
                                          summary: n.failureSummary}))}));
        }""",
        AXE_TAGS,
    )
    return list(result)


def format_violations(url: str, violations: list[dict[str, Any]]) -> str:
    lines = [f"{len(violations)} WCAG 2.1 AA violation(s) on {url}:"]
    for v in violations:
        lines.append(f"- [{v['impact']}] {v['id']}: {v['help']} ({v['helpUrl']})")
        for node in v["nodes"][:5]:
            lines.append(f"    at {node['target']}: {node['html']}")
            summary = " ".join((node["summary"] or "").split())
            lines.append(f"      {summary[:240]}")
        if len(v["nodes"]) > 5:
            lines.append(f"    ... and {len(v['nodes']) - 5} more element(s)")
    return "\n".join(lines)


@dataclass
class AxeLog:
    """Violations per page visited, for the pages behind a login (reported, not failed)."""

    pages: dict[str, list[dict[str, Any]]] = field(default_factory=dict)


@pytest.fixture(scope="session")
def axe_log() -> Iterator[AxeLog]:
    log = AxeLog()
    yield log
    out = os.environ.get("SIGAP_AXE_REPORT")
    if out and log.pages:
        path = Path(out)
        # One file per worker under pytest-xdist, so two processes never write the same file.
        worker = os.environ.get("PYTEST_XDIST_WORKER")
        if worker:
            path = path.with_name(f"{path.stem}-{worker}{path.suffix}")
        path.write_text(json.dumps(log.pages, indent=2, ensure_ascii=False), encoding="utf-8")


# --- screenshots ------------------------------------------------------------------------------


def screenshot_dir() -> Path | None:
    target = os.environ.get("SIGAP_SCREENSHOTS")
    if not target:
        return None
    path = Path(target)
    if not path.is_absolute():
        path = ROOT / path
    path.mkdir(parents=True, exist_ok=True)
    return path


def settle(page: Any) -> None:
    """Wait until the charts (if any) have drawn, so the check and the picture see them."""
    page.wait_for_load_state("networkidle")
    page.evaluate("() => document.fonts ? document.fonts.ready : null")


def shoot(page: Any, name: str, *, mobile: bool = False) -> None:
    """Full-page PNGs when SIGAP_SCREENSHOTS is set: desktop, and mobile for public pages."""
    target = screenshot_dir()
    if target is None:
        return
    settle(page)
    _save_png(page.screenshot(full_page=True), target / f"{name}.png")
    if mobile:
        desktop = page.viewport_size
        page.set_viewport_size(MOBILE)
        settle(page)
        _save_png(page.screenshot(full_page=True), target / f"{name}-mobile.png")
        page.set_viewport_size(desktop)
        settle(page)


def _save_png(png: bytes, path: Path) -> None:
    """A 128-colour palette PNG: a third of the size, still sharp (flat UI colours, no photos).

    Pillow comes with reportlab, a dependency of sigap.
    """
    from PIL import Image

    image = Image.open(io.BytesIO(png)).convert("RGB")
    palette = image.quantize(colors=128, method=Image.Quantize.FASTOCTREE, dither=Image.Dither.NONE)
    palette.save(path, optimize=True)
