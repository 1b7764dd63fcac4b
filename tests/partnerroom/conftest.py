"""Fixtures for the partner room: two partners of Northwind (PayHarbor and Ledgerline) with a
contact each, a partner of Globex, and a way to sign a contact in as they would: grant, ask
for a link on the public page, open the e-mailed link and press the button."""

import datetime
import re

import pytest
from django.core import mail
from django.core.cache import cache
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from partnerroom.services.access import access_grant
from partnerroom.session import COOKIE
from tests.factories import ContactFactory, PartnerFactory, PartnershipFactory

SIGN_IN_RE = re.compile(r"/room/sign-in/([A-Za-z0-9_-]+)/")
CODE_RE = re.compile(r"is: (\d{6})")


@pytest.fixture(autouse=True)
def fresh_cache():
    """Rate limits live in the cache: every test starts with none used."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def deliver(django_capture_on_commit_callbacks):
    """Run on-commit work (the outbox's delivery task, eager in tests) when the block ends."""
    return lambda: django_capture_on_commit_callbacks(execute=True)


@pytest.fixture
def payharbor(org):
    return PartnerFactory(organization=org, name="PayHarbor")


@pytest.fixture
def ledgerline(org):
    return PartnerFactory(organization=org, name="Ledgerline")


@pytest.fixture
def lena(payharbor):
    return ContactFactory(partner=payharbor, name="Lena Vogt", email="lena@payharbor.example")


@pytest.fixture
def priya(ledgerline):
    return ContactFactory(partner=ledgerline, name="Priya Nair", email="priya@ledgerline.example")


@pytest.fixture
def acquiring(org, owner, payharbor):
    """PayHarbor's tier 3 partnership in walk (reviewed every cycle)."""
    launched = timezone.localdate() - datetime.timedelta(days=30)
    return PartnershipFactory(
        organization=org,
        partner=payharbor,
        owner=owner,
        name="PayHarbor EU card acquiring",
        tier=3,
        phase="walk",
        launched_on=launched,
        phase_started_on=launched,
    )


@pytest.fixture
def sync(org, owner, ledgerline):
    """Ledgerline's tier 2 partnership in run."""
    launched = timezone.localdate() - datetime.timedelta(days=90)
    return PartnershipFactory(
        organization=org,
        partner=ledgerline,
        owner=owner,
        name="Ledgerline accounting sync",
        tier=2,
        phase="run",
        launched_on=launched,
        phase_started_on=launched,
    )


@pytest.fixture
def globex_partnership(other_org, outsider):
    partner = PartnerFactory(organization=other_org, name="Globex partner")
    ContactFactory(partner=partner, name="Gus Globex", email="gus@globex-partner.example")
    return PartnershipFactory(organization=other_org, partner=partner, owner=outsider)


def last_link() -> str:
    for message in reversed(mail.outbox):
        found = SIGN_IN_RE.search(message.body)
        if found:
            return found.group(1)
    raise AssertionError("no sign-in link was e-mailed")


@pytest.fixture
def grant(owner):
    """Grant a contact access to their partner's room (no invitation e-mail)."""

    def run(contact, **flags):
        return access_grant(contact=contact, granted_by=owner, send_link=False, **flags)

    return run


@pytest.fixture
def ask_link(deliver):
    """Ask for a sign-in link on the public page as ``email``; return the e-mailed token."""

    def run(email, ip="203.0.113.9", next_path=""):
        mail.outbox.clear()
        with deliver():
            response = Client().post(
                reverse("partnerroom:access"), {"email": email, "next": next_path}, REMOTE_ADDR=ip
            )
        assert response.status_code == 302
        return last_link()

    return run


@pytest.fixture
def signed_in(grant, ask_link):
    """A client signed in to ``contact``'s room (granted first with ``flags``)."""

    def run(contact, **flags) -> Client:
        grant(contact, **flags)
        token = ask_link(contact.email)
        client = Client()
        response = client.post(reverse("partnerroom:sign_in", args=[token]))
        assert response.status_code == 302, response.content
        assert COOKIE in response.cookies
        return client

    return run
