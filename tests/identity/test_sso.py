"""Single sign-on rules without a browser: the owner's page, domain routing on the login
form, the secret at rest, who may vouch for which address, and SSO-only."""

from __future__ import annotations

import pytest
from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.urls import reverse

from accounts.models import Role, SingleSignOn, User
from accounts.sso import services
from tests.accounts.two_factor import sign_in
from tests.factories import MembershipFactory, OrganizationFactory, UserFactory

from .oidc_server import free_port, oidc_provider

pytestmark = pytest.mark.django_db

SECRET = "provider-issued-secret-7Qm2"


@pytest.fixture(autouse=True)
def _fresh_cache():
    cache.clear()


def _settings(**overrides):
    values = {
        "issuer": "http://127.0.0.1:9",
        "client_id": "accord",
        "client_secret": SECRET,
        "domains": ["northwind.test"],
        "new_member_role": Role.VIEWER,
        "sso_only": False,
        "enabled": True,
    }
    values.update(overrides)
    return services.SsoSettings(**values)


def _form(**overrides):
    data = {
        "issuer": "http://127.0.0.1:9",
        "client_id": "accord",
        "client_secret": SECRET,
        "domains": "northwind.test\nnorthwind-labs.test",
        "new_member_role": Role.MANAGER,
        "enabled": "on",
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


def test_an_owner_sets_up_single_sign_on_and_the_secret_is_stored_encrypted(org, owner_client):
    response = owner_client.post(reverse("accounts:sso"), _form())
    assert response.status_code == 302
    sso = SingleSignOn.objects.get(organization=org)
    assert sorted(d.domain for d in sso.domains.all()) == ["northwind-labs.test", "northwind.test"]
    assert sso.new_member_role == Role.MANAGER
    assert services.client_secret(sso) == SECRET
    with connection.cursor() as cur:
        cur.execute("SELECT client_secret_encrypted FROM accounts_singlesignon")
        assert all(SECRET not in row for (row,) in cur.fetchall())
    page = owner_client.get(reverse("accounts:sso")).content.decode()
    assert SECRET not in page
    assert f"/accounts/oidc/{sso.provider_id}/login/callback/" in page


def test_saving_again_without_a_secret_keeps_the_stored_one(org, owner_client):
    owner_client.post(reverse("accounts:sso"), _form())
    owner_client.post(reverse("accounts:sso"), _form(client_secret=""))
    assert services.client_secret(SingleSignOn.objects.get(organization=org)) == SECRET


def test_without_a_stored_secret_it_is_read_from_the_environment(org, owner, monkeypatch):
    sso = services.save_single_sign_on(org, _settings(client_secret=""), by=owner)
    monkeypatch.setenv(sso.secret_variable, "from-the-vault")
    assert services.client_secret(sso) == "from-the-vault"


@pytest.mark.parametrize("who", ["manager", "viewer", "outsider"])
def test_only_an_owner_reaches_the_single_sign_on_page(role_clients, who):
    response = role_clients[who].post(reverse("accounts:sso"), _form())
    assert response.status_code in (403, 302)
    assert not SingleSignOn.objects.filter(organization__slug="northwind").exists()


def test_bad_input_is_a_form_error_not_a_500(owner_client):
    for bad in (
        _form(domains="not a domain!"),
        _form(domains=""),
        _form(issuer="ftp://x"),
        _form(new_member_role="king"),
        {"issuer": "x" * 5000},
    ):
        assert owner_client.post(reverse("accounts:sso"), bad).status_code == 422
    assert not SingleSignOn.objects.exists()


def test_a_domain_belongs_to_one_organization(org, owner, other_org, outsider, owner_client):
    services.save_single_sign_on(other_org, _settings(domains=["shared.test"]), by=outsider)
    response = owner_client.post(reverse("accounts:sso"), _form(domains="shared.test"))
    assert response.status_code == 422
    assert "Another organization already signs in shared.test" in response.content.decode()


def test_an_issuer_must_be_https_in_production(owner_client, settings):
    settings.SSO_ALLOW_INSECURE_ISSUER = False
    assert owner_client.post(reverse("accounts:sso"), _form()).status_code == 422


def test_an_owner_outside_the_domains_cannot_lock_themself_out(org, owner_client):
    response = owner_client.post(
        reverse("accounts:sso"), _form(domains="elsewhere.test", sso_only="on")
    )
    assert response.status_code == 422
    assert not SingleSignOn.objects.exists()


def test_a_provider_vouches_only_for_its_own_domains(org, owner):
    sso = services.save_single_sign_on(org, _settings(), by=owner)
    assert services.covers_email(sso, "nils@northwind.test")
    assert services.covers_email(sso, "Nils@NorthWind.test")
    assert not services.covers_email(sso, "nils@globex.test")
    assert not services.covers_email(sso, "nils@sub.northwind.test")
    assert services.sso_for_email("x@northwind.test") == sso
    assert services.sso_for_email("x@globex.test") is None


def test_a_switched_off_provider_routes_nobody(org, owner):
    services.save_single_sign_on(org, _settings(enabled=False), by=owner)
    assert services.sso_for_email("nils@northwind.test") is None


def test_an_address_of_the_domain_goes_to_the_provider_with_no_password(org, owner):
    port = free_port()
    sso = services.save_single_sign_on(org, _settings(issuer=f"http://127.0.0.1:{port}"), by=owner)
    callback = "http://testserver" + reverse(
        "openid_connect_callback", kwargs={"provider_id": sso.provider_id}
    )
    with oidc_provider(port=port, client_id="accord", client_secret=SECRET, redirect_uri=callback):
        response = Client().post(reverse("account_login"), {"login": "nils@northwind.test"})
    assert response.status_code == 200
    location = response.context["provider_url"]
    assert f'http-equiv="refresh" content="0;url=http://127.0.0.1:{port}/auth?' in (
        response.content.decode()
    )
    assert location.startswith(f"http://127.0.0.1:{port}/auth?")
    assert "login_hint=nils%40northwind.test" in location
    assert "code_challenge=" in location


def test_an_unreachable_provider_is_a_message_on_the_login_page(org, owner):
    services.save_single_sign_on(org, _settings(issuer=f"http://127.0.0.1:{free_port()}"), by=owner)
    response = Client().post(
        reverse("account_login"), {"login": "nils@northwind.test"}, follow=True
    )
    assert response.status_code == 200
    assert "cannot be reached right now" in response.content.decode()


def test_an_address_outside_the_domains_still_needs_its_password(org, owner):
    services.save_single_sign_on(org, _settings(), by=owner)
    response = Client().post(reverse("account_login"), {"login": "someone@globex.test"})
    assert response.status_code == 200
    assert "Enter your password." in response.content.decode()


def test_sso_only_refuses_a_password_to_members_outside_the_domains(org, owner):
    contractor = UserFactory(email="cora@contractors.test")
    MembershipFactory(organization=org, user=contractor, role=Role.MANAGER)
    services.save_single_sign_on(org, _settings(sso_only=True), by=owner)
    browser = Client()
    response = sign_in(browser, contractor.email)
    assert response.status_code == 302 and response["Location"] == reverse("account_login")
    assert browser.get(reverse("dashboard")).status_code == 302


def test_sso_only_leaves_people_of_other_organizations_alone(org, owner, outsider):
    services.save_single_sign_on(org, _settings(sso_only=True), by=owner)
    browser = Client()
    sign_in(browser, outsider.email)
    assert browser.get(reverse("dashboard")).status_code == 200


def test_a_member_of_the_organization_joins_once_with_the_chosen_role(org, owner):
    sso = services.save_single_sign_on(org, _settings(new_member_role=Role.MANAGER), by=owner)
    newcomer = UserFactory(email="nils@northwind.test")
    assert services.join_through_sso(newcomer, sso).role == Role.MANAGER
    assert services.join_through_sso(owner, sso).role == Role.OWNER
    other = OrganizationFactory()
    assert not newcomer.memberships.filter(organization=other).exists()


def test_an_address_of_the_domain_cannot_sign_up_with_a_password(org, owner):
    services.save_single_sign_on(org, _settings(), by=owner)
    response = Client().post(
        reverse("account_signup"),
        {
            "email": "nils@northwind.test",
            "full_name": "Nils",
            "password1": "lantern-Fjord-42",
            "password2": "lantern-Fjord-42",
        },
    )
    assert response.status_code == 200
    assert "signs its people in through its own sign-on" in response.content.decode()
    assert not User.objects.filter(email="nils@northwind.test").exists()


def test_switching_sso_only_on_ends_the_members_password_sessions(
    org, owner, django_capture_on_commit_callbacks
):
    contractor = UserFactory(email="cora@contractors.test")
    MembershipFactory(organization=org, user=contractor, role=Role.MANAGER)
    laptop, owners_browser = Client(), Client()
    sign_in(laptop, contractor.email)
    sign_in(owners_browser, owner.email)
    assert laptop.get(reverse("dashboard")).status_code == 200
    owners_browser.post(reverse("accounts:sso"), _form(domains="northwind.test"))
    assert laptop.get(reverse("dashboard")).status_code == 200  # not yet the only way
    with django_capture_on_commit_callbacks(execute=True):
        owners_browser.post(reverse("accounts:sso"), _form(domains="northwind.test", sso_only="on"))
    assert laptop.get(reverse("dashboard")).status_code == 302
    assert owners_browser.get(reverse("dashboard")).status_code == 200


def test_a_provider_identity_cannot_be_connected_to_another_account(org, owner, rf):
    from allauth.core.exceptions import ImmediateHttpResponse
    from allauth.socialaccount.models import SocialAccount, SocialLogin
    from django.contrib.messages.storage.fallback import FallbackStorage

    from accounts.sso.adapter import SocialAccountAdapter

    sso = services.save_single_sign_on(org, _settings(), by=owner)
    request = rf.get("/")
    request.session = {}
    request._messages = FallbackStorage(request)
    login = SocialLogin(
        user=UserFactory.build(email="nils@northwind.test"),
        account=SocialAccount(provider=sso.provider_id, uid="nils"),
    )
    login.state = {"process": "connect"}
    with pytest.raises(ImmediateHttpResponse):
        SocialAccountAdapter(request).pre_social_login(request, login)
    login.state = {"process": "login"}
    SocialAccountAdapter(request).pre_social_login(request, login)  # its own person: goes on
