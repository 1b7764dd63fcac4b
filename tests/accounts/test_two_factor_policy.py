"""The organization's two-factor policy: whom it covers, per role, and what they may reach."""

from __future__ import annotations

import pytest
from allauth.mfa.models import Authenticator
from django.urls import reverse

from accounts.models import Organization

pytestmark = pytest.mark.django_db
Policy = Organization.TwoFactorPolicy


def _require(org, policy):
    org.require_two_factor = policy
    org.save(update_fields=["require_two_factor"])


def _blocked(client) -> bool:
    response = client.get(reverse("dashboard"))
    if response.status_code == 302:
        assert response["Location"] == reverse("mfa_index")
        return True
    assert response.status_code == 200
    return False


@pytest.mark.parametrize(
    ("policy", "blocked"),
    [
        (Policy.NOBODY, set()),
        (Policy.OWNERS, {"owner"}),
        (Policy.APPROVERS, {"owner", "approver"}),
        (Policy.EVERYONE, {"owner", "approver", "manager", "viewer"}),
    ],
)
def test_the_policy_covers_each_role_it_names(
    org, owner_client, approver, manager_client, viewer_client, client, policy, blocked
):
    client.force_login(approver)
    clients = {
        "owner": owner_client,
        "approver": client,
        "manager": manager_client,
        "viewer": viewer_client,
    }
    _require(org, policy)
    assert {role for role, c in clients.items() if _blocked(c)} == blocked


def test_a_covered_member_with_a_second_factor_goes_on(org, owner, owner_client):
    _require(org, Policy.EVERYONE)
    Authenticator.objects.create(user=owner, type=Authenticator.Type.TOTP, data={"secret": "x"})
    assert not _blocked(owner_client)


def test_recovery_codes_alone_are_not_a_second_factor(org, owner, owner_client):
    _require(org, Policy.OWNERS)
    Authenticator.objects.create(
        user=owner, type=Authenticator.Type.RECOVERY_CODES, data={"seed": "x"}
    )
    assert _blocked(owner_client)


def test_a_covered_member_can_still_set_up_a_factor_and_log_out(org, owner_client):
    _require(org, Policy.EVERYONE)
    assert owner_client.get(reverse("mfa_index")).status_code == 200
    assert owner_client.get(reverse("partnerships:partner_list")).status_code == 302
    assert owner_client.post(reverse("account_logout")).status_code == 302


def test_an_htmx_request_is_sent_to_the_setup_page_by_header(org, owner_client):
    _require(org, Policy.OWNERS)
    response = owner_client.get(reverse("dashboard"), HTTP_HX_REQUEST="true")
    assert response["HX-Redirect"] == reverse("mfa_index")


def test_the_owner_sets_the_policy_in_the_organization_settings(org, owner_client):
    form = owner_client.get(reverse("accounts:settings")).context["form"]
    data = {k: v for k, v in form.initial.items() if v is not None and k in form.fields}
    data["require_two_factor"] = Policy.APPROVERS
    response = owner_client.post(reverse("accounts:settings"), data)
    assert response.status_code == 302, response.context["form"].errors
    org.refresh_from_db()
    assert org.require_two_factor == Policy.APPROVERS


def test_the_members_page_shows_who_has_two_factor(org, owner, manager, owner_client):
    Authenticator.objects.create(user=manager, type=Authenticator.Type.TOTP, data={"secret": "x"})
    members = {
        m.user_id: m.has_two_factor
        for m in owner_client.get(reverse("accounts:members")).context["members"]
    }
    assert members == {owner.pk: False, manager.pk: True}
