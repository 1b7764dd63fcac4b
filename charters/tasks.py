"""Celery tasks: thin wrappers, given ids, safe to run twice (the services claim their work)."""

from celery import shared_task

from .services.execution import execution_run
from .services.scan import signatures_scan
from .snapshot import snapshot_sign


@shared_task(
    bind=True,
    autoretry_for=(Exception,),
    retry_backoff=30,
    retry_backoff_max=30 * 60,
    retry_jitter=True,
    max_retries=8,
)
def execute_signature_request(self, request_id: int) -> bool:
    """Render, seal, store and e-mail the executed charter of a completed request."""
    return execution_run(request_id=request_id)


@shared_task
def scan_signature_requests() -> dict:
    """Expiry, reminders and unfinished executions (beat, every 15 minutes)."""
    return signatures_scan()


@shared_task
def sign_evidence_snapshot(version_id: int) -> bool:
    """Record the signed checkpoint covering a sent version's evidence snapshot (once)."""
    return bool(snapshot_sign(version_id))
