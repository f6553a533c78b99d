"""Shared fixtures: a small agency and named personas with their rights.

The suite runs twice: on SQLite (every test) and on PostgreSQL (`SIGAP_DB_LEG=postgres`,
only the tests that touch the database; pure rules/analytics tests have nothing to add there).
"""

from __future__ import annotations

import os
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from django.utils import translation

from tests import factories

JAKARTA = ZoneInfo("Asia/Jakarta")


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    if os.environ.get("SIGAP_DB_LEG") != "postgres":
        return
    db_fixtures = {"db", "transactional_db", "django_db_setup", "client", "admin_client"}
    keep, drop = [], []
    for item in items:
        uses_db = item.get_closest_marker("django_db") is not None or bool(
            db_fixtures & set(getattr(item, "fixturenames", ()))
        )
        (keep if uses_db else drop).append(item)
    if drop:
        config.hook.pytest_deselected(items=drop)
        items[:] = keep


def local(y: int, m: int, d: int, hh: int = 9, mm: int = 0) -> datetime:
    """An aware datetime in Jakarta time (the agency's clock)."""
    return datetime(y, m, d, hh, mm, tzinfo=JAKARTA)


@pytest.fixture(autouse=True)
def _english() -> object:
    """Every test starts in English, the language its assertions are written in.

    Activated explicitly: Django caches the fallback translation the first time it is used,
    which would otherwise depend on which test happened to run first in a worker.
    """
    with translation.override("en"):
        yield


@pytest.fixture(autouse=True)
def _fresh_memory() -> object:
    """The public IKM and the service look-up are kept in memory (the cache, the look-up of
    sigap.surveys); each test starts and ends without them."""
    from django.core.cache import cache

    from sigap.surveys import lookup

    cache.clear()
    lookup.forget()
    yield
    cache.clear()
    lookup.forget()


@pytest.fixture(autouse=True)
def _second_factor_checked(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> None:
    """Tests log personas in with `client.force_login` / `client.login`, skipping the log-in
    page; this marks those sessions as having passed the second factor too, so the enforcement
    (sigap.signin.middleware, on in tests) lets the inspector, HR and admin personas through.
    The real flow is tested in tests/signin (marker `real_second_factor`) and the browser
    journeys."""
    if request.node.get_closest_marker("real_second_factor"):
        return
    from django.test.client import ClientMixin

    original = ClientMixin._login

    def _login(self: ClientMixin, user: object, backend: str | None = None) -> None:
        from sigap.signin.services import mark_verified

        original(self, user, backend)
        session = self.session
        mark_verified(session, user)
        session.save()

    monkeypatch.setattr(ClientMixin, "_login", _login)


@pytest.fixture
def world(db: None) -> factories.World:
    """Kabupaten Contoh: Disdukcapil with counter A, Dinkes with Puskesmas B; see factories."""
    return factories.build_world()


@pytest.fixture
def ktp_request(world: factories.World):  # type: ignore[no-untyped-def]
    """A KTP-el request submitted on Thursday 2025-03-27 09:00 at counter A (SLA 3 working days)."""
    return factories.submit(world, at=local(2025, 3, 27))


def pytest_configure(config: pytest.Config) -> None:
    from django.conf import settings

    # Real hashing costs ~0.3 s a user; tests create many users and test no crypto.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    # Assertions are written against the English source strings; the site's Indonesian
    # default is tested explicitly (tests/web/test_pages.py, tests/web/test_translations.py).
    settings.LANGUAGE_CODE = "en"
