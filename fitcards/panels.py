"""The fit card panel on the partnership page (registered in ``FitcardsConfig.ready``)."""

from __future__ import annotations

from django.db.models import Count, Q

from accounts.scoping import scoped
from partnerships.models import Partnership

from .card import card_from_current, completeness, raw_from_card
from .models import FitCard, FitCardDraft


def partnership_panel(request, partnership) -> dict | None:
    """Fit card status, completeness and links; two queries whatever the data."""
    if partnership is None:
        return None
    fit_card = FitCard.objects.filter(partnership=partnership).first()
    draft = (
        FitCardDraft.objects.select_related("updated_by").filter(partnership=partnership).first()
    )
    card = card_from_current(partnership, fit_card)
    membership = getattr(request, "membership", None)
    return {
        "template": "fitcards/panel.html",
        "partnership": partnership,
        "fit_card": fit_card,
        "draft": draft,
        "completeness": completeness(raw_from_card(card)),
        "can_write": bool(membership and membership.can_write),
    }


def dashboard_panel(request, partnership=None) -> dict | None:
    """Fit card coverage of the organization and the drafts left half-way (two queries)."""
    counts = scoped(request, Partnership).aggregate(
        total=Count("pk"),
        with_card=Count("pk", filter=Q(fit_card__isnull=False)),
    )
    if not counts["total"]:
        return None
    drafts = list(
        scoped(request, FitCardDraft)
        .select_related("partnership__partner", "updated_by")
        .order_by("-updated_at")[:5]
    )
    membership = getattr(request, "membership", None)
    return {
        "template": "fitcards/dashboard_panel.html",
        "total": counts["total"],
        "with_card": counts["with_card"],
        "without_card": counts["total"] - counts["with_card"],
        "drafts": drafts,
        "can_write": bool(membership and membership.can_write),
    }
