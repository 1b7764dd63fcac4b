"""The filtered log as a CSV or PDF download, dated on the organization's calendar."""

from __future__ import annotations

from django.http import HttpResponse, StreamingHttpResponse
from django.views.decorators.http import require_GET

from accounts.scoping import OrgRequest, member_required
from core.clock import org_today

from ..export import csv_lines, log_pdf
from ..selectors import partnership_get
from .log import filtered_entries


def _export_scope(request: OrgRequest):
    partnership = None
    if request.GET.get("partnership"):
        partnership = partnership_get(request, request.GET["partnership"])
    _form, qs = filtered_entries(request, partnership)
    return partnership, qs


def _attachment(response: HttpResponse, request: OrgRequest, extension: str) -> HttpResponse:
    stamp = org_today(request.organization).isoformat()
    response["Content-Disposition"] = f'attachment; filename="evidence-log-{stamp}.{extension}"'
    return response


@require_GET
@member_required()
def export_csv(request: OrgRequest) -> StreamingHttpResponse:
    """The filtered log as CSV, streamed."""
    _partnership, qs = _export_scope(request)
    response = StreamingHttpResponse(csv_lines(qs), content_type="text/csv; charset=utf-8")
    return _attachment(response, request, "csv")


@require_GET
@member_required()
def export_pdf(request: OrgRequest) -> HttpResponse:
    """The filtered log as a PDF, up to ``export.EXPORT_LIMIT`` rows."""
    partnership, qs = _export_scope(request)
    pdf = log_pdf(
        qs,
        organization=request.organization,
        partnership=partnership,
        filters=request.GET.urlencode(),
    )
    return _attachment(HttpResponse(pdf, content_type="application/pdf"), request, "pdf")
