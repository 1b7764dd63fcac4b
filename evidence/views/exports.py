"""Exports of the log (CSV or PDF) written by a worker: asked for here, offered when ready.

``export_csv`` / ``export_pdf`` take the log's filters in the query string. GET shows the
export of those filters (asking for it once on load when nothing was asked yet); POST asks for
it. A repeated click, a second tab or a reload finds the same export (``export_jobs``). The
export's own page polls its status and offers the file.
"""

from __future__ import annotations

from django.http import FileResponse, Http404
from django.shortcuts import redirect
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods

from accounts.scoping import OrgRequest, get_scoped_or_404, member_required
from core.pages import render_page, wants_partial

from ..export_jobs import export_existing, export_request
from ..models import EvidenceExport
from ..selectors import partnership_get

PAGE = "evidence/export.html"


def _scope(request: OrgRequest):
    if request.GET.get("partnership"):
        return partnership_get(request, request.GET["partnership"])
    return None


def _status_page(request: OrgRequest, export: EvidenceExport | None, **context):
    return render_page(
        request,
        PAGE,
        {"export": export, "status_url": _status_url(export), **context},
        partial="status",
    )


def _status_url(export: EvidenceExport | None) -> str:
    return reverse("evidence:export_status", args=[export.uuid]) if export else ""


def _ask(request: OrgRequest, fmt: str):
    partnership = _scope(request)
    ask_url = request.get_full_path()
    if request.method == "POST":
        export = export_request(
            organization=request.organization,
            partnership=partnership,
            fmt=fmt,
            query=request.GET,
            actor=request.user,
        )
        if not wants_partial(request):
            return redirect(_status_url(export))
    else:
        export = export_existing(
            organization=request.organization, partnership=partnership, fmt=fmt, query=request.GET
        )
    return _status_page(
        request,
        export,
        fmt=fmt,
        partnership=partnership,
        ask_url=ask_url,
        auto=export is None and not wants_partial(request),
    )


@member_required()
@require_http_methods(["GET", "POST"])
def export_csv(request: OrgRequest):
    """The filtered log as a CSV file, written by a worker.

    Any member may export: an export is a way to read the log, not a change to it."""
    return _ask(request, EvidenceExport.Format.CSV)


@member_required()
@require_http_methods(["GET", "POST"])
def export_pdf(request: OrgRequest):
    """The filtered log as a PDF document (up to ``export.EXPORT_LIMIT`` rows), by a worker."""
    return _ask(request, EvidenceExport.Format.PDF)


def _export_of(request: OrgRequest, export_uuid) -> EvidenceExport:
    return get_scoped_or_404(
        request, EvidenceExport.objects.select_related("partnership"), uuid=export_uuid
    )


@member_required()
@require_GET
def export_status(request: OrgRequest, export_uuid):
    """One export: its progress while it is written (htmx polls this), then its file."""
    export = _export_of(request, export_uuid)
    return _status_page(
        request,
        export,
        fmt=export.format,
        partnership=export.partnership,
        ask_url=_ask_url(export),
        auto=False,
    )


def _ask_url(export: EvidenceExport) -> str:
    name = (
        "evidence:export_csv"
        if export.format == EvidenceExport.Format.CSV
        else "evidence:export_pdf"
    )
    query = export.filters
    if export.partnership_id:
        query = f"partnership={export.partnership.uuid}" + (f"&{query}" if query else "")
    return reverse(name) + (f"?{query}" if query else "")


@member_required()
@require_GET
def export_file(request: OrgRequest, export_uuid):
    """A written export, read from the file storage."""
    export = _export_of(request, export_uuid)
    if export.status != EvidenceExport.Status.READY or not export.file:
        raise Http404("This export is not ready.")
    try:
        handle = export.file.open("rb")
    except OSError:
        raise Http404("This export is no longer stored: export again.") from None
    content_type = (
        "text/csv; charset=utf-8"
        if export.format == EvidenceExport.Format.CSV
        else "application/pdf"
    )
    return FileResponse(
        handle, as_attachment=True, filename=export.filename, content_type=content_type
    )
