"""The card as a PDF, and the blank printable templates."""

from __future__ import annotations

from django.http import Http404, HttpResponse
from django.utils.text import slugify
from django.views.decorators.http import require_GET

from accounts.scoping import OrgRequest, member_required

from .. import pdf, selectors
from ..presentation import card_sections
from .common import revision_param


def _pdf_response(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@member_required()
@require_GET
def card_pdf(request: OrgRequest, partnership_uuid):
    """The card as it stands, or one revision (``?revision=N``), as a PDF."""
    partnership = selectors.partnership_for(request, partnership_uuid)
    fit_card = selectors.fit_card_of(partnership)
    revision = None
    if request.GET.get("revision"):
        if fit_card is None:
            raise Http404("This partnership has no fit card yet.")
        revision = selectors.revision_of(fit_card, revision_param(request, "revision"))
        card = revision.data
    else:
        card = selectors.current_card(partnership, fit_card)
    content = pdf.fitcard_pdf(
        partnership=partnership,
        sections=card_sections(card, partnership.partner.name),
        revision=revision,
    )
    suffix = f"-r{revision.number}" if revision else ""
    name = slugify(f"{partnership.partner.name} {partnership.name}") or "partnership"
    return _pdf_response(content, f"fit-card-{name}{suffix}.pdf")


@member_required()
@require_GET
def blank_fitcard(request: OrgRequest):
    return _pdf_response(pdf.blank_fitcard_pdf(), "partner-fit-card-template.pdf")


@member_required()
@require_GET
def blank_evidence_log(request: OrgRequest):
    return _pdf_response(pdf.blank_evidence_log_pdf(), "partnership-evidence-log-template.pdf")
