"""What other apps call when something happens: ``emit(organization=…, type=…, data=…)``.

``emit`` writes the event and one delivery row per enabled endpoint of the organization that
wants the type, inside the caller's transaction (so the event exists exactly when the change
does), and queues each delivery after commit. It imports no other app, so every app's
services may call it without an import cycle.

``data`` is what the receiver gets under ``"data"``: plain JSON values, objects named by
their ``id`` (UUID) as in the REST API, e.g. for ``partnership.phase_changed``::

    {"partnership": {"id": "…", "name": "…", "partner": {"id": "…", "name": "…"}},
     "from": "crawl", "to": "walk", "reason": "…", "actor": {"id": "…", "email": "…"}}
"""

from __future__ import annotations

from collections.abc import Iterable

from django.db import transaction

from core.queue import enqueue

from .models import Delivery, Endpoint, Event

EVENT_TYPES: dict[str, str] = {
    "partnership.created": "A partnership was proposed.",
    "partnership.phase_changed": "A partnership moved to another phase (crawl, walk, run).",
    "partnership.status_changed": "A partnership's status changed.",
    "partnership.deferred_by_default": "The deferral date passed without a commit: deferred.",
    "partnership.flagged": "A partnership gained an anti-pattern flag.",
    "decision.recorded": "A decision was recorded (in effect, or awaiting approval).",
    "decision.approved": "The approver approved a pending decision.",
    "evidence.recorded": "An evidence entry was added to the log (or a correction).",
    "charter.sent": "A charter version was sent for signature.",
    "charter.signed": "A signer signed a charter.",
    "charter.declined": "A signer declined to sign.",
    "charter.voided": "A signature request was voided.",
    "charter.executed": "Every signer signed; the sealed PDF is ready.",
    "review.due": "A health review was created for this cycle.",
    "review.submitted": "A health review was submitted.",
    "review.overdue": "A health review is past its due date.",
    "review.disagreement": "Our side's and the partner's answers to a review differ.",
}
TEST_EVENT = "webhook.test"  # sent only by "Send a test event", to one endpoint


def _wanting(organization, type: str) -> list[Endpoint]:
    endpoints = Endpoint.objects.filter(organization=organization, is_enabled=True)
    return [endpoint for endpoint in endpoints if type in (endpoint.event_types or [])]


@transaction.atomic
def emit(*, organization, type: str, data: dict, endpoints=None) -> Event | None:
    """Record that ``type`` happened in ``organization`` and queue it for every endpoint that
    wants it. Returns the event, or None when no endpoint wants it (nothing is stored then).
    """
    if type not in EVENT_TYPES and type != TEST_EVENT:
        raise ValueError(f"Unknown webhook event type {type!r}.")
    targets = list(endpoints) if endpoints is not None else _wanting(organization, type)
    if not targets:
        return None
    event = Event.objects.create(organization=organization, type=type, data=data)
    deliveries = Delivery.objects.bulk_create(
        [
            Delivery(organization=organization, event=event, endpoint=endpoint)
            for endpoint in targets
        ]
    )
    for delivery in deliveries:
        enqueue("webhooks.tasks.deliver_webhook", delivery.pk)
    return event


@transaction.atomic
def emit_many(*, organization, type: str, items: Iterable[dict]) -> list[Event]:
    """``emit`` for a batch: one event per item (its ``data``), one delivery per event and
    wanting endpoint. The endpoints are looked up once and ``items`` is consumed only when one
    wants the type, so a large batch nobody subscribed to costs a single query.
    """
    if type not in EVENT_TYPES:
        raise ValueError(f"Unknown webhook event type {type!r}.")
    targets = _wanting(organization, type)
    if not targets:
        return []
    events = Event.objects.bulk_create(
        [Event(organization=organization, type=type, data=data) for data in items],
        batch_size=1000,
    )
    deliveries = Delivery.objects.bulk_create(
        [
            Delivery(organization=organization, event=event, endpoint=endpoint)
            for event in events
            for endpoint in targets
        ],
        batch_size=1000,
    )
    for delivery in deliveries:
        enqueue("webhooks.tasks.deliver_webhook", delivery.pk)
    return events
