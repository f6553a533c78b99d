"""Django settings, driven by environment variables (one file, no per-host copies).

Every SIGAP_* variable sigap reads (docs/security.md, "Deployment settings", has the table):

Core
  SIGAP_DEBUG            "true" for development only (default off)
  SIGAP_ALLOWED_HOSTS    comma-separated host names (default 127.0.0.1,localhost,testserver)
  SIGAP_DATABASE_URL     database URL (default: SQLite file VAR_DIR/sigap.sqlite3)
  SIGAP_VAR_DIR          where the embedded database, the analytics store and generated files
                         live (default ./var)
  SIGAP_LOG_LEVEL        level of the console log (default WARNING)
Keys (sigap.keys; required when SIGAP_DEBUG is off, `sigap keys generate` makes them; the
demo and SIGAP_DEBUG read var/demo-keys.env instead)
  SIGAP_SECRET_KEY       Django's SECRET_KEY
  SIGAP_WBS_MASTER_KEY   64 hex digits: the master key of the encrypted WBS reports
  SIGAP_AUDIT_KEY        the HMAC key of the audit chain
HTTPS (behind a TLS reverse proxy that sets X-Forwarded-Proto)
  SIGAP_HTTPS            "true": Secure cookies, HSTS, redirect to https, proxy header,
                         CSRF trusted origins from SIGAP_ALLOWED_HOSTS (default off)
  SIGAP_HSTS_SECONDS     HSTS max-age when SIGAP_HTTPS is on (default 31536000, one year)
  SIGAP_HSTS_INCLUDE_SUBDOMAINS  "false" to leave the subdomains out of HSTS (default on)
  SIGAP_HSTS_PRELOAD     "true" to ask for the browsers' preload list (default off)
  SIGAP_TRUSTED_PROXIES  how many reverse proxies append to X-Forwarded-For (default 0: the
                         client is REMOTE_ADDR); see sigap/throttling/ratelimit.py
Rules and limits (the SIGAP dict below; each app reads its key with a default)
  SIGAP_RATE_LIMITS, SIGAP_CLIENT_IP_HEADER, SIGAP_IKM_WEIGHTING, SIGAP_OPEN311_JURISDICTION,
  SIGAP_SKP_PERIOD, SIGAP_SKP_GUIDANCE_ROUNDING
Staff log-in (sigap.signin; docs/security.md, "Staff log-in")
  SIGAP_TWO_FACTOR_ROLES      roles that must use a second factor (default inspector,hr,admin)
  SIGAP_SESSION_IDLE_MINUTES  a staff session ends after this many idle minutes (default 30)
  SIGAP_ACTIVATION_DAYS       days a new account's activation link (set the first password)
                              keeps working (default 7; sigap.accounts.activation)
Personal data (sigap.privacy; docs/privacy.md)
  SIGAP_PRIVACY_DPO           the data-protection officer when no agency record has one
                              ("name|email|phone|address")
  SIGAP_PRIVACY_REQUEST_HOURS, SIGAP_PRIVACY_RETENTION, SIGAP_PRIVACY_BREACH_NOTICE_HOURS
Documents of requests (sigap.documents; docs/documents.md)
  SIGAP_DOCUMENT_MAX_MB       the largest upload accepted, in MB (default 5)
  SIGAP_DOCUMENT_RETENTION_DAYS  days after a request is finished before its files are deleted
                              (default 365)
Onboarding (sigap.onboarding; `sigap onboard` and the page /onboarding/)
  SIGAP_ONBOARDING_MAX_MB     the largest file the onboarding page accepts, in MB (default 200;
                              the command line has no limit)
Notifications to citizens (sigap.notifications; `sigap notify send` every minute)
  SIGAP_PUBLIC_URL            the site's address as citizens reach it, for the links in
                              messages (default http://127.0.0.1:8000)
  SIGAP_APPLICANT_LINK_DAYS   days the applicant's own link (in every message) keeps working
                              (default 30; "send me my link again" makes a new one)
  SIGAP_NOTIFY_WHATSAPP_URL, SIGAP_NOTIFY_WHATSAPP_TOKEN  the WhatsApp gateway (HTTP JSON;
                              empty: off, WhatsApp messages wait queued)
  SIGAP_NOTIFY_SMS_URL, SIGAP_NOTIFY_SMS_TOKEN  the SMS gateway, the same way (default off)
  SIGAP_NOTIFY_PHONE_CHANNEL  "whatsapp" (default) or "sms": where messages to a phone go
  SIGAP_NOTIFY_TIMEOUT_SECONDS  a gateway's time to answer one message (default 10)
  SIGAP_NOTIFY_MAX_ATTEMPTS   tries before a message is given up (default 8)
  SIGAP_NOTIFY_BACKOFF_SECONDS  the wait after the first failure, doubled after each next one
                              (default 60), at most SIGAP_NOTIFY_BACKOFF_MAX_SECONDS (21600)
  SIGAP_NOTIFY_CLAIM_SECONDS  how long a sender holds the batch it took (default 300)
  SIGAP_EMAIL_HOST            SMTP server for e-mail (empty, the default: e-mails are written
                              as files under VAR_DIR/mail and never leave the machine); with
                              SIGAP_EMAIL_PORT (587), SIGAP_EMAIL_USER, SIGAP_EMAIL_PASSWORD,
                              SIGAP_EMAIL_TLS (on), SIGAP_EMAIL_FROM
SIASN web service (sigap.integrations.siasn; docs/integrations.md, "SIASN (BKN)")
  SIGAP_SIASN_ENABLED         "true" to let sigap call SIASN at all (default off)
  SIGAP_SIASN_API_URL         the API base (default https://apimws.bkn.go.id:8243/apisiasn/1.0)
  SIGAP_SIASN_TOKEN_URL       the gateway's token endpoint (default
                              https://apimws.bkn.go.id/oauth2/token)
  SIGAP_SIASN_SSO_URL         the SSO token endpoint (default: the public-siasn realm of
                              sso-siasn.bkn.go.id; UNCERTAIN, community code only)
  SIGAP_SIASN_CONSUMER_KEY, SIGAP_SIASN_CONSUMER_SECRET  the gateway credentials BKN issued
  SIGAP_SIASN_SSO_USERNAME, SIGAP_SIASN_SSO_PASSWORD, SIGAP_SIASN_SSO_CLIENT_ID  the agency's
                              SSO account; keep all five with the keys, never in the repository
  SIGAP_SIASN_WRITE_SKP       "true" to send yearly SKP results to SIASN (default off)
  SIGAP_SIASN_WRITE_TRAINING  "true" to send training records to SIASN (default off)
  SIGAP_SIASN_TIMEOUT_SECONDS  SIASN's time to answer one call (default 20)
SP4N-LAPOR! (sigap.integrations.lapor; docs/integrations.md, "SP4N-LAPOR!")
  SIGAP_LAPOR_ENABLED         "true" to let sigap call LAPOR!'s legacy API (default off; the
                              CSV import and export work without it)
  SIGAP_LAPOR_API_URL         the API's base (default https://www.lapor.go.id/api)
  SIGAP_LAPOR_TOKEN           the agency's KEYTOKEN (never in the repository)
  SIGAP_LAPOR_TIMEOUT_SECONDS LAPOR!'s time to answer one call (default 20)
Electronic signing of products (sigap.integrations.signing; docs/integrations.md, "BSrE signing")
  SIGAP_SIGNING_ENABLED       "true": sigap has the products of signed services signed by the
                              BSrE esign server (default off: the officer uploads a signed PDF)
  SIGAP_SIGNING_URL           the esign server's base address (e.g. http://10.1.2.3:8080)
  SIGAP_SIGNING_USER, SIGAP_SIGNING_PASSWORD  sigap's HTTP Basic account on the esign server
                              (from the environment only, never the repository)
  SIGAP_SIGNING_API           "v2" (default: JSON) or "v1" (multipart)
  SIGAP_SIGNING_IDENTITY      "nik" (default: the officer types their NIK with the passphrase;
                              never stored) or "email" (their sigap e-mail address; v2 only)
  SIGAP_SIGNING_TIMEOUT_SECONDS  the esign server's time to answer one signature (default 30)
Operations (sigap.operations; docs/deploy.md)
  SIGAP_BACKUP_PASSPHRASE     the passphrase of `sigap backup` / `sigap restore` (else asked
                              on the terminal); it encrypts the keys inside the archive
"""

