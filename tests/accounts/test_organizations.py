import pytest
from django.urls import reverse

from accounts.models import Membership, Organization, Role
from tests.factories import MembershipFactory, OrganizationFactory


@pytest.mark.django_db
def test_sign_up_creates_an_organization_owned_by_the_new_user(client):
    response = client.post(
        reverse("account_signup"),
        {
            "email": "founder@acme.test",
            "full_name": "Fay Founder",
            "organization_name": "Acme Robotics",
            "password1": "quartz-Heron-58",
            "password2": "quartz-Heron-58",
        },
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("dashboard")
    org = Organization.objects.get(name="Acme Robotics")
    assert Membership.objects.get(organization=org).role == Role.OWNER


@pytest.mark.django_db
def test_sign_up_with_a_bad_password_shows_field_errors(client):
    response = client.post(
        reverse("account_signup"),
        {"email": "x@acme.test", "full_name": "X", "password1": "123", "password2": "123"},
    )
    assert response.status_code == 200
    assert "too short" in response.content.decode()


def test_a_person_in_two_organizations_switches_between_them(client, owner, org):
    second = OrganizationFactory(name="Southwind")
    MembershipFactory(organization=second, user=owner, role=Role.VIEWER)
    client.force_login(owner)
    assert "Northwind" in client.get(reverse("dashboard")).content.decode()
    client.post(reverse("accounts:switch", args=[second.uuid]))
    page = client.get(reverse("dashboard")).content.decode()
    assert "<h1>Southwind</h1>" in page
    # now a viewer there: no writes
    assert client.get(reverse("accounts:settings")).status_code == 403


def test_switching_to_an_organization_you_are_not_in_is_a_404(owner_client, other_org):
    response = owner_client.post(reverse("accounts:switch", args=[other_org.uuid]))
    assert response.status_code == 404


def test_owner_updates_settings_and_bad_values_get_field_errors(owner_client, org):
    url = reverse("accounts:settings")
    data = {
        "name": "Northwind",
        "time_zone": "Europe/Paris",
        "review_weekday": 2,
        "review_hour": 30,
        "remind_after_days": 2,
        "escalate_after_days": 1,
        "signature_reminder_days": 3,
        "max_tiers_in_use": 3,
    }
    response = owner_client.post(url, data)
    assert response.status_code == 200
    body = response.content.decode()
    assert "between 0 and 23" in body
    assert "Escalate after the reminder" in body
    data.update(review_hour=8, escalate_after_days=5)
    assert owner_client.post(url, data).status_code == 302
    org.refresh_from_db()
    assert (org.time_zone, org.review_weekday, org.review_hour) == ("Europe/Paris", 2, 8)


@pytest.mark.django_db
def test_a_user_without_organization_is_sent_to_create_one(client):
    from tests.factories import UserFactory

    client.force_login(UserFactory())
    response = client.get(reverse("dashboard"))
    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:onboarding")
    response = client.post(reverse("accounts:onboarding"), {"name": "", "time_zone": "UTC"})
    assert "This field is required" in response.content.decode()
    client.post(reverse("accounts:onboarding"), {"name": "New Co", "time_zone": "UTC"})
    assert Organization.objects.filter(name="New Co").exists()


def test_profile_turns_the_digest_off(manager_client, manager):
    response = manager_client.post(
        reverse("accounts:profile"), {"full_name": "M", "time_zone": "UTC"}
    )
    assert response.status_code == 302
    manager.refresh_from_db()
    assert manager.digest_enabled is False


@pytest.mark.django_db
def test_demo_organizations_and_people_are_safe_to_seed_twice():
    from accounts.models import User
    from demo.loaders import accounts as demo_accounts

    demo_accounts.load()
    demo_accounts.load()
    assert User.objects.filter(email__endswith="@demo.test").count() == 4
    northwind = Organization.objects.get(slug="northwind")
    assert northwind.memberships.count() == 3
    assert Organization.objects.get(slug="globex").memberships.count() == 1
