"""Sending deliveries: claim, sign, post, log, back off, give up, disable, resend.

A delivery is claimed with a conditional UPDATE (one winner, as for e-mail), so a task that
runs twice, or two workers, never send it twice. The HTTP call happens after the claim is
committed and outside any transaction. A failed try is retried on a growing schedule that
spans about a day; then the delivery is given up. An endpoint whose every attempt has failed
for that long is disabled and the organization's owners are told by e-mail. Retries are not
scheduled as far-future tasks: ``deliveries_due`` finds them, and a beat task sends them.
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone

from accounts.models import Membership, Role
from core.i18n import member_language
from core.queue import enqueue
from notifications.services import email_queue

from .endpoints import endpoint_secrets
from .models import Attempt, Delivery, Endpoint
from .secrets import SecretUnreadable
from .signing import body_for, signed_headers
from .transport import Answer, post

# Wait after the n-th failed try of a round; after the last, the delivery is given up.
BACKOFF = [
    datetime.timedelta(seconds=30),
    datetime.timedelta(minutes=2),
    datetime.timedelta(minutes=10),
    datetime.timedelta(minutes=30),
    datetime.timedelta(hours=1),
    datetime.timedelta(hours=2),
    datetime.timedelta(hours=4),
    datetime.timedelta(hours=8),
    datetime.timedelta(hours=8),
]
RETRY_SPAN = sum(BACKOFF, datetime.timedelta())  # about a day (23 h 42 min)
STALE_CLAIM = datetime.timedelta(minutes=5)  # a worker that died while sending


def _claimable(now: datetime.datetime) -> Q:
    due = Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lte=now)
    return (
        Q(state__in=[Delivery.State.PENDING, Delivery.State.RETRYING]) & due
        | Q(state=Delivery.State.SENDING, claimed_at__lt=now - STALE_CLAIM)
    ) & Q(endpoint__is_enabled=True)


def delivery_claim(delivery_id: int, *, now: datetime.datetime) -> bool:
    """Take a due delivery for sending; exactly one caller wins."""
    return bool(
        Delivery.objects.filter(_claimable(now), pk=delivery_id).update(
            state=Delivery.State.SENDING,
            claimed_at=now,
            attempts=F("attempts") + 1,
            round_attempts=F("round_attempts") + 1,
        )
    )


def _attempt(delivery: Delivery, now: datetime.datetime) -> Answer:
    event, endpoint = delivery.event, delivery.endpoint
    try:
        secrets = endpoint_secrets(endpoint, now=now)
    except SecretUnreadable as exc:
        return Answer(None, "", str(exc), 0)
    body = body_for(type=event.type, timestamp=event.created_at, data=event.data)
    headers = signed_headers(
        message_id=event.message_id, sent_at=timezone.now(), body=body, secrets=secrets
    )
    timeout = getattr(settings, "WEBHOOKS_TIMEOUT_SECONDS", 10)
    return post(endpoint.url, body.encode("utf-8"), headers, timeout=timeout)


def delivery_send(delivery_id: int) -> bool:
    """Claim and send one delivery if it is due; returns whether this call sent it."""
    now = timezone.now()
    if not delivery_claim(delivery_id, now=now):
        return False
    delivery = Delivery.objects.select_related("event", "endpoint__organization").get(
        pk=delivery_id
    )
    answer = _attempt(delivery, now)
    _record(delivery, answer, claimed_at=now)
    return True


@transaction.atomic
def _record(delivery: Delivery, answer: Answer, *, claimed_at: datetime.datetime) -> None:
    now = timezone.now()
    Attempt.objects.create(
        delivery=delivery,
        number=delivery.attempts,
        started_at=claimed_at,
        duration_ms=answer.duration_ms,
        status_code=answer.status,
        succeeded=answer.ok,
        error=answer.error,
        response_excerpt=answer.excerpt,
    )
    ours = Delivery.objects.filter(
        pk=delivery.pk, state=Delivery.State.SENDING, claimed_at=claimed_at
    )
    endpoint = delivery.endpoint
    if answer.ok:
        ours.update(
            state=Delivery.State.SUCCEEDED,
            delivered_at=now,
            next_attempt_at=None,
            last_status=answer.status,
            last_error="",
        )
        Endpoint.objects.filter(pk=endpoint.pk).update(failing_since=None)
        return
    failure = answer.error or f"HTTP {answer.status}"
    if delivery.round_attempts > len(BACKOFF):
        state, next_at = Delivery.State.FAILED, None
    else:
        state, next_at = Delivery.State.RETRYING, now + BACKOFF[delivery.round_attempts - 1]
    ours.update(state=state, next_attempt_at=next_at, last_status=answer.status, last_error=failure)
    Endpoint.objects.filter(pk=endpoint.pk, failing_since__isnull=True).update(
        failing_since=claimed_at
    )
    endpoint.refresh_from_db(fields=["failing_since", "is_enabled"])
    if endpoint.is_enabled and endpoint.failing_since <= now - RETRY_SPAN:
        _disable(endpoint, reason=f"Every attempt failed for a day (last: {failure})"[:300])


def _disable(endpoint: Endpoint, *, reason: str) -> None:
    """Stop calling an endpoint that keeps failing, and tell the organization's owners."""
    now = timezone.now()
    changed = Endpoint.objects.filter(pk=endpoint.pk, is_enabled=True).update(
        is_enabled=False, disabled_at=now, disabled_reason=reason
    )
    if not changed:
        return
    owners = Membership.objects.filter(
        organization_id=endpoint.organization_id, role=Role.OWNER
    ).select_related("user")
    for owner in owners:
        email_queue(
            key=f"webhook-disabled:{endpoint.uuid}:{int(now.timestamp())}:{owner.user_id}",
            to=owner.user.email,
            language=member_language(owner.user, endpoint.organization),
            template="webhook-endpoint-disabled",
            context={
                "endpoint": endpoint,
                "organization": endpoint.organization,
                "reason": reason,
                "owner": owner.user,
                "url": reverse("webhooks:endpoint", args=[endpoint.uuid]),
            },
            organization=endpoint.organization,
        )


def deliveries_due(*, now: datetime.datetime | None = None, limit: int = 500) -> list[int]:
    """Deliveries to send now: new ones whose task was lost, retries whose time has come,
    and claims left by a worker that died (oldest first)."""
    now = now or timezone.now()
    return list(
        Delivery.objects.filter(_claimable(now))
        .order_by("next_attempt_at", "pk")
        .values_list("pk", flat=True)[:limit]
    )


@transaction.atomic
def delivery_resend(*, delivery: Delivery) -> Delivery:
    """Send a delivery again (the delivery log's button): a new round of tries, from now.
    Receivers see the same ``webhook-id`` and may drop what they already processed."""
    locked = Delivery.objects.select_for_update().select_related("endpoint").get(pk=delivery.pk)
    if not locked.endpoint.is_enabled:
        raise ValidationError("Enable the endpoint first.")
    stale = locked.claimed_at is not None and locked.claimed_at < timezone.now() - STALE_CLAIM
    if locked.state == Delivery.State.SENDING and not stale:
        raise ValidationError("This delivery is being sent right now.")
    locked.state = Delivery.State.PENDING
    locked.next_attempt_at = None
    locked.round_attempts = 0
    locked.save(update_fields=["state", "next_attempt_at", "round_attempts"])
    enqueue("webhooks.tasks.deliver_webhook", locked.pk)
    return locked
