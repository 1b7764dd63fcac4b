"""Co-signed gates: whether a decision needs the partner's confirmation, and what blocks it.

The organization's ``CosignPolicy`` names the tiers concerned (never, tier 3, tiers 2 and 3)
and the decisions (go, no-go, unwind); a partnership's own row may override it either way.
When a decision needs it, it may take effect only once the partner's signer has confirmed a
``GateConfirmation`` asked for this partnership, this decision and the current phase. A
pending one says we are waiting; a disputed one blocks with the partner's reason.

``cosign_gate(partnership, to_phase)`` is the gate for a phase change (the plan engineer's
registry: ``register_gate("partner_cosign", cosign_gate)``); ``cosign_blockers`` is the same
answer for any decision kind (no-go and unwind are status changes, not phase changes).
These are reads: nothing is requested or changed here.
"""

from __future__ import annotations

from django.db.models import Q

from .models import CosignPolicy, DecisionKind, GateConfirmation

PHASE_ORDER = ["crawl", "walk", "run"]
TIERS = {
    CosignPolicy.Scope.OFF: (),
    CosignPolicy.Scope.TIER_3: (3,),
    CosignPolicy.Scope.TIERS_2_3: (2, 3),
}
# The status a decision moves a partnership to (what ``cosign_status_gate`` recognises).
STATUS_DECISION = {"unwinding": DecisionKind.UNWIND}


def policy_for(organization) -> CosignPolicy:
    """The organization's policy row, or an unsaved default (nothing needs confirmation)."""
    found = CosignPolicy.objects.filter(organization=organization, partnership__isnull=True)
    return found.first() or CosignPolicy(organization=organization)


def _applies(policy: CosignPolicy, kind: str) -> bool:
    return {
        DecisionKind.GO: policy.go,
        DecisionKind.NO_GO: policy.no_go,
        DecisionKind.UNWIND: policy.unwind,
    }.get(kind, False)


def cosign_required(partnership, kind: str) -> bool:
    """Whether ``kind`` (go, no_go, unwind) on ``partnership`` needs the partner's confirmation.

    A partnership override decides when it says required / not required (its own decision
    switches then apply); otherwise the organization's policy, by tier.
    """
    rows = {
        row.partnership_id: row
        for row in CosignPolicy.objects.filter(
            Q(organization_id=partnership.organization_id, partnership__isnull=True)
            | Q(partnership_id=partnership.pk)
        )
    }
    override = rows.get(partnership.pk)
    if override is not None and override.override == CosignPolicy.Override.REQUIRED:
        return _applies(override, kind)
    if override is not None and override.override == CosignPolicy.Override.NOT_REQUIRED:
        return False
    policy = rows.get(None)
    if policy is None:
        return False
    return partnership.tier in TIERS.get(policy.scope, ()) and _applies(policy, kind)


def live_confirmation(partnership, kind: str) -> GateConfirmation | None:
    """The confirmation asked for this decision in the partnership's current phase, if any."""
    return (
        GateConfirmation.objects.filter(
            partnership=partnership,
            kind=kind,
            from_phase=partnership.phase,
            used_at__isnull=True,
            state__in=[
                GateConfirmation.State.PENDING,
                GateConfirmation.State.CONFIRMED,
                GateConfirmation.State.DISPUTED,
            ],
        )
        .order_by("-requested_at", "-pk")
        .first()
    )


def cosign_blockers(partnership, kind: str) -> list[str]:
    """Why ``kind`` may not take effect yet because the partner has not confirmed it."""
    if not cosign_required(partnership, kind):
        return []
    label = DecisionKind(kind).label.lower()
    found = live_confirmation(partnership, kind)
    if found is None:
        return [
            f"This {label} needs {partnership.partner.name}'s confirmation: ask for it on the "
            "partner room page of this partnership."
        ]
    if found.state == GateConfirmation.State.PENDING:
        return [
            f"Waiting for {partnership.partner.name} to confirm this {label} "
            f"(asked {found.requested_at:%d %b %Y})."
        ]
    if found.state == GateConfirmation.State.DISPUTED:
        who = found.signer_name or partnership.partner.name
        return [f"{who} ({partnership.partner.name}) disputed this {label}: {found.reason}"]
    return []


def cosign_gate(partnership, to_phase: str) -> list[str]:
    """The phase-change gate: a move forward (crawl → walk → run) is a go decision."""
    try:
        forward = PHASE_ORDER.index(to_phase) > PHASE_ORDER.index(partnership.phase)
    except ValueError:
        return []
    return cosign_blockers(partnership, DecisionKind.GO) if forward else []


def status_kind(to_status: str, from_status: str) -> str | None:
    """The decision a status change is: entering unwinding an unwind, ending a partnership
    that was not unwinding a no-go (ending a confirmed unwind needs nothing more)."""
    if to_status == "ended" and from_status != "unwinding":
        return DecisionKind.NO_GO
    return STATUS_DECISION.get(to_status)


def cosign_status_gate(partnership, to_status: str) -> list[str]:
    """The status-change gate: entering unwinding is an unwind decision, and ending a
    partnership that was not already unwinding is a no-go (ending an unwind that both sides
    confirmed needs nothing more)."""
    kind = status_kind(to_status, partnership.status)
    return cosign_blockers(partnership, kind) if kind else []
