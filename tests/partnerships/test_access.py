"""Every partnerships view as owner, manager, viewer and outsider.

Reads: every member 200, the outsider 404 (another organization's object does not exist for
them) or, for pages without an object, their own organization's page. Writes: owner and
manager allowed, viewer 403, outsider 404.
"""

import pytest
from django.urls import reverse

from partnerships.launch import launch_plan_create
from tests.factories import ContactFactory

ROLES = ["owner", "manager", "viewer", "outsider"]


@pytest.fixture
def objects(partnership, partner, manager, today):
    contact = ContactFactory(partner=partner, organization=partner.organization)
    plan = launch_plan_create(partnership=partnership, launch_on=today, actor=manager)
    return {
        "partner": partner.uuid,
        "partnership": partnership.uuid,
        "contact": contact.uuid,
        "item": plan.items.first().uuid,
    }


READ_OBJECT_PAGES = [
    ("partnerships:partner_detail", lambda o: {"uuid": o["partner"]}),
    ("partnerships:partnership_detail", lambda o: {"partnership_uuid": o["partnership"]}),
    ("partnerships:launch_plan", lambda o: {"partnership_uuid": o["partnership"]}),
    (
        "partnerships:partnership_flow",
        lambda o: {"partnership_uuid": o["partnership"], "slug": "tier"},
    ),
    (
        "partnerships:partnership_flow",
        lambda o: {"partnership_uuid": o["partnership"], "slug": "crawl-to-walk"},
    ),
    (
        "partnerships:contact_row",
        lambda o: {"uuid": o["partner"], "contact_uuid": o["contact"]},
    ),
]

READ_ORG_PAGES = [
    "dashboard",
    "partnerships:partner_list",
    "partnerships:flow_history",
    "partnerships:flow_build_vs_partner",
    "partnerships:flow_program",
]

WRITE_PAGES = [
    ("partnerships:partner_create", lambda o: {}),
    ("partnerships:partnership_create", lambda o: {}),
    ("partnerships:partner_edit", lambda o: {"uuid": o["partner"]}),
    ("partnerships:partnership_edit", lambda o: {"partnership_uuid": o["partnership"]}),
]

WRITE_POSTS = [
    ("partnerships:contact_create", lambda o: {"uuid": o["partner"]}),
    (
        "partnerships:contact_edit",
        lambda o: {"uuid": o["partner"], "contact_uuid": o["contact"]},
    ),
    ("partnerships:partnership_status", lambda o: {"partnership_uuid": o["partnership"]}),
    ("partnerships:launch_item_toggle", lambda o: {"item_uuid": o["item"]}),
    ("partnerships:launch_item_edit", lambda o: {"item_uuid": o["item"]}),
]


@pytest.mark.parametrize(("name", "kwargs"), READ_OBJECT_PAGES)
def test_object_pages_are_readable_by_members_only(role_clients, objects, name, kwargs):
    url = reverse(name, kwargs=kwargs(objects))
    expected = {"owner": 200, "manager": 200, "viewer": 200, "outsider": 404}
    assert {role: role_clients[role].get(url).status_code for role in ROLES} == expected


@pytest.mark.parametrize("name", READ_ORG_PAGES)
def test_organization_pages_are_readable_by_every_member(role_clients, objects, name):
    url = reverse(name)
    assert {role: role_clients[role].get(url).status_code for role in ROLES} == dict.fromkeys(
        ROLES, 200
    )


@pytest.mark.parametrize(("name", "kwargs"), WRITE_PAGES)
def test_forms_are_for_writers(role_clients, objects, name, kwargs):
    url = reverse(name, kwargs=kwargs(objects))
    codes = {role: role_clients[role].get(url).status_code for role in ROLES}
    assert codes["owner"] == codes["manager"] == 200
    assert codes["viewer"] == 403
    # Without an object in the URL the outsider gets their own organization's form.
    assert codes["outsider"] == (404 if kwargs(objects) else 200)


@pytest.mark.parametrize(("name", "kwargs"), WRITE_POSTS)
def test_writers_may_post_viewer_cannot_and_outsider_cannot_reach(
    role_clients, objects, name, kwargs
):
    url = reverse(name, kwargs=kwargs(objects))
    assert role_clients["viewer"].post(url, {}).status_code == 403
    assert role_clients["outsider"].post(url, {}).status_code == 404
    # Empty posts: allowed through, then a validation answer (or a redirect for a toggle).
    for role in ("owner", "manager"):
        assert role_clients[role].post(url, {}).status_code in (200, 302, 422)


def test_outsider_lands_in_their_own_organization(outsider_client, objects):
    page = outsider_client.get(reverse("partnerships:partner_list")).content.decode()
    assert "PayHarbor" not in page


def test_viewer_cannot_record_a_flow_decision(viewer_client, partnership):
    url = reverse(
        "partnerships:partnership_flow",
        kwargs={"partnership_uuid": partnership.uuid, "slug": "tier"},
    )
    response = viewer_client.post(url, {"self_serve": "yes", "final_choice": "1"})
    assert response.status_code == 403


def test_only_an_owner_sets_the_partner_program(manager_client, owner_client, org):
    url = reverse("partnerships:flow_program")
    data = {"brand_risk": "yes", "final_choice": "curated"}
    assert manager_client.post(url, data).status_code == 403
    assert owner_client.post(url, data).status_code == 302
    org.refresh_from_db()
    assert org.partner_program == "curated"


def test_viewer_sees_no_write_controls(viewer_client, partnership):
    page = viewer_client.get(
        reverse("partnerships:partnership_detail", kwargs={"partnership_uuid": partnership.uuid})
    ).content.decode()
    assert "Change status" not in page
    assert (
        reverse("partnerships:partnership_edit", kwargs={"partnership_uuid": partnership.uuid})
        not in page
    )


def test_viewer_post_to_a_flow_is_refused_even_when_unfinished(viewer_client, partnership):
    url = reverse(
        "partnerships:partnership_flow",
        kwargs={"partnership_uuid": partnership.uuid, "slug": "crawl-to-walk"},
    )
    assert viewer_client.post(url, {}).status_code == 403
    assert viewer_client.post(reverse("partnerships:flow_build_vs_partner"), {}).status_code == 403
