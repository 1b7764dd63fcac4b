"""Writes for co-signed gates: the policy, asking the partner, and the partner's answer.

Asking creates one ``GateConfirmation`` for the decision in the partnership's current phase and
e-mails the partner's signers (contacts whose grant ``signs_gates``) a link to the room — no
secret in it: the room asks for a sign-in link when needed. The signer confirms, or disputes
with a reason; either is final for that request, audit-trailed with the signer's address, and
told to the partnership's owner. After a dispute we may withdraw it and ask again.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from core.i18n import member_language, resolve_language
from notifications.services import email_queue
from partnerships.models import PartnershipEvent, Phase
from partnerships.services import event_record

from ..audit import client_meta, room_event_record
from ..gates import PHASE_ORDER, live_confirmation, status_kind
from ..models import CosignPolicy, DecisionKind, GateConfirmation, RoomAccess, RoomEvent

POLICY_SWITCHES = ("go", "no_go", "unwind")


@transaction.atomic
def cosign_policy_set(
    *, organization, actor, scope: str, go=True, no_go=True, unwind=True
) -> CosignPolicy:
    """The organization's rule: which tiers' go / no-go / unwind decisions need the partner."""
    if scope not in CosignPolicy.Scope.values:
        raise ValidationError({"scope": "Choose which partnerships this applies to."})
    policy, _ = CosignPolicy.objects.select_for_update().get_or_create(
        organization=organization, partnership=None
    )
    policy.scope, policy.go, policy.no_go, policy.unwind = scope, go, no_go, unwind
    policy.updated_by, policy.updated_at = actor, timezone.now()
    policy.save()
    return policy


@transaction.atomic
def cosign_override_set(
    *, partnership, actor, override: str, go=True, no_go=True, unwind=True
) -> CosignPolicy:
    """A partnership's own answer (inherit, always, never) to the organization's rule."""
    if override not in CosignPolicy.Override.values:
        raise ValidationError({"override": "Choose an option."})
    policy, _ = CosignPolicy.objects.select_for_update().get_or_create(
        organization_id=partnership.organization_id, partnership=partnership
    )
    policy.override, policy.go, policy.no_go, policy.unwind = override, go, no_go, unwind
    policy.updated_by, policy.updated_at = actor, timezone.now()
    policy.save()
    return policy


def _next_phase(phase: str) -> str:
    index = PHASE_ORDER.index(phase) if phase in PHASE_ORDER else -1
    return PHASE_ORDER[index + 1] if 0 <= index < len(PHASE_ORDER) - 1 else ""


@transaction.atomic
def confirmation_request(*, partnership, kind: str, requested_by, note: str = ""):
    """Ask the partner to confirm ``kind`` (go, no_go, unwind) in the current phase.

    A request already live for this decision and phase is returned as it is (asking twice
    sends nothing twice); a disputed one must be withdrawn before asking again.
    """
    if kind not in DecisionKind.values:
        raise ValidationError({"kind": "Choose go, no-go or unwind."})
    to_phase = _next_phase(partnership.phase) if kind == DecisionKind.GO else ""
    if kind == DecisionKind.GO and not to_phase:
        raise ValidationError({"kind": "There is no phase after run to go to."})
    existing = live_confirmation(partnership, kind)
    if existing is not None:
        if existing.state == GateConfirmation.State.DISPUTED:
            raise ValidationError(
                {"kind": "The partner disputed this; withdraw the dispute before asking again."}
            )
        return existing
    try:
        with transaction.atomic():
            confirmation = GateConfirmation.objects.create(
                organization_id=partnership.organization_id,
                partnership=partnership,
                kind=kind,
                from_phase=partnership.phase,
                to_phase=to_phase,
                note=(note or "").strip()[:2000],
                requested_by=requested_by,
            )
    except IntegrityError:  # a concurrent request made it first
        return live_confirmation(partnership, kind)
    signers = RoomAccess.objects.filter(
        partner_id=partnership.partner_id, revoked_at__isnull=True, signs_gates=True
    ).select_related("contact")
    for access in signers:
        email_queue(
            key=f"room-gate:{confirmation.pk}:{access.contact_id}",
            to=access.contact.email,
            language=resolve_language(access.contact, partnership.organization),
            template="room-gate-request",
            context={
                "contact": access.contact,
                "partnership": partnership,
                "organization": partnership.organization,
                "confirmation": confirmation,
                "url": reverse("partnerroom:gate", args=[confirmation.uuid]),
            },
            organization=partnership.organization,
        )
    room_event_record(
        kind=RoomEvent.Kind.GATE_REQUESTED,
        partner=partnership.partner,
        partnership=partnership,
        actor=requested_by,
        detail=confirmation.label,
    )
    event_record(
        partnership=partnership,
        kind=PartnershipEvent.Kind.NOTE,
        summary=f"Asked {partnership.partner.name} to confirm: {confirmation.label}",
        detail=confirmation.note,
        actor=requested_by,
    )
    return confirmation


@transaction.atomic
def confirmation_answer(
    *,
    confirmation: GateConfirmation,
    access: RoomAccess,
    confirm: bool,
    reason: str = "",
    request=None,
) -> GateConfirmation:
    """The partner's signer confirms, or disputes with a reason. Once per request."""
    locked = (
        GateConfirmation.objects.select_for_update(of=("self",))
        .select_related("partnership__partner", "partnership__owner", "partnership__organization")
        .get(pk=confirmation.pk)
    )
    partnership = locked.partnership
    if (
        access.partner_id != partnership.partner_id
        or not access.signs_gates
        or not access.is_active
    ):
        raise ValidationError("Only the partner's signer confirms or disputes this decision.")
    if locked.state != GateConfirmation.State.PENDING or locked.used_at is not None:
        raise ValidationError(f"This request is already {locked.get_state_display().lower()}.")
    if locked.from_phase != partnership.phase:
        raise ValidationError("The partnership has moved on since this was asked.")
    reason = (reason or "").strip()[:2000]
    if not confirm and not reason:
        raise ValidationError({"reason": "Say why you dispute this decision."})
    locked.state = GateConfirmation.State.CONFIRMED if confirm else GateConfirmation.State.DISPUTED
    locked.signer, locked.signer_name = access, access.contact.name
    locked.reason = reason
    locked.decided_at = timezone.now()
    locked.decided_ip = client_meta(request)["ip_address"]
    locked.save(
        update_fields=["state", "signer", "signer_name", "reason", "decided_at", "decided_ip"]
    )
    verb = "confirmed" if confirm else "disputed"
    room_event_record(
        kind=RoomEvent.Kind.GATE_CONFIRMED if confirm else RoomEvent.Kind.GATE_DISPUTED,
        partner=partnership.partner,
        access=access,
        partnership=partnership,
        detail=f"{locked.label}: {reason}" if reason else locked.label,
        request=request,
    )
    event_record(
        partnership=partnership,
        kind=PartnershipEvent.Kind.NOTE,
        summary=f"{access.contact.name} ({partnership.partner.name}) {verb}: {locked.label}",
        detail=reason,
    )
    owner = partnership.owner
    email_queue(
        key=f"room-gate-answer:{locked.pk}",
        to=owner.email,
        language=member_language(owner, partnership.organization),
        template="room-gate-answer",
        context={
            "user": owner,
            "partnership": partnership,
            "organization": partnership.organization,
            "confirmation": locked,
            "verb": verb,
            "url": reverse("partnerroom:manage_partnership", args=[partnership.uuid]),
        },
        organization=partnership.organization,
    )
    return locked


