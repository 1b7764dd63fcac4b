"""A person who came in through single sign-on has no password: a commitment asks them for a
code e-mailed to their verified address instead, then goes on."""

from __future__ import annotations

import re

import pytest
from django.core.cache import cache
from django.test import Client, override_settings
from django.urls import reverse

from accounts.models import Role
from api.models import ApiToken
from notifications.models import OutboundEmail
from tests.accounts.two_factor import verified
from tests.factories import MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db


@override_settings(ACCORD_REAUTHENTICATE_COMMITMENTS=True)
def test_a_member_without_a_password_confirms_a_commitment_with_an_emailed_code(org):
    cache.clear()
    user = UserFactory(email="nils@northwind.test")
    user.set_unusable_password()
    user.save()
    verified(user)
    MembershipFactory(organization=org, user=user, role=Role.OWNER)
    browser = Client()
    browser.force_login(user)
    data = {"name": "CRM sync", "scope": "read", "expires": "90"}
    asked = browser.post(reverse("api:token_new"), data)
    assert asked.status_code == 302
    page = browser.get(asked["Location"], follow=True)
    assert page.status_code == 200
    request_code = reverse("account_request_reauthentication_code")
    sent = browser.post(request_code, {"recipient": user.email}, follow=True)
    assert sent.status_code == 200
    # the code is in the outbox row (delivered, and then redacted, once the request commits)
    message = OutboundEmail.objects.filter(to=user.email).latest("pk")
    code = re.search(r"^\s*([A-Z0-9]{4}-[A-Z0-9]{4})\s*$", message.body_text, re.M).group(1)
    assert message.body_text.startswith("Hello from Accord!")
    confirmed = browser.post(reverse("account_confirm_reauthentication_code"), {"code": code})
    assert confirmed.status_code == 302
    assert browser.post(reverse("api:token_new"), data).status_code == 201
    assert ApiToken.objects.filter(organization=org, name="CRM sync").exists()
