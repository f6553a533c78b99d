"""Django settings, driven by environment variables (one file, no per-host copies).

SIGAP_DATABASE_URL  database URL; default: SQLite file var/sigap.sqlite3 (embedded)
SIGAP_SECRET_KEY    required when SIGAP_DEBUG is off; the demo generates one under var/
SIGAP_DEBUG         "1" for development
SIGAP_ALLOWED_HOSTS comma-separated host names
SIGAP_VAR_DIR       where the embedded database and generated files live (default ./var)
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path

import dj_database_url

BASE_DIR = Path(__file__).resolve().parent
VAR_DIR = Path(os.environ.get("SIGAP_VAR_DIR", Path.cwd() / "var")).resolve()


def _env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


DEBUG = _env_bool("SIGAP_DEBUG", False)


def _secret_key() -> str:
    # A secret never lives in the repo: take it from the environment, or create one per
    # installation under var/ (kept out of git) so sessions survive restarts.
    if key := os.environ.get("SIGAP_SECRET_KEY"):
        return key
    path = VAR_DIR / "secret_key"
    try:
        return path.read_text().strip()
    except FileNotFoundError:
        VAR_DIR.mkdir(parents=True, exist_ok=True)
        key = secrets.token_urlsafe(50)
        path.write_text(key)
        path.chmod(0o600)
        return key


SECRET_KEY = _secret_key()
ALLOWED_HOSTS = [
    h.strip()
    for h in os.environ.get("SIGAP_ALLOWED_HOSTS", "127.0.0.1,localhost,testserver").split(",")
    if h.strip()
]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "sigap.web",
    "sigap.organisation",
    "sigap.catalogue",
    "sigap.service_requests",
    "sigap.accounts",
    "sigap.audit",
    "sigap.whistleblowing",
    "sigap.integrity",
    "sigap.demo",
    "sigap.surveys",
    "sigap.complaints",
    "sigap.open311",
    "sigap.api",
    "sigap.appraisals",
    "sigap.performance",
    "sigap.leadership",
    "sigap.transparency",
]

MIDDLEWARE = [
    # First: blanks IP address, user agent and referrer on the anonymous WBS routes.
    "sigap.whistleblowing.privacy.AnonymousRouteMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "sigap.web.middleware.LanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # A NUL in the path or query string is a 400 (PostgreSQL text cannot hold it); last, so
    # that the 400 page has the person and the language like any other page.
    "sigap.web.middleware.RejectNulMiddleware",
]

ROOT_URLCONF = "sigap.urls"
WSGI_APPLICATION = "sigap.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "sigap.web.context_processors.navigation",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("SIGAP_DATABASE_URL", f"sqlite:///{VAR_DIR / 'sigap.sqlite3'}"),
        conn_max_age=60,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets the web server read while the demo generator or a refresh job writes.
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
    }
    DATABASES["default"]["CONN_MAX_AGE"] = 0

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "home"

# Bahasa Indonesia first; English available through the language switcher.
LANGUAGE_CODE = "id"
LANGUAGES = [("id", "Bahasa Indonesia"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Jakarta"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = VAR_DIR / "static"
STATIC_ROOT.mkdir(parents=True, exist_ok=True)
# Static files are served from the installed package by WhiteNoise: no collectstatic step,
# no CDN, so the site works offline and on intranets.
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = DEBUG

SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    # Nothing logged about the anonymous WBS routes may identify a reporter (no access lines,
    # time kept to the day): see sigap.whistleblowing.privacy.
    "filters": {"wbs_scrub": {"()": "sigap.whistleblowing.privacy.ScrubAnonymousRoutes"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "filters": ["wbs_scrub"]}},
    "root": {"handlers": ["console"], "level": os.environ.get("SIGAP_LOG_LEVEL", "WARNING")},
    "loggers": {
        "django": {
            "handlers": ["console"],
            "level": os.environ.get("SIGAP_LOG_LEVEL", "WARNING"),
            "propagate": False,
        },
        "django.server": {"handlers": ["console"], "level": "INFO", "propagate": False},
    },
}

# Rules marked UNCERTAIN in the regulations are settings with the documented default; each
# domain app adds its keys here (and reads them with a default, so a missing key is the default).
SIGAP: dict[str, object] = {
    # IKM weight per unsur: "exact" (1/9, default) or "printed" (0,111); rules.md §1.4.
    "IKM_WEIGHTING": os.environ.get("SIGAP_IKM_WEIGHTING", "exact"),
    # Abuse limits on public submissions, counted in the database (shared by all workers):
    # "survey=20/3600,complaint=10/3600"; 0 = no limit. See sigap/api/ratelimit.py.
    "RATE_LIMITS": os.environ.get("SIGAP_RATE_LIMITS", ""),
    # Behind a reverse proxy: the META key holding the client address (HTTP_X_FORWARDED_FOR).
    "CLIENT_IP_HEADER": os.environ.get("SIGAP_CLIENT_IP_HEADER", ""),
    # Open311 GeoReport v2: this endpoint's jurisdiction_id (the agency's domain).
    "OPEN311_JURISDICTION": os.environ.get("SIGAP_OPEN311_JURISDICTION", "sigap.local"),
    # Meritocracy (rules.md §2, §3; defaults and meaning in sigap/appraisals/conf.py):
    # SKP evaluation period "bulanan" | "triwulanan" | "semesteran" (§2.3, UNCERTAIN).
    "SKP_PERIOD": os.environ.get("SIGAP_SKP_PERIOD", "triwulanan"),
    # Distribution guide rounding for small teams: "strict" | "nearest" (§2.2, UNCERTAIN).
    "SKP_GUIDANCE_ROUNDING": os.environ.get("SIGAP_SKP_GUIDANCE_ROUNDING", "strict"),
}
