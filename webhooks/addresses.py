"""Which webhook URLs Accord will call.

A webhook URL is chosen by a customer and called by our workers, from inside our network:
without a check it is a way to make Accord request ``http://169.254.169.254/`` (cloud
metadata), ``http://localhost:6379/`` or a private service and show the answer in the
delivery log. So a URL must be http(s), carry no credentials, and every address its host
resolves to must be a public (global) one: private, loopback, link-local, shared, reserved,
multicast and unspecified addresses are refused. The check runs when the URL is saved and
again at every delivery, and the delivery connects to the address that was checked, so a
DNS answer that changes in between (DNS rebinding) gains nothing.

``WEBHOOKS_ALLOW_PRIVATE_URLS`` turns the address check off for tests and for on-premise
installations whose receivers live inside the same network.
"""

from __future__ import annotations

import ipaddress
import socket
from urllib.parse import urlsplit

from django.conf import settings
from django.core.exceptions import ValidationError


class UnsafeURL(ValueError):
    """The URL may not be called; the message says why."""


def private_allowed() -> bool:
    return bool(getattr(settings, "WEBHOOKS_ALLOW_PRIVATE_URLS", False))


def is_public(address: str) -> bool:
    ip = ipaddress.ip_address(address.split("%", 1)[0])
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    return ip.is_global and not ip.is_multicast


def split_url(url: str) -> tuple[str, str, int]:
    """(scheme, host, port) of an acceptable URL, or ``UnsafeURL``."""
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError:
        raise UnsafeURL("This is not a valid URL.") from None
    if parts.scheme not in ("http", "https"):
        raise UnsafeURL("Use an http:// or https:// URL.")
    if parts.username is not None or parts.password is not None:
        raise UnsafeURL("Put no credentials in the URL: receivers verify the signature instead.")
    if not parts.hostname:
        raise UnsafeURL("The URL has no host.")
    return parts.scheme, parts.hostname, port or (443 if parts.scheme == "https" else 80)


def resolve(url: str) -> tuple[str, str, int, list[str]]:
    """(scheme, host, port, addresses to connect to) or ``UnsafeURL``."""
    scheme, host, port = split_url(url)
    try:
        found = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (OSError, UnicodeError):
        raise UnsafeURL(f"The host {host} could not be resolved.") from None
    addresses = list(dict.fromkeys(info[4][0] for info in found))
    if not addresses:
        raise UnsafeURL(f"The host {host} could not be resolved.")
    if not private_allowed():
        refused = [address for address in addresses if not is_public(address)]
        if refused:
            raise UnsafeURL(
                f"{host} resolves to a private, loopback or link-local address "
                f"({refused[0]}); webhooks go to public addresses only."
            )
    return scheme, host, port, addresses


def check_url(url: str, *, field: str = "url") -> None:
    """Refuse a URL that may not be called, as a ValidationError on ``field``."""
    try:
        if private_allowed():
            split_url(url)
        else:
            resolve(url)
    except UnsafeURL as exc:
        raise ValidationError({field: str(exc)}) from None
