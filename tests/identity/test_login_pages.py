"""The sign-in and sign-up pages are Accord's own: no "Remember Me:" label, the password help
is valid HTML that the password field points at."""

from __future__ import annotations

import re

import pytest
from django.test import Client
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_sign_up_password_help_is_plain_text_the_field_points_at():
    page = Client().get(reverse("account_signup")).content.decode()
    field = re.search(r'<input[^>]*name="password1"[^>]*>', page).group(0)
    described = re.search(r'aria-describedby="([^"]+)"', field).group(1)
    help_span = re.search(
        rf'<(span|div|p) class="helptext" id="{described}">(.*?)</\1>', page, re.S
    )
    assert help_span is not None
    assert "<ul" not in help_span.group(2) and "<li" not in help_span.group(2)
    assert "password" in help_span.group(2).lower()


def test_sign_in_is_accords_page_with_reset_and_passkey():
    page = Client().get(reverse("account_login")).content.decode()
    assert "Remember Me:" not in page
    assert reverse("account_reset_password") in page
    assert 'id="passkey_login"' in page and 'id="mfa_login"' in page
    assert 'class="auth-page"' in page
