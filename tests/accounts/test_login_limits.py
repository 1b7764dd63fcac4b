"""Logins that lock the attacker, not the user (issue 12.11).

axes locks an account AND IP pair; allauth limits failures per IP only; X-Forwarded-Proto is
trusted only behind a trusted proxy; sign-up never says an address is registered.
"""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from axes.models import AccessAttempt
from django.conf import settings
from django.core import mail
from django.core.cache import cache
from django.test import override_settings
from django.urls import reverse

from accounts.checks import sign_up_hides_registered_addresses
from accounts.models import User
from tests.accounts.test_invitations import _invite

ROOT = Path(__file__).resolve().parents[2]
PASSWORD = "accord-test-pass"


def _login(client, email, password, ip="203.0.113.7"):
    return client.post(
        reverse("account_login"), {"login": email, "password": password}, REMOTE_ADDR=ip
    )


def _signed_in(client) -> bool:
    return "_auth_user_id" in client.session


@override_settings(AXES_ENABLED=True, AXES_FAILURE_LIMIT=3)
def test_repeated_failed_logins_lock_the_account_out(client, manager):
    url = reverse("account_login")
    for _ in range(3):
        client.post(url, {"login": manager.email, "password": "wrong-password"})
    response = client.post(url, {"login": manager.email, "password": "accord-test-pass"})
    assert response.status_code in (403, 429)
    assert "_auth_user_id" not in client.session


def test_a_correct_login_works(client, manager):
    response = client.post(
        reverse("account_login"), {"login": manager.email, "password": "accord-test-pass"}
    )
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(manager.pk)


@override_settings(AXES_ENABLED=True, AXES_FAILURE_LIMIT=3)
def test_axes_records_the_address_that_was_tried(client, manager):
    _login(client, "  Manager@Northwind.TEST ", "wrong-password")
    attempt = AccessAttempt.objects.get()
    assert attempt.username == manager.email


@override_settings(AXES_ENABLED=True, AXES_FAILURE_LIMIT=3)
def test_wrong_passwords_for_made_up_addresses_do_not_lock_a_real_user(client, manager):
    for n in range(5):
        _login(client, f"nobody{n}@northwind.test", "wrong-password")
    assert _login(client, manager.email, PASSWORD).status_code == 302
    assert _signed_in(client)


@override_settings(AXES_ENABLED=True, AXES_FAILURE_LIMIT=3)
def test_a_lockout_is_per_account_and_ip(client, manager, viewer):
    for _ in range(3):
        _login(client, manager.email, "wrong-password", ip="198.51.100.9")
    assert _login(client, manager.email, PASSWORD, ip="198.51.100.9").status_code in (403, 429)
    assert not _signed_in(client)
    assert _login(client, viewer.email, PASSWORD, ip="198.51.100.9").status_code == 302
    client.logout()
    assert _login(client, manager.email, PASSWORD, ip="192.0.2.44").status_code == 302


def test_nobody_can_lock_an_account_through_the_login_rate_limit(client, manager):
    cache.clear()
    with override_settings(ACCOUNT_RATE_LIMITS=settings.LOGIN_RATE_LIMITS):
        for n in range(8):  # an attacker spreading wrong passwords over many addresses
            _login(client, manager.email, "wrong-password", ip=f"198.51.100.{n + 1}")
        assert _login(client, manager.email, PASSWORD, ip="192.0.2.44").status_code == 302
        assert _signed_in(client)
        client.logout()
        for _ in range(10):  # ... while one address hammering away limits only itself
            _login(client, manager.email, "wrong-password", ip="203.0.113.99")
        _login(client, manager.email, PASSWORD, ip="203.0.113.99")
        assert not _signed_in(client)
    cache.clear()


