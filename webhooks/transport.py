"""One HTTP POST to a webhook receiver, at an address that was checked.

The host is resolved and every address checked (``webhooks.addresses``); the connection then
goes to one of those addresses, with the original host name in ``Host`` and in TLS (SNI and
certificate verification), so the name cannot be re-pointed between the check and the call.
Redirects are not followed: a receiver answers 2xx or the attempt failed. Only the first
bytes of the answer are read and kept.
"""

from __future__ import annotations

import http.client
import socket
import ssl
import time
from dataclasses import dataclass
from urllib.parse import urlsplit

from .addresses import UnsafeURL, resolve

EXCERPT_BYTES = 4096
EXCERPT_CHARS = 1000


@dataclass(frozen=True)
class Answer:
    status: int | None
    excerpt: str
    error: str
    duration_ms: int

    @property
    def ok(self) -> bool:
        return self.status is not None and 200 <= self.status < 300


class _PinnedHTTP(http.client.HTTPConnection):
    def __init__(self, host, port, address, timeout):
        super().__init__(host, port, timeout=timeout)
        self._address = address

    def connect(self):
        self.sock = socket.create_connection((self._address, self.port), self.timeout)


class _PinnedHTTPS(http.client.HTTPSConnection):
    def __init__(self, host, port, address, timeout):
        super().__init__(host, port, timeout=timeout, context=ssl.create_default_context())
        self._address = address

    def connect(self):
        sock = socket.create_connection((self._address, self.port), self.timeout)
        self.sock = self._context.wrap_socket(sock, server_hostname=self.host)


def _excerpt(data: bytes) -> str:
    return data.decode("utf-8", errors="replace").replace("\x00", "")[:EXCERPT_CHARS]


def post(url: str, body: bytes, headers: dict[str, str], *, timeout: float) -> Answer:
    """POST ``body`` to ``url``; never raises for network trouble (it is in the answer)."""
    started = time.monotonic()

    def answer(status=None, excerpt="", error=""):
        elapsed = int((time.monotonic() - started) * 1000)
        return Answer(status, excerpt, error[:500], elapsed)

    try:
        scheme, host, port, addresses = resolve(url)
    except UnsafeURL as exc:
        return answer(error=str(exc))
    parts = urlsplit(url)
    target = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    connection_class = _PinnedHTTPS if scheme == "https" else _PinnedHTTP
    last_error = ""
    for address in addresses:
        connection = connection_class(host, port, address, timeout)
        try:
            connection.request("POST", target, body=body, headers=headers)
            response = connection.getresponse()
            data = response.read(EXCERPT_BYTES)
            return answer(status=response.status, excerpt=_excerpt(data))
        except (OSError, http.client.HTTPException) as exc:
            last_error = f"{type(exc).__name__}: {exc}"
            if not isinstance(exc, ConnectionRefusedError | socket.gaierror):
                break  # the receiver was reached (or timed out): do not post twice
        finally:
            connection.close()
    return answer(error=last_error or "No address could be reached.")
