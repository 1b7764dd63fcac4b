"""Execution: the executed charter rendered, sealed, stored and e-mailed, exactly once.

The work is claimed with a conditional UPDATE (one winner); a claim older than
``EXECUTION_STALE`` (a dead worker) can be taken over. The result is written, and the e-mails
queued, in one transaction at the end, so a failure leaves nothing half-done.
"""

from __future__ import annotations

from datetime import timedelta

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone

from core.i18n import signer_language
from core.queue import task_by_name
from notifications.services import email_queue

from .. import seal
from ..documents import combine_pdfs, render_execution_pages, sha256_hex
from ..models import AuditEvent, SignatureRequest
from ..page_numbers import number_pages
from ..snapshot import snapshot_sign
from .common import SYSTEM, announce, audit, email_context

EXECUTION_STALE = timedelta(minutes=10)
EXECUTE_TASK = "charters.tasks.execute_signature_request"


def execution_queue(request_id: int) -> None:
    """Queue the execution once the signature that completed the request is committed.

    A broker outage at that moment must not turn the signer's recorded signature into an
    error page (the callback is robust: logged, not raised); the periodic scan queues every
    unfinished execution again.
    """
    transaction.on_commit(lambda: task_by_name(EXECUTE_TASK).delay(request_id), robust=True)


def execution_requeue(request_id: int) -> None:
    """Queue the execution of an already committed request now (the periodic scan)."""
    task_by_name(EXECUTE_TASK).delay(request_id)


def executed_pdf_name(request: SignatureRequest) -> str:
    return f"charters/executed/{request.uuid}.pdf"


def execution_run(*, request_id: int) -> bool:
    """Render, seal, store and e-mail the executed charter. Returns True if this call did it.

    The work is claimed with a conditional UPDATE (one winner); a claim older than
    ``EXECUTION_STALE`` (a dead worker) can be taken over. The result is written, and the
    e-mails queued, in one transaction at the end, so a failure leaves nothing half-done and
    the retry (or the periodic scan) starts over.
    """
    now = timezone.now()
    E = SignatureRequest.Execution
    claimable = Q(execution_state__in=[E.PENDING, E.FAILED]) | Q(
        execution_state=E.RUNNING, execution_claimed_at__lt=now - EXECUTION_STALE
    )
    claimed = SignatureRequest.objects.filter(
        claimable, pk=request_id, state=SignatureRequest.State.COMPLETED
    ).update(
        execution_state=E.RUNNING,
        execution_claimed_at=now,
        execution_attempts=F("execution_attempts") + 1,
    )
    if not claimed:
        return False
    try:
        request = SignatureRequest.objects.select_related(
            "version__charter__partnership__partner", "organization"
        ).get(pk=request_id)
        version = request.version
        if version.has_evidence_snapshot and not version.evidence_checkpoint:
            # The executed PDF names the signed checkpoint of the snapshot: make sure it exists.
            version.evidence_checkpoint = snapshot_sign(version.pk)
        with default_storage.open(version.document_pdf, "rb") as fh:
            original = fh.read()
        if sha256_hex(original) != version.document_sha256:
            raise RuntimeError("The stored document does not match its recorded SHA-256.")
        signers = list(request.signers.all())
        events = list(request.audit_events.select_related("signer"))
        pages = render_execution_pages(request=request, signers=signers, events=events)
        sealed = seal.seal_pdf(
            number_pages(combine_pdfs(original, pages)),
            reason=f"Executed Partnership Charter v{version.number}",
        )
        name = executed_pdf_name(request)
        if default_storage.exists(name):
            default_storage.delete(name)
        stored = default_storage.save(name, ContentFile(sealed))
        digest = sha256_hex(sealed)
        with transaction.atomic():
            locked = SignatureRequest.objects.select_for_update(of=("self",)).get(pk=request_id)
            if locked.execution_state != E.RUNNING or locked.execution_claimed_at != now:
                return False  # a stale claim was taken over; the other run finishes
            locked.execution_state = E.DONE
            locked.executed_at = timezone.now()
            locked.executed_pdf = stored
            locked.executed_sha256 = digest
            locked.execution_error = ""
            locked.save(
                update_fields=[
                    "execution_state",
                    "executed_at",
                    "executed_pdf",
                    "executed_sha256",
                    "execution_error",
                ]
            )
            locked.version = version
            audit(
                request=locked,
                kind=AuditEvent.Kind.SEALED,
                meta=SYSTEM,
                detail=f"Sealed PDF SHA-256 {digest}",
            )
            announce(request=locked, type="charter.executed", sha256=digest)
            filename = f"charter-{version.charter.partnership.partner.name}-v{version.number}.pdf"
            filename = "".join(c if c.isalnum() or c in "-._" else "-" for c in filename)
            for signer in signers:
                email_queue(
                    key=f"charter-executed:{signer.pk}:{version.pk}",
                    to=signer.email,
                    template="charter-executed",
                    context={**email_context(request=locked, signer=signer), "digest": digest},
                    organization=request.organization,
                    language=signer_language(signer),
                    attachments=[
                        {"name": filename, "storage_name": stored, "mimetype": "application/pdf"}
                    ],
                )
        return True
    except Exception as exc:
        SignatureRequest.objects.filter(
            pk=request_id, execution_state=E.RUNNING, execution_claimed_at=now
        ).update(execution_state=E.FAILED, execution_error=f"{type(exc).__name__}: {exc}"[:2000])
        raise
