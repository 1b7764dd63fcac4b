"""Fit cards: read only. A card changes through the guided flow on its page, which keeps a
draft per partnership; finishing it freezes a revision, listed here."""

from __future__ import annotations

from uuid import UUID

from django.http import Http404
from ninja import Query, Router

from fitcards.models import FitCard as FitCardModel
from fitcards.models import FitCardRevision

from ..pagination import Ordering
from ..schemas.fitcards import FitCard, Revision, RevisionPage
from .common import page_of
from .partnerships import partnership_or_404

router = Router(tags=["Fit cards"])

NEWEST_FIRST = Ordering("-number", ("-number",))


def _card(request, partnership_id: UUID) -> FitCardModel:
    partnership = partnership_or_404(request, partnership_id)
    card = (
        FitCardModel.objects.select_related("finished_by", "partnership__partner")
        .filter(partnership=partnership)
        .first()
    )
    if card is None:
        raise Http404("No finished fit card.")
    return card


@router.get(
    "/partnerships/{partnership_id}/fit-card",
    response=FitCard,
    summary="A partnership's fit card (latest revision)",
)
def get_fit_card(request, partnership_id: UUID):
    """404 until the card was finished once."""
    card = _card(request, partnership_id)
    card.latest_revision = (
        FitCardRevision.objects.filter(fit_card=card)
        .select_related("created_by")
        .order_by("-number")
        .first()
    )
    return card


@router.get(
    "/partnerships/{partnership_id}/fit-card/revisions",
    response=RevisionPage,
    summary="A fit card's revisions, newest first",
)
def list_revisions(
    request,
    partnership_id: UUID,
    cursor: str | None = Query(None, max_length=2000),
    limit: int = Query(25, ge=1, le=100),
):
    card = _card(request, partnership_id)
    revisions = FitCardRevision.objects.filter(fit_card=card).select_related("created_by")
    return page_of(revisions, ordering=NEWEST_FIRST, cursor=cursor, limit=limit)


@router.get(
    "/partnerships/{partnership_id}/fit-card/revisions/{number}",
    response=Revision,
    summary="One revision of a fit card",
)
def get_revision(request, partnership_id: UUID, number: int):
    card = _card(request, partnership_id)
    revision = (
        FitCardRevision.objects.filter(fit_card=card, number=number)
        .select_related("created_by")
        .first()
        if 0 < number < 2**31
        else None
    )
    if revision is None:
        raise Http404("No such revision.")
    return revision
