"""Panels for the partnership page and the dashboard (registered by the plan engineer's
registry; constant queries each).

The partnership panel says who on the partner's side has access, what is shared, and any
decision waiting for or disputed by the partner; the dashboard panel lists disputes.
"""

from __future__ import annotations

from django.db.models import Count, Q
from django.urls import reverse

from accounts.scoping import scoped

from .models import EntrySharing, GateConfirmation, RoomAccess
from .services.sharing import sharing_for

LIVE = [GateConfirmation.State.PENDING, GateConfirmation.State.DISPUTED]


def partnership_panel(request, partnership) -> dict | None:
    if partnership is None:
        return None
    accesses = RoomAccess.objects.filter(
        organization=request.organization, partner_id=partnership.partner_id
    ).aggregate(active=Count("pk", filter=Q(revoked_at__isnull=True)))
    shared_entries = EntrySharing.objects.filter(
        organization=request.organization, entry__partnership=partnership
    ).exclude(level="hidden")
    return {
        "template": "partnerroom/panels/partnership.html",
        "partnership": partnership,
        "with_access": accesses["active"],
        "sharing": sharing_for(partnership),
        "shared_entries": shared_entries.count(),
        "confirmations": list(
            GateConfirmation.objects.filter(
                partnership=partnership, state__in=LIVE, used_at__isnull=True
            ).order_by("-requested_at")[:5]
        ),
        "url": reverse("partnerroom:manage_partnership", args=[partnership.uuid]),
    }


def dashboard_panel(request, partnership=None) -> dict | None:
    """Decisions the partner disputed, or that wait for the partner (one query)."""
    waiting = list(
        scoped(request, GateConfirmation)
        .filter(state__in=LIVE, used_at__isnull=True)
        .select_related("partnership")
        .order_by("-state", "-requested_at")[:5]
    )
    if not waiting:
        return None
    return {"template": "partnerroom/panels/dashboard.html", "waiting": waiting}
