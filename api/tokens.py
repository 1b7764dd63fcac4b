"""Making, revoking and checking organization API tokens.

A token is ``acc_`` followed by 256 random bits (``core.tokens.make_token``). The prefix makes
a leaked token easy to recognise (and to search for in logs and repositories); only the
SHA-256 of the whole string is stored. Looking a token up by its hash needs no constant-time
comparison: the hash is the index key, and matching it is as hard as guessing the token.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import OuterRef, Subquery
from django.utils import timezone

from accounts.fresh_sign_in import record_fields
from accounts.models import ROLE_RANK, Membership, Organization, Role, User
from core.tokens import hash_token, make_token

from .models import ApiToken

TOKEN_PREFIX = "acc_"  # noqa: S105 (a prefix, not a secret)
SHOWN_PREFIX = 10  # "acc_" and six characters of the random part
# The last-used time is written at most this often per token (and whenever the address
# changes), so a busy integration does not write a row on every call.
LAST_USED_RESOLUTION = datetime.timedelta(seconds=60)


@transaction.atomic
def token_create(
    *,
    organization: Organization,
    created_by: User,
    name: str,
    scope: str,
    expires_at: datetime.datetime | None = None,
) -> tuple[ApiToken, str]:
    """Make a token; returns the row and the raw token, which is shown once and never stored.

    Only an owner may make one (the settings page checks the role; this checks it again, so
    no other caller can hand out more rights than an owner would).
    """
    errors = {}
    if not (name or "").strip():
        errors["name"] = "Give the token a name (what uses it)."
    if scope not in ApiToken.Scope.values:
        errors["scope"] = "Choose read or write."
    if expires_at is not None and expires_at <= timezone.now():
        errors["expires_at"] = "The expiry must be in the future."
    if errors:
        raise ValidationError(errors)
    is_owner = Membership.objects.filter(
        organization=organization, user=created_by, role=Role.OWNER
    ).exists()
    if not is_owner:
        raise ValidationError("Only an owner of the organization can make API tokens.")
    raw = TOKEN_PREFIX + make_token()
    token = ApiToken.objects.create(
        organization=organization,
        name=name.strip()[:100],
        scope=scope,
        token_hash=hash_token(raw),
        prefix=raw[:SHOWN_PREFIX],
        created_by=created_by,
        expires_at=expires_at,
        **record_fields(created_by),
    )
    return token, raw


def token_revoke(*, token: ApiToken, revoked_by: User) -> bool:
    """Revoke a token at once; revoking twice changes nothing. Returns whether it changed."""
    changed = ApiToken.objects.filter(pk=token.pk, revoked_at__isnull=True).update(
        revoked_at=timezone.now(), revoked_by=revoked_by
    )
    return bool(changed)


@dataclass(frozen=True)
class TokenAccess:
    """What a presented token may do: the organization, who it acts for, and with which role."""

    token: ApiToken
    organization: Organization
    user: User
    role: str
    can_approve: bool

    def membership(self) -> Membership:
        """An unsaved membership with the token's role, for code that reads
        ``request.membership`` (role checks, ``can_write``, ``is_owner``)."""
        return Membership(
            organization=self.organization,
            user=self.user,
            role=self.role,
            can_approve=self.can_approve,
        )


class TokenRefused(Exception):
    """The presented token cannot be used; ``reason`` says why (shown to its bearer)."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


def _token_role(scope: str, maker_role: str) -> str:
    """Read acts as a viewer, write as a manager, and never above the maker's own role."""
    wanted = Role.MANAGER if scope == ApiToken.Scope.WRITE else Role.VIEWER
    return wanted if ROLE_RANK[Role(maker_role)] >= ROLE_RANK[wanted] else maker_role


def token_authenticate(raw: str) -> TokenAccess:
    """The access a raw token grants, in one query; raises ``TokenRefused``.

    The maker's membership is read in the same query: a token made by someone who has since
    left the organization stops working, and one whose maker became a viewer only reads.
    """
    if not raw or not raw.startswith(TOKEN_PREFIX) or len(raw) > 200:
        raise TokenRefused("The token is not valid.")
    maker = Membership.objects.filter(
        organization=OuterRef("organization"), user=OuterRef("created_by")
    )
    token = (
        ApiToken.objects.select_related("organization", "created_by")
        .annotate(
            maker_role=Subquery(maker.values("role")[:1]),
            maker_can_approve=Subquery(maker.values("can_approve")[:1]),
        )
        .filter(token_hash=hash_token(raw))
        .first()
    )
    if token is None:
        raise TokenRefused("The token is not valid.")
    if token.revoked_at is not None:
        raise TokenRefused("The token was revoked.")
    if token.is_expired:
        raise TokenRefused("The token has expired.")
    if token.created_by is None or token.maker_role is None:
        raise TokenRefused("The member who made this token has left the organization.")
    role = _token_role(token.scope, token.maker_role)
    return TokenAccess(
        token=token,
        organization=token.organization,
        user=token.created_by,
        role=role,
        can_approve=bool(token.maker_can_approve) and role != Role.VIEWER,
    )


def token_mark_used(*, token: ApiToken, ip: str | None) -> None:
    """Record when and from where the token was last used: one UPDATE on every call, which
    writes only when a minute has passed or the address changed (a constant query count)."""
    now = timezone.now()
    stale = ApiToken.objects.filter(pk=token.pk).exclude(
        last_used_at__gt=now - LAST_USED_RESOLUTION, last_used_ip=ip
    )
    stale.update(last_used_at=now, last_used_ip=ip)
