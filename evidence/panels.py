"""The evidence panel on the partnership page (registered in ``EvidenceConfig.ready``)."""

from __future__ import annotations

from .models import Decision, EvidenceEntry
from .summary import partnership_summary


def evidence_partnership_panel(request, partnership) -> dict | None:
    """Latest entries, pending decisions and what the sufficiency rule still misses.

    A constant number of queries regardless of how much evidence exists.
    """
    if partnership is None:
        return None
    entries = list(
        EvidenceEntry.objects.filter(partnership=partnership)
        .select_related("recorded_by")
        .order_by("-observed_on", "-sequence")[:5]
    )
    decisions = list(
        Decision.objects.filter(partnership=partnership)
        .select_related("decided_by", "approver")
        .order_by("-decided_at", "-pk")[:3]
    )
    return {
        "template": "evidence/_partnership_panel.html",
        "partnership": partnership,
        "entries": entries,
        "decisions": decisions,
        "missing": partnership_summary(partnership)["missing"],
        "can_write": bool(getattr(request, "membership", None) and request.membership.can_write),
    }


def evidence_dashboard_panel(request, partnership=None) -> dict | None:
    """Decisions waiting for the signed-in approver (one query; nothing shown when none)."""
    membership = getattr(request, "membership", None)
    if membership is None or not membership.can_approve:
        return None
    pending = list(
        Decision.objects.filter(
            organization=request.organization,
            state=Decision.State.PENDING,
            approver=request.user,
        )
        .select_related("partnership", "partnership__partner", "decided_by")
        .order_by("decided_at")[:10]
    )
    if not pending:
        return None
    return {"template": "evidence/_dashboard_panel.html", "pending": pending}
