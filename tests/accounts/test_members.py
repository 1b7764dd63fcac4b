import contextlib
import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.urls import reverse

from accounts.models import Membership, Role
from accounts.services import membership_change_role
from tests.conftest import postgres_only
from tests.factories import MembershipFactory, UserFactory


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


@postgres_only
@pytest.mark.django_db(transaction=True)
def test_two_owners_demoting_each_other_at_once_leave_one_owner(org, owner, monkeypatch):
    second = UserFactory(email="second-owner@northwind.test")
    MembershipFactory(organization=org, user=second, role=Role.OWNER)
    first, other = _membership(org, owner), _membership(org, second)
    # Both demotions pass their check before either writes, unless the check holds a lock
    # (then the second waits for the first to commit, and the barrier times out).
    barrier = threading.Barrier(2)
    save = Membership.save

    def save_after_both_checked(self, *args, **kwargs):
        with contextlib.suppress(threading.BrokenBarrierError):
            barrier.wait(timeout=2)
        return save(self, *args, **kwargs)

    monkeypatch.setattr(Membership, "save", save_after_both_checked)
    outcomes = []

    def demote(membership):
        try:
            membership_change_role(membership=membership, role=Role.MANAGER)
            outcomes.append("demoted")
        except ValidationError:
            outcomes.append("refused")
        finally:
            connection.close()

    threads = [threading.Thread(target=demote, args=(m,)) for m in (first, other)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    assert sorted(outcomes) == ["demoted", "refused"]
    assert Membership.objects.filter(organization=org, role=Role.OWNER).count() == 1
