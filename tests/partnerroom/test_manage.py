"""Room settings under our layout: owners invite, see who has access and revoke; managers
choose what is shared; everyone of ours reads; nobody else reaches any of it."""

import pytest
from django.core import mail
from django.urls import reverse

from partnerroom.models import EntrySharing, PartnershipSharing, RoomAccess, RoomEvent
from reviews.models import PartnerReviewer
from tests.evidence.factories import log_evidence

from .conftest import SIGN_IN_RE

pytestmark = pytest.mark.django_db


@pytest.fixture
def objects(acquiring, lena, grant):
    access = grant(lena)
    entry = log_evidence(acquiring)
    return {"partner": acquiring.partner, "access": access, "entry": entry, "p": acquiring}


def urls(o):
    """(url name, kwargs, minimum role for GET, minimum role for POST)."""
    return [
        ("manage_rooms", {}, "owner", "owner"),
        ("manage_cosign", {}, "owner", "owner"),
        ("manage_room", {"partner_uuid": o["partner"].uuid}, "owner", "owner"),
        ("manage_audit", {"partner_uuid": o["partner"].uuid}, "owner", "owner"),
        ("manage_access", {"access_uuid": o["access"].uuid}, "owner", "owner"),
        ("manage_revoke", {"access_uuid": o["access"].uuid}, "owner", "owner"),
        ("manage_partnership", {"partnership_uuid": o["p"].uuid}, "viewer", "manager"),
        ("manage_override", {"partnership_uuid": o["p"].uuid}, "owner", "owner"),
        ("manage_request", {"partnership_uuid": o["p"].uuid}, "manager", "manager"),
        ("manage_entry", {"entry_uuid": o["entry"].uuid}, "manager", "manager"),
    ]


RANK = {"viewer": 0, "manager": 1, "owner": 2}


def test_every_room_setting_checks_the_role_and_the_organization(objects, role_clients, client):
    for name, kwargs, get_role, post_role in urls(objects):
        url = reverse(f"partnerroom:{name}", kwargs=kwargs)
        for role, c in role_clients.items():
            get, post = c.get(url), c.post(url, {})
            if role == "outsider":
                if not kwargs:  # their own organization's page: none of Northwind's rows
                    assert b"PayHarbor" not in get.content, name
                    continue
                # another organization's object: never a hint it exists
                assert get.status_code in (404, 405) and post.status_code in (404, 405), name
                continue
            if RANK[role] < RANK[get_role]:
                assert get.status_code in (403, 405), (name, role)
            else:
                assert get.status_code in (200, 405), (name, role, get.status_code)
            if RANK[role] < RANK[post_role]:
                assert post.status_code == 403, (name, role, post.status_code)
            else:
                assert post.status_code in (200, 302, 422), (name, role, post.status_code)
        assert client.get(url).status_code == 302  # anonymous: the login page


def test_an_owner_invites_a_contact_and_the_link_is_emailed(owner_client, payharbor, lena, deliver):
    mail.outbox.clear()
    with deliver():
        response = owner_client.post(
            reverse("partnerroom:manage_room", args=[payharbor.uuid]),
            {"contact": lena.pk, "reviews_health": "on", "signs_gates": "on"},
        )
    assert response.status_code == 302
    access = RoomAccess.objects.get(contact=lena)
    assert access.signs_gates and not access.require_code
    assert PartnerReviewer.objects.filter(contact=lena).exists()
    assert SIGN_IN_RE.search(mail.outbox[-1].body) and mail.outbox[-1].to == [lena.email]
    page = owner_client.get(reverse("partnerroom:manage_room", args=[payharbor.uuid]))
    assert b"Lena Vogt" in page.content and b"Revoke" in page.content


def test_an_owner_cannot_invite_another_partners_contact(owner_client, payharbor, priya):
    response = owner_client.post(
        reverse("partnerroom:manage_room", args=[payharbor.uuid]), {"contact": priya.pk}
    )
    assert response.status_code == 200
    assert not RoomAccess.objects.exists()


