import datetime

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from accounts.models import Invitation, Membership, Role
from accounts.services import invitation_create, invitations_expire
from core.tokens import hash_token


def _invite(org, owner, email="new@northwind.test", role=Role.MANAGER):
    return invitation_create(organization=org, email=email, role=role, invited_by=owner)


def test_invitation_stores_only_the_hash_of_its_token(org, owner):
    invitation, token = _invite(org, owner)
    assert invitation.token_hash == hash_token(token)
    assert token not in invitation.token_hash
    assert len(token) >= 32


def test_owner_invites_by_email_and_the_mail_carries_the_link(
    owner_client, org, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = owner_client.post(
            reverse("accounts:invite"), {"email": "Nina@Northwind.test", "role": "viewer"}
        )
    assert response.status_code == 302
    invitation = Invitation.objects.get(organization=org)
    assert invitation.email == "nina@northwind.test"
    assert len(mail.outbox) == 1
    assert "/org/invitations/accept/" in mail.outbox[0].body
    assert mail.outbox[0].alternatives, "the invitation has an HTML part"


def test_invite_form_shows_field_errors_for_a_bad_address(owner_client):
    response = owner_client.post(
        reverse("accounts:invite"),
        {"email": "not-an-address", "role": "manager"},
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 422
    assert "Enter a valid email address" in response.content.decode()
    assert not Invitation.objects.exists()


def test_inviting_an_existing_member_is_refused_with_a_message(owner_client, manager):
    response = owner_client.post(
        reverse("accounts:invite"), {"email": manager.email, "role": "manager"}
    )
    assert response.status_code == 422
    assert "already a member" in response.content.decode()


@pytest.mark.parametrize("who", ["manager", "viewer"])
def test_only_owners_invite(role_clients, who):
    response = role_clients[who].post(
        reverse("accounts:invite"), {"email": "x@y.test", "role": "manager"}
    )
    assert response.status_code == 403
    assert not Invitation.objects.filter(email="x@y.test").exists()


def test_opening_the_link_does_not_use_it_up(client, org, owner):
    invitation, token = _invite(org, owner)
    url = reverse("accounts:invitation_accept", args=[token])
    assert client.get(url).status_code == 200
    assert client.get(url).status_code == 200
    invitation.refresh_from_db()
    assert invitation.state == Invitation.State.PENDING


def test_accepting_attaches_an_existing_account(client, org, owner, outsider):
    _, token = _invite(org, owner, email=outsider.email, role=Role.VIEWER)
    client.force_login(outsider)
    response = client.post(reverse("accounts:invitation_accept", args=[token]))
    assert response.status_code == 302
    membership = Membership.objects.get(organization=org, user=outsider)
    assert membership.role == Role.VIEWER
    # the link is now used up
    assert client.get(reverse("accounts:invitation_accept", args=[token])).status_code == 410


def test_a_new_person_signs_up_from_the_invitation_and_joins(client, org, owner):
    _, token = _invite(org, owner, email="fresh@northwind.test")
    accept_url = reverse("accounts:invitation_accept", args=[token])
    client.get(accept_url)
    response = client.post(
        reverse("account_signup"),
        {
            "email": "fresh@northwind.test",
            "full_name": "Fresh Person",
            "organization_name": "",
            "password1": "plinth-Otter-93",
            "password2": "plinth-Otter-93",
        },
    )
    assert response.status_code == 302
    assert response["Location"] == accept_url
    client.post(accept_url)
    assert Membership.objects.filter(organization=org, user__email="fresh@northwind.test").exists()


def test_someone_signed_in_as_another_address_cannot_accept(client, org, owner, manager):
    _, token = _invite(org, owner, email="someone-else@northwind.test")
    client.force_login(manager)
    client.post(reverse("accounts:invitation_accept", args=[token]))
    assert not Membership.objects.filter(user__email="someone-else@northwind.test").exists()
    assert Invitation.objects.get().state == Invitation.State.PENDING


def test_expired_invitation_gets_a_clear_page(client, org, owner):
    invitation, token = _invite(org, owner)
    Invitation.objects.filter(pk=invitation.pk).update(
        expires_at=timezone.now() - datetime.timedelta(minutes=1)
    )
    response = client.get(reverse("accounts:invitation_accept", args=[token]))
    assert response.status_code == 410
    assert "expired" in response.content.decode()


def test_expiring_stale_invitations_is_idempotent(org, owner):
    invitation, _ = _invite(org, owner)
    Invitation.objects.filter(pk=invitation.pk).update(
        expires_at=timezone.now() - datetime.timedelta(hours=1)
    )
    assert invitations_expire() == 1
    assert invitations_expire() == 0
    invitation.refresh_from_db()
    assert invitation.state == Invitation.State.EXPIRED


def test_reinviting_revokes_the_older_link(org, owner, client):
    _, first = _invite(org, owner)
    _, second = _invite(org, owner)
    assert client.get(reverse("accounts:invitation_accept", args=[first])).status_code == 410
    assert client.get(reverse("accounts:invitation_accept", args=[second])).status_code == 200
