"""Panels contributed to the dashboard and to the partnership page (constant queries)."""

from django.urls import reverse

from . import disagreements, selectors
from .models import HealthReview, ReviewDisagreement


def dashboard_panel(request, partnership=None) -> dict:
    """When the next cycle starts, how many reviews are due, overdue and yours, and how many
    partnerships a partner sees differently (open disagreements)."""
    organization = request.organization
    return {
        "template": "reviews/panels/dashboard.html",
        "next_start": selectors.next_cycle_start(organization),
        "counts": selectors.review_counts(organization, request.user),
        "disagreements": ReviewDisagreement.objects.filter(
            organization=organization, resolved_at__isnull=True
        ).count(),
        "list_url": reverse("reviews:list"),
        "disagreements_url": reverse("reviews:list") + "?state=disagreements",
    }


def partnership_panel(request, partnership) -> dict | None:
    if partnership is None:
        return None
    recent = list(
        HealthReview.objects.filter(partnership=partnership)
        .select_related("cycle")
        .order_by("-due_on", "-pk")[:6]
    )
    return {
        "template": "reviews/panels/partnership.html",
        "partnership": partnership,
        "latest": recent[0] if recent else None,
        "open_review": next((r for r in recent if r.is_open), None),
        "recent": recent,
        "disagreements": disagreements.open_for(partnership),
        "history_url": reverse("reviews:history", kwargs={"uuid": partnership.uuid}),
    }
