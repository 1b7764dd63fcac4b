"""The organization's two-factor policy (SPEC §12).

Approvers commit the organization and owners control who may; a stolen password alone must
not be enough for them. An owner chooses whom the policy covers; a member it covers who has
no second factor is sent to set one up before anything else.
"""

from __future__ import annotations

from allauth.mfa.models import Authenticator
from django.db.models import Exists, OuterRef, QuerySet

from .models import Membership, Organization

# Recovery codes alone are not a second factor: they back one up.
SECOND_FACTORS = (Authenticator.Type.TOTP, Authenticator.Type.WEBAUTHN)


def policy_covers(membership: Membership) -> bool:
    """Whether the organization's policy requires a second factor of this member.

    The levels nest: approvers includes owners (who decide who approves), everyone includes
    both.
    """
    policy = membership.organization.require_two_factor
    Policy = Organization.TwoFactorPolicy
    if policy == Policy.EVERYONE:
        return True
    if policy == Policy.APPROVERS:
        return membership.is_owner or membership.can_approve
    if policy == Policy.OWNERS:
        return membership.is_owner
    return False


def has_second_factor(user) -> bool:
    return Authenticator.objects.filter(user=user, type__in=SECOND_FACTORS).exists()


def needs_second_factor(membership: Membership | None) -> bool:
    """True when the policy covers the member and they have no second factor yet."""
    if membership is None or not policy_covers(membership):
        return False
    return not has_second_factor(membership.user_id)


def with_two_factor(members: QuerySet[Membership]) -> QuerySet[Membership]:
    """Annotate ``has_two_factor`` on memberships (one query, for the members page)."""
    return members.annotate(
        has_two_factor=Exists(
            Authenticator.objects.filter(user=OuterRef("user"), type__in=SECOND_FACTORS)
        )
    )
