"""The dashboard and the launch plan pages."""

import datetime

from django.urls import reverse

from partnerships.extensions import DASHBOARD_PANELS
from tests.factories import PartnershipFactory
from tests.partnerships.helpers import HTMX, fake_panel, note_panel

# --- launch plan ----------------------------------------------------------------------------


def test_launch_plan_created_and_item_toggled_in_place(manager_client, partnership, today):
    url = reverse("partnerships:launch_plan", kwargs={"partnership_uuid": partnership.uuid})
    assert manager_client.post(url, {"launch_on": today.isoformat()}).status_code == 302
    item = partnership.launch_plan.items.first()
    toggle = reverse("partnerships:launch_item_toggle", kwargs={"item_uuid": item.uuid})
    response = manager_client.post(toggle, {"done": "1"}, **HTMX)
    assert response.status_code == 200
    body = response.content.decode()
    assert body.lstrip().startswith(f'<li id="item-{item.uuid}"')
    assert 'id="plan-progress"' in body and "1 of 15 done" in body  # updated out of band
    item.refresh_from_db()
    assert item.done


def test_launch_item_reassigned(manager_client, partnership, owner, today):
    from partnerships.launch import launch_plan_create

    plan = launch_plan_create(partnership=partnership, launch_on=today, actor=owner)
    item = plan.items.first()
    url = reverse("partnerships:launch_item_edit", kwargs={"item_uuid": item.uuid})
    response = manager_client.post(url, {"owner": owner.pk, "due_on": today.isoformat()}, **HTMX)
    assert response.status_code == 200
    item.refresh_from_db()
    assert item.owner == owner and item.due_on == today


def test_viewer_reads_the_launch_plan_without_toggles(viewer_client, partnership, manager, today):
    from partnerships.launch import launch_plan_create

    launch_plan_create(partnership=partnership, launch_on=today, actor=manager)
    page = viewer_client.get(
        reverse("partnerships:launch_plan", kwargs={"partnership_uuid": partnership.uuid})
    ).content.decode()
    assert "Charter signed by both sides" in page
    assert "Mark done" not in page


# --- dashboard ------------------------------------------------------------------------------


def test_empty_dashboard_says_where_to_start(manager_client):
    page = manager_client.get(reverse("dashboard")).content.decode()
    assert "Start here" in page


def test_dashboard_shows_charts_flags_deadlines_and_mine(manager_client, org, manager, partnership):
    partnership.deferral_date = datetime.date.today() + datetime.timedelta(days=5)
    partnership.save()
    flagged = PartnershipFactory(
        organization=org, owner=manager, name="Webinar swap", leverage="co_marketing"
    )
    page = manager_client.get(reverse("dashboard")).content.decode()
    assert "<svg" in page and "By phase" in page and "By tier" in page and "By status" in page
    assert "Webinar swap" in page and "Vanity partnership" in page
    assert "Deferral date" in page
    assert "My partnerships" in page and partnership.name in page
    assert flagged.name in page


def test_dashboard_renders_registered_panels(manager_client, partnership):
    with DASHBOARD_PANELS.only(fake_panel(note_panel("Reviews due"))):
        assert "Reviews due" in manager_client.get(reverse("dashboard")).content.decode()


def test_empty_dashboard_still_renders_panels(manager_client):
    with DASHBOARD_PANELS.only(fake_panel(note_panel("Reviews due"))):
        page = manager_client.get(reverse("dashboard")).content.decode()
    assert "Start here" in page and "Reviews due" in page


def test_dashboard_bars_link_to_the_filtered_list(manager_client, partnership):
    page = manager_client.get(reverse("dashboard")).content.decode()
    assert f'href="{reverse("partnerships:partner_list")}?phase=crawl"' in page
    assert f'href="{reverse("partnerships:partner_list")}?tier=2"' in page
