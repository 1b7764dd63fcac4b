"""Panels for the partnership page and the dashboard (registered by the plan engineer's
registry; constant queries each).

The partnership panel says who on the partner's side has access, what is shared, the evidence
the partner submitted that waits for our acceptance, and any decision waiting for or disputed
by the partner (four queries); the dashboard panel lists disputes and partner evidence to
accept (two).
"""

from __future__ import annotations

from django.db.models import Count, Q
from django.urls import reverse

from accounts.scoping import scoped
from evidence.models import EvidenceEntry

from .models import GateConfirmation, RoomAccess, SharingLevel
from .services.sharing import sharing_for

LIVE = [GateConfirmation.State.PENDING, GateConfirmation.State.DISPUTED]


def partnership_panel(request, partnership) -> dict | None:
    if partnership is None:
        return None
    accesses = RoomAccess.objects.filter(
        organization=request.organization, partner_id=partnership.partner_id
    ).aggregate(active=Count("pk", filter=Q(revoked_at__isnull=True)))
    entries = EvidenceEntry.objects.filter(
        organization=request.organization, partnership=partnership
    ).aggregate(
        shared=Count(
            "pk",
            filter=Q(room_sharing__level__in=[SharingLevel.SUMMARY, SharingLevel.FULL]),
            distinct=True,
        ),
        pending=Count(
            "pk",
            filter=Q(submitted_by_contact__isnull=False, superseded_by__isnull=True),
            distinct=True,
        ),
    )
    return {
        "template": "partnerroom/panels/partnership.html",
        "partnership": partnership,
        "with_access": accesses["active"],
        "sharing": sharing_for(partnership),
        "shared_entries": entries["shared"],
        "partner_pending": entries["pending"],
        "evidence_url": reverse("evidence:partnership_log", args=[partnership.uuid]),
        "confirmations": list(
            GateConfirmation.objects.filter(
                partnership=partnership, state__in=LIVE, used_at__isnull=True
            ).order_by("-requested_at")[:5]
        ),
        "url": reverse("partnerroom:manage_partnership", args=[partnership.uuid]),
    }


def dashboard_panel(request, partnership=None) -> dict | None:
    """Decisions the partner disputed or that wait for the partner, and evidence partners
    submitted that waits for our acceptance (two queries)."""
    waiting = list(
        scoped(request, GateConfirmation)
        .filter(state__in=LIVE, used_at__isnull=True)
        .select_related("partnership")
        .order_by("-state", "-requested_at")[:5]
    )
    evidence = list(
        scoped(request, EvidenceEntry)
        .filter(submitted_by_contact__isnull=False, superseded_by__isnull=True)
        .select_related("partnership__partner")
        .order_by("-sequence")[:5]
    )
    if not waiting and not evidence:
        return None
    return {
        "template": "partnerroom/panels/dashboard.html",
        "waiting": waiting,
        "evidence": evidence,
    }
