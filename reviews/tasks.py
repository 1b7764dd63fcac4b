"""Celery tasks for health reviews: thin, given ids, safe to run twice.

The beat schedule (config/celery.py) runs the dispatcher hourly; it scans the database for
organizations whose weekly start has passed without a cycle and enqueues one task per
organization after its own transaction commits.
"""

import datetime

from celery import shared_task
from django.db import transaction

from accounts.models import Organization

from .services import cycles, reminders, rules

RETRY = {
    "autoretry_for": (Exception,),
    "retry_backoff": 30,
    "retry_backoff_max": 15 * 60,
    "retry_jitter": True,
    "max_retries": 6,
    "acks_late": True,
}


@shared_task
def dispatch_review_cycles() -> int:
    """Hourly: start every organization's cycle whose local weekday and hour have come."""
    due = cycles.cycles_due()
    for org_id, day in due:
        transaction.on_commit(
            lambda org_id=org_id, day=day: start_review_cycle.delay(org_id, day.isoformat())
        )
    return len(due)


@shared_task(**RETRY)
def start_review_cycle(organization_id: int, starts_on: str) -> int:
    organization = Organization.objects.get(pk=organization_id)
    cycle = cycles.cycle_start(
        organization=organization, starts_on=datetime.date.fromisoformat(starts_on)
    )
    return cycle.pk


@shared_task(**RETRY)
def remind_overdue_reviews() -> int:
    """Hourly: overdue marks, reminders on the reminder day, escalations on the escalation day."""
    total = 0
    for organization in Organization.objects.iterator():
        result = reminders.reminders_send(organization=organization)
        total += result["reminded"] + result["escalated"]
    return total


@shared_task(**RETRY)
def daily_review_scan() -> int:
    """Rules 5 (deferral by default), 6 (phase time boxes) and the ghosting count."""
    total = 0
    for organization in Organization.objects.iterator():
        result = rules.daily_scan(organization=organization)
        total += result["deferred"] + result["timeboxes"]
    return total
