"""Changing a role and removing a member are commitments: each is recorded, and the record
says when and how the owner confirmed who they were (and nothing when they did not)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.cache import cache
from django.test import Client, override_settings
from django.urls import reverse
from django.utils import timezone

from accounts.models import MemberChange, Membership
from tests.accounts.two_factor import reauthenticate, sign_in
from tests.factories import build_world

pytestmark = pytest.mark.django_db

SAYS = "Confirmed with a fresh sign-in (password)"


@pytest.fixture
def world():
    cache.clear()
    with override_settings(ACCORD_REAUTHENTICATE_COMMITMENTS=True):
        yield build_world()


def _owner_confirmed(world) -> tuple[Client, object]:
    browser = Client()
    assert sign_in(browser, world.users["owner"].email).status_code == 302
    before = timezone.now()
    assert reauthenticate(browser).status_code == 302
    return browser, before


def test_a_role_change_is_recorded_with_the_owners_fresh_sign_in(world):
    spare = world.objects["spare_membership"]
    browser, before = _owner_confirmed(world)
    url = reverse("accounts:change_role", args=[spare.uuid])
    assert browser.post(url, {"role": "manager", "can_approve": "on"}).status_code == 302
    change = MemberChange.objects.get(organization=world.org)
    assert change.kind == "role" and change.actor == world.users["owner"]
    assert (change.from_role, change.to_role, change.can_approve) == (spare.role, "manager", True)
    assert change.reauthenticated_with == "password"
    assert before - timedelta(seconds=1) <= change.reauthenticated_at <= timezone.now()
    page = browser.get(reverse("accounts:members")).content.decode()
    assert SAYS in page and spare.user.email in page


def test_a_removal_is_recorded_with_the_owners_fresh_sign_in(world):
    spare = world.objects["spare_membership"]
    email = spare.user.email
    browser, _before = _owner_confirmed(world)
    assert browser.post(reverse("accounts:remove_member", args=[spare.uuid])).status_code == 302
    assert not Membership.objects.filter(pk=spare.pk).exists()
    change = MemberChange.objects.get(organization=world.org)
    assert (change.kind, change.member_email) == ("removed", email)
    assert change.reauthenticated_with == "password"
    assert f"{email} was removed" in browser.get(reverse("accounts:members")).content.decode()


def test_without_the_setting_a_change_is_recorded_without_claiming_a_fresh_sign_in(world):
    spare = world.objects["spare_membership"]
    with override_settings(ACCORD_REAUTHENTICATE_COMMITMENTS=False):
        browser = Client()
        assert sign_in(browser, world.users["owner"].email).status_code == 302
        url = reverse("accounts:change_role", args=[spare.uuid])
        other = "manager" if spare.role == "viewer" else "viewer"
        assert browser.post(url, {"role": other}).status_code == 302
        page = browser.get(reverse("accounts:members")).content.decode()
    change = MemberChange.objects.get(organization=world.org)
    assert change.reauthenticated_at is None and change.reauthenticated_with == ""
    assert SAYS not in page


def test_saving_an_unchanged_role_records_nothing(world):
    spare = world.objects["spare_membership"]
    browser, _before = _owner_confirmed(world)
    url = reverse("accounts:change_role", args=[spare.uuid])
    data = {"role": spare.role} | ({"can_approve": "on"} if spare.can_approve else {})
    assert browser.post(url, data).status_code == 302
    assert not MemberChange.objects.exists()
