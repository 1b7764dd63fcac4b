"""The personal calendar feed: a secret URL a calendar application polls.

The URL carries a 256-bit token made by ``core.tokens``; only its hash is stored, so the URL is
shown once, like a password. Issuing a new one revokes the old, and revoking ends it at once.
"""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from accounts.models import Organization
from core.tokens import hash_token, make_token

from ..models import CalendarFeed


@transaction.atomic
def calendar_feed_create(*, organization: Organization, user) -> tuple[CalendarFeed, str]:
    """Issue a new secret feed URL token (revoking the previous one). Returns (feed, token)."""
    token = make_token()
    calendar_feed_revoke(organization=organization, user=user)
    feed = CalendarFeed.objects.create(
        organization=organization, user=user, token_hash=hash_token(token)
    )
    return feed, token


def calendar_feed_revoke(*, organization: Organization, user) -> int:
    """Revoke the person's active feed in this organization; its URL answers 404 from now."""
    return CalendarFeed.objects.filter(
        organization=organization, user=user, revoked_at__isnull=True
    ).update(revoked_at=timezone.now())


def calendar_feed_open(token: str) -> CalendarFeed | None:
    """The active feed whose URL carries ``token`` (its use recorded), or None when the token
    is unknown, revoked, or its owner has left the organization."""
    feed = (
        CalendarFeed.objects.select_related("organization", "user")
        .filter(token_hash=hash_token(token), revoked_at__isnull=True)
        .first()
    )
    if feed is None or not feed.organization.memberships.filter(user=feed.user).exists():
        return None
    CalendarFeed.objects.filter(pk=feed.pk).update(last_used_at=timezone.now())
    return feed