def _production_setting(expression: str, **env_overrides) -> str:
    env = {k: v for k, v in os.environ.items() if k not in ("ACCORD_TESTING", "DEBUG")}
    env.update(
        DJANGO_SETTINGS_MODULE="config.settings",
        DEBUG="False",
        SECRET_KEY="x7!Pq2#zL9@vR4$mN8^kT1&bW6*cY3(dF5)gH0_jS9+aE2=uI7",
        **env_overrides,
    )
    env.pop("ACCOUNT_EMAIL_VERIFICATION", None)
    code = f"import django; django.setup(); from django.conf import settings; print({expression})"
    result = subprocess.run(  # noqa: S603 (our own interpreter, fixed code)
        [sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stderr
    return result.stdout.strip()


def test_x_forwarded_proto_is_trusted_only_behind_a_trusted_proxy(tmp_path):
    header = "getattr(settings, 'SECURE_PROXY_SSL_HEADER', None)"
    direct = _production_setting(header, TRUSTED_PROXY_COUNT="0", ACCORD_VAR_DIR=str(tmp_path))
    assert direct == "None"
    proxied = _production_setting(header, TRUSTED_PROXY_COUNT="1", ACCORD_VAR_DIR=str(tmp_path))
    assert proxied == "('HTTP_X_FORWARDED_PROTO', 'https')"
    depth = "settings.ALLAUTH_TRUSTED_PROXY_COUNT, settings.AXES_CLIENT_IP_CALLABLE"
    assert _production_setting(depth, TRUSTED_PROXY_COUNT="2", ACCORD_VAR_DIR=str(tmp_path)) == (
        "2 core.client.axes_client_ip"
    )


def test_production_sign_up_verifies_addresses_so_it_can_hide_registered_ones(tmp_path):
    expression = "settings.ACCOUNT_EMAIL_VERIFICATION, settings.ACCOUNT_PREVENT_ENUMERATION"
    assert _production_setting(expression, ACCORD_VAR_DIR=str(tmp_path)) == "mandatory True"


def _sign_up(client, email):
    return client.post(
        reverse("account_signup"),
        {
            "email": email,
            "full_name": "Someone",
            "organization_name": "",
            "password1": "quartz-Heron-58",
            "password2": "quartz-Heron-58",
        },
    )


@override_settings(ACCOUNT_EMAIL_VERIFICATION="mandatory")
def test_sign_up_does_not_say_an_address_is_already_registered(
    client, manager, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        taken = _sign_up(client, manager.email.upper())
    with django_capture_on_commit_callbacks(execute=True):
        fresh = _sign_up(client, "newcomer@northwind.test")
    assert taken.status_code == fresh.status_code == 302
    assert taken["Location"] == fresh["Location"]
    page = client.get(taken["Location"]).content.decode().lower()
    assert "already" not in page
    assert User.objects.filter(email__iexact=manager.email).count() == 1
    assert sorted(m.to[0] for m in mail.outbox) == [manager.email, "newcomer@northwind.test"]


@override_settings(ACCOUNT_EMAIL_VERIFICATION="mandatory")
def test_an_invited_person_signs_up_and_joins_at_once_even_when_verification_is_mandatory(
    client, org, owner
):
    _, token = _invite(org, owner, email="fresh@northwind.test")
    accept_url = reverse("accounts:invitation_accept", args=[token])
    client.get(accept_url)
    response = _sign_up(client, "fresh@northwind.test")
    assert response.status_code == 302 and response["Location"] == accept_url
    assert _signed_in(client)


@pytest.mark.parametrize("forwarded", ["", "not-an-ip", "1.2.3.4, 5.6.7.8, 9.9.9.9"])
def test_any_forwarded_header_is_never_a_500(client, manager, forwarded):
    with override_settings(TRUSTED_PROXY_COUNT=2, ALLAUTH_TRUSTED_PROXY_COUNT=2):
        response = client.post(
            reverse("account_login"),
            {"login": manager.email, "password": PASSWORD},
            HTTP_X_FORWARDED_FOR=forwarded,
        )
    assert response.status_code == 302


def test_the_deploy_check_warns_when_sign_up_would_reveal_addresses():
    with override_settings(ACCOUNT_EMAIL_VERIFICATION="optional"):
        assert [w.id for w in sign_up_hides_registered_addresses()] == ["accounts.W001"]
    with override_settings(ACCOUNT_EMAIL_VERIFICATION="mandatory"):
        assert sign_up_hides_registered_addresses() == []