@transaction.atomic
def confirmation_withdraw(*, confirmation: GateConfirmation, actor) -> GateConfirmation:
    """Withdraw a pending or disputed request (the dispute stays on record as withdrawn)."""
    locked = GateConfirmation.objects.select_for_update(of=("self",)).get(pk=confirmation.pk)
    if locked.state not in (GateConfirmation.State.PENDING, GateConfirmation.State.DISPUTED):
        raise ValidationError("Only a pending or disputed request can be withdrawn.")
    locked.state = GateConfirmation.State.WITHDRAWN
    locked.save(update_fields=["state"])
    event_record(
        partnership=locked.partnership,
        kind=PartnershipEvent.Kind.NOTE,
        summary=f"Withdrew the request to confirm: {locked.label}",
        actor=actor,
    )
    return locked


def cosign_consume(*, partnership, kind: str) -> int:
    """Mark the confirmation used once the decision it confirmed took effect (call it in the
    transaction that applies the decision), so it never unlocks a second one."""
    phase = partnership.phase
    if kind == DecisionKind.GO:  # after the move, the confirmation's phase is the old one
        phases = [p for p in Phase.values if _next_phase(p) == phase] + [phase]
    else:
        phases = [phase]
    return GateConfirmation.objects.filter(
        partnership=partnership,
        kind=kind,
        from_phase__in=phases,
        state=GateConfirmation.State.CONFIRMED,
        used_at__isnull=True,
    ).update(used_at=timezone.now())


def cosign_phase_applied(partnership, from_phase: str) -> None:
    """A go took effect: its confirmation is used up."""
    if PHASE_ORDER.index(partnership.phase) > PHASE_ORDER.index(from_phase):
        cosign_consume(partnership=partnership, kind=DecisionKind.GO)


def cosign_status_applied(partnership, from_status: str) -> None:
    """An unwind or a no-go took effect: its confirmation is used up."""
    kind = status_kind(partnership.status, from_status)
    if kind:
        cosign_consume(partnership=partnership, kind=kind)
