"""Fit card PDFs rendered by a worker: asked for once, rendered once, kept in the storage.

Rendering a card takes WeasyPrint most of a second, far too long for a request and never
inside a transaction that holds a lock. So a request only records that the PDF of this exact
document is wanted (``pdf_request``) and a Celery task renders it (``pdf_render``); the page
polls until the file is ready.

A document's ``key`` is the digest of what it shows. It is unique in the table, so a second
click, a second tab or a retried request finds the row the first one made and starts
nothing; the worker claims a row with a conditional update, so a task delivered twice
renders once.
"""

from __future__ import annotations

import datetime
import hashlib
import json
import logging

from django.core.files.base import ContentFile
from django.db.models import Q
from django.utils import timezone

from core.queue import enqueue
from partnerships.models import Partnership

from .models import FitCardPdf, FitCardRevision
from .pdf import fitcard_document, fitcard_filename, fitcard_pdf

log = logging.getLogger(__name__)

RENDER_TASK = "fitcards.tasks.render_fitcard_pdf"
# Longer than a task's hard time limit (15 minutes): a render still marked as running after
# this was lost with its worker and may be claimed again.
STALE_AFTER = datetime.timedelta(minutes=20)


def document_key(partnership: Partnership, document: dict) -> str:
    """The digest that names one document of one partnership."""
    payload = json.dumps(
        {"partnership": partnership.pk, "document": document},
        sort_keys=True,
        ensure_ascii=False,
        separators=(",", ":"),
    )
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


def pdf_document(partnership: Partnership, card: dict, revision=None) -> tuple[str, dict]:
    """(key, document) for the card as given (the current card, or a revision's data)."""
    document = fitcard_document(partnership, card, revision)
    return document_key(partnership, document), document


def _stale(now: datetime.datetime) -> Q:
    return Q(status=FitCardPdf.Status.RENDERING, started_at__lt=now - STALE_AFTER)


def pdf_request(
    *, partnership: Partnership, card: dict, revision: FitCardRevision | None = None, actor
) -> FitCardPdf:
    """Ask for the PDF of ``card``: the row for its document, queued for rendering once.

    A render that failed, or was lost with its worker, is queued again; one that is waiting,
    running or done is left alone.
    """
    key, document = pdf_document(partnership, card, revision)
    export, created = FitCardPdf.objects.get_or_create(
        key=key,
        defaults={
            "organization_id": partnership.organization_id,
            "partnership": partnership,
            "revision": revision,
            "document": document,
            "filename": fitcard_filename(document),
            "requested_by": actor if getattr(actor, "pk", None) else None,
        },
    )
    if not created:
        now = timezone.now()
        retried = (
            FitCardPdf.objects.filter(pk=export.pk)
            .filter(Q(status=FitCardPdf.Status.FAILED) | _stale(now))
            .update(status=FitCardPdf.Status.PENDING, error="", started_at=None)
        )
        if not retried:
            return export
        export.refresh_from_db()
    enqueue(RENDER_TASK, export.pk)
    return export


def pdf_render(*, pdf_id: int) -> bool:
    """Render and store the PDF of row ``pdf_id`` if this call wins the claim on it.

    Returns whether this call rendered it. Nothing is locked while WeasyPrint runs: the claim
    is a conditional update that only one caller can win.
    """
    now = timezone.now()
    claimed = (
        FitCardPdf.objects.filter(pk=pdf_id)
        .filter(Q(status=FitCardPdf.Status.PENDING) | _stale(now))
        .update(status=FitCardPdf.Status.RENDERING, started_at=now)
    )
    if not claimed:
        return False
    export = FitCardPdf.objects.select_related("organization", "revision__created_by").get(
        pk=pdf_id
    )
    try:
        content = fitcard_pdf(
            organization=export.organization, document=export.document, revision=export.revision
        )
        export.file.save(export.filename, ContentFile(content), save=False)
    except Exception as error:
        log.exception("Fit card PDF %s could not be rendered", export.uuid)
        FitCardPdf.objects.filter(pk=pdf_id, status=FitCardPdf.Status.RENDERING).update(
            status=FitCardPdf.Status.FAILED,
            error=f"{type(error).__name__}: the document could not be rendered."[:300],
            finished_at=timezone.now(),
        )
        return False
    FitCardPdf.objects.filter(pk=pdf_id, status=FitCardPdf.Status.RENDERING).update(
        status=FitCardPdf.Status.READY, file=export.file.name, finished_at=timezone.now()
    )
    return True
