"""The notification settings (settings.SIGAP, read from the environment), with defaults."""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings


@dataclass(frozen=True)
class NotifyConf:
    public_url: str
    phone_channel: str
    whatsapp_url: str
    whatsapp_token: str
    sms_url: str
    sms_token: str
    timeout: float
    max_attempts: int
    backoff_seconds: int
    backoff_max_seconds: int
    claim_seconds: int


def conf() -> NotifyConf:
    s: dict[str, object] = getattr(settings, "SIGAP", {})

    def get(key: str, default: object) -> object:
        value = s.get(key)
        return default if value in (None, "") else value

    return NotifyConf(
        public_url=str(get("PUBLIC_URL", "http://127.0.0.1:8000")).rstrip("/"),
        phone_channel=str(get("NOTIFY_PHONE_CHANNEL", "whatsapp")),
        whatsapp_url=str(get("NOTIFY_WHATSAPP_URL", "")),
        whatsapp_token=str(get("NOTIFY_WHATSAPP_TOKEN", "")),
        sms_url=str(get("NOTIFY_SMS_URL", "")),
        sms_token=str(get("NOTIFY_SMS_TOKEN", "")),
        timeout=float(str(get("NOTIFY_TIMEOUT_SECONDS", 10))),
        max_attempts=int(str(get("NOTIFY_MAX_ATTEMPTS", 8))),
        backoff_seconds=int(str(get("NOTIFY_BACKOFF_SECONDS", 60))),
        backoff_max_seconds=int(str(get("NOTIFY_BACKOFF_MAX_SECONDS", 6 * 3600))),
        claim_seconds=int(str(get("NOTIFY_CLAIM_SECONDS", 300))),
    )
