"""Writes to the decision trail and the organization's approval rule.

Decisions take effect through ``partnerships.services`` (the same functions as any phase or status
change) — immediately, or once the approver approves.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from accounts.models import Membership
from core.events import emit, partnership_ref
from core.i18n import member_language
from notifications.services import email_queue
from partnerships.models import Partnership, PartnershipEvent, Phase, Status
from partnerships.services import (
    event_record,
    partnership_change_phase,
    partnership_change_status,
)

from ..models import Decision, DecisionKind, EvidencePolicy
from ..sufficiency import approval_required, sufficiency_missing
from .entries import RESUBMIT_WINDOW

# What each decision does to the partnership once it takes effect.
DECISION_STATUS = {
    DecisionKind.COMMIT: Status.ACTIVE,
    DecisionKind.DEFER: Status.DEFERRED,
    DecisionKind.RENEGOTIATE: Status.RENEGOTIATING,
    DecisionKind.UNWIND: Status.UNWINDING,
    DecisionKind.NO_GO: Status.ENDED,
}
NEXT_PHASE = {Phase.CRAWL: Phase.WALK, Phase.WALK: Phase.RUN}
NEEDS_SUFFICIENCY = (DecisionKind.COMMIT, DecisionKind.GO)


def decision_approver_for(*, partnership, decided_by=None):
    """Who must approve: the partnership's named approver if they may approve, else another
    member with the approval right (the decider only if nobody else can)."""
    approvers = Membership.objects.filter(
        organization_id=partnership.organization_id, can_approve=True
    ).select_related("user")
    named = partnership.approver_id
    if named and approvers.filter(user_id=named).exists():
        return partnership.approver
    others = approvers.order_by("created_at", "pk")
    if decided_by is not None:
        first = others.exclude(user=decided_by).first()
        if first:
            return first.user
    first = others.first()
    return first.user if first else None


def _decision_url(decision: Decision) -> str:
    return reverse("evidence:decision_detail", kwargs={"uuid": decision.uuid})


def _decision_data(decision: Decision) -> dict:
    """The webhook payload of a decision: what was decided, on what, in which state."""
    return {
        "decision": {"id": str(decision.uuid), "kind": decision.kind, "state": decision.state},
        "partnership": partnership_ref(decision.partnership),
        "by_system": decision.by_system,
        "decided_by": decision.decided_by.email if decision.decided_by else None,
    }


def _decision_apply(decision: Decision, *, actor=None) -> None:
    """Make the decision take effect on the partnership through the partnerships services."""
    partnership = decision.partnership
    who = (
        "the system"
        if decision.by_system
        else (decision.decided_by.display_name if decision.decided_by else "someone")
    )
    reason = f"{decision.get_kind_display()} decision by {who}: {decision.rationale}"
    if decision.approver_id and decision.approved_at:
        reason += f" (approved by {decision.approver.display_name})"
    if decision.kind == DecisionKind.GO:
        to_phase = NEXT_PHASE.get(partnership.phase)
        if to_phase is None:
            raise ValidationError(
                {"kind": "The partnership is already in run; there is no next phase."}
            )
        partnership_change_phase(
            partnership=partnership,
            to_phase=to_phase,
            actor=actor,
            reason=reason,
            by_system=decision.by_system,
        )
    else:
        partnership_change_status(
            partnership=partnership,
            to_status=DECISION_STATUS[decision.kind],
            actor=actor,
            reason=reason,
            by_system=decision.by_system,
        )
    decision.state = Decision.State.EFFECTIVE
    decision.save(update_fields=["state"])


@transaction.atomic
def decision_record(
    *,
    partnership,
    kind: str,
    rationale: str,
    evidence=(),
    decided_by=None,
    by_system: bool = False,
) -> Decision:
    """Record a decision with its rationale and the evidence it rests on.

    Commit and go first pass the sufficiency rule (SPEC §3 rule 4) on the chosen evidence; the
    ValidationError lists exactly what is missing. When approval is required the decision waits
    for the approver (who is e-mailed); otherwise it takes effect at once. A system deferral
    (rule 5) never waits: the deadline has passed.
    """
    errors: dict[str, object] = {}
    if kind not in DecisionKind.values or kind == DecisionKind.NONE:
        errors["kind"] = "Choose a decision."
    if not (rationale or "").strip():
        errors["rationale"] = "Give the rationale for the decision."
    evidence = list(evidence)
    if any(e.partnership_id != partnership.pk for e in evidence):
        errors["evidence"] = "Evidence must come from this partnership's log."
    if errors:
        raise ValidationError(errors)
    if kind == DecisionKind.GO and partnership.phase not in NEXT_PHASE:
        raise ValidationError(
            {"kind": "The partnership is already in run; there is no next phase."}
        )
    if kind in NEEDS_SUFFICIENCY and not by_system:
        missing = sufficiency_missing(partnership=partnership, entries=evidence)
        if missing:
            raise ValidationError({"evidence": missing})

    # Serialize decisions on one partnership, then refuse duplicates from a resubmitted form.
    Partnership.objects.select_for_update(of=("self",)).filter(pk=partnership.pk).first()
    pending = (
        Decision.objects.filter(partnership=partnership, kind=kind, state=Decision.State.PENDING)
        .select_related("approver")
        .first()
    )
    if pending is not None and not by_system:
        if pending.decided_by_id == getattr(decided_by, "pk", None) and (
            pending.rationale == rationale.strip()
        ):
            return pending
        waiting_for = pending.approver.display_name if pending.approver else "the approver"
        raise ValidationError(
            {
                "kind": f"A {pending.get_kind_display().lower()} decision is already awaiting "
                f"approval by {waiting_for}."
            }
        )
    recent = Decision.objects.filter(
        partnership=partnership,
        kind=kind,
        decided_by=decided_by,
        by_system=by_system,
        rationale=rationale.strip(),
        decided_at__gte=timezone.now() - RESUBMIT_WINDOW,
    ).first()
    if recent is not None:
        return recent

    needs_approval = not by_system and approval_required(partnership=partnership, kind=kind)
    approver = None
    if needs_approval:
        approver = decision_approver_for(partnership=partnership, decided_by=decided_by)
        if approver is None:
            raise ValidationError(
                {
                    "kind": "This decision needs an approver, and nobody in the organization may "
                    "approve. An owner can grant the approval right to a member."
                }
            )
    decision = Decision.objects.create(
        organization_id=partnership.organization_id,
        partnership=partnership,
        kind=kind,
        rationale=rationale.strip(),
        decided_by=decided_by,
        by_system=by_system,
        approver=approver,
        state=Decision.State.PENDING if needs_approval else Decision.State.EFFECTIVE,
    )
    if evidence:
        decision.evidence.set(evidence)
    who = "the system" if by_system else (decided_by.display_name if decided_by else "someone")
    summary = f"{decision.get_kind_display()} decided by {who}"
    if needs_approval:
        summary += f" — awaiting approval by {approver.display_name}"
    event_record(
        partnership=partnership,
        kind=PartnershipEvent.Kind.DECISION,
        summary=summary,
        detail=decision.rationale,
        to_value=kind,
        actor=decided_by,
        by_system=by_system,
        url=_decision_url(decision),
    )
    if needs_approval:
        email_queue(
            key=f"evidence-approval-request-{decision.uuid}",
            to=approver.email,
            language=member_language(approver, partnership.organization),
            template="evidence-approval-request",
            context={
                "decision": decision,
                "partnership": partnership,
                "approver": approver,
                "url": _decision_url(decision),
                "evidence": evidence,
            },
            organization=partnership.organization,
        )
    else:
        _decision_apply(decision, actor=decided_by)
    emit(
        organization=partnership.organization,
        type="decision.recorded",
        data=_decision_data(decision),
    )
    return decision


@transaction.atomic
def decision_review(*, decision: Decision, reviewer, approve: bool, note: str) -> Decision:
    """The approver approves or rejects a pending decision, with a reason.

    Only an approval makes the decision take effect. Reviewing twice is refused, so a double
    click never applies a decision twice or sends a second e-mail.
    """
    locked = (
        Decision.objects.select_for_update(of=("self",))
        .select_related("partnership", "decided_by")
        .get(pk=decision.pk)
    )
    if locked.state != Decision.State.PENDING:
        raise ValidationError(
            {"note": f"This decision is already {locked.get_state_display().lower()}."}
        )
    if locked.approver_id != reviewer.pk:
        raise ValidationError(
            {"note": "Only the named approver may approve or reject this decision."}
        )
    if not (note or "").strip():
        raise ValidationError({"note": "Give a reason for approving or rejecting."})
    locked.approval_note = note.strip()
    locked.approved_at = timezone.now()
    locked.state = Decision.State.APPROVED if approve else Decision.State.REJECTED
    locked.save(update_fields=["approval_note", "approved_at", "state"])
    if approve:
        _decision_apply(locked, actor=locked.decided_by)
        emit(
            organization=locked.partnership.organization,
            type="decision.approved",
            data=_decision_data(locked),
        )
    verb = "approved" if approve else "rejected"
    event_record(
        partnership=locked.partnership,
        kind=PartnershipEvent.Kind.DECISION,
        summary=f"{locked.get_kind_display()} {verb} by {reviewer.display_name}",
        detail=locked.approval_note,
        to_value=locked.kind,
        actor=reviewer,
        url=_decision_url(locked),
    )
    if locked.decided_by and locked.decided_by.email:
        email_queue(
            key=f"evidence-approval-result-{locked.uuid}",
            to=locked.decided_by.email,
            language=member_language(locked.decided_by, locked.partnership.organization),
            template="evidence-approval-result",
            context={
                "decision": locked,
                "partnership": locked.partnership,
                "verb": verb,
                "reviewer": reviewer,
                "url": _decision_url(locked),
            },
            organization=locked.partnership.organization,
        )
    decision.refresh_from_db()
    return locked


@transaction.atomic
def policy_set(*, organization, approval_min_dependency: str) -> EvidencePolicy:
    """Set the organization's approval rule: decisions on partnerships at or above this
    dependency wait for the approver."""
    policy, _ = EvidencePolicy.objects.update_or_create(
        organization=organization,
        defaults={"approval_min_dependency": approval_min_dependency},
    )
    return policy
