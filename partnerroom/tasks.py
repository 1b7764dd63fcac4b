"""Celery tasks of the partner room: thin and safe to run twice."""

from celery import shared_task

from .services.access import sessions_purge


@shared_task
def purge_room_sessions() -> int:
    """Daily: delete sign-in links and sessions a day past their end (hashes only, but no
    reason to keep them); the audit trail keeps its lines."""
    return sessions_purge()
