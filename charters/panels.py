"""Rule 3 and the panels this app contributes to the partnership page and the dashboard."""

from django.urls import reverse

from accounts.scoping import scoped

from .models import Charter, SignatureRequest


def charter_gate(partnership, to_phase: str) -> list[str]:
    """Rule 3: no launch (walk) before both sides have signed the charter."""
    if to_phase != "walk":
        return []
    if Charter.objects.filter(partnership=partnership, executed_at__isnull=False).exists():
        return []
    reason = (
        "The Partnership Charter must be executed (signed by both sides) before the partnership "
        "enters walk"
    )
    pending = (
        SignatureRequest.objects.filter(
            version__charter__partnership=partnership, state=SignatureRequest.State.PENDING
        )
        .prefetch_related("signers")
        .first()
    )
    if pending is None:
        return [reason + ": write it and send it for signature."]
    waiting = [s.name for s in pending.signers.all() if s.state != "signed"]
    return [reason + ": still waiting for " + ", ".join(waiting) + "."]


def partnership_panel(request, partnership):
    """Charter status and a link (two queries)."""
    charter = Charter.objects.filter(partnership=partnership).first()
    open_request = None
    latest = None
    if charter is not None:
        latest = charter.versions.order_by("-number").first()
        open_request = (
            SignatureRequest.objects.filter(
                version__charter=charter, state=SignatureRequest.State.PENDING
            )
            .order_by("-sent_at")
            .first()
        )
    return {
        "template": "charters/panels/partnership.html",
        "charter": charter,
        "latest": latest,
        "open_request": open_request,
        "url": reverse("charters:detail", args=[partnership.uuid]),
    }


def dashboard_panel(request, partnership=None):
    """Charters awaiting signatures in this organization (one query)."""
    waiting = list(
        scoped(request, SignatureRequest)
        .filter(state=SignatureRequest.State.PENDING)
        .select_related("version__charter__partnership__partner")
        .order_by("expires_at")[:5]
    )
    if not waiting:
        return None
    return {"template": "charters/panels/dashboard.html", "waiting": waiting}