from __future__ import annotations

import os
from pathlib import Path

import dj_database_url

from sigap import keys as sigap_keys

BASE_DIR = Path(__file__).resolve().parent
VAR_DIR = sigap_keys.var_dir()


def _env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


DEBUG = _env_bool("SIGAP_DEBUG", False)

if DEBUG:
    # Development only: the keys missing from the environment come from the labelled demo
    # keys file (var/demo-keys.env), as for `sigap demo`.
    sigap_keys.use_demo_keys(VAR_DIR)
# Required when DEBUG is off, never made up per host: empty, Django refuses to sign anything,
# and `sigap serve`, the WSGI application and `check --deploy` name what is missing.
SECRET_KEY = os.environ.get(sigap_keys.SECRET_KEY, "").strip()
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
    "sigap.payments",
    "sigap.accounts",
    "sigap.audit",
    "sigap.whistleblowing",
    "sigap.integrity",
    "sigap.demo",
    "sigap.surveys",
    "sigap.complaints",
    "sigap.open311",
    "sigap.throttling",
    "sigap.api",
    "sigap.appraisals",
    "sigap.performance",
    "sigap.leadership",
    "sigap.transparency",
    "sigap.frontdoor",
    "sigap.signin",
    "sigap.privacy",
    "sigap.booking",
    "sigap.operations",
    "sigap.documents",
    "sigap.applications",
    "sigap.notifications",
    "sigap.homes",
    "sigap.competency",
    "sigap.innovation",
    "sigap.onboarding",
    "sigap.integrations",
]

