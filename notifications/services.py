"""Queue and deliver e-mails through the outbox.

``email_queue`` renders ``emails/<template>-subject.txt``, ``-body.txt`` and ``-body.html``
(the HTML part is optional) and stores the message under an idempotency key; delivery is a
Celery task enqueued by name (``core.queue``) after the surrounding transaction commits, so this
module never imports ``notifications.tasks`` (the tasks import it).

A message that carries a live secret (a link token, a one-time code) is queued with
``sensitive=True`` (allauth's always are, see ``models.key_is_sensitive``). The worker that
sends it replaces its stored subject and bodies with a redacted text in the same UPDATE that
ends its claim, so the secret is at rest only while the message waits, and a redacted row is
never claimed, retried or resent.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from datetime import datetime, timedelta

from django.conf import settings
from django.core.files.storage import default_storage
from django.core.mail import EmailMultiAlternatives
from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.template.exceptions import TemplateDoesNotExist
from django.template.loader import render_to_string
from django.utils import timezone, translation

from core.i18n import resolve_language, supported
from core.queue import task_by_name

from .models import REDACTED_BODY, REDACTED_SUBJECT, OutboundEmail, key_is_sensitive

log = logging.getLogger(__name__)

STALE_CLAIM = timedelta(minutes=10)
# After this many failed attempts a message is given up: the periodic retry leaves it, and a
# sensitive one is redacted (its link must be issued again).
MAX_ATTEMPTS = 8
DELIVER_TASK = "notifications.tasks.deliver_email"


def stale_claim() -> timedelta:
    """How long a claim may stay in "sending" before another worker may take it over.

    A worker killed between claiming and finishing leaves the row "sending"; after this long
    the periodic retry (or a redelivered task) claims it again. Settable for tests.
    """
    seconds = getattr(settings, "ACCORD_EMAIL_STALE_CLAIM_SECONDS", None)
    return timedelta(seconds=seconds) if seconds is not None else STALE_CLAIM


def _enqueue(email_id: int) -> None:
    """Enqueue delivery after commit. A broker outage must not undo the committed change nor
    fail the request that made it: the row stays pending and ``retry_pending_emails`` enqueues
    it later. So the task, found by name like ``core.queue.enqueue`` does, is handed to the
    broker in a robust on-commit callback: an error is logged, not raised."""
    transaction.on_commit(lambda: task_by_name(DELIVER_TASK).delay(email_id), robust=True)


def _render(template: str, context: dict, language: str) -> tuple[str, str, str]:
    """Subject, text and HTML of ``template`` in ``language`` (its dates and numbers too)."""
    with translation.override(language):
        return _render_active(template, context)


def _render_active(template: str, context: dict) -> tuple[str, str, str]:
    ctx = {"site_url": settings.SITE_URL, **context}
    subject = " ".join(render_to_string(f"emails/{template}-subject.txt", ctx).split())
    text = render_to_string(f"emails/{template}-body.txt", ctx)
    try:
        html = render_to_string(f"emails/{template}-body.html", ctx)
    except TemplateDoesNotExist:
        html = ""
    return subject, text, html


def email_store(
    *,
    key: str,
    to: str,
    subject: str,
    text: str,
    html: str = "",
    organization=None,
    attachments: Iterable[dict] = (),
    sensitive: bool = False,
) -> OutboundEmail | None:
    """Queue one already-rendered message once (allauth renders its own). Returns the new
    row, or None when ``key`` was already queued."""
    try:
        with transaction.atomic():
            email = OutboundEmail.objects.create(
                key=key,
                to=to,
                subject=subject[:250],
                body_text=text,
                body_html=html,
                organization=organization,
                attachments=list(attachments),
                sensitive=sensitive or key_is_sensitive(key),
            )
    except IntegrityError:
        return None  # a concurrent run queued it first
    _enqueue(email.pk)
    return email


def email_queue(
    *,
    key: str,
    to: str,
    template: str,
    context: dict,
    organization=None,
    attachments: Iterable[dict] = (),
    sensitive: bool = False,
    language: str | None = None,
) -> OutboundEmail | None:
    """Queue one e-mail once. Returns the new row, or None when ``key`` was already queued.

    Must be called inside the transaction that made the e-mail necessary, so the e-mail exists
    exactly when the change does. Pass ``sensitive=True`` when the message carries a link token
    or a one-time code: it is then redacted as soon as it is sent and never shown.

    ``language`` is the recipient's (``core.i18n``: ``member_language``, ``signer_language``,
    ``resolve_language(contact, organization)``). The message is rendered in it whatever
    language the request or the worker happens to be in; without one, in the organization's
    default language, never in the caller's.
    """
    if OutboundEmail.objects.filter(key=key).exists():
        return None
    language = supported(language) or resolve_language(organization=organization)
    subject, text, html = _render(template, context, language)
    return email_store(
        key=key,
        to=to,
        subject=subject,
        text=text,
        html=html,
        organization=organization,
        attachments=attachments,
        sensitive=sensitive,
    )


def _claim(email_id: int) -> datetime | None:
    """Claim a row for sending; exactly one caller wins and gets the claim's time stamp.

    A redacted row is never claimable: its text is no longer the message.
    """
    now = timezone.now()
    claimable = Q(state__in=[OutboundEmail.State.PENDING, OutboundEmail.State.FAILED]) | Q(
        state=OutboundEmail.State.SENDING, claimed_at__lt=now - stale_claim()
    )
    won = OutboundEmail.objects.filter(claimable, pk=email_id, redacted_at__isnull=True).update(
        state=OutboundEmail.State.SENDING, claimed_at=now, attempts=F("attempts") + 1
    )
    return now if won else None


def email_claim(email_id: int) -> bool:
    """Claim a row for sending; exactly one caller wins."""
    return _claim(email_id) is not None


def _redacted(now: datetime) -> dict:
    return {
        "subject": REDACTED_SUBJECT,
        "body_text": REDACTED_BODY,
        "body_html": "",
        "redacted_at": now,
    }


def _claim_end(email_id: int, claimed_at: datetime, **fields) -> int:
    """End our claim with ``fields``, only while it is still ours: one UPDATE, so the outcome
    and the redaction of a sensitive message land together or not at all."""
    return OutboundEmail.objects.filter(
        pk=email_id, state=OutboundEmail.State.SENDING, claimed_at=claimed_at
    ).update(**fields)


def _message(email: OutboundEmail) -> EmailMultiAlternatives:
    message = EmailMultiAlternatives(
        subject=email.subject,
        body=email.body_text,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[email.to],
        headers={"X-Accord-Key": email.key[:200]},
    )
    if email.body_html:
        message.attach_alternative(email.body_html, "text/html")
    for item in email.attachments:
        with default_storage.open(item["storage_name"], "rb") as fh:
            message.attach(item["name"], fh.read(), item.get("mimetype"))
    return message


def email_deliver(email_id: int) -> bool:
    """Send a queued e-mail if nobody else is sending it. Raises on SMTP failure (for retry).

    A sensitive message is redacted when it is sent, and when it fails for the last time
    (``MAX_ATTEMPTS``): then it is given up, and whoever needs it asks for a new link or code.
    """
    claimed_at = _claim(email_id)
    if claimed_at is None:
        return False
    email = OutboundEmail.objects.get(pk=email_id)
    sensitive = email.sensitive or key_is_sensitive(email.key)
    try:
        _message(email).send(fail_silently=False)
    except Exception as exc:
        now = timezone.now()
        fields = {
            "state": OutboundEmail.State.FAILED,
            "last_error": f"{type(exc).__name__}: {exc}"[:2000],
        }
        if sensitive and email.attempts >= MAX_ATTEMPTS:
            fields.update(_redacted(now))
        _claim_end(email_id, claimed_at, **fields)
        raise
    now = timezone.now()
    fields = {"state": OutboundEmail.State.SENT, "sent_at": now, "last_error": ""}
    if sensitive:
        fields.update(_redacted(now))
    _claim_end(email_id, claimed_at, **fields)
    return True


def email_retry(email: OutboundEmail) -> bool:
    """Queue a failed or waiting e-mail again (the operations page's retry button).

    A failed row goes back to pending; a pending one (its task lost) or a stale claim is simply
    enqueued again. A sent e-mail, one a worker is sending right now, or a redacted one (given
    up: its secret is gone) is left alone: the claim in ``email_deliver`` still guarantees a
    single send. Returns whether it was queued.
    """
    now = timezone.now()
    retryable = Q(state__in=[OutboundEmail.State.FAILED, OutboundEmail.State.PENDING]) | Q(
        state=OutboundEmail.State.SENDING, claimed_at__lt=now - stale_claim()
    )
    with transaction.atomic():
        changed = OutboundEmail.objects.filter(
            retryable, pk=email.pk, redacted_at__isnull=True
        ).update(state=OutboundEmail.State.PENDING)
        if changed:
            _enqueue(email.pk)
    return bool(changed)
