"""Two-factor sign-in with allauth.mfa: an authenticator app (TOTP, codes computed here from
RFC 6238 with the clock travelled) and single-use recovery codes."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from allauth.mfa.models import Authenticator
from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.urls import reverse

from .two_factor import activate_totp, sign_in, totp, verified

pytestmark = pytest.mark.django_db

NOON = datetime(2031, 3, 4, 12, 0, 5, tzinfo=UTC)


@pytest.fixture(autouse=True)
def _fresh_cache():
    cache.clear()  # used TOTP codes and rate limits live in the cache


def _signed_in(client: Client) -> bool:
    return client.get(reverse("dashboard")).status_code == 200


def _with_totp(user) -> str:
    verified(user)
    client = Client()
    assert sign_in(client, user.email).status_code == 302
    return activate_totp(client)


def test_an_authenticator_app_is_set_up_and_then_asked_for_at_sign_in(manager):
    with time_machine.travel(NOON, tick=False):
        secret = _with_totp(manager)
    assert Authenticator.objects.filter(user=manager, type="totp").exists()

    browser = Client()
    with time_machine.travel(NOON + timedelta(minutes=5), tick=False) as traveller:
        first = sign_in(browser, manager.email)
        assert first.status_code == 302 and first["Location"] == reverse("mfa_authenticate")
        assert not _signed_in(browser)
        wrong = browser.post(reverse("mfa_authenticate"), {"code": "000000"})
        assert wrong.status_code == 200 and not _signed_in(browser)
        traveller.shift(timedelta(seconds=40))
        done = browser.post(reverse("mfa_authenticate"), {"code": totp(secret)})
    assert done.status_code == 302
    with time_machine.travel(NOON + timedelta(minutes=6), tick=False):
        assert _signed_in(browser)


def test_a_code_from_another_time_window_is_refused(manager):
    with time_machine.travel(NOON, tick=False):
        secret = _with_totp(manager)
    browser = Client()
    with time_machine.travel(NOON + timedelta(hours=1), tick=False):
        sign_in(browser, manager.email)
        stale = totp(secret, (NOON + timedelta(minutes=50)).timestamp())
        browser.post(reverse("mfa_authenticate"), {"code": stale})
        assert not _signed_in(browser)


def test_a_used_authenticator_code_cannot_be_replayed(manager):
    with time_machine.travel(NOON, tick=False):
        secret = _with_totp(manager)
    with time_machine.travel(NOON + timedelta(minutes=3), tick=False):
        code = totp(secret)
        first, second = Client(), Client()
        sign_in(first, manager.email)
        first.post(reverse("mfa_authenticate"), {"code": code})
        assert _signed_in(first)
        sign_in(second, manager.email)
        second.post(reverse("mfa_authenticate"), {"code": code})
        assert not _signed_in(second)


def test_a_recovery_code_signs_in_once(manager):
    with time_machine.travel(NOON, tick=False):
        _with_totp(manager)
    recovery = Authenticator.objects.get(user=manager, type="recovery_codes")
    code = RecoveryCodes(recovery).get_unused_codes()[0]

    first = Client()
    sign_in(first, manager.email)
    assert first.post(reverse("mfa_authenticate"), {"code": code}).status_code == 302
    assert _signed_in(first)

    again = Client()
    sign_in(again, manager.email)
    again.post(reverse("mfa_authenticate"), {"code": code})
    assert not _signed_in(again)
    recovery.refresh_from_db()
    assert code not in RecoveryCodes(recovery).get_unused_codes()


def test_the_authenticator_secret_is_not_stored_in_the_clear(manager):
    with time_machine.travel(NOON, tick=False):
        secret = _with_totp(manager)
    stored = Authenticator.objects.get(user=manager, type="totp").data["secret"]
    assert secret not in stored
    with connection.cursor() as cur:
        cur.execute("SELECT data::text FROM mfa_authenticator")
        assert all(secret not in row for (row,) in cur.fetchall())


def test_the_settings_page_links_to_two_factor_and_sessions(manager_client):
    page = manager_client.get(reverse("accounts:profile")).content.decode()
    assert reverse("mfa_index") in page
    assert reverse("usersessions_list") in page