MIDDLEWARE = [
    # First: blanks IP address, user agent and referrer on the anonymous WBS routes.
    "sigap.whistleblowing.privacy.AnonymousRouteMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "sigap.web.csp.ContentSecurityPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # A database restart or a full disk: 503 + Retry-After, not a 500 (sigap.operations).
    "sigap.operations.middleware.UnavailableMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "sigap.web.middleware.LanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Idle timeout and the second factor for every staff request (docs/security.md).
    "sigap.signin.middleware.StaffSessionMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Cache-Control: no-store on the pages listed in sigap.web.nostore (personal data).
    "sigap.web.nostore.NoStoreMiddleware",
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
                "sigap.access.navigation",
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
LOGIN_REDIRECT_URL = "work_home"
LOGOUT_REDIRECT_URL = "home"

# Bahasa Indonesia first; English available through the language switcher.
LANGUAGE_CODE = "id"
LANGUAGES = [("id", "Bahasa Indonesia"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Jakarta"
USE_I18N = True
USE_TZ = True
# Formats (docs/foundation.md, "Formats"): figures on pages go through sigap.web.formatting
# ({% load sigap_format %}), which always groups thousands (1.234.567 / 1,234,567). A bare
# {{ value }} is left ungrouped on purpose: it is often a year, an id or a form value, which
# must never read "2.026". Django's named date formats are aligned with the layer here.
USE_THOUSAND_SEPARATOR = False
FORMAT_MODULE_PATH = ["sigap.web.formats"]

STATIC_URL = "static/"
STATIC_ROOT = VAR_DIR / "static"
# Uploaded and produced documents: outside STATIC_ROOT and never given a URL (no MEDIA_URL);
# sigap.documents.views hands them out after the access check.
DOCUMENTS_DIR = VAR_DIR / "documents"
STATIC_ROOT.mkdir(parents=True, exist_ok=True)
# Static files are served from the installed package by WhiteNoise: no collectstatic step,
# no CDN, so the site works offline and on intranets.
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = DEBUG

# Large uploads are spooled to a temporary file; on a full disk the partial file is deleted at
# once (sigap.operations.uploads). WBS evidence never reaches the disk (whistleblowing.privacy).
FILE_UPLOAD_HANDLERS = [
    "django.core.files.uploadhandler.MemoryFileUploadHandler",
    "sigap.operations.uploads.TemporaryFileUploadHandler",
]

SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = True
# The CSRF token lives for the browser session, never a year on the device: a whistleblower who
# once opened any page of sigap (every page has the language form) carries no lasting cookie.
CSRF_COOKIE_AGE = None
# A refused form gets sigap's own page, in the site language, saying what to do.
CSRF_FAILURE_VIEW = "sigap.web.csrf.csrf_failure"
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"

# Served through a TLS reverse proxy: one switch turns on everything HTTPS needs. The proxy
# must set X-Forwarded-Proto itself (overwriting what a client sent): Django trusts it.
HTTPS = _env_bool("SIGAP_HTTPS", False)
SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = LANGUAGE_COOKIE_SECURE = HTTPS
SECURE_SSL_REDIRECT = HTTPS
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if HTTPS else None
SECURE_HSTS_SECONDS = int(os.environ.get("SIGAP_HSTS_SECONDS", "31536000")) if HTTPS else 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = _env_bool("SIGAP_HSTS_INCLUDE_SUBDOMAINS", True)
# Preloading commits the whole domain, for months, in every browser: a decision for whoever
# runs the domain (a kabupaten's go.id), not for one application; off unless asked for.
SECURE_HSTS_PRELOAD = _env_bool("SIGAP_HSTS_PRELOAD", False)
CSRF_TRUSTED_ORIGINS = (
    [
        "https://" + ("*" + host if host.startswith(".") else host)
        for host in ALLOWED_HOSTS
        if host != "*"
    ]
    if HTTPS
    else []
)
# check --deploy warns (W021) whenever preload is off: that is the deliberate default above.
SILENCED_SYSTEM_CHECKS = [] if SECURE_HSTS_PRELOAD else ["security.W021"]

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
    # "survey=20/3600,complaint=10/3600"; 0 = no limit. See sigap/throttling/ratelimit.py.
    "RATE_LIMITS": os.environ.get("SIGAP_RATE_LIMITS", ""),
    # Behind reverse proxies: how many of them append the address they received to
    # X-Forwarded-For (0 = none, the client is REMOTE_ADDR). See sigap/throttling/ratelimit.py.
    "TRUSTED_PROXIES": int(os.environ.get("SIGAP_TRUSTED_PROXIES", "0") or 0),
    # The header the proxies write (default X-Forwarded-For; a META key like HTTP_X_REAL_IP).
    "CLIENT_IP_HEADER": os.environ.get("SIGAP_CLIENT_IP_HEADER", ""),
    # Open311 GeoReport v2: this endpoint's jurisdiction_id (the agency's domain).
    "OPEN311_JURISDICTION": os.environ.get("SIGAP_OPEN311_JURISDICTION", "sigap.local"),
    # Meritocracy (rules.md §2, §3; defaults and meaning in sigap/appraisals/conf.py):
    # SKP evaluation period "bulanan" | "triwulanan" | "semesteran" (§2.3, UNCERTAIN).
    "SKP_PERIOD": os.environ.get("SIGAP_SKP_PERIOD", "triwulanan"),
    "DOCUMENT_MAX_MB": int(os.environ.get("SIGAP_DOCUMENT_MAX_MB", "5")),
    "DOCUMENT_RETENTION_DAYS": int(os.environ.get("SIGAP_DOCUMENT_RETENTION_DAYS", "365")),
    # The largest file the onboarding page accepts (a SIASN export, a request history).
    "ONBOARDING_MAX_MB": int(os.environ.get("SIGAP_ONBOARDING_MAX_MB", "200")),
    # Distribution guide rounding for small teams: "strict" | "nearest" (§2.2, UNCERTAIN).
    "SKP_GUIDANCE_ROUNDING": os.environ.get("SIGAP_SKP_GUIDANCE_ROUNDING", "strict"),
}

# --- Staff log-in (sigap.signin; docs/security.md "Staff log-in") ------------------------------
# A session lasts at most a working day, and ends after SESSION_IDLE_MINUTES without a request.
SESSION_COOKIE_AGE = 8 * 3600
SIGAP.update(
    {
        # Roles that must log in with a TOTP second factor; staff and superusers count as admin.
        "TWO_FACTOR_ROLES": os.environ.get("SIGAP_TWO_FACTOR_ROLES", "inspector,hr,admin"),
        "SESSION_IDLE_MINUTES": int(os.environ.get("SIGAP_SESSION_IDLE_MINUTES", "30")),
        # A new account's one-time link to set its first password (sigap.accounts.activation).
        "ACTIVATION_DAYS": int(os.environ.get("SIGAP_ACTIVATION_DAYS", "7")),
    }
)

# --- Notifications to citizens (sigap.notifications) ------------------------------------------
# SMTP only when a server is named; otherwise e-mails are files under var/mail (the demo, a
# developer's machine): nothing is ever sent anywhere by accident.
if os.environ.get("SIGAP_EMAIL_HOST", "").strip():
    EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    EMAIL_HOST = os.environ["SIGAP_EMAIL_HOST"].strip()
    EMAIL_PORT = int(os.environ.get("SIGAP_EMAIL_PORT", "587"))
    EMAIL_HOST_USER = os.environ.get("SIGAP_EMAIL_USER", "")
    EMAIL_HOST_PASSWORD = os.environ.get("SIGAP_EMAIL_PASSWORD", "")
    EMAIL_USE_TLS = _env_bool("SIGAP_EMAIL_TLS", True)
    EMAIL_TIMEOUT = 20
else:
    EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
    EMAIL_FILE_PATH = str(VAR_DIR / "mail")
DEFAULT_FROM_EMAIL = os.environ.get("SIGAP_EMAIL_FROM", "SIGAP <noreply@sigap.local>")
SIGAP.update(
    {
        "PUBLIC_URL": os.environ.get("SIGAP_PUBLIC_URL", "http://127.0.0.1:8000"),
        "APPLICANT_LINK_DAYS": os.environ.get("SIGAP_APPLICANT_LINK_DAYS", "30"),
        "NOTIFY_WHATSAPP_URL": os.environ.get("SIGAP_NOTIFY_WHATSAPP_URL", ""),
        "NOTIFY_WHATSAPP_TOKEN": os.environ.get("SIGAP_NOTIFY_WHATSAPP_TOKEN", ""),
        "NOTIFY_SMS_URL": os.environ.get("SIGAP_NOTIFY_SMS_URL", ""),
        "NOTIFY_SMS_TOKEN": os.environ.get("SIGAP_NOTIFY_SMS_TOKEN", ""),
        "NOTIFY_PHONE_CHANNEL": os.environ.get("SIGAP_NOTIFY_PHONE_CHANNEL", "whatsapp"),
        "NOTIFY_TIMEOUT_SECONDS": os.environ.get("SIGAP_NOTIFY_TIMEOUT_SECONDS", "10"),
        "NOTIFY_MAX_ATTEMPTS": os.environ.get("SIGAP_NOTIFY_MAX_ATTEMPTS", "8"),
        "NOTIFY_BACKOFF_SECONDS": os.environ.get("SIGAP_NOTIFY_BACKOFF_SECONDS", "60"),
        "NOTIFY_BACKOFF_MAX_SECONDS": os.environ.get("SIGAP_NOTIFY_BACKOFF_MAX_SECONDS", "21600"),
        "NOTIFY_CLAIM_SECONDS": os.environ.get("SIGAP_NOTIFY_CLAIM_SECONDS", "300"),
    }
)

# --- SIASN web service (sigap.integrations.siasn; off unless SIGAP_SIASN_ENABLED) -------------
SIGAP.update(
    {
        "SIASN_ENABLED": _env_bool("SIGAP_SIASN_ENABLED", False),
        "SIASN_API_URL": os.environ.get(
            "SIGAP_SIASN_API_URL", "https://apimws.bkn.go.id:8243/apisiasn/1.0"
        ),
        "SIASN_TOKEN_URL": os.environ.get(
            "SIGAP_SIASN_TOKEN_URL", "https://apimws.bkn.go.id/oauth2/token"
        ),
        "SIASN_SSO_URL": os.environ.get(
            "SIGAP_SIASN_SSO_URL",
            "https://sso-siasn.bkn.go.id/auth/realms/public-siasn/protocol/openid-connect/token",
        ),
        "SIASN_CONSUMER_KEY": os.environ.get("SIGAP_SIASN_CONSUMER_KEY", ""),
        "SIASN_CONSUMER_SECRET": os.environ.get("SIGAP_SIASN_CONSUMER_SECRET", ""),
        "SIASN_SSO_USERNAME": os.environ.get("SIGAP_SIASN_SSO_USERNAME", ""),
        "SIASN_SSO_PASSWORD": os.environ.get("SIGAP_SIASN_SSO_PASSWORD", ""),
        "SIASN_SSO_CLIENT_ID": os.environ.get("SIGAP_SIASN_SSO_CLIENT_ID", ""),
        "SIASN_WRITE_SKP": _env_bool("SIGAP_SIASN_WRITE_SKP", False),
        "SIASN_WRITE_TRAINING": _env_bool("SIGAP_SIASN_WRITE_TRAINING", False),
        "SIASN_TIMEOUT_SECONDS": os.environ.get("SIGAP_SIASN_TIMEOUT_SECONDS", "20"),
    }
)

# --- SP4N-LAPOR! (sigap.integrations.lapor) ----------------------------------------------------
# Off by default: nothing is sent to LAPOR! until an agency sets it up; the token comes from the
# environment only.
SIGAP.update(
    {
        "LAPOR_ENABLED": os.environ.get("SIGAP_LAPOR_ENABLED", ""),
        "LAPOR_API_URL": os.environ.get("SIGAP_LAPOR_API_URL", "https://www.lapor.go.id/api"),
        "LAPOR_TOKEN": os.environ.get("SIGAP_LAPOR_TOKEN", ""),
        "LAPOR_TIMEOUT_SECONDS": os.environ.get("SIGAP_LAPOR_TIMEOUT_SECONDS", "20"),
    }
)

# --- Electronic signing of products (sigap.integrations.signing; off by default) -------------
SIGAP.update(
    {
        "SIGNING_ENABLED": os.environ.get("SIGAP_SIGNING_ENABLED", "false"),
        "SIGNING_URL": os.environ.get("SIGAP_SIGNING_URL", ""),
        "SIGNING_USER": os.environ.get("SIGAP_SIGNING_USER", ""),
        "SIGNING_PASSWORD": os.environ.get("SIGAP_SIGNING_PASSWORD", ""),
        "SIGNING_API": os.environ.get("SIGAP_SIGNING_API", "v2"),
        "SIGNING_IDENTITY": os.environ.get("SIGAP_SIGNING_IDENTITY", "nik"),
        "SIGNING_TIMEOUT_SECONDS": os.environ.get("SIGAP_SIGNING_TIMEOUT_SECONDS", "30"),
    }
)
