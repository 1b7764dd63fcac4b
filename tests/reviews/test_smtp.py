"""One e-mail path end to end through a real SMTP server (aiosmtpd) started in the test."""

import datetime
import email
import email.policy
import socket

import pytest
from aiosmtpd.controller import Controller
from django.test import override_settings

from notifications.models import OutboundEmail
from reviews import services
from reviews.models import HealthReview


class Inbox:
    def __init__(self):
        self.messages = []

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 - aiosmtpd's hook name
        self.messages.append((envelope.rcpt_tos, envelope.content))
        return "250 Message accepted for delivery"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def smtp_server():
    inbox = Inbox()
    port = free_port()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        yield inbox, port
    finally:
        controller.stop()


@pytest.mark.django_db
def test_digest_travels_through_a_real_smtp_server(
    smtp_server, org, owner, make_partnership, django_capture_on_commit_callbacks
):
    inbox, port = smtp_server
    partnership = make_partnership(name="Dispute desk pilot")
    with (
        override_settings(
            EMAIL_BACKEND="django.core.mail.backends.smtp.EmailBackend",
            EMAIL_HOST="127.0.0.1",
            EMAIL_PORT=port,
            EMAIL_USE_TLS=False,
        ),
        django_capture_on_commit_callbacks(execute=True),
    ):
        cycle = services.cycle_start(organization=org, starts_on=datetime.date(2026, 3, 2))

    assert len(inbox.messages) == 1
    recipients, raw = inbox.messages[0]
    assert recipients == [owner.email]
    message = email.message_from_bytes(raw, policy=email.policy.default)
    assert message["Subject"] == "1 health review due this week — Northwind"
    assert message["X-Accord-Key"] == f"digest:{owner.pk}:{cycle.pk}"
    text = message.get_body(preferencelist=("plain",)).get_content()
    html = message.get_body(preferencelist=("html",)).get_content()
    review = HealthReview.objects.get(partnership=partnership)
    link = f"/reviews/{review.uuid}/"
    assert link in text and link in html
    assert "Dispute desk pilot" in html
    assert OutboundEmail.objects.get().state == "sent"
