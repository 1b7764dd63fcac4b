"""Single sign-on through a real OpenID Connect provider, in Chromium: the owner sets it up
in the app, an address of the domain is routed to the provider, the first sign-in makes the
person a member with the chosen role, and SSO-only refuses passwords."""

from __future__ import annotations

import pytest
from django.db import connection

from accounts.models import Membership, Role, SingleSignOn, User
from tests.e2e.conftest import browser, login, new_context  # noqa: F401  (fixtures)
from tests.factories import MembershipFactory, OrganizationFactory, UserFactory

from .oidc_server import free_port, oidc_provider

pytestmark = pytest.mark.browser

PASSWORD = "accord-test-pass"
SECRET = "provider-issued-secret-7Qm2"


def _through_the_provider(page, email: str) -> None:
    """The provider's own sign-in page (any login is an account there)."""
    page.wait_for_url("http://127.0.0.1:*/interaction/*")
    page.wait_for_selector("input[name=login]")
    page.fill("input[name=login]", email)
    page.fill("input[name=password]", "anything")
    page.click("button[type=submit]")


def test_an_organization_signs_in_through_its_own_provider(
    live_server,
    transactional_db,
    new_context,  # noqa: F811
):
    acme = OrganizationFactory(name="Acme", slug="acme")
    owner = UserFactory(email="olga@acme.test", full_name="Olga Owner")
    MembershipFactory(organization=acme, user=owner, role=Role.OWNER, can_approve=True)
    contractor = UserFactory(email="cora@contractors.test")
    MembershipFactory(organization=acme, user=contractor, role=Role.MANAGER)
    port = free_port()

    # the owner sets single sign-on up in the app
    owner_page = new_context().new_page()
    login(owner_page, live_server, owner.email, PASSWORD)
    owner_page.goto(f"{live_server.url}/org/sso/")
    owner_page.fill("input[name=issuer]", f"http://127.0.0.1:{port}")
    owner_page.fill("input[name=client_id]", "accord-acme")
    owner_page.fill("input[name=client_secret]", SECRET)
    owner_page.fill("textarea[name=domains]", "acme.test")
    owner_page.select_option("select[name=new_member_role]", Role.MANAGER)
    owner_page.click("text=Save single sign-on")
    owner_page.wait_for_selector("text=Single sign-on saved.")
    sso = SingleSignOn.objects.get(organization=acme)
    callback = owner_page.locator("dd code").first.inner_text()
    assert callback == f"{live_server.url}/accounts/oidc/{sso.provider_id}/login/callback/"
    with connection.cursor() as cur:
        cur.execute("SELECT client_secret_encrypted FROM accounts_singlesignon")
        assert all(SECRET not in row for (row,) in cur.fetchall())

    with oidc_provider(
        port=port, client_id="accord-acme", client_secret=SECRET, redirect_uri=callback
    ):
        # an address of the domain needs no password: it goes to the provider
        page = new_context().new_page()
        page.goto(f"{live_server.url}/accounts/login/")
        page.fill("input[name=login]", "nils@acme.test")
        page.click("form button[type=submit]")
        _through_the_provider(page, "nils@acme.test")
        page.wait_for_url(f"{live_server.url}/dashboard/")
        newcomer = Membership.objects.select_related("user").get(
            organization=acme, user__email="nils@acme.test"
        )
        assert newcomer.role == Role.MANAGER
        assert page.locator("text=Acme").first.is_visible()

        # the second time, the same person is found again (no second account)
        again = new_context().new_page()
        again.goto(f"{live_server.url}/accounts/login/")
        again.fill("input[name=login]", "nils@acme.test")
        again.click("form button[type=submit]")
        _through_the_provider(again, "nils@acme.test")
        again.wait_for_url(f"{live_server.url}/dashboard/")
        assert Membership.objects.filter(user__email="nils@acme.test").count() == 1

        # the provider is trusted for its own domains only
        foreign = new_context().new_page()
        foreign.goto(f"{live_server.url}/accounts/login/")
        foreign.fill("input[name=login]", "nils@acme.test")
        foreign.click("form button[type=submit]")
        _through_the_provider(foreign, "mallory@globex.test")
        foreign.wait_for_selector("text=vouched for an address outside its domains")
        assert not User.objects.filter(email="mallory@globex.test").exists()

        # a member outside the domains still signs in with a password, until SSO-only
        other = new_context().new_page()
        login(other, live_server, contractor.email, PASSWORD)
        assert "/dashboard/" in other.url
        owner_page.goto(f"{live_server.url}/org/sso/")
        owner_page.check("input[name=sso_only]")
        owner_page.click("text=Save single sign-on")
        owner_page.wait_for_selector("text=Single sign-on saved.")
        refused = new_context().new_page()
        refused.goto(f"{live_server.url}/accounts/login/")
        refused.fill("input[name=login]", contractor.email)
        refused.fill("input[name=password]", PASSWORD)
        refused.click("form button[type=submit]")
        refused.wait_for_selector("text=Acme signs in only through its single sign-on")
        assert "/accounts/login/" in refused.url
        assert refused.goto(f"{live_server.url}/dashboard/").url.startswith(
            f"{live_server.url}/accounts/login/"
        )

        # the owner's own address goes to the provider too, and comes back signed in
        owner_again = new_context().new_page()
        owner_again.goto(f"{live_server.url}/accounts/login/")
        owner_again.fill("input[name=login]", owner.email)
        owner_again.fill("input[name=password]", PASSWORD)
        owner_again.click("form button[type=submit]")
        _through_the_provider(owner_again, owner.email)
        owner_again.wait_for_url(f"{live_server.url}/dashboard/")
        assert Membership.objects.get(organization=acme, user=owner).role == Role.OWNER
