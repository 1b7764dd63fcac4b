"""The audit trail and the timeline say that a commitment was confirmed with a fresh sign-in
(when and how), where the record is shown; and they say nothing of the kind when it was not."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.core.cache import cache
from django.template.loader import render_to_string
from django.test import Client, override_settings
from django.urls import reverse
from django.utils import timezone

from accounts.fresh_sign_in import FreshSignIn, confirmed_by
from api.models import ApiToken
from charters import services as charters
from charters.models import AuditEvent, SignatureRequest
from notifications.models import OutboundEmail
from partnerships.models import PartnershipEvent, Status
from partnerships.timeline import event_record
from tests.accounts.two_factor import reauthenticate, sign_in, verified
from tests.charters.conftest import CHARTER_DATA
from tests.factories import build_world
from webhooks.models import Endpoint

pytestmark = pytest.mark.django_db

SAYS = "Confirmed with a fresh sign-in (password)"


@pytest.fixture
def world():
    cache.clear()
    # the webhook receiver is on this machine (private addresses are refused unless allowed)
    with override_settings(
        ACCORD_REAUTHENTICATE_COMMITMENTS=True, WEBHOOKS_ALLOW_PRIVATE_URLS=True
    ):
        yield build_world()


def _confirmed(user) -> tuple[Client, object]:
    """A browser signed in as ``user`` that has just confirmed the password again."""
    browser = Client()
    assert sign_in(browser, user.email).status_code == 302
    before = timezone.now()
    assert reauthenticate(browser).status_code == 302
    return browser, before


def _says_fresh(record, before) -> None:
    assert record.reauthenticated_with == "password"
    assert before - timedelta(seconds=1) <= record.reauthenticated_at <= timezone.now()


def _latest_event(partnership, kind) -> PartnershipEvent:
    return PartnershipEvent.objects.filter(partnership=partnership, kind=kind).first()


def _timeline(browser, partnership) -> str:
    url = reverse("partnerships:partnership_detail", args=[partnership.uuid])
    return browser.get(url).content.decode()


def test_an_approved_decision_says_the_approver_confirmed(world):
    decision, partnership = world.objects["decision"], world.objects["decision"].partnership
    browser, before = _confirmed(world.users["owner"])
    url = reverse("evidence:decision_review", args=[decision.uuid])
    assert (
        browser.post(url, {"action": "approve", "note": "Two pilots hold up."}).status_code == 302
    )
    event = _latest_event(partnership, PartnershipEvent.Kind.DECISION)
    assert event.actor == world.users["owner"]
    _says_fresh(event, before)
    assert SAYS in _timeline(browser, partnership)


def test_an_unwind_says_it_was_confirmed(world):
    partnership = world.objects["partnership"]
    browser, before = _confirmed(world.users["manager"])
    url = reverse("partnerships:partnership_status", args=[partnership.uuid])
    data = {"to_status": Status.UNWINDING, "reason": "The unwind trigger fired."}
    assert browser.post(url, data).status_code == 302
    _says_fresh(_latest_event(partnership, PartnershipEvent.Kind.STATUS), before)
    assert SAYS in _timeline(browser, partnership)


def test_a_go_no_go_says_it_was_confirmed(world):
    partnership = world.objects["partnership"]
    browser, before = _confirmed(world.users["manager"])
    url = reverse(
        "partnerships:partnership_flow",
        kwargs={"partnership_uuid": partnership.uuid, "slug": "crawl-to-walk"},
    )
    assert browser.post(url, {"crawl_met": "no", "final_choice": "end"}).status_code == 302
    _says_fresh(_latest_event(partnership, PartnershipEvent.Kind.FLOW), before)


def _send(world, browser):
    manager, contact = world.users["manager"], world.objects["contact"]
    version = charters.charter_save(
        partnership=world.objects["partnership"], actor=manager, data=CHARTER_DATA
    )
    data = {
        "our_signers": [manager.pk],
        "partner_signers": [contact.pk],
        "order": "parallel",
        "expires_on": (timezone.localdate() + timedelta(days=10)).isoformat(),
    }
    assert browser.post(reverse("charters:send", args=[version.uuid]), data).status_code == 302
    return SignatureRequest.objects.filter(version=version).get()


def test_sending_a_charter_says_it_was_confirmed_on_the_page_and_the_certificate(world):
    browser, before = _confirmed(world.users["manager"])
    sent = _send(world, browser)
    event = AuditEvent.objects.get(request=sent, kind=AuditEvent.Kind.SENT)
    _says_fresh(event, before)
    page = browser.get(reverse("charters:detail", args=[world.objects["partnership"].uuid]))
    assert SAYS in page.content.decode()
    certificate = render_to_string(
        "charters/pdf/execution.html",
        {"request": sent, "version": sent.version, "blocks": [], "events": [event]},
    )
    assert SAYS in certificate


def test_signing_as_a_member_says_it_was_confirmed(world):
    signer = world.objects["our_signer"]
    browser, before = _confirmed(world.users["manager"])
    args = [signer.uuid]
    consent = browser.post(reverse("charters:sign_member_consent", args=args), {"consent": "on"})
    assert consent.status_code == 302
    data = {"typed_name": signer.name, "authorized": "on"}
    assert browser.post(reverse("charters:sign_member_sign", args=args), data).status_code == 302
    signed = AuditEvent.objects.get(signer=signer, kind=AuditEvent.Kind.SIGNED)
    _says_fresh(signed, before)
    # consenting is no commitment: its step claims nothing
    consented = AuditEvent.objects.get(signer=signer, kind=AuditEvent.Kind.CONSENTED)
    assert consented.reauthenticated_at is None


def test_a_new_api_token_says_it_was_confirmed_in_the_list(world):
    browser, before = _confirmed(world.users["owner"])
    data = {"name": "CRM sync", "scope": "read", "expires": "90"}
    assert browser.post(reverse("api:token_new"), data).status_code == 201
    _says_fresh(ApiToken.objects.get(organization=world.org, name="CRM sync"), before)
    assert SAYS in browser.get(reverse("api:tokens")).content.decode()


def test_a_new_webhook_endpoint_says_it_was_confirmed_in_the_list(world):
    browser, before = _confirmed(world.users["owner"])
    data = {"url": "http://127.0.0.1:1/hooks/new-receiver", "event_types": ["charter.signed"]}
    assert browser.post(reverse("webhooks:endpoint_new"), data).status_code == 201
    _says_fresh(Endpoint.objects.get(organization=world.org, url=data["url"]), before)
    assert SAYS in browser.get(reverse("webhooks:endpoints")).content.decode()


@override_settings(ACCORD_REAUTHENTICATE_COMMITMENTS=False)
def test_without_a_fresh_sign_in_the_records_say_nothing(world):
    partnership = world.objects["partnership"]
    browser = Client()
    assert sign_in(browser, world.users["manager"].email).status_code == 302
    url = reverse("partnerships:partnership_status", args=[partnership.uuid])
    data = {"to_status": Status.UNWINDING, "reason": "The unwind trigger fired."}
    assert browser.post(url, data).status_code == 302
    event = _latest_event(partnership, PartnershipEvent.Kind.STATUS)
    assert event.reauthenticated_at is None and event.reauthenticated_with == ""
    sent = _send(world, browser)
    assert (
        AuditEvent.objects.get(request=sent, kind=AuditEvent.Kind.SENT).reauthenticated_at is None
    )
    assert "fresh sign-in" not in _timeline(browser, partnership)
    page = browser.get(reverse("charters:detail", args=[partnership.uuid])).content.decode()
    assert "fresh sign-in" not in page
    owner = Client()
    assert sign_in(owner, world.users["owner"].email).status_code == 302
    data = {"name": "CRM sync", "scope": "read", "expires": "90"}
    assert owner.post(reverse("api:token_new"), data).status_code == 201
    assert ApiToken.objects.get(name="CRM sync").reauthenticated_at is None
    data = {"url": "http://127.0.0.1:1/hooks/new-receiver", "event_types": ["charter.signed"]}
    assert owner.post(reverse("webhooks:endpoint_new"), data).status_code == 201
    assert Endpoint.objects.get(url=data["url"]).reauthenticated_with == ""
    for url in (reverse("api:tokens"), reverse("webhooks:endpoints")):
        assert "fresh sign-in" not in owner.get(url).content.decode()


def test_a_confirmation_past_its_window_is_not_claimed(world):
    partnership = world.objects["partnership"]
    browser, _ = _confirmed(world.users["manager"])
    later = timezone.now() + timedelta(hours=2)
    with override_settings(ACCOUNT_REAUTHENTICATION_TIMEOUT=60):
        session = browser.session
        for record in session["account_authentication_methods"]:
            record["at"] -= (later - timezone.now()).total_seconds()
        session.save()
        url = reverse("partnerships:partnership_status", args=[partnership.uuid])
        data = {"to_status": Status.DEFERRED, "reason": "Waiting for data."}
        assert browser.post(url, data).status_code == 302
    assert _latest_event(partnership, PartnershipEvent.Kind.STATUS).reauthenticated_at is None


def test_only_the_rows_of_the_person_who_confirmed_say_so(world):
    """An approval applies the decision in the proposer's name; an automatic step follows."""
    owner, manager, partnership = (
        world.users["owner"],
        world.users["manager"],
        world.objects["partnership"],
    )
    fresh = FreshSignIn(user_id=owner.pk, at=timezone.now(), method="mfa")
    note = PartnershipEvent.Kind.NOTE
    with confirmed_by(fresh):
        theirs = event_record(partnership=partnership, kind=note, summary="a", actor=owner)
        proposer = event_record(partnership=partnership, kind=note, summary="b", actor=manager)
        automatic = event_record(
            partnership=partnership, kind=note, summary="c", actor=owner, by_system=True
        )
    after = event_record(partnership=partnership, kind=note, summary="d", actor=owner)
    assert (theirs.reauthenticated_at, theirs.reauthenticated_with) == (fresh.at, "mfa")
    assert theirs.get_reauthenticated_with_display() == "second factor"
    for event in (proposer, automatic, after):
        assert event.reauthenticated_at is None and event.reauthenticated_with == ""


