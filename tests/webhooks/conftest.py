"""A webhook receiver on 127.0.0.1, started by the test, that verifies every delivery with the
``standardwebhooks`` package, as a customer's receiver would."""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from standardwebhooks import Webhook
from standardwebhooks.webhooks import WebhookVerificationError

from webhooks.endpoints import endpoint_create


@dataclass
class Received:
    headers: dict[str, str]
    body: bytes
    verified: bool
    answered: int


@dataclass
class Receiver:
    """Answers each POST with the next status of ``statuses`` (then 200), after verifying it
    with every secret in ``secrets`` (a delivery is verified when one of them accepts it)."""

    url: str = ""
    secrets: list[str] = field(default_factory=list)
    statuses: list[int] = field(default_factory=list)
    received: list[Received] = field(default_factory=list)

    def verify(self, body: bytes, headers: dict[str, str]) -> bool:
        for secret in self.secrets:
            try:
                Webhook(secret).verify(body, headers)
            except WebhookVerificationError:
                continue
            return True
        return False

    @property
    def accepted(self) -> list[Received]:
        return [r for r in self.received if r.verified and 200 <= r.answered < 300]


@pytest.fixture
def receiver():
    state = Receiver()

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self):  # noqa: N802 (http.server's name)
            body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
            headers = {name.lower(): value for name, value in self.headers.items()}
            status = state.statuses.pop(0) if state.statuses else 200
            state.received.append(Received(headers, body, state.verify(body, headers), status))
            self.send_response(status)
            self.send_header("Content-Type", "text/plain")
            self.end_headers()
            self.wfile.write(b"ok" if status < 300 else b"receiver is down")

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    state.url = f"http://127.0.0.1:{server.server_address[1]}/hooks/accord"
    try:
        yield state
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture
def allow_private(settings):
    settings.WEBHOOKS_ALLOW_PRIVATE_URLS = True


@pytest.fixture
def endpoint(org, owner, receiver, allow_private):
    """An endpoint of Northwind pointing at the receiver, which knows its secret."""
    created, secret = endpoint_create(
        organization=org,
        created_by=owner,
        url=receiver.url,
        event_types=["partnership.phase_changed", "evidence.recorded"],
    )
    receiver.secrets = [secret]
    created.secret = secret
    return created