def test_an_owner_revokes_and_the_health_review_role_goes_too(owner_client, lena, grant):
    access = grant(lena, reviews_health=True)
    owner_client.post(reverse("partnerroom:manage_revoke", args=[access.uuid]))
    access.refresh_from_db()
    assert access.revoked_at is not None
    assert not PartnerReviewer.objects.filter(contact=lena).exists()
    assert RoomEvent.objects.filter(kind=RoomEvent.Kind.REVOKED).count() == 1


def test_the_owner_reads_the_audit_trail(owner_client, payharbor, lena, signed_in, acquiring):
    signed_in(lena).get(reverse("partnerroom:partnership", args=[acquiring.uuid]))
    page = owner_client.get(reverse("partnerroom:manage_audit", args=[payharbor.uuid]))
    assert page.status_code == 200
    assert f"GET /room/p/{acquiring.uuid}/".encode() in page.content
    assert b"Signed in" in page.content and b"Lena Vogt" in page.content


def test_a_manager_sets_sharing_and_an_entry_level_with_htmx(manager_client, acquiring):
    entry = log_evidence(acquiring)
    response = manager_client.post(
        reverse("partnerroom:manage_partnership", args=[acquiring.uuid]),
        {"fit_card_parts": ["capability", "exit_path"]},
    )
    assert response.status_code == 302
    sharing = PartnershipSharing.objects.get(partnership=acquiring)
    assert sharing.fit_card_parts == ["capability", "exit_path"] and not sharing.share_charters
    response = manager_client.post(
        reverse("partnerroom:manage_entry", args=[entry.uuid]),
        {"level": "summary"},
        headers={"HX-Request": "true"},
    )
    assert response.status_code == 200
    assert f'id="entry-{entry.uuid}"'.encode() in response.content
    assert b"<html" not in response.content
    assert EntrySharing.objects.get(entry=entry).level == "summary"
    bad = manager_client.post(
        reverse("partnerroom:manage_entry", args=[entry.uuid]),
        {"level": "everything"},
        headers={"HX-Request": "true"},
    )
    assert bad.status_code == 422
    assert EntrySharing.objects.get(entry=entry).level == "summary"


def test_the_sharing_page_query_count_does_not_grow_with_entries(
    manager_client, acquiring, django_assert_num_queries
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    url = reverse("partnerroom:manage_partnership", args=[acquiring.uuid])
    for _ in range(3):
        log_evidence(acquiring)
    with CaptureQueriesContext(connection) as ctx:
        assert manager_client.get(url).status_code == 200
    for _ in range(20):
        log_evidence(acquiring)
    with django_assert_num_queries(len(ctx.captured_queries)):
        manager_client.get(url)


def test_bad_input_on_room_settings_is_never_a_500(owner_client, acquiring, payharbor):
    posts = [
        (reverse("partnerroom:manage_room", args=[payharbor.uuid]), {"contact": "abc"}),
        (reverse("partnerroom:manage_cosign"), {"scope": "x" * 300}),
        (reverse("partnerroom:manage_override", args=[acquiring.uuid]), {"override": "\x00"}),
        (reverse("partnerroom:manage_request", args=[acquiring.uuid]), {"kind": "sideways"}),
        (reverse("partnerroom:manage_partnership", args=[acquiring.uuid]), {"fit_card_parts": "z"}),
    ]
    for url, data in posts:
        assert owner_client.post(url, data).status_code in (200, 302, 422), url
    assert owner_client.get(reverse("partnerroom:manage_rooms") + "?page=zzz").status_code == 200


def test_owners_find_the_partner_rooms_in_the_menu(owner_client, manager_client):
    url = reverse("partnerroom:manage_rooms")
    owner_page = owner_client.get(reverse("dashboard")).content.decode()
    assert 'data-testid="nav-partner-rooms"' in owner_page and url in owner_page
    assert url not in manager_client.get(reverse("dashboard")).content.decode()
