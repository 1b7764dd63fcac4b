"""The fit card panel on the partnership page (registered in ``FitcardsConfig.ready``)."""

from __future__ import annotations

from . import flow
from .models import FitCard, FitCardDraft


def partnership_panel(request, partnership) -> dict | None:
    """Fit card status, completeness and links; two queries whatever the data."""
    if partnership is None:
        return None
    fit_card = FitCard.objects.filter(partnership=partnership).first()
    draft = (
        FitCardDraft.objects.select_related("updated_by").filter(partnership=partnership).first()
    )
    card = flow.card_from_current(partnership, fit_card)
    membership = getattr(request, "membership", None)
    return {
        "template": "fitcards/panel.html",
        "partnership": partnership,
        "fit_card": fit_card,
        "draft": draft,
        "completeness": flow.completeness(flow.raw_from_card(card)),
        "can_write": bool(membership and membership.can_write),
    }
