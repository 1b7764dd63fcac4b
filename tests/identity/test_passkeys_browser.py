"""Passkeys through Chromium's virtual authenticator (CDP ``WebAuthn``): registered from the
two-factor page, then used as the second factor after a password and to sign in with no
password at all."""

from __future__ import annotations

import pytest
from allauth.mfa.models import Authenticator

from tests.accounts.two_factor import verified
from tests.e2e.conftest import browser, login, new_context  # noqa: F401  (fixtures)

pytestmark = pytest.mark.browser

PASSWORD = "accord-test-pass"


def _with_virtual_authenticator(context):
    """A page whose browser has a platform authenticator that always verifies the user."""
    page = context.new_page()
    cdp = context.new_cdp_session(page)
    cdp.send("WebAuthn.enable")
    added = cdp.send(
        "WebAuthn.addVirtualAuthenticator",
        {
            "options": {
                "protocol": "ctap2",
                "transport": "internal",
                "hasResidentKey": True,
                "hasUserVerification": True,
                "isUserVerified": True,
                "automaticPresenceSimulation": True,
            }
        },
    )
    return page, cdp, added["authenticatorId"]


def _confirm_password_if_asked(page) -> None:
    if "/reauthenticate/" in page.url:
        page.fill("input[name=password]", PASSWORD)
        page.press("input[name=password]", "Enter")


def test_a_passkey_is_registered_then_signs_in_as_second_factor_and_without_password(
    live_server,
    transactional_db,
    new_context,  # noqa: F811
    approver,
):
    verified(approver)
    context = new_context()
    page, cdp, authenticator = _with_virtual_authenticator(context)
    login(page, live_server, approver.email, PASSWORD)

    page.goto(f"{live_server.url}/accounts/2fa/webauthn/add/?passwordless")
    _confirm_password_if_asked(page)
    page.wait_for_url("**/2fa/webauthn/add/**")
    page.fill("input[name=name]", "Laptop passkey")
    page.check("input[name=passwordless]")
    page.click("#mfa_webauthn_add")
    page.wait_for_url(lambda url: "/webauthn/add/" not in url)
    key = Authenticator.objects.get(user=approver, type=Authenticator.Type.WEBAUTHN)
    assert key.wrap().name == "Laptop passkey"
    stored = cdp.send("WebAuthn.getCredentials", {"authenticatorId": authenticator})
    assert len(stored["credentials"]) == 1 and stored["credentials"][0]["isResidentCredential"]

    # the password is no longer enough: the passkey is asked for next
    context.clear_cookies()
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("input[name=login]", approver.email)
    page.fill("input[name=password]", PASSWORD)
    page.press("input[name=password]", "Enter")
    page.wait_for_url("**/2fa/authenticate/**")
    page.click("#mfa_webauthn_authenticate")
    page.wait_for_url(f"{live_server.url}/dashboard/")

    # and the passkey alone signs in, with no address or password typed
    context.clear_cookies()
    page.goto(f"{live_server.url}/accounts/login/")
    page.click("#passkey_login")
    page.wait_for_url(f"{live_server.url}/dashboard/")
