"""The card as a PDF (rendered by a worker, offered when ready), and the blank templates."""

from __future__ import annotations

from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods

from accounts.scoping import OrgRequest, member_required
from core.pages import render_page, wants_partial

from .. import exports, pdf, selectors
from ..models import FitCardPdf
from .common import revision_param

PDF_TEMPLATE = "fitcards/pdf.html"


def _pdf_response(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def _card_and_revision(request: OrgRequest, partnership) -> tuple[dict, object]:
    """The card the PDF is of: one revision (``?revision=N``) or the card as it stands."""
    fit_card = selectors.fit_card_of(partnership)
    if not request.GET.get("revision"):
        return selectors.current_card(partnership, fit_card), None
    if fit_card is None:
        raise Http404("This partnership has no fit card yet.")
    revision = selectors.revision_of(fit_card, revision_param(request, "revision"))
    return revision.data, revision


@member_required()
@require_http_methods(["GET", "POST"])
def card_pdf(request: OrgRequest, partnership_uuid):
    """The PDF of the card: GET says whether it is ready (htmx polls it), POST asks for it.

    Any member may ask: a PDF is a way to read the card, not a change to it.
    """
    partnership = selectors.partnership_for(request, partnership_uuid)
    card, revision = _card_and_revision(request, partnership)
    page_url = reverse("fitcards:pdf", args=[partnership.uuid])
    if revision is not None:
        page_url += f"?revision={revision.number}"
    if request.method == "POST":
        export = exports.pdf_request(
            partnership=partnership, card=card, revision=revision, actor=request.user
        )
        if not wants_partial(request):
            return redirect(page_url)
    else:
        key, _document = exports.pdf_document(partnership, card, revision)
        export = selectors.pdf_with_key(partnership, key)
    busy = export is not None and export.status in (
        FitCardPdf.Status.PENDING,
        FitCardPdf.Status.RENDERING,
    )
    context = {
        "partnership": partnership,
        "revision": revision,
        "export": export,
        "busy": busy,
        "page_url": page_url,
        # A whole page with nothing asked for yet asks at once (htmx, on load).
        "auto": not wants_partial(request),
    }
    return render_page(request, PDF_TEMPLATE, context, partial="status")


@member_required()
@require_GET
def pdf_file(request: OrgRequest, partnership_uuid, pdf_uuid):
    """A rendered PDF, read from the file storage."""
    partnership = selectors.partnership_for(request, partnership_uuid)
    export = selectors.ready_pdf(partnership, pdf_uuid)
    try:
        handle = export.file.open("rb")
    except OSError:
        raise Http404("This PDF is no longer stored: prepare it again.") from None
    return FileResponse(
        handle, as_attachment=True, filename=export.filename, content_type="application/pdf"
    )


@member_required()
@require_GET
def blank_fitcard(request: OrgRequest):
    return _pdf_response(pdf.blank_fitcard_pdf(), "partner-fit-card-template.pdf")


@member_required()
@require_GET
def blank_evidence_log(request: OrgRequest):
    return _pdf_response(pdf.blank_evidence_log_pdf(), "partnership-evidence-log-template.pdf")
