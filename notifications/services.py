"""Queue and deliver e-mails through the outbox.

``email_queue`` renders ``emails/<template>-subject.txt``, ``-body.txt`` and ``-body.html``
(the HTML part is optional) and stores the message under an idempotency key; delivery is a
Celery task enqueued by name (``core.queue``) after the surrounding transaction commits, so this
module never imports ``notifications.tasks`` (the tasks import it).
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from datetime import timedelta

from django.conf import settings
from django.core.files.storage import default_storage
from django.core.mail import EmailMultiAlternatives
from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.template.exceptions import TemplateDoesNotExist
from django.template.loader import render_to_string
from django.utils import timezone

from core.queue import task_by_name

from .models import OutboundEmail

log = logging.getLogger(__name__)

STALE_CLAIM = timedelta(minutes=10)


def stale_claim() -> timedelta:
    """How long a claim may stay in "sending" before another worker may take it over.

    A worker killed between claiming and finishing leaves the row "sending"; after this long
    the periodic retry (or a redelivered task) claims it again. Settable for tests.
    """
    seconds = getattr(settings, "ACCORD_EMAIL_STALE_CLAIM_SECONDS", None)
    return timedelta(seconds=seconds) if seconds is not None else STALE_CLAIM


DELIVER_TASK = "notifications.tasks.deliver_email"


def _enqueue(email_id: int) -> None:
    """Enqueue delivery after commit. A broker outage must not undo the committed change nor
    fail the request that made it: the row stays pending and ``retry_pending_emails`` enqueues
    it later. So the task, found by name like ``core.queue.enqueue`` does, is handed to the
    broker in a robust on-commit callback: an error is logged, not raised."""
    transaction.on_commit(lambda: task_by_name(DELIVER_TASK).delay(email_id), robust=True)


def _render(template: str, context: dict) -> tuple[str, str, str]:
    ctx = {"site_url": settings.SITE_URL, **context}
    subject = " ".join(render_to_string(f"emails/{template}-subject.txt", ctx).split())
    text = render_to_string(f"emails/{template}-body.txt", ctx)
    try:
        html = render_to_string(f"emails/{template}-body.html", ctx)
    except TemplateDoesNotExist:
        html = ""
    return subject, text, html


def email_queue(
    *,
    key: str,
    to: str,
    template: str,
    context: dict,
    organization=None,
    attachments: Iterable[dict] = (),
) -> OutboundEmail | None:
    """Queue one e-mail once. Returns the new row, or None when ``key`` was already queued.

    Must be called inside the transaction that made the e-mail necessary, so the e-mail exists
    exactly when the change does.
    """
    if OutboundEmail.objects.filter(key=key).exists():
        return None
    subject, text, html = _render(template, context)
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
            )
    except IntegrityError:
        return None  # a concurrent run queued it first
    _enqueue(email.pk)
    return email


def email_claim(email_id: int) -> bool:
    """Claim a row for sending; exactly one caller wins."""
    now = timezone.now()
    claimable = Q(state__in=[OutboundEmail.State.PENDING, OutboundEmail.State.FAILED]) | Q(
        state=OutboundEmail.State.SENDING, claimed_at__lt=now - stale_claim()
    )
    return bool(
        OutboundEmail.objects.filter(claimable, pk=email_id).update(
            state=OutboundEmail.State.SENDING, claimed_at=now, attempts=F("attempts") + 1
        )
    )


def email_deliver(email_id: int) -> bool:
    """Send a queued e-mail if nobody else is sending it. Raises on SMTP failure (for retry)."""
    if not email_claim(email_id):
        return False
    email = OutboundEmail.objects.get(pk=email_id)
    message = EmailMultiAlternatives(
        subject=email.subject,
        body=email.body_text,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[email.to],
        headers={"X-Accord-Key": email.key[:200]},
    )
    if email.body_html:
        message.attach_alternative(email.body_html, "text/html")
    try:
        for item in email.attachments:
            with default_storage.open(item["storage_name"], "rb") as fh:
                message.attach(item["name"], fh.read(), item.get("mimetype"))
        message.send(fail_silently=False)
    except Exception as exc:
        OutboundEmail.objects.filter(pk=email_id).update(
            state=OutboundEmail.State.FAILED, last_error=f"{type(exc).__name__}: {exc}"[:2000]
        )
        raise
    OutboundEmail.objects.filter(pk=email_id).update(
        state=OutboundEmail.State.SENT, sent_at=timezone.now(), last_error=""
    )
    return True


def email_retry(email: OutboundEmail) -> bool:
    """Queue a failed or waiting e-mail again (the operations page's retry button).

    A failed row goes back to pending; a pending one (its task lost) or a stale claim is simply
    enqueued again. A sent e-mail, or one a worker is sending right now, is left alone: the
    claim in ``email_deliver`` still guarantees a single send. Returns whether it was queued.
    """
    now = timezone.now()
    retryable = Q(state__in=[OutboundEmail.State.FAILED, OutboundEmail.State.PENDING]) | Q(
        state=OutboundEmail.State.SENDING, claimed_at__lt=now - stale_claim()
    )
    with transaction.atomic():
        changed = OutboundEmail.objects.filter(retryable, pk=email.pk).update(
            state=OutboundEmail.State.PENDING
        )
        if changed:
            _enqueue(email.pk)
    return bool(changed)
