import pytest
from django.urls import reverse

from accounts.models import Membership, Role


def _membership(org, user):
    return Membership.objects.get(organization=org, user=user)


def test_members_page_lists_people_for_every_member(role_clients, owner, manager, viewer):
    for who in ("owner", "manager", "viewer"):
        response = role_clients[who].get(reverse("accounts:members"))
        assert response.status_code == 200
        assert manager.email in response.content.decode()


def test_outsider_sees_only_their_own_organization(outsider_client, manager):
    response = outsider_client.get(reverse("accounts:members"))
    assert response.status_code == 200
    assert manager.email not in response.content.decode()


def test_owner_changes_a_role_with_an_htmx_partial(owner_client, org, manager):
    m = _membership(org, manager)
    response = owner_client.post(
        reverse("accounts:change_role", args=[m.uuid]),
        {"role": "viewer"},
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 200
    assert 'id="people"' in response.content.decode()
    assert "<html" not in response.content.decode()
    m.refresh_from_db()
    assert m.role == Role.VIEWER


def test_the_last_owner_cannot_be_demoted_or_removed(owner_client, org, owner):
    m = _membership(org, owner)
    owner_client.post(reverse("accounts:change_role", args=[m.uuid]), {"role": "manager"})
    owner_client.post(reverse("accounts:remove_member", args=[m.uuid]))
    m.refresh_from_db()
    assert m.role == Role.OWNER


def test_owner_removes_a_member(owner_client, org, viewer):
    m = _membership(org, viewer)
    owner_client.post(reverse("accounts:remove_member", args=[m.uuid]))
    assert not Membership.objects.filter(pk=m.pk).exists()


@pytest.mark.parametrize("who", ["manager", "viewer"])
def test_non_owners_cannot_change_roles(role_clients, org, viewer, who):
    m = _membership(org, viewer)
    response = role_clients[who].post(
        reverse("accounts:change_role", args=[m.uuid]), {"role": "owner"}
    )
    assert response.status_code == 403
    m.refresh_from_db()
    assert m.role == Role.VIEWER


def test_an_owner_of_another_organization_gets_404_for_our_members(outsider_client, org, viewer):
    m = _membership(org, viewer)
    for name in ("accounts:change_role", "accounts:remove_member"):
        response = outsider_client.post(reverse(name, args=[m.uuid]), {"role": "owner"})
        assert response.status_code == 404
    assert Membership.objects.filter(pk=m.pk, role=Role.VIEWER).exists()
