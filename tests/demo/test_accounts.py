"""The demo logins are the ones README.md publishes, and loading them twice changes nothing."""

import pytest
from django.contrib.auth import authenticate

from accounts.models import Invitation, Membership, Organization, User
from demo.loaders import accounts as loader
from notifications.models import OutboundEmail

pytestmark = pytest.mark.django_db

# login, organization, role, approver (README.md's table)
LOGINS = [
    ("owner@demo.test", "northwind", "owner", True),
    ("manager@demo.test", "northwind", "manager", False),
    ("viewer@demo.test", "northwind", "viewer", False),
    ("other@demo.test", "globex", "owner", True),
]


def test_every_published_demo_login_signs_in_with_its_role():
    loader.load()
    for email, slug, role, approver in LOGINS:
        user = authenticate(username=email, password="accord-demo")
        assert user is not None and user.email == email
        membership = Membership.objects.get(user=user)
        assert (membership.organization.slug, membership.role, membership.can_approve) == (
            slug,
            role,
            approver,
        )
    assert set(Organization.objects.values_list("slug", "time_zone", "review_weekday")) == {
        ("northwind", "Europe/London", 0),
        ("globex", "America/New_York", 1),
    }


def test_loading_the_demo_people_sends_no_invitation():
    loader.load()
    assert not Invitation.objects.exists()
    assert not OutboundEmail.objects.exists()


def test_loading_the_demo_people_twice_changes_nothing():
    orgs, users = loader.load()
    counts = (User.objects.count(), Membership.objects.count(), Invitation.objects.count())
    again_orgs, again_users = loader.load()
    assert (User.objects.count(), Membership.objects.count(), Invitation.objects.count()) == counts
    assert {k: o.pk for k, o in orgs.items()} == {k: o.pk for k, o in again_orgs.items()}
    assert {k: u.pk for k, u in users.items()} == {k: u.pk for k, u in again_users.items()}
