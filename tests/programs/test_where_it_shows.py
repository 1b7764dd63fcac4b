"""Where the program's data appears on the partnerships pages, which cannot import this app: the
flow's "Can you scale human review?" loads the review capacity, the decisions page loads the
revisit suggestions, the partner page loads the trust signal, and managers get a nav link."""

import pytest
from django.urls import reverse

from programs import services
from tests.factories import PartnerFactory

from .test_revisit import waiting

pytestmark = pytest.mark.django_db


def _loads(html: str, url: str) -> bool:
    return f'hx-get="{url}" hx-trigger="load"' in html


def test_the_scale_review_question_loads_the_data_that_answers_it(curated, owner_client):
    flow = reverse("partnerships:flow_program")
    first = owner_client.get(flow).content.decode()
    assert "Is brand damage risk high" in first
    assert not _loads(first, reverse("programs:capacity"))  # only the question it answers
    scale = owner_client.get(flow + "?brand_risk=no").content.decode()
    assert "Can you scale human review of partners?" in scale
    assert _loads(scale, reverse("programs:capacity"))


def test_the_decisions_page_shows_the_revisit_suggestion(curated, owner_client):
    waiting(curated, 25)
    assert services.revisit_check(organization=curated) is not None
    page = owner_client.get(reverse("partnerships:flow_history")).content.decode()
    assert _loads(page, reverse("programs:revisit"))
    fragment = owner_client.get(reverse("programs:revisit")).content.decode()
    assert "25 applications are waiting (your limit is 25)" in fragment
    assert "Open: run the decision again" in fragment


def test_the_partner_page_loads_its_trust_signal(org, owner_client):
    partner = PartnerFactory(organization=org)
    page = owner_client.get(
        reverse("partnerships:partner_detail", kwargs={"uuid": partner.uuid})
    ).content.decode()
    url = reverse("programs:partner_trust", kwargs={"partner_uuid": partner.uuid})
    assert _loads(page, url)
    assert 'data-testid="trust-panel"' in owner_client.get(url).content.decode()


@pytest.mark.parametrize(("role", "shown"), [("owner", True), ("manager", True), ("viewer", False)])
def test_managers_get_a_nav_link_to_the_applications_queue(role_clients, role, shown):
    page = role_clients[role].get(reverse("dashboard")).content.decode()
    assert (f'href="{reverse("programs:index")}"' in page) is shown
