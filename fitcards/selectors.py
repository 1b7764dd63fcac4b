"""Reads for fit cards. Every view reaches a partnership through ``partnership_for``."""

from __future__ import annotations

from django.http import Http404

from accounts.scoping import get_scoped_or_404
from partnerships.models import Partnership

from .card import card_from_current
from .models import FitCard, FitCardDraft, FitCardPdf, FitCardRevision


def partnership_for(request, partnership_uuid) -> Partnership:
    """The request organization's partnership, with what the card pages show, or 404."""
    return get_scoped_or_404(
        request,
        Partnership.objects.select_related("organization", "partner", "unwind_authorizer"),
        uuid=partnership_uuid,
    )


def fit_card_of(partnership: Partnership) -> FitCard | None:
    return FitCard.objects.select_related("finished_by").filter(partnership=partnership).first()


def draft_of(partnership: Partnership) -> FitCardDraft | None:
    return FitCardDraft.objects.select_related("updated_by").filter(partnership=partnership).first()


def current_card(partnership: Partnership, fit_card: FitCard | None) -> dict:
    return card_from_current(partnership, fit_card)


def revisions_of(fit_card: FitCard):
    return FitCardRevision.objects.filter(fit_card=fit_card).select_related("created_by")


def revision_of(fit_card: FitCard, number: int) -> FitCardRevision:
    revision = revisions_of(fit_card).filter(number=number).first()
    if revision is None:
        raise Http404("No such revision.")
    return revision


def fit_card_rows(request, partnerships_qs):
    """Partnerships with their card and draft in one query (for the list page)."""
    # Ordering through the partner's (organization, name) index avoids sorting every row.
    return (
        partnerships_qs.filter(partner__organization=request.organization)
        .select_related("partner", "fit_card", "fit_card_draft")
        .order_by("partner__organization", "partner__name", "name", "pk")
    )


def pdf_with_key(partnership: Partnership, key: str) -> FitCardPdf | None:
    """The PDF of one document of this partnership, if it was asked for."""
    return FitCardPdf.objects.filter(partnership=partnership, key=key).first()


def ready_pdf(partnership: Partnership, pdf_uuid) -> FitCardPdf:
    """A rendered PDF of this partnership (already scoped through ``partnership_for``), or 404."""
    found = FitCardPdf.objects.filter(
        partnership=partnership,
        organization_id=partnership.organization_id,
        uuid=pdf_uuid,
        status=FitCardPdf.Status.READY,
    ).first()
    if found is None or not found.file:
        raise Http404("This PDF is not ready.")
    return found
