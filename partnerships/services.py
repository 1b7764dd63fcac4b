"""Writes to partnerships. Every phase and status change goes through here.

Views, decision flows, evidence decisions and the scheduler all call these functions so the
timeline always says who changed what, when and why.
"""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from .gates import phase_change_blockers
from .models import Partnership, PartnershipEvent, Phase, Status


def event_record(
    *,
    partnership: Partnership,
    kind: str,
    summary: str,
    actor=None,
    detail: str = "",
    from_value: str = "",
    to_value: str = "",
    by_system: bool = False,
    url: str = "",
) -> PartnershipEvent:
    """Append one entry to the partnership's timeline."""
    return PartnershipEvent.objects.create(
        organization_id=partnership.organization_id,
        partnership=partnership,
        kind=kind,
        summary=summary[:300],
        detail=detail,
        from_value=from_value,
        to_value=to_value,
        actor=actor,
        by_system=by_system,
        url=url,
    )


@transaction.atomic
def partnership_change_phase(
    *,
    partnership: Partnership,
    to_phase: str,
    actor=None,
    reason: str,
    success_criteria: str = "",
    on_date: datetime.date | None = None,
    by_system: bool = False,
    enforce_gates: bool = True,
) -> Partnership:
    """Move a partnership to another phase, if every registered gate allows it.

    The new phase starts today with the success criteria written now (the seed asks for them
    at the start of each phase). Entering walk is the launch, so ``launched_on`` is set.
    """
    locked = Partnership.objects.select_for_update().get(pk=partnership.pk)
    if to_phase not in Phase.values:
        raise ValidationError({"phase": "Unknown phase."})
    if locked.phase == to_phase:
        raise ValidationError(
            {"phase": f"The partnership is already in {locked.get_phase_display()}."}
        )
    if not reason.strip():
        raise ValidationError({"reason": "Say why the phase changes."})
    if enforce_gates:
        blockers = phase_change_blockers(locked, to_phase)
        if blockers:
            raise ValidationError({"phase": blockers})
    old = locked.phase
    locked.phase = to_phase
    locked.phase_started_on = on_date or timezone.localdate()
    locked.phase_success_criteria = success_criteria
    fields = ["phase", "phase_started_on", "phase_success_criteria", "updated_at"]
    if to_phase == Phase.WALK and locked.launched_on is None:
        locked.launched_on = locked.phase_started_on
        fields.append("launched_on")
    if locked.status == Status.PROPOSED:
        locked.status = Status.ACTIVE
        fields.append("status")
    locked.save(update_fields=fields)
    event_record(
        partnership=locked,
        kind=PartnershipEvent.Kind.PHASE,
        summary=f"Phase {Phase(old).label} → {Phase(to_phase).label}",
        detail=reason,
        from_value=old,
        to_value=to_phase,
        actor=actor,
        by_system=by_system,
    )
    partnership.refresh_from_db()
    return locked


@transaction.atomic
def partnership_change_status(
    *,
    partnership: Partnership,
    to_status: str,
    actor=None,
    reason: str,
    by_system: bool = False,
) -> Partnership:
    """Change a partnership's status (active, deferred, renegotiating, unwinding, ended)."""
    locked = Partnership.objects.select_for_update().get(pk=partnership.pk)
    if to_status not in Status.values:
        raise ValidationError({"status": "Unknown status."})
    if not reason.strip():
        raise ValidationError({"reason": "Say why the status changes."})
    if locked.status == to_status:
        return locked
    old = locked.status
    locked.status = to_status
    locked.save(update_fields=["status", "updated_at"])
    event_record(
        partnership=locked,
        kind=PartnershipEvent.Kind.STATUS,
        summary=f"Status {Status(old).label} → {Status(to_status).label}",
        detail=reason,
        from_value=old,
        to_value=to_status,
        actor=actor,
        by_system=by_system,
    )
    partnership.refresh_from_db()
    return locked
