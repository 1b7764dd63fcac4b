"""Exports of the evidence log written by a worker, with progress, asked for once.

A request only records which export is wanted (``export_request``) and a Celery task writes it
(``export_render``); the page polls the row and offers the file when it is ready, so no request
waits on WeasyPrint or on reading a million rows, and pages stay fast while exports run.

What an export holds is fixed when it is asked for: the filters and the log's last sequence at
that moment (the log only grows, so "every matching entry up to #N" is a stable set). The
``key`` digests exactly that, and is unique: a second click, a second tab or a retried request
finds the row the first one made. The worker claims a row with a conditional update, so a task
delivered twice writes the file once.
"""

from __future__ import annotations

import datetime
import hashlib
import json
import logging
import tempfile

from django.core.files import File
from django.core.files.base import ContentFile
from django.db.models import Q
from django.http import QueryDict
from django.utils import timezone

from core.clock import org_today
from core.queue import enqueue

from .export import EXPORT_LIMIT, csv_lines, log_pdf
from .forms import FilterForm
from .models import EvidenceExport
from .selectors import log_total, organization_entries

log = logging.getLogger(__name__)

RENDER_TASK = "evidence.tasks.render_evidence_export"
# Longer than a task's hard time limit (15 minutes): a render still marked as running after
# this was lost with its worker and may be claimed again.
STALE_AFTER = datetime.timedelta(minutes=20)
# Exports are copies of the log for a download, not records: they are removed after a week.
KEEP_FOR = datetime.timedelta(days=7)
# Progress is written every this many rows (one UPDATE each, not one per row).
PROGRESS_EVERY = 2000

Status = EvidenceExport.Status


def export_filters(query: QueryDict, *, organization, partnership=None) -> str:
    """The filter part of a query string, normalized: only the filter form's fields, non-empty,
    in a fixed order. Paging and anything unknown are dropped, so the same filters always make
    the same key."""
    names = FilterForm(organization=organization, partnership=partnership).fields
    kept = QueryDict(mutable=True)
    for name in sorted(names):
        value = query.get(name, "")
        if value:
            kept[name] = value
    return kept.urlencode()


def export_key(*, organization, partnership, fmt: str, filters: str, through: int) -> str:
    """The digest that names one export's content."""
    payload = json.dumps(
        {
            "organization": organization.pk,
            "partnership": partnership.pk if partnership else None,
            "format": fmt,
            "filters": filters,
            "through": through,
        },
        sort_keys=True,
        separators=(",", ":"),
    )
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


def _content(organization, partnership, fmt: str, query: QueryDict) -> tuple[str, int, str]:
    """(filters, last sequence, key) of the export these filters ask for, as the log stands."""
    filters = export_filters(query, organization=organization, partnership=partnership)
    through = log_total(organization)
    key = export_key(
        organization=organization,
        partnership=partnership,
        fmt=fmt,
        filters=filters,
        through=through,
    )
    return filters, through, key


def export_existing(*, organization, partnership=None, fmt: str, query: QueryDict):
    """The export these filters ask for as the log stands now, if it was asked for already."""
    _filters, _through, key = _content(organization, partnership, fmt, query)
    return EvidenceExport.objects.filter(organization=organization, key=key).first()


def _stale(now: datetime.datetime) -> Q:
    return Q(status=Status.RENDERING, started_at__lt=now - STALE_AFTER)


