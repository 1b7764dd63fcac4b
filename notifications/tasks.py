"""Celery tasks of the outbox: thin, given ids, safe to run twice (the claim decides)."""

from datetime import timedelta

from celery import shared_task
from django.conf import settings
from django.db.models import Q
from django.utils import timezone

from .models import OutboundEmail
from .services import MAX_ATTEMPTS, email_deliver, stale_claim


@shared_task(
    bind=True,
    autoretry_for=(Exception,),
    retry_backoff=30,
    retry_backoff_max=30 * 60,
    retry_jitter=True,
    max_retries=MAX_ATTEMPTS,
)
def deliver_email(self, email_id: int) -> bool:
    return email_deliver(email_id)


@shared_task
def retry_pending_emails() -> int:
    """Re-enqueue e-mails whose task was lost (pending too long, or a stale claim), and failed
    ones not yet given up. Redacted messages are never sent again."""
    now = timezone.now()
    pending_age = timedelta(seconds=getattr(settings, "ACCORD_EMAIL_PENDING_RETRY_SECONDS", 300))
    stuck = (
        OutboundEmail.objects.filter(
            Q(state=OutboundEmail.State.PENDING, created_at__lt=now - pending_age)
            | Q(state=OutboundEmail.State.SENDING, claimed_at__lt=now - stale_claim())
            | Q(state=OutboundEmail.State.FAILED, attempts__lt=MAX_ATTEMPTS)
        )
        .filter(redacted_at__isnull=True)
        .values_list("pk", flat=True)[:500]
    )
    ids = list(stuck)
    for pk in ids:
        deliver_email.delay(pk)
    return len(ids)
