"""Celery tasks for webhook deliveries: thin, safe to run twice (the claim decides)."""

from __future__ import annotations

from celery import shared_task

from .delivery import deliveries_due, delivery_send


@shared_task
def deliver_webhook(delivery_id: int) -> bool:
    """Send one delivery if it is due and nobody else is sending it."""
    return delivery_send(delivery_id)


@shared_task
def send_due_webhooks() -> int:
    """Beat, every minute: send the retries whose time has come and any delivery whose task
    was lost. Each is sent in its own task, so one slow receiver delays no other."""
    ids = deliveries_due()
    for delivery_id in ids:
        deliver_webhook.delay(delivery_id)
    return len(ids)
