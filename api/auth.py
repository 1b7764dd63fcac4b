"""Bearer-token authentication for every API operation, the per-token rate limit, and the
write check.

A request with a valid token runs exactly like a member's request to a page: it gets
``request.organization``, ``request.user`` (the owner who made the token) and a
``request.membership`` with the token's role, so every read goes through the same
``accounts.scoping`` helpers and another organization's object is a 404. Session cookies are
ignored here: the API trusts only the token (so no CSRF token is needed, and none is asked).
"""

from __future__ import annotations

import math
import time

from django.conf import settings
from django.core.cache import cache
from ninja.security import HttpBearer

from core.client import client_ip

from .tokens import TokenAccess, TokenRefused, token_authenticate, token_mark_used


class Unauthenticated(Exception):
    """No usable token: 401."""

    def __init__(self, detail: str):
        super().__init__(detail)
        self.detail = detail


class Forbidden(Exception):
    """The token's role does not allow this operation: 403."""

    def __init__(self, detail: str):
        super().__init__(detail)
        self.detail = detail


class RateLimited(Exception):
    """Too many calls with this token in the current window: 429 with ``Retry-After``."""

    def __init__(self, retry_after: int, limit: int, window: int):
        super().__init__(f"{limit} requests per {window} s")
        self.retry_after = retry_after
        self.limit = limit
        self.window = window


def rate_limit() -> tuple[int, int]:
    """(requests, seconds) from ``API_RATE_LIMIT``, e.g. ``"600/60"``."""
    raw = str(getattr(settings, "API_RATE_LIMIT", "600/60"))
    count, _, seconds = raw.partition("/")
    return max(1, int(count)), max(1, int(seconds or 60))


def rate_limit_check(token_id: int, *, now: float | None = None) -> None:
    """Count one call for the token in the current fixed window (Django's cache, shared by
    every process when the cache is Redis); raise ``RateLimited`` past the limit."""
    limit, window = rate_limit()
    now = time.time() if now is None else now
    bucket = int(now // window)
    key = f"api-rate:{token_id}:{bucket}"
    cache.add(key, 0, timeout=window + 5)
    try:
        used = cache.incr(key)
    except ValueError:  # evicted between add and incr: count this call as the first
        cache.set(key, 1, timeout=window + 5)
        used = 1
    if used > limit:
        retry_after = max(1, math.ceil((bucket + 1) * window - now))
        raise RateLimited(retry_after, limit, window)


class TokenAuth(HttpBearer):
    """``Authorization: Bearer acc_…``"""

    def __call__(self, request):
        if not request.headers.get("Authorization"):
            raise Unauthenticated("Send an API token: Authorization: Bearer <token>.")
        found = super().__call__(request)
        if found is None:
            raise Unauthenticated("Send an API token: Authorization: Bearer <token>.")
        return found

    def authenticate(self, request, token: str) -> TokenAccess:
        try:
            access = token_authenticate(token.strip())
        except TokenRefused as exc:
            raise Unauthenticated(exc.reason) from None
        rate_limit_check(access.token.pk)
        token_mark_used(token=access.token, ip=client_ip(request))
        request.user = access.user
        request.organization = access.organization
        request.membership = access.membership()
        request.api_token = access.token
        return access


def require_write(request) -> None:
    """Writes need a token with the write scope (manager rights), as a page write needs a
    manager."""
    membership = getattr(request, "membership", None)
    if membership is None or not membership.can_write:
        raise Forbidden("This token may only read. Writes need a token with the write scope.")
