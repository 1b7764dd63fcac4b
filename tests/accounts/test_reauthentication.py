"""Commitments ask for a fresh authentication (allauth's re-authentication), then go on."""

from __future__ import annotations

import uuid

import pytest
from django.core.cache import cache
from django.test import Client, override_settings
from django.urls import reverse

from accounts.models import Membership, Role
from api.models import ApiToken

from .two_factor import reauthenticate, sign_in

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("_reauthenticate_commitments")]

ANY = uuid.uuid4()
COMMITMENTS = {
    "approve a decision": reverse("evidence:decision_review", args=[ANY]),
    "record a go / no-go": reverse(
        "partnerships:partnership_flow", kwargs={"partnership_uuid": ANY, "slug": "go-no-go"}
    ),
    "send a charter": reverse("charters:send", args=[ANY]),
    "sign as a member": reverse("charters:sign_member_sign", args=[ANY]),
    "change a role": reverse("accounts:change_role", args=[ANY]),
    "remove a member": reverse("accounts:remove_member", args=[ANY]),
    "create an API token": reverse("api:token_new"),
    "create a webhook endpoint": reverse("webhooks:endpoint_new"),
}


@pytest.fixture
def _reauthenticate_commitments():
    cache.clear()
    with override_settings(ACCORD_REAUTHENTICATE_COMMITMENTS=True):
        yield


def _owner_browser(owner) -> Client:
    client = Client()
    assert sign_in(client, owner.email).status_code == 302
    return client


def _asks_to_reauthenticate(response) -> bool:
    return response.status_code == 302 and response["Location"].startswith(
        reverse("account_reauthenticate")
    )


@pytest.mark.parametrize("what", sorted(COMMITMENTS))
def test_a_commitment_asks_for_a_fresh_authentication(owner, what):
    browser = _owner_browser(owner)
    assert _asks_to_reauthenticate(browser.post(COMMITMENTS[what], {}))
    reauthenticate(browser)
    assert not _asks_to_reauthenticate(browser.post(COMMITMENTS[what], {}))


def test_a_role_change_is_replayed_once_the_password_is_confirmed(org, owner, manager):
    browser = _owner_browser(owner)
    membership = Membership.objects.get(organization=org, user=manager)
    url = reverse("accounts:change_role", args=[membership.uuid])
    refused = browser.post(url, {"role": Role.VIEWER})
    assert _asks_to_reauthenticate(refused)
    membership.refresh_from_db()
    assert membership.role == Role.MANAGER
    confirmed = browser.post(refused["Location"], {"password": "accord-test-pass"})
    assert confirmed.status_code == 302
    membership.refresh_from_db()
    assert membership.role == Role.VIEWER


def test_removing_a_member_succeeds_after_reauthentication(org, owner, manager):
    browser = _owner_browser(owner)
    membership = Membership.objects.get(organization=org, user=manager)
    url = reverse("accounts:remove_member", args=[membership.uuid])
    assert _asks_to_reauthenticate(browser.post(url))
    assert Membership.objects.filter(pk=membership.pk).exists()
    reauthenticate(browser)
    browser.post(url)
    assert not Membership.objects.filter(pk=membership.pk).exists()


def test_an_api_token_is_created_after_reauthentication(org, owner):
    browser = _owner_browser(owner)
    data = {"name": "CRM sync", "scope": "read", "expires": "90"}
    assert _asks_to_reauthenticate(browser.post(reverse("api:token_new"), data))
    assert not ApiToken.objects.filter(organization=org).exists()
    reauthenticate(browser)
    assert browser.post(reverse("api:token_new"), data).status_code == 201
    assert ApiToken.objects.filter(organization=org, name="CRM sync").exists()


def test_a_reauthentication_goes_stale_after_the_timeout(owner):
    browser = _owner_browser(owner)
    reauthenticate(browser)
    with override_settings(ACCOUNT_REAUTHENTICATION_TIMEOUT=0):
        assert _asks_to_reauthenticate(browser.post(COMMITMENTS["create an API token"], {}))


def test_a_viewer_is_refused_before_being_asked_to_reauthenticate(viewer):
    browser = Client()
    sign_in(browser, viewer.email)
    assert browser.post(COMMITMENTS["create an API token"], {}).status_code == 403
