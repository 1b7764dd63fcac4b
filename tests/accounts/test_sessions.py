"""Sessions a user can see and end; a password change or a removed factor ends the others."""

from __future__ import annotations

import pytest
from allauth.usersessions.models import UserSession
from django.core.cache import cache
from django.test import Client
from django.urls import reverse

from .two_factor import activate_totp, reauthenticate, sign_in, verified

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_cache():
    cache.clear()


def _signed_in(client: Client) -> bool:
    return client.get(reverse("dashboard")).status_code == 200


def test_the_sessions_page_lists_each_signed_in_browser_and_ends_the_others(manager):
    laptop, phone = Client(), Client()
    sign_in(laptop, manager.email)
    sign_in(phone, manager.email)
    page = laptop.get(reverse("usersessions_list"))
    assert page.status_code == 200
    assert UserSession.objects.filter(user=manager).count() == 2
    laptop.post(reverse("usersessions_list"), {})
    assert _signed_in(laptop) and not _signed_in(phone)


def test_changing_the_password_ends_the_other_sessions(manager):
    laptop, phone = Client(), Client()
    sign_in(laptop, manager.email)
    sign_in(phone, manager.email)
    reauthenticate(laptop)
    changed = laptop.post(
        reverse("account_change_password"),
        {
            "oldpassword": "accord-test-pass",
            "password1": "new-Heron-77",
            "password2": "new-Heron-77",
        },
    )
    assert changed.status_code == 302
    assert _signed_in(laptop) and not _signed_in(phone)


def test_removing_a_second_factor_ends_the_other_sessions(manager):
    verified(manager)
    laptop, phone = Client(), Client()
    sign_in(laptop, manager.email)
    sign_in(phone, manager.email)
    activate_totp(laptop)
    assert _signed_in(phone)
    reauthenticate(laptop)
    laptop.post(reverse("mfa_deactivate_totp"), {})
    assert _signed_in(laptop) and not _signed_in(phone)


def test_session_length_is_an_installation_setting(settings):
    assert settings.SESSION_COOKIE_AGE == 14 * 24 * 60 * 60
