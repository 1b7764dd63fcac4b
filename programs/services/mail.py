"""E-mails to applicants, through the notifications outbox (idempotent by key).

A confirmation e-mail carries a live secret (the link's token). The outbox's ``email_queue``
takes ``sensitive=True`` for such mail on branches that have it (the reviews engineer adds
it); where it does not exist yet the call is made without it.
"""

from __future__ import annotations

import inspect

from notifications.services import email_queue

_HAS_SENSITIVE = "sensitive" in inspect.signature(email_queue).parameters


def applicant_email(
    *, key: str, to: str, template: str, context: dict, organization, sensitive: bool = False
):
    """Queue one e-mail to an applicant once (``key``); None when it was already queued."""
    extra = {"sensitive": True} if sensitive and _HAS_SENSITIVE else {}
    return email_queue(
        key=key, to=to, template=template, context=context, organization=organization, **extra
    )
