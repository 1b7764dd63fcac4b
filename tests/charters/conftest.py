"""Fixtures for charter tests: a Northwind partnership with partner contacts, a charter draft,
and helpers that send it and read the signing links back from the outbox."""

import re
from datetime import timedelta

import pytest
from django.core import mail
from django.urls import resolve, reverse
from django.utils import timezone

from charters import services
from core import keyring
from notifications.models import OutboundEmail
from tests.factories import ContactFactory, PartnershipFactory

CHARTER_DATA = {
    "title": "Partnership Charter — Northwind and Acme Payments",
    "mutual_goals": "Twenty pilot merchants live on managed disputes by March.",
    "value_exchange": "We bring merchant volume; Acme brings the dispute desk.",
    "timeline": "Crawl until 31 January; walk from February.",
    "measurement": "Median dispute resolution time, weekly.",
    "decision_cadence": "Weekly health review; go / no-go at each phase end.",
    "escalation_path": "Owners, then the VP Partnerships on each side.",
    "breakage_ownership": "Acme owns dispute desk outages; we own the merchant UI.",
}


@pytest.fixture
def partnership(org, owner, manager):
    p = PartnershipFactory(organization=org, owner=manager, partner__name="Acme Payments")
    return p


@pytest.fixture
def contact(partnership):
    return ContactFactory(
        partner=partnership.partner, name="Paula Partner", email="paula@acme.example"
    )


@pytest.fixture
def contact2(partnership):
    return ContactFactory(
        partner=partnership.partner, name="Pete Second", email="pete@acme.example"
    )


@pytest.fixture
def version(partnership, manager):
    return services.charter_save(partnership=partnership, actor=manager, data=CHARTER_DATA)


def sign_links() -> dict[str, str]:
    """email -> how the newest e-mail lets them sign, read from the queued e-mails (the only
    place a raw token exists): a partner signer's raw token, or for a member of ours (whose
    e-mail carries no secret) the signer uuid of their signing page."""
    links = {}
    for email in OutboundEmail.objects.filter(key__regex=r"^charter-(sign|remind):").order_by(
        "created_at", "pk"
    ):
        match = re.search(
            r"/charters/sign/([A-Za-z0-9_-]+)/|/charters/signer/([0-9a-f-]{36})/",
            email_text(email),
        )
        if match:
            links[email.to] = match.group(1) or match.group(2)
    return links


def email_text(email: OutboundEmail) -> str:
    """The plain text of a queued e-mail: as stored while it waits, as sent once the outbox
    redacted it (the only copy left is the one delivered, in ``mail.outbox``)."""
    if email.redacted_at is None:
        return email.body_text
    sent = [m for m in mail.outbox if m.extra_headers.get("X-Accord-Key") == email.key[:200]]
    return sent[-1].body if sent else ""


def action_url(page_url: str, action: str) -> str:
    """The URL of one signing action (consent, send_code, verify_code, sign, decline) on the
    signing page at ``page_url`` (a personal link or a member's signing page)."""
    match = resolve(page_url)
    return reverse(f"charters:{match.url_name}_{action}", kwargs=match.kwargs)


@pytest.fixture
def send(version, manager, contact):
    def _send(*, users=None, contacts=None, order=services.Order.PARALLEL, days=14, **kw):
        return services.signature_request_send(
            version=version,
            actor=manager,
            our_users=users if users is not None else [manager],
            partner_contacts=contacts if contacts is not None else [contact],
            order=order,
            expires_at=timezone.now() + timedelta(days=days),
            **kw,
        )

    return _send


META = services.ClientMeta(ip="203.0.113.7", user_agent="pytest-browser/1.0")


def sign(signer, name=None, png=b""):
    services.signer_consent(signer=signer, meta=META)
    return services.signer_sign(
        signer=signer, typed_name=name or signer.name, signature_png=png, authorized=True, meta=META
    )


@pytest.fixture
def own_keyring(settings, tmp_path):
    """A keyring of this test alone, for tests that rotate or revoke keys."""
    settings.SEAL_KEYRING_DIR = str(tmp_path / "keyring")
    keyring.ensure_keyring()
    return keyring


@pytest.fixture(autouse=True)
def _fresh_rate_limits():
    from django.core.cache import cache

    cache.clear()
