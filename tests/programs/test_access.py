"""Every new route as anonymous, applicant, viewer, manager, owner and another organization's
member: login redirects, 403 for a role too low, 404 for another organization's objects,
never a 500."""

import pytest
from django.test import Client
from django.urls import resolve, reverse

from programs import services
from programs.models import RevisitSuggestion

pytestmark = pytest.mark.django_db

LOGIN = "/accounts/login/"


@pytest.fixture
def world(curated, owner, manager, viewer, outsider, confirmed, deliver):
    """Northwind with a waiting, an accepted and a declined application and a suggestion."""
    waiting = confirmed(curated, contact_email="w@lumen.example", company="Waiting Co")
    accepted = confirmed(curated, contact_email="a@lumen.example", company="Accepted Co")
    declined = confirmed(curated, contact_email="d@lumen.example", company="Declined Co")
    services.application_accept(application=accepted, actor=manager)
    services.application_decline(application=declined, actor=manager, reason="No fit")
    accepted.refresh_from_db()
    suggestion = RevisitSuggestion.objects.create(
        organization=curated, waiting=30, oldest_wait_days=3, partners=1, reason="30 waiting"
    )
    return {
        "waiting": waiting,
        "accepted": accepted,
        "declined": declined,
        "partner": accepted.partner,
        "suggestion": suggestion,
    }


def member_routes(world):
    """(url, method, minimum role) for every member route, filled with Northwind objects."""
    app = {"application_uuid": world["waiting"].uuid}
    return [
        (reverse("programs:index"), "get", "viewer"),
        (reverse("programs:application", kwargs=app), "get", "viewer"),
        (reverse("programs:trust"), "get", "viewer"),
        (
            reverse("programs:partner_trust", kwargs={"partner_uuid": world["partner"].uuid}),
            "get",
            "viewer",
        ),
        (reverse("programs:capacity"), "get", "viewer"),
        (reverse("programs:revisit"), "get", "viewer"),
        (reverse("programs:directory_manage"), "get", "viewer"),
        (reverse("programs:settings"), "get", "owner"),
        (reverse("programs:accept", kwargs=app), "post", "manager"),
        (reverse("programs:decline", kwargs=app), "post", "manager"),
        (
            reverse("programs:end", kwargs={"application_uuid": world["accepted"].uuid}),
            "post",
            "manager",
        ),
        (
            reverse("programs:listing_save", kwargs={"partner_uuid": world["partner"].uuid}),
            "post",
            "manager",
        ),
        (
            reverse(
                "programs:revisit_dismiss", kwargs={"suggestion_uuid": world["suggestion"].uuid}
            ),
            "post",
            "owner",
        ),
        (reverse("programs:settings"), "post", "owner"),
    ]


RANK = {"viewer": 0, "manager": 1, "owner": 2}
# Routes whose page names no object of the organization: another member sees their own.
ORG_WIDE = {"index", "trust", "capacity", "revisit", "directory_manage", "settings"}


def _name(url):
    return resolve(url).url_name


@pytest.fixture
def applicant_client(curated):
    """Someone who applied and confirmed: no account, only their cookies."""
    client = Client()
    client.get(reverse("programs:apply", kwargs={"org_slug": curated.slug}))
    return client


@pytest.mark.parametrize("who", ["anonymous", "applicant"])
def test_people_without_an_account_are_sent_to_log_in(world, who, applicant_client):
    client = Client() if who == "anonymous" else applicant_client
    for url, method, _role in member_routes(world):
        response = getattr(client, method)(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith(LOGIN), url
        if method == "post" and _name(url) != "settings":
            assert client.get(url).status_code == 405, url  # POST-only


@pytest.mark.parametrize("role", ["viewer", "manager", "owner"])
def test_each_role_gets_in_or_a_403(world, role, role_clients):
    client = role_clients[role]
    for url, method, minimum in member_routes(world):
        response = getattr(client, method)(url)
        assert response.status_code != 500, url
        if RANK[role] < RANK[minimum]:
            assert response.status_code == 403, (url, role)
        else:
            assert response.status_code in (200, 302, 409, 422), (url, role, response.status_code)


def test_another_organization_never_sees_northwind(world, outsider_client):
    for url, method, _role in member_routes(world):
        response = getattr(outsider_client, method)(url)
        if _name(url) in ORG_WIDE:
            assert response.status_code in (200, 302, 422), url
            for secret in ("Waiting Co", "Accepted Co", "Declined Co"):
                assert secret.encode() not in response.content, url
        else:
            assert response.status_code == 404, url
    world["waiting"].refresh_from_db()
    assert world["waiting"].state == "waiting"


def test_public_routes_answer_everyone_and_never_crash(world, curated, other_org, role_clients):
    urls = [
        reverse("programs:apply", kwargs={"org_slug": curated.slug}),
        reverse("programs:apply_sent", kwargs={"org_slug": curated.slug}),
    ]
    for client in [Client(), *role_clients.values()]:
        for url in urls:
            assert client.get(url).status_code == 200
        # another organization keeps its pages off: the same 404 for everyone
        closed = reverse("programs:apply", kwargs={"org_slug": other_org.slug})
        assert client.get(closed).status_code == 404
        assert client.get(reverse("programs:directory", args=[curated.slug])).status_code == 404
        assert client.get(reverse("programs:confirm", args=["nope"])).status_code == 404


@pytest.mark.parametrize(
    "data",
    [
        {},
        {"company": "x" * 5000},
        {"contact_email": "not-an-address"},
        {"website": "javascript:alert(1)"},
        {"list_in_directory": "maybe"},
    ],
)
def test_bad_input_on_the_public_form_is_never_a_500(curated, data):
    response = Client().post(reverse("programs:apply", kwargs={"org_slug": curated.slug}), data)
    assert response.status_code in (302, 413, 422)


def test_bytes_that_are_not_utf8_are_never_a_500(curated):
    response = Client().generic(
        "POST",
        reverse("programs:apply", kwargs={"org_slug": curated.slug}),
        b"company=%ff%fe&contact_email=a%40b.example&they_lose=%c0",
        content_type="application/x-www-form-urlencoded",
    )
    assert response.status_code in (302, 422)


@pytest.mark.parametrize(
    "query", ["?sort=bogus", "?below=yes&page=999", "?page=-1&q=%00", "?q=" + "x" * 500]
)
def test_bad_filters_on_the_trust_list_are_never_a_500(world, manager_client, query):
    assert manager_client.get(reverse("programs:trust") + query).status_code == 200


def test_a_signed_in_member_keeps_their_own_organization_on_a_public_page(curated, outsider_client):
    response = outsider_client.get(reverse("programs:apply", kwargs={"org_slug": curated.slug}))
    assert response.status_code == 200
    assert b'<span class="orgname">Globex</span>' in response.content
    assert b"Partner with Northwind" in response.content
