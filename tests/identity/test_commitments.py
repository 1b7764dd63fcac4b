"""Each commitment refuses without a fresh authentication and, once the password is confirmed
again, does what was asked (the same post, not just "no longer redirected")."""

from __future__ import annotations

import pytest
from django.core.cache import cache
from django.test import Client, override_settings
from django.urls import reverse
from django.utils import timezone

from api.models import ApiToken
from charters import services as charters
from charters.models import SignatureRequest, Signer
from evidence.models import Decision
from partnerships.models import Status
from tests.accounts.two_factor import reauthenticate, sign_in
from tests.charters.conftest import CHARTER_DATA
from tests.factories import build_world
from webhooks.models import Endpoint

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    cache.clear()
    # the receiver is on this machine (webhooks refuse private addresses unless allowed)
    with override_settings(
        ACCORD_REAUTHENTICATE_COMMITMENTS=True, WEBHOOKS_ALLOW_PRIVATE_URLS=True
    ):
        yield build_world()


def _browser(user) -> Client:
    client = Client()
    assert sign_in(client, user.email).status_code == 302
    return client


def _asked(response) -> bool:
    return response.status_code == 302 and response["Location"].startswith(
        reverse("account_reauthenticate")
    )


def _refused_then_done(user, url, data):
    """POST once (asked to re-authenticate, nothing done), confirm, POST again."""
    browser = _browser(user)
    assert _asked(browser.post(url, data))
    assert reauthenticate(browser).status_code == 302
    done = browser.post(url, data)
    assert not _asked(done)
    return done


def test_approving_a_decision(world):
    decision = world.objects["decision"]
    url = reverse("evidence:decision_review", args=[decision.uuid])
    data = {"action": "reject", "note": "Not yet: one pilot is not enough."}
    browser = _browser(world.users["owner"])
    assert _asked(browser.post(url, data))
    decision.refresh_from_db()
    assert decision.state == Decision.State.PENDING
    reauthenticate(browser)
    browser.post(url, data)
    decision.refresh_from_db()
    assert decision.state == Decision.State.REJECTED


def test_recording_an_unwind(world):
    partnership = world.objects["partnership"]
    url = reverse("partnerships:partnership_status", args=[partnership.uuid])
    data = {"to_status": Status.UNWINDING, "reason": "The unwind trigger fired."}
    browser = _browser(world.users["manager"])
    assert _asked(browser.post(url, data))
    partnership.refresh_from_db()
    assert partnership.status != Status.UNWINDING
    reauthenticate(browser)
    browser.post(url, data)
    partnership.refresh_from_db()
    assert partnership.status == Status.UNWINDING


def test_other_status_changes_need_no_fresh_authentication(world):
    partnership = world.objects["partnership"]
    url = reverse("partnerships:partnership_status", args=[partnership.uuid])
    browser = _browser(world.users["manager"])
    response = browser.post(url, {"to_status": Status.DEFERRED, "reason": "Waiting for data."})
    assert not _asked(response)


def test_sending_a_charter_for_signature(world):
    manager, contact = world.users["manager"], world.objects["contact"]
    version = charters.charter_save(
        partnership=world.objects["partnership"], actor=manager, data=CHARTER_DATA
    )
    before = SignatureRequest.objects.count()
    data = {
        "our_signers": [manager.pk],
        "partner_signers": [contact.pk],
        "order": "parallel",
        "expires_on": (timezone.localdate() + timezone.timedelta(days=10)).isoformat(),
    }
    done = _refused_then_done(manager, reverse("charters:send", args=[version.uuid]), data)
    assert done.status_code == 302
    assert SignatureRequest.objects.count() == before + 1


def test_signing_as_a_member(world):
    signer = world.objects["our_signer"]
    browser = _browser(world.users["manager"])
    args = [signer.uuid]
    consent = browser.post(reverse("charters:sign_member_consent", args=args), {"consent": "on"})
    assert consent.status_code == 302
    url = reverse("charters:sign_member_sign", args=args)
    data = {"typed_name": signer.name, "authorized": "on"}
    assert _asked(browser.post(url, data))
    signer.refresh_from_db()
    assert signer.state != Signer.State.SIGNED
    reauthenticate(browser)
    assert browser.post(url, data).status_code == 302
    signer.refresh_from_db()
    assert signer.state == Signer.State.SIGNED


def test_creating_an_api_token(world):
    data = {"name": "CRM sync", "scope": "read", "expires": "90"}
    done = _refused_then_done(world.users["owner"], reverse("api:token_new"), data)
    assert done.status_code == 201
    assert ApiToken.objects.filter(organization=world.org, name="CRM sync").exists()


def test_creating_a_webhook_endpoint(world):
    data = {"url": "http://127.0.0.1:1/hooks/new-receiver", "event_types": ["charter.signed"]}
    done = _refused_then_done(world.users["owner"], reverse("webhooks:endpoint_new"), data)
    assert done.status_code == 201, done.content[:300]
    assert Endpoint.objects.filter(organization=world.org, url=data["url"]).count() == 1


def test_changing_single_sign_on(world):
    data = {
        "issuer": "https://login.northwind.test",
        "client_id": "accord",
        "client_secret": "s3cret",
        "domains": "northwind.test",
        "new_member_role": "viewer",
        "enabled": "on",
    }
    done = _refused_then_done(world.users["owner"], reverse("accounts:sso"), data)
    assert done.status_code == 302
    assert world.org.single_sign_on.client_id == "accord"
