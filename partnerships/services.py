"""Writes to partners, contacts and partnerships. Every phase and status change goes here.

Views, decision flows, evidence decisions and the scheduler all call these functions so the
timeline (``partnerships.timeline``) always says who changed what, when and why, and every
registered gate is asked before a phase changes.

``event_record`` is re-exported here for the apps that already import it from this module.
"""

from __future__ import annotations

import datetime
import uuid

from django.core.exceptions import ValidationError
from django.db import transaction

from accounts.models import Membership
from core.clock import org_today
from core.events import emit, partnership_ref

from .dates import deferral_date_error, phase_start_error
from .gates import phase_change_blockers, phase_changed, status_change_blockers, status_changed
from .models import Contact, FlowRun, Partner, Partnership, PartnershipEvent, Phase, Status
from .rules import partnership_flags
from .timeline import event_record, flow_event_record


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

    The new phase starts today (or ``on_date``: not in the future, not before the current
    phase started) with the success criteria written now (the seed asks for them at the start
    of each phase). Entering walk is the launch, so ``launched_on`` is set.
    """
    locked = (
        Partnership.objects.select_for_update(of=("self",))
        .select_related("organization")
        .get(pk=partnership.pk)
    )
    starts_on = on_date or org_today(locked.organization)
    problem = phase_start_error(
        starts_on, today=org_today(locked.organization), current_start=locked.phase_started_on
    )
    if problem:
        raise ValidationError({"phase": problem})
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
    locked.phase_started_on = starts_on
    locked.phase_success_criteria = success_criteria
    fields = ["phase", "phase_started_on", "phase_success_criteria", "updated_at"]
    if to_phase == Phase.WALK and locked.launched_on is None:
        locked.launched_on = locked.phase_started_on
        fields.append("launched_on")
    if locked.status == Status.PROPOSED:
        locked.status = Status.ACTIVE
        fields.append("status")
    locked.save(update_fields=fields)
    if enforce_gates:
        phase_changed(locked, old)
    event_record(
        partnership=locked,
        kind=PartnershipEvent.Kind.PHASE,
        summary=f"Phase {Phase(old).label} → {Phase(to_phase).label}",
        detail=reason
        + (
            f"\nSuccess criteria for {Phase(to_phase).label}: {success_criteria}"
            if success_criteria
            else ""
        ),
        from_value=old,
        to_value=to_phase,
        actor=actor,
        by_system=by_system,
    )
    _announce(
        locked,
        "partnership.phase_changed",
        {"from": old, "to": to_phase, "reason": reason},
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
    enforce_gates: bool = True,
) -> Partnership:
    """Change a partnership's status (active, deferred, renegotiating, unwinding, ended).

    Ended is final: its evidence, decisions and timeline stay as the record of what happened,
    so a renewed relationship starts as a new proposed partnership instead of reopening it.
    Entering a status a gate guards (an unwind the partner must co-sign) waits for the gate.
    """
    locked = Partnership.objects.select_for_update().get(pk=partnership.pk)
    if to_status not in Status.values:
        raise ValidationError({"status": "Unknown status."})
    if not reason.strip():
        raise ValidationError({"reason": "Say why the status changes."})
    if locked.status == to_status:
        return locked
    if locked.status == Status.ENDED:
        raise ValidationError(
            {"status": "This partnership has ended. Propose a new partnership to start again."}
        )
    if enforce_gates:
        blockers = status_change_blockers(locked, to_status)
        if blockers:
            raise ValidationError({"status": blockers})
    old = locked.status
    locked.status = to_status
    locked.save(update_fields=["status", "updated_at"])
    if enforce_gates:
        status_changed(locked, old)
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
    _announce(
        locked,
        "partnership.status_changed",
        {"from": old, "to": to_status, "reason": reason},
        actor=actor,
        by_system=by_system,
    )
    partnership.refresh_from_db()
    return locked


def _announce(partnership, type: str, data: dict, *, actor=None, by_system=False) -> None:
    """Tell integrations what changed on ``partnership`` (see ``core.events``)."""
    emit(
        organization=partnership.organization,
        type=type,
        data={
            "partnership": partnership_ref(partnership),
            **data,
            "actor": getattr(actor, "email", None),
            "by_system": by_system,
        },
    )


def _announce_new_flags(partnership, before: set[str]) -> None:
    """``partnership.flagged`` for each anti-pattern flag the partnership just gained."""
    today = org_today(partnership.organization)
    for flag in partnership_flags(partnership, today=today):
        if flag.code not in before:
            _announce(partnership, "partnership.flagged", {"flag": flag.code, "title": flag.title})


# --- partners, contacts and partnerships -------------------------------------------------


def partner_create(*, organization, actor=None, **fields) -> Partner:
    """Add a partner (the external company) to the organization.

    ``actor`` (who adds it) is accepted from the callers that pass it (the API, partner
    programs, the demo); a partner has no timeline of its own, so nothing records it yet.
    """
    partner = Partner(organization=organization, **fields)
    partner.full_clean()
    partner.save()
    return partner


def partner_update(*, partner: Partner, **fields) -> Partner:
    for name, value in fields.items():
        setattr(partner, name, value)
    partner.full_clean()
    partner.save(update_fields=[*fields, "updated_at"])
    return partner


def contact_save(*, partner: Partner, contact: Contact | None = None, **fields) -> Contact:
    """Add a contact to a partner, or change one; the e-mail is unique per partner."""
    contact = contact or Contact(organization_id=partner.organization_id, partner=partner)
    for name, value in fields.items():
        setattr(contact, name, value)
    contact.full_clean()
    contact.save()
    return contact


def _check_members(organization, **people) -> None:
    """Owner, approver and unwind authorizer must be members of the partnership's organization."""
    ids = {user.pk for user in people.values() if user is not None}
    if not ids:
        return
    members = set(
        Membership.objects.filter(organization=organization, user_id__in=ids).values_list(
            "user_id", flat=True
        )
    )
    errors = {
        name: "Choose a member of this organization."
        for name, user in people.items()
        if user is not None and user.pk not in members
    }
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def partnership_create(
    *,
    organization,
    actor,
    flow_run: FlowRun | None = None,
    request_uuid: uuid.UUID | None = None,
    **fields,
):
    """Propose a partnership. It starts in Crawl today, status proposed.

    When the build-vs-partner flow was run first, that run is attached to the new partnership
    and shown on its timeline, so the decision to partner at all stays on record.
    ``request_uuid`` (made when the form was shown) becomes the partnership's uuid, so a form
    submitted twice creates one partnership.
    """
    if request_uuid is not None:
        existing = Partnership.objects.filter(uuid=request_uuid).first()
        if existing is not None and existing.organization_id == organization.pk:
            return existing
        if existing is not None:
            request_uuid = None
    if request_uuid is not None:
        fields["uuid"] = request_uuid
    today = org_today(organization)
    starts_on = fields.setdefault("phase_started_on", today)
    errors = {}
    if problem := phase_start_error(starts_on, today=today, current_start=None):
        errors["phase_started_on"] = problem
    # Created today (or recorded as started earlier): the deferral date is counted from then.
    if problem := deferral_date_error(fields.get("deferral_date"), today=starts_on):
        errors["deferral_date"] = problem
    if errors:
        raise ValidationError(errors)
    partnership = Partnership(
        organization=organization, phase=Phase.CRAWL, status=Status.PROPOSED, **fields
    )
    if partnership.partner.organization_id != organization.pk:
        raise ValidationError({"partner": "Choose one of your partners."})
    _check_members(
        organization,
        owner=partnership.owner,
        approver=partnership.approver,
        unwind_authorizer=partnership.unwind_authorizer,
    )
    partnership.full_clean()
    partnership.save()
    event_record(
        partnership=partnership,
        kind=PartnershipEvent.Kind.CREATED,
        summary=f"Partnership proposed with {partnership.partner.name}",
        actor=actor,
    )
    _announce(partnership, "partnership.created", {"tier": partnership.tier}, actor=actor)
    _announce_new_flags(partnership, before=set())
    if flow_run is not None and flow_run.partnership_id is None:
        FlowRun.objects.filter(pk=flow_run.pk).update(
            partnership=partnership, partner=partnership.partner
        )
        flow_run.partnership = partnership
        flow_event_record(run=flow_run, partnership=partnership, actor=flow_run.decided_by)
    return partnership


