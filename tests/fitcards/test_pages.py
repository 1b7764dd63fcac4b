"""The card page, the list page and the partnership-page panel."""

import pytest
from django.db import connection
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.models import Membership
from fitcards import services
from fitcards.panels import partnership_panel
from partnerships.extensions import partnership_panels
from tests.factories import PartnershipFactory


def test_card_page_shows_the_card_and_links_the_documents(
    manager_client, partnership, filled_draft
):
    services.fitcard_finish(partnership=partnership, actor=None)
    body = manager_client.get(reverse("fitcards:detail", args=[partnership.uuid])).content.decode()
    assert "A managed dispute desk for card chargebacks" in body
    assert reverse("fitcards:pdf", args=[partnership.uuid]) in body
    assert reverse("fitcards:blank_fitcard") in body
    assert reverse("fitcards:blank_evidence_log") in body
    assert "data-fc-print" in body
    assert 'style="' not in body  # CSP: no inline styles


def test_card_page_offers_to_resume_a_draft(manager_client, partnership, answers):
    services.draft_save(partnership=partnership, actor=None, step="exit", values=answers["exit"])
    body = manager_client.get(reverse("fitcards:detail", args=[partnership.uuid])).content.decode()
    assert "Resume draft" in body


def test_list_page_query_count_is_the_same_for_5_and_50_rows(manager_client, org, owner):
    def make(n):
        for _ in range(n):
            PartnershipFactory(organization=org, owner=owner)

    url = reverse("fitcards:index")
    make(5)
    with CaptureQueriesContext(connection) as five:
        manager_client.get(url)
    make(45)
    with CaptureQueriesContext(connection) as fifty:
        response = manager_client.get(url)
    assert len(five) == len(fifty)
    assert response.context["page"].paginator.num_pages == 2


def _request(user, org):
    request = RequestFactory().get("/")
    request.user = user
    request.organization = org
    request.membership = Membership.objects.get(user=user, organization=org)
    return request


def test_partnership_panel_shows_status_and_completeness(partnership, viewer, manager, org):
    panel = partnership_panel(_request(viewer, org), partnership)
    assert panel["template"] == "fitcards/panel.html"
    assert panel["fit_card"] is None
    assert not panel["can_write"]
    assert panel["completeness"].missing
    assert partnership_panel(_request(manager, org), partnership)["can_write"]
    assert any(
        p["template"] == "fitcards/panel.html"
        for p in partnership_panels(_request(viewer, org), partnership)
    )


@pytest.mark.django_db
def test_partnership_panel_renders(partnership, manager, org, filled_draft):
    from django.template.loader import render_to_string

    services.fitcard_finish(partnership=partnership, actor=manager)
    panel = partnership_panel(_request(manager, org), partnership)
    html = render_to_string(panel["template"], {"panel": panel})
    assert "Revision 1" in html
    assert reverse("fitcards:history", args=[partnership.uuid]) in html


def test_panel_on_the_dashboard_is_not_shown(partnership, manager, org):
    assert partnership_panel(_request(manager, org), None) is None


def test_panel_query_count_does_not_grow_with_revisions(partnership, manager, org, filled_draft):
    services.fitcard_finish(partnership=partnership, actor=manager)
    request = _request(manager, org)
    fresh = type(partnership).objects.get(pk=partnership.pk)
    with CaptureQueriesContext(connection) as one:
        partnership_panel(request, fresh)
    for i in range(5):
        services.draft_save(
            partnership=partnership, actor=manager, step="exit", values={"exit_time": f"{i}"}
        )
        if i < 4:
            services.draft_save(
                partnership=partnership,
                actor=manager,
                step="exit",
                values={"exit_time": f"{i} weeks", "exit_cost": "c", "exit_data_portability": "d"},
            )
            services.fitcard_finish(partnership=partnership, actor=manager)
    fresh = type(partnership).objects.get(pk=partnership.pk)
    with CaptureQueriesContext(connection) as many:
        partnership_panel(request, fresh)
    assert len(one) == len(many) <= 3


def test_dashboard_panel_shows_coverage_and_drafts(manager_client, partnership, answers, org):
    PartnershipFactory(organization=org, owner=partnership.owner)
    services.draft_save(partnership=partnership, actor=None, step="exit", values=answers["exit"])
    body = manager_client.get(reverse("dashboard")).content.decode()
    assert "Partner Fit Cards" in body
    assert "0 of 2 partnerships have a finished fit card" in body
    assert reverse("fitcards:edit", args=[partnership.uuid]) in body


def test_dashboard_panel_hides_other_organizations(outsider_client, partnership, answers):
    services.draft_save(partnership=partnership, actor=None, step="exit", values=answers["exit"])
    body = outsider_client.get(reverse("dashboard")).content.decode()
    assert partnership.name not in body
