"""Writes for organizations, memberships and invitations."""

from __future__ import annotations

from datetime import timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify

from core.tokens import hash_token, make_token
from notifications.services import email_queue

from .fresh_sign_in import record_fields
from .models import Invitation, MemberChange, Membership, Organization, Role, User

INVITATION_TTL = timedelta(days=7)


def _unique_slug(name: str) -> str:
    base = slugify(name)[:60] or "org"
    slug, n = base, 1
    while Organization.objects.filter(slug=slug).exists():
        n += 1
        slug = f"{base}-{n}"
    return slug


@transaction.atomic
def organization_create(*, name: str, owner: User, time_zone: str = "UTC") -> Organization:
    """Create an organization with ``owner`` as its first owner and approver."""
    org = Organization.objects.create(name=name, slug=_unique_slug(name), time_zone=time_zone)
    Membership.objects.create(organization=org, user=owner, role=Role.OWNER, can_approve=True)
    return org


@transaction.atomic
def invitation_create(
    *, organization: Organization, email: str, role: str, invited_by: User
) -> tuple[Invitation, str]:
    """Invite ``email``; returns the invitation and the raw token (only ever e-mailed).

    A pending invitation for the same address is replaced, so the newest link is the one
    that works.
    """
    email = email.strip().lower()
    if Membership.objects.filter(organization=organization, user__email__iexact=email).exists():
        raise ValidationError({"email": "This person is already a member."})
    Invitation.objects.filter(
        organization=organization, email__iexact=email, state=Invitation.State.PENDING
    ).update(state=Invitation.State.REVOKED)
    token = make_token()
    invitation = Invitation.objects.create(
        organization=organization,
        email=email,
        role=role,
        token_hash=hash_token(token),
        invited_by=invited_by,
        expires_at=timezone.now() + INVITATION_TTL,
    )
    email_queue(
        key=f"invitation:{invitation.pk}",
        to=email,
        template="invitation",
        context={
            "invitation": invitation,
            "organization": organization,
            "inviter": invited_by,
            "accept_path": reverse("accounts:invitation_accept", args=[token]),
        },
        organization=organization,
        sensitive=True,
    )
    return invitation, token


def invitation_for_token(token: str) -> Invitation | None:
    """The invitation a link's raw token opens (only its hash is stored)."""
    return (
        Invitation.objects.select_related("organization")
        .filter(token_hash=hash_token(token))
        .first()
    )


def invitation_for_uuid(value) -> Invitation | None:
    """The invitation remembered in a session while its invitee signs up or logs in: the
    session keeps the invitation's uuid, never the link's token, since sessions are stored
    signed but readable."""
    try:
        return Invitation.objects.select_related("organization").filter(uuid=value).first()
    except (ValueError, ValidationError):
        return None


@transaction.atomic
def invitation_accept(*, invitation: Invitation, user: User) -> Membership:
    """Attach ``user`` to the invitation's organization (once; a used link stops working)."""
    locked = Invitation.objects.select_for_update().get(pk=invitation.pk)
    if not locked.is_usable:
        raise ValidationError("This invitation is no longer valid.")
    if user.email.lower() != locked.email.lower():
        raise ValidationError(
            f"This invitation was sent to {locked.email}; you are signed in as {user.email}."
        )
    membership, _ = Membership.objects.get_or_create(
        organization=locked.organization, user=user, defaults={"role": locked.role}
    )
    locked.state = Invitation.State.ACCEPTED
    locked.accepted_at = timezone.now()
    locked.save(update_fields=["state", "accepted_at"])
    return membership


def invitation_revoke(*, invitation: Invitation) -> None:
    Invitation.objects.filter(pk=invitation.pk, state=Invitation.State.PENDING).update(
        state=Invitation.State.REVOKED
    )


def invitations_expire() -> int:
    """Mark pending invitations past their expiry as expired. Idempotent."""
    return Invitation.objects.filter(
        state=Invitation.State.PENDING, expires_at__lte=timezone.now()
    ).update(state=Invitation.State.EXPIRED)


def _lock_owners(organization_id: int) -> set[int]:
    """Lock the organization's owner memberships and return their ids.

    The rows themselves are locked (``SELECT … FOR UPDATE``), in id order: Django drops
    ``FOR UPDATE`` from an aggregate, so a locked ``count()`` would lock nothing and two owners
    demoting each other at the same moment could both see "one owner left". With the rows
    locked, the second transaction waits, then sees the first one's change.
    """
    return set(
        Membership.objects.select_for_update()
        .filter(organization_id=organization_id, role=Role.OWNER)
        .order_by("pk")
        .values_list("pk", flat=True)
    )


def _is_last_owner(membership: Membership) -> bool:
    """True when ``membership`` is, under lock, the organization's only owner."""
    owners = _lock_owners(membership.organization_id)
    return membership.pk in owners and not owners - {membership.pk}


@transaction.atomic
def membership_change_role(
    *, membership: Membership, role: str, can_approve: bool | None = None, actor=None
) -> Membership:
    """Change a member's role; an organization always keeps at least one owner. A change is
    recorded (``MemberChange``), with the fresh sign-in that confirmed it."""
    if role not in Role.values:
        raise ValidationError({"role": "Unknown role."})
    if role != Role.OWNER and _is_last_owner(membership):
        raise ValidationError({"role": "An organization needs at least one owner."})
    before = (membership.role, membership.can_approve)
    membership.role = role
    fields = ["role"]
    if can_approve is not None:
        membership.can_approve = can_approve and role != Role.VIEWER
        fields.append("can_approve")
    elif role == Role.VIEWER:
        membership.can_approve = False
        fields.append("can_approve")
    membership.save(update_fields=fields)
    if (membership.role, membership.can_approve) != before:
        _record_change(
            membership,
            actor,
            kind=MemberChange.Kind.ROLE,
            from_role=before[0],
            to_role=membership.role,
            can_approve=membership.can_approve,
        )
    return membership


def _record_change(membership: Membership, actor, **change) -> MemberChange:
    """The record of a change to ``membership``, with the fresh sign-in that confirmed it."""
    return MemberChange.objects.create(
        organization_id=membership.organization_id,
        actor=actor,
        member_email=membership.user.email,
        **change,
        **record_fields(actor),
    )


@transaction.atomic
def membership_remove(*, membership: Membership, actor=None) -> None:
    """Remove a member (recorded, as a role change is); never the last owner."""
    if _is_last_owner(membership):
        raise ValidationError("The last owner cannot be removed.")
    _record_change(membership, actor, kind=MemberChange.Kind.REMOVED, from_role=membership.role)
    membership.delete()