@transaction.atomic
def partnership_update(*, partnership: Partnership, actor, **fields) -> Partnership:
    """Edit a partnership's descriptive fields; the timeline notes which fields changed.

    Phase, status and tier are not edited here: they change through their flows and services.
    """
    forbidden = {"phase", "status", "tier", "organization", "launched_on"} & set(fields)
    if forbidden:
        raise ValueError(f"Change {', '.join(sorted(forbidden))} through its own service.")
    changed = [name for name, value in fields.items() if getattr(partnership, name) != value]
    if not changed:
        return partnership
    if "deferral_date" in changed:
        problem = deferral_date_error(
            fields["deferral_date"],
            today=org_today(partnership.organization),
            previous=partnership.deferral_date,
        )
        if problem:
            raise ValidationError({"deferral_date": problem})
    today = org_today(partnership.organization)
    flags_before = {flag.code for flag in partnership_flags(partnership, today=today)}
    for name in changed:
        setattr(partnership, name, fields[name])
    _check_members(
        partnership.organization,
        owner=partnership.owner,
        approver=partnership.approver,
        unwind_authorizer=partnership.unwind_authorizer,
    )
    partnership.full_clean()
    partnership.save(update_fields=[*changed, "updated_at"])
    labels = [str(Partnership._meta.get_field(name).verbose_name) for name in changed]
    event_record(
        partnership=partnership,
        kind=PartnershipEvent.Kind.NOTE,
        summary=f"Edited: {', '.join(labels)}"[:300],
        actor=actor,
    )
    _announce_new_flags(partnership, before=flags_before)
    return partnership