def test_a_code_confirmation_says_it_was_an_e_mailed_code(world):
    """A member who came in through single sign-on has no password: allauth e-mails a code."""
    user = world.users["owner"]
    user.set_unusable_password()
    user.save()
    verified(user)
    browser = Client()
    browser.force_login(user)
    data = {"name": "CRM sync", "scope": "read", "expires": "90"}
    asked = browser.post(reverse("api:token_new"), data)
    assert browser.get(asked["Location"], follow=True).status_code == 200
    request_code = reverse("account_request_reauthentication_code")
    assert browser.post(request_code, {"recipient": user.email}, follow=True).status_code == 200
    message = OutboundEmail.objects.filter(to=user.email).latest("pk")
    code = re.search(r"^\s*([A-Z0-9]{4}-[A-Z0-9]{4})\s*$", message.body_text, re.M).group(1)
    before = timezone.now()
    confirm = reverse("account_confirm_reauthentication_code")
    assert browser.post(confirm, {"code": code}).status_code == 302
    assert browser.post(reverse("api:token_new"), data).status_code == 201
    token = ApiToken.objects.get(organization=world.org, name="CRM sync")
    assert token.reauthenticated_with == "code"
    assert before - timedelta(seconds=1) <= token.reauthenticated_at <= timezone.now()
    page = browser.get(reverse("api:tokens")).content.decode()
    assert "Confirmed with a fresh sign-in (e-mailed code)" in page
