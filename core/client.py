"""The client's IP address, read the same way by audit trails, rate limits and lockouts.

Behind N reverse proxies (``settings.TRUSTED_PROXY_COUNT``, default 0) the client is the N-th
address from the right of ``X-Forwarded-For``: each trusted proxy appends the address it saw,
so everything further left was written by the client and cannot be trusted. With no proxy the
header is ignored and ``REMOTE_ADDR`` is the client.
"""

from __future__ import annotations

import ipaddress

from django.conf import settings


def _valid_ip(value: str) -> str | None:
    try:
        return str(ipaddress.ip_address(value.strip()))
    except ValueError:
        return None


def client_ip(request) -> str | None:
    """The client's address for ``request``, or ``None`` when none is known."""
    proxies = int(getattr(settings, "TRUSTED_PROXY_COUNT", 0) or 0)
    if proxies > 0:
        forwarded = [
            part.strip()
            for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
            if part.strip()
        ]
        if len(forwarded) >= proxies:
            found = _valid_ip(forwarded[-proxies])
            if found:
                return found
    remote = request.META.get("REMOTE_ADDR") or ""
    return _valid_ip(remote) if remote else None


def user_agent(request, limit: int = 400) -> str:
    """The request's user agent, cut to ``limit`` characters and without NUL bytes."""
    return request.META.get("HTTP_USER_AGENT", "").replace("\x00", "")[:limit]


def axes_client_ip(request) -> str | None:
    """``AXES_CLIENT_IP_CALLABLE``: django-axes locks out by the same address we record."""
    return client_ip(request)
