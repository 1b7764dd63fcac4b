"""Periodic work for partner programs: thin, safe to run twice (see config/celery.py).

Beat entries the lead adds (daily is enough: the thresholds are counted in days):

    "programs-revisit-check": {
        "task": "programs.tasks.revisit_check_all", "schedule": crontab(hour=5, minute=51)},
    "programs-purge-pending": {
        "task": "programs.tasks.purge_pending", "schedule": crontab(hour=4, minute=7)},
"""

from celery import shared_task

from . import services


@shared_task
def revisit_check_all() -> int:
    """Record a revisit suggestion for each curated organization whose queue outgrew review."""
    return services.revisit_check_all()


@shared_task
def purge_pending() -> int:
    """Delete pending applications a day past their expiry."""
    return services.pending_purge()
