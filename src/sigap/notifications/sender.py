"""The sender: claims due messages in batches, hands each to its channel, records the outcome.

Safe to run from cron every minute and in parallel (`sigap notify send`): each batch is claimed
for this sender alone (`services.outbox_claim`), sent outside any transaction (no lock is held
while a gateway thinks), then recorded in one short transaction. A sender never sends from a
claim whose time could run out before the send ends: it stops one gateway timeout (plus a
margin) before the claim lapses and gives the rest back, so no other sender can take a message
while this one may still be sending it. A sender that dies mid-batch leaves its messages
"being sent" until the claim lapses; then another takes them (the one in flight may be sent
twice: never lost comes first).
"""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Callable, Mapping

from django.utils.translation import override

from sigap.notifications.channels import EmailChannel, GatewayChannel, MessageChannel
from sigap.notifications.conf import conf
from sigap.notifications.models import Channel, Outbox
from sigap.notifications.services import Outcome, outbox_claim, outbox_record, outbox_release
from sigap.notifications.texts import CITIZEN_LANGUAGE

BATCH = 100
MARGIN_SECONDS = 5.0


def configured_channels() -> dict[str, MessageChannel]:
    """E-mail always (the demo's backend writes files); a gateway only when its URL is set."""
    c = conf()
    channels: dict[str, MessageChannel] = {Channel.EMAIL: EmailChannel()}
    if c.whatsapp_url:
        channels[Channel.WHATSAPP] = GatewayChannel(
            url=c.whatsapp_url, token=c.whatsapp_token, timeout=c.timeout
        )
    if c.sms_url:
        channels[Channel.SMS] = GatewayChannel(url=c.sms_url, token=c.sms_token, timeout=c.timeout)
    return channels


def drain(
    *,
    channels: Mapping[str, MessageChannel] | None = None,
    max_seconds: float | None = None,
    limit: int | None = None,
    batch: int = BATCH,
    clock: Callable[[], float] = time.monotonic,
) -> Counter[str]:
    """Send due messages until none is due, `max_seconds` have passed or `limit` were tried.

    Returns the count per outcome ("sent", "retrying", "given_up", "released").
    """
    own = channels is None
    chosen: Mapping[str, MessageChannel] = configured_channels() if channels is None else channels
    c = conf()
    # Stop sending from a claim while a whole send still fits in it.
    usable = max(c.claim_seconds - c.timeout - MARGIN_SECONDS, 1.0)
    started = clock()
    counts: Counter[str] = Counter()
    tried = 0
    try:
        # The reasons are stored like the texts, in Bahasa Indonesia (data, like a note).
        with override(CITIZEN_LANGUAGE):
            while True:
                if max_seconds is not None and clock() - started >= max_seconds:
                    break
                want = batch if limit is None else min(batch, limit - tried)
                if want <= 0:
                    break
                token, rows = outbox_claim(channels=list(chosen), limit=want)
                if not rows:
                    break
                claimed_at = clock()
                results: list[tuple[Outbox, Outcome]] = []
                for n, row in enumerate(rows):
                    if clock() - claimed_at >= usable or (
                        max_seconds is not None and clock() - started >= max_seconds
                    ):
                        counts["released"] += outbox_release(token=token, rows=rows[n:])
                        break
                    results.append((row, chosen[row.channel].send(row.recipient, row.text)))
                tried += len(results)
                for state, n in outbox_record(token=token, results=results).items():
                    counts[state] += n
                if counts["released"]:
                    break
    finally:
        if own:
            for channel in chosen.values():
                channel.close()
    return counts
