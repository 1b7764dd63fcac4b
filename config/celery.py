"""The Celery application and the beat schedule.

Tasks are acknowledged late and rejected when a worker dies, so a killed worker's task runs
again elsewhere; every task is therefore written to be safe to run twice. Periodic work scans
the database instead of scheduling far-future countdowns.
"""

import os

from celery import Celery
from celery.schedules import crontab

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

app = Celery("accord")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.conf.update(
    task_serializer="json",
    result_serializer="json",
    accept_content=["json"],
    task_acks_late=True,
    task_reject_on_worker_lost=True,
    worker_prefetch_multiplier=1,
    task_time_limit=15 * 60,
    task_soft_time_limit=14 * 60,
    task_ignore_result=True,
    broker_connection_retry_on_startup=True,
    timezone="UTC",
    enable_utc=True,
)
# Longer than any task's hard time limit, so Redis never redelivers a task still running.
app.conf.broker_transport_options.setdefault("visibility_timeout", 2 * 60 * 60)

app.conf.beat_schedule = {
    "expire-stale-invitations": {
        "task": "accounts.tasks.expire_stale_invitations",
        "schedule": crontab(minute=15),
    },
    "retry-unsent-emails": {
        "task": "notifications.tasks.retry_pending_emails",
        "schedule": crontab(minute="*/5"),
    },
    # Charters: signing-link expiry, reminders every N days, unfinished executions.
    "scan-signature-requests": {
        "task": "charters.tasks.scan_signature_requests",
        "schedule": crontab(minute="*/15"),
    },
    # Health reviews: each organization's cycle starts at its own local weekday and hour, so
    # the dispatcher runs every hour and starts whichever cycles are due (idempotent).
    "dispatch-review-cycles": {
        "task": "reviews.tasks.dispatch_review_cycles",
        "schedule": crontab(minute=1),
    },
    "remind-overdue-reviews": {
        "task": "reviews.tasks.remind_overdue_reviews",
        "schedule": crontab(minute=31),
    },
    # Rules 5 and 6 and the ghosting count, per organization's local date (hourly is cheap
    # and idempotent, so each zone's day boundary is honoured within the hour).
    "daily-review-scan": {
        "task": "reviews.tasks.daily_review_scan",
        "schedule": crontab(minute=41),
    },
    # Evidence: a signed checkpoint of every chain that grew, kept outside the database too;
    # then the full hash-chain verification (after it, so it checks against tonight's head).
    "write-evidence-checkpoints": {
        "task": "evidence.tasks.write_evidence_checkpoints",
        "schedule": crontab(hour=3, minute=5),
    },
    # Evidence exports are downloads, not records: removed after a week.
    "purge-evidence-exports": {
        "task": "evidence.tasks.purge_evidence_exports",
        "schedule": crontab(minute=51, hour=3),
    },
    # Evidence: full hash-chain verification for the log badge of large logs (nightly).
    "verify-evidence-chains": {
        "task": "evidence.tasks.verify_evidence_chains",
        "schedule": crontab(hour=3, minute=17),
    },
    # Webhooks: deliveries due now (first tries and backed-off retries), each claimed once.
    "send-due-webhooks": {
        "task": "webhooks.tasks.send_due_webhooks",
        "schedule": crontab(minute="*"),
    },
    # Partner program: suggest revisiting a curated program whose queue outgrew review;
    # forget unconfirmed applications a day after their link expired.
    "programs-revisit-check": {
        "task": "programs.tasks.revisit_check_all",
        "schedule": crontab(hour=5, minute=51),
    },
    "programs-purge-pending": {
        "task": "programs.tasks.purge_pending",
        "schedule": crontab(hour=4, minute=7),
    },
    # Partner room: sign-in links and sessions a day past their end are deleted (idempotent).
    "purge-room-sessions": {
        "task": "partnerroom.tasks.purge_room_sessions",
        "schedule": crontab(hour=4, minute=23),
    },
}

app.autodiscover_tasks()
