"""The Standard Webhooks headers of one delivery attempt.

``webhook-id`` is the event's id (the same on every attempt, so receivers can drop
duplicates), ``webhook-timestamp`` the attempt's time in Unix seconds, and
``webhook-signature`` a space-separated list of ``v1,<base64 HMAC-SHA256 of
id.timestamp.body>``: one per secret in use, so during a rotation both the new and the old
secret sign. Signing is done by the ``standardwebhooks`` package, the same code receivers
use to verify.
"""

from __future__ import annotations

import datetime
import json

from standardwebhooks import Webhook

USER_AGENT = "Accord-Webhooks/1 (+https://www.standardwebhooks.com/)"


def body_for(*, type: str, timestamp: datetime.datetime, data: dict) -> str:
    """The delivery body: ``{"type", "timestamp", "data"}`` as compact JSON."""
    payload = {"type": type, "timestamp": timestamp.isoformat(), "data": data}
    return json.dumps(payload, separators=(",", ":"), ensure_ascii=False, default=str)


def signed_headers(
    *, message_id: str, sent_at: datetime.datetime, body: str, secrets: list[str]
) -> dict[str, str]:
    sent_at = sent_at.astimezone(datetime.UTC)
    signatures = " ".join(
        Webhook(secret).sign(msg_id=message_id, timestamp=sent_at, data=body) for secret in secrets
    )
    return {
        "webhook-id": message_id,
        "webhook-timestamp": str(int(sent_at.timestamp())),
        "webhook-signature": signatures,
        "Content-Type": "application/json",
        "User-Agent": USER_AGENT,
    }
