"""What a confirmed application becomes: partner, contact and a proposed Tier 1 partnership.

Curated: a manager accepts (or declines with a reason). Open: the program admits it at once.
Either way the applicant hears once (the outbox key is the application's), and a manager may
end an admitted partner later, with a reason. An open program also invites the new contact to
the partner room.
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.module_loading import import_string

from accounts.models import Organization
from partnerships.models import Contact, Leverage, Partner, PartnershipEvent, Status, Tier
from partnerships.services import (
    contact_save,
    event_record,
    partner_create,
    partnership_change_status,
    partnership_create,
)

from ..models import Application, DirectoryListing
from ..selectors import intake_owner, settings_for
from .mail import applicant_email


def _locked(application: Application) -> Application:
    return Application.objects.select_for_update().get(pk=application.pk)


def _timeline_detail(application: Application) -> str:
    return "\n".join(
        [
            f"Applicant: {application.contact_name} <{application.contact_email}>"
            + (f", {application.contact_title}" if application.contact_title else ""),
            f"Applied {application.submitted_at:%Y-%m-%d}, confirmed "
            f"{application.confirmed_at:%Y-%m-%d}.",
            f"What they offer or integrate: {application.offer}",
            f"Value to them: {application.value_to_them}",
            f"Value to shared customers: {application.value_to_customers}",
            f"What they would lose if it failed: {application.they_lose}",
            "Leverage was set to customer (a Tier 1 default): review it.",
        ]
    )


def _partner_contact_partnership(application: Application, *, actor, owner):
    """Find or make the partner and contact, propose the partnership, put the application on
    its timeline. A partner we already have (same name) is reused, not duplicated; the last
    value says whether the contact is new."""
    organization = application.organization
    partner = Partner.objects.filter(
        organization=organization, name__iexact=application.company.strip()
    ).first()
    if partner is None:
        partner = partner_create(
            organization=organization,
            actor=actor,
            name=application.company.strip(),
            website=application.website,
            category="Integration",
            description=application.offer,
        )
    contact = Contact.objects.filter(
        partner=partner, email__iexact=application.contact_email
    ).first()
    new_contact = contact is None
    if new_contact:
        contact = contact_save(
            partner=partner,
            name=application.contact_name,
            email=application.contact_email,
            title=application.contact_title,
        )
    partnership = partnership_create(
        organization=organization,
        actor=actor,
        partner=partner,
        name=f"{partner.name} integration"[:160],
        tier=Tier.INTEGRATION,
        leverage=Leverage.CUSTOMER,
        owner=owner,
        value_to_partner=application.value_to_them,
        value_to_customers=application.value_to_customers,
        partner_loses=application.they_lose,
        claim_capability=application.offer,
    )
    how = "accepted by a reviewer" if actor else "admitted by the open program"
    event_record(
        partnership=partnership,
        kind=PartnershipEvent.Kind.NOTE,
        summary=f"From the partner program: {application.company} applied; {how}",
        detail=_timeline_detail(application),
        actor=actor,
        by_system=actor is None,
        url=reverse("programs:application", kwargs={"application_uuid": application.uuid}),
    )
    if application.list_in_directory:
        DirectoryListing.objects.update_or_create(
            partner=partner,
            defaults={
                "organization": organization,
                "listed": True,
                "display_name": partner.name,
                "integrates": application.offer[:300],
                "website": application.website,
            },
        )
    return partner, contact, partnership, new_contact


def _room_invite(contact: Contact) -> None:
    """Invite an admitted applicant's new contact to their partner room (an open program's
    self-serve partners work with us there), through ``settings.PROGRAM_ROOM_INVITE``: the
    partner room sits beside this app in the layers, so it is named, not imported.

    Only a contact this admission created is invited: an existing contact's room access (or
    its absence) is an owner's choice that an application must not change.
    """
    dotted = getattr(settings, "PROGRAM_ROOM_INVITE", "")
    if dotted:
        import_string(dotted)(contact=contact, granted_by=None)


def _admit(application: Application, *, actor, state: str) -> Application:
    organization = Organization.objects.select_for_update().get(pk=application.organization_id)
    application.organization = organization
    owner = intake_owner(organization, settings_for(organization)) or actor
    if owner is None:
        raise ValidationError("The organization has no owner to own the partnership.")
    partner, contact, partnership, new_contact = _partner_contact_partnership(
        application, actor=actor, owner=owner
    )
    application.state = state
    application.decided_at = timezone.now()
    application.decided_by = actor
    application.partner, application.contact, application.partnership = (
        partner,
        contact,
        partnership,
    )
    application.save(
        update_fields=["state", "decided_at", "decided_by", "partner", "contact", "partnership"]
    )
    if state == Application.State.ADMITTED and new_contact:
        _room_invite(contact)
    applicant_email(
        key=f"programs:{application.uuid}:welcome",
        to=application.contact_email,
        template="program-welcome",
        context={"organization": organization, "application": application},
        organization=organization,
        language=application.language,
    )
    return application


@transaction.atomic
def application_admit(*, application: Application) -> Application:
    """Open program: the confirmed application becomes partner, contact and a proposed Tier 1
    partnership at once. Quality is then surfaced through use (trust signals), not decided
    upfront by a reviewer."""
    locked = _locked(application)
    if locked.state != Application.State.WAITING:
        return locked
    return _admit(locked, actor=None, state=Application.State.ADMITTED)


@transaction.atomic
def application_accept(*, application: Application, actor) -> Application:
    """Curated program: a manager accepts a waiting application (once)."""
    locked = _locked(application)
    if locked.state != Application.State.WAITING:
        raise ValidationError(f"This application is already {locked.get_state_display().lower()}.")
    return _admit(locked, actor=actor, state=Application.State.ACCEPTED)


@transaction.atomic
def application_decline(
    *, application: Application, actor, reason: str, share_reason: bool = False
) -> Application:
    """Curated program: decline a waiting application with a reason, and tell the applicant
    (the reason only when ``share_reason``: a reason written for the team may be blunt)."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": "Say why the application is declined."})
    locked = _locked(application)
    if locked.state != Application.State.WAITING:
        raise ValidationError(f"This application is already {locked.get_state_display().lower()}.")
    locked.state = Application.State.DECLINED
    locked.decided_at = timezone.now()
    locked.decided_by = actor
    locked.reason = reason
    locked.share_reason = bool(share_reason)
    locked.save(update_fields=["state", "decided_at", "decided_by", "reason", "share_reason"])
    applicant_email(
        key=f"programs:{locked.uuid}:declined",
        to=locked.contact_email,
        template="program-declined",
        context={"organization": locked.organization, "application": locked},
        organization=locked.organization,
        language=locked.language,
    )
    return locked


@transaction.atomic
def application_end(*, application: Application, actor, reason: str) -> Application:
    """End an admitted or accepted partner's place in the program, with a reason.

    An open program lets partners in without review, so ending is its control: the proposed
    partnership ends (through partnerships' status service, on its timeline) and the partner
    leaves the public directory.
    """
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": "Say why the partner leaves the program."})
    locked = _locked(application)
    if locked.state not in Application.IN_PROGRAM:
        raise ValidationError("Only an admitted or accepted partner can be ended.")
    if locked.partnership is not None and locked.partnership.status != Status.ENDED:
        partnership_change_status(
            partnership=locked.partnership,
            to_status=Status.ENDED,
            actor=actor,
            reason=f"Ended in the partner program: {reason}",
        )
    if locked.partner_id:
        DirectoryListing.objects.filter(partner_id=locked.partner_id).update(listed=False)
    locked.state = Application.State.ENDED
    locked.ended_at = timezone.now()
    locked.ended_by = actor
    locked.end_reason = reason
    locked.save(update_fields=["state", "ended_at", "ended_by", "end_reason"])
    return locked