def export_request(
    *, organization, partnership=None, fmt: str, query: QueryDict, actor
) -> EvidenceExport:
    """Ask for an export of the log as filtered by ``query``: the row for it, queued once.

    A failed export, or one lost with its worker, is queued again; one waiting, running or
    done is returned as it is (a repeated click starts nothing).
    """
    if fmt not in EvidenceExport.Format.values:
        raise ValueError(f"Unknown export format: {fmt!r}")
    filters, through, key = _content(organization, partnership, fmt, query)
    stamp = org_today(organization).isoformat()
    export, created = EvidenceExport.objects.get_or_create(
        key=key,
        defaults={
            "organization": organization,
            "partnership": partnership,
            "requested_by": actor if getattr(actor, "pk", None) else None,
            "format": fmt,
            "filters": filters,
            "through_sequence": through,
            "filename": f"evidence-log-{stamp}.{fmt}",
        },
    )
    if not created:
        retried = (
            EvidenceExport.objects.filter(pk=export.pk)
            .filter(Q(status=Status.FAILED) | _stale(timezone.now()))
            .update(status=Status.PENDING, error="", started_at=None, rows_done=0)
        )
        if not retried:
            return export
        export.refresh_from_db()
    enqueue(RENDER_TASK, export.pk)
    return export


def export_entries(export: EvidenceExport):
    """The entries an export holds: the log as filtered, up to the entry it was asked at."""
    form = FilterForm(
        QueryDict(export.filters),
        organization=export.organization,
        partnership=export.partnership,
    )
    qs = organization_entries(export.organization, export.partnership)
    return form.apply(qs).filter(sequence__lte=export.through_sequence)


def _progress(export_id: int, done: int) -> None:
    EvidenceExport.objects.filter(pk=export_id, status=Status.RENDERING).update(rows_done=done)


def _write_csv(export: EvidenceExport, entries) -> None:
    """Stream the CSV into a temporary file (never the whole log in memory), then store it."""
    with tempfile.TemporaryFile() as handle:
        for done, line in enumerate(csv_lines(entries)):
            handle.write(line.encode("utf-8"))
            if done and done % PROGRESS_EVERY == 0:
                _progress(export.pk, done)
        handle.seek(0)
        export.file.save(export.filename, File(handle), save=False)


def _write_pdf(export: EvidenceExport, entries) -> None:
    content = log_pdf(
        entries,
        organization=export.organization,
        partnership=export.partnership,
        filters=export.filters,
    )
    export.file.save(export.filename, ContentFile(content), save=False)


def export_render(*, export_id: int) -> bool:
    """Write and store export ``export_id`` if this call wins the claim on it.

    Returns whether this call wrote it. Nothing is locked while it runs: the claim is a
    conditional update that only one caller can win, and progress updates are plain UPDATEs.
    """
    now = timezone.now()
    claimed = (
        EvidenceExport.objects.filter(pk=export_id)
        .filter(Q(status=Status.PENDING) | _stale(now))
        .update(status=Status.RENDERING, started_at=now, rows_done=0)
    )
    if not claimed:
        return False
    export = EvidenceExport.objects.select_related("organization", "partnership").get(pk=export_id)
    try:
        entries = export_entries(export)
        total = entries.count()
        if export.format == EvidenceExport.Format.PDF:
            total = min(total, EXPORT_LIMIT)
        EvidenceExport.objects.filter(pk=export_id).update(rows_total=total)
        if export.format == EvidenceExport.Format.CSV:
            _write_csv(export, entries)
        else:
            _write_pdf(export, entries)
    except Exception as error:
        log.exception("Evidence export %s could not be written", export.uuid)
        EvidenceExport.objects.filter(pk=export_id, status=Status.RENDERING).update(
            status=Status.FAILED,
            error=f"{type(error).__name__}: the export could not be written."[:300],
            finished_at=timezone.now(),
        )
        return False
    EvidenceExport.objects.filter(pk=export_id, status=Status.RENDERING).update(
        status=Status.READY,
        file=export.file.name,
        rows_done=total,
        finished_at=timezone.now(),
    )
    return True


def purge_exports(now: datetime.datetime | None = None) -> int:
    """Remove exports older than ``KEEP_FOR`` and their files; returns how many."""
    cutoff = (now or timezone.now()) - KEEP_FOR
    removed = 0
    for export in EvidenceExport.objects.filter(created_at__lt=cutoff).iterator():
        if export.file:
            export.file.delete(save=False)
        export.delete()
        removed += 1
    return removed
