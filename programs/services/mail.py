"""E-mails to applicants, through the notifications outbox (idempotent by key).

A confirmation e-mail carries a live secret (the link's token), so it is queued as sensitive:
the outbox redacts it the moment it is sent and never shows it.
"""

from __future__ import annotations

from notifications.services import email_queue


def applicant_email(
    *,
    key: str,
    to: str,
    template: str,
    context: dict,
    organization,
    language: str = "",
    sensitive: bool = False,
):
    """Queue one e-mail to an applicant once (``key``), in the language they applied in (the
    organization's default when unknown); None when it was already queued."""
    return email_queue(
        language=language or None,
        key=key,
        to=to,
        template=template,
        context=context,
        organization=organization,
        sensitive=sensitive,
    )
