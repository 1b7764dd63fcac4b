"""In a real browser: a partner contact asks for access, opens the e-mailed link in a fresh
browser context, answers the health review so that it disagrees with ours, and the manager
sees the disagreement flagged."""

import datetime
import re

import pytest
from django.core import mail
from django.utils import timezone

from partnerroom.services.access import access_grant
from reviews.models import HealthReview, ReviewDisagreement
from reviews.services import cycle_start, review_submit
from tests.e2e.conftest import login
from tests.factories import ContactFactory, PartnerFactory, PartnershipFactory

pytestmark = pytest.mark.browser

SIGN_IN_RE = re.compile(r"/room/sign-in/([A-Za-z0-9_-]+)/")


@pytest.fixture
def two_sided(org, owner, manager):
    partner = PartnerFactory(organization=org, name="PayHarbor")
    lena = ContactFactory(partner=partner, name="Lena Vogt", email="lena@payharbor.example")
    launched = timezone.localdate() - datetime.timedelta(days=40)
    partnership = PartnershipFactory(
        organization=org,
        partner=partner,
        owner=manager,
        name="PayHarbor EU card acquiring",
        tier=3,
        phase="walk",
        launched_on=launched,
        phase_started_on=launched,
    )
    access_grant(contact=lena, granted_by=owner, reviews_health=True, send_link=False)
    monday = timezone.localdate() - datetime.timedelta(days=timezone.localdate().weekday())
    cycle_start(organization=org, starts_on=monday)
    review_submit(
        review=HealthReview.objects.get(partnership=partnership),
        submitted_by=manager,
        boundary_violated="None: every dispute stayed in the EU card scope.",
        evidence_less_trustworthy="Nothing new.",
        renegotiation_trigger="Two weeks of late settlement files.",
        unwind_trigger_fired=False,
        health="green",
    )
    return partnership, lena


def test_a_partner_answers_in_the_room_and_the_manager_sees_the_disagreement(
    live_server, transactional_db, new_context, two_sided, manager
):
    from django.core.cache import cache

    cache.clear()
    partnership, lena = two_sided
    mail.outbox.clear()

    asking = new_context().new_page()
    asking.goto(f"{live_server.url}/room/access/")
    asking.fill("input[name=email]", lena.email)
    asking.click("text=E-mail me a sign-in link")
    asking.wait_for_selector("[data-testid=access-sent]")

    links = [m for m in mail.outbox if m.to == [lena.email] and SIGN_IN_RE.search(m.body)]
    assert len(links) == 1
    token = SIGN_IN_RE.search(links[0].body).group(1)

    # the link opened elsewhere: a fresh context without the asking page's cookies
    partner = new_context().new_page()
    partner.goto(f"{live_server.url}/room/sign-in/{token}/")
    partner.click("button:has-text('Sign in')")
    partner.wait_for_selector("[data-testid=open-reviews]")
    partner.click(f"[data-testid=open-reviews] >> text={partnership.name}")
    partner.fill(
        "textarea[name=boundary_violated]",
        "Chargebacks reached our desk outside the agreed hours three times.",
    )
    partner.fill(
        "textarea[name=renegotiation_trigger]", "Another week of out-of-hours escalations."
    )
    partner.check("input[name=health][value=red]")
    partner.click("text=Submit our review")
    partner.wait_for_selector("[data-testid=room-disagreement]")
    assert "overall health" in partner.inner_text("[data-testid=room-disagreement]")

    found = ReviewDisagreement.objects.get()
    assert found.health_differs and found.boundary_differs and not found.unwind_differs

    ours = new_context().new_page()
    login(ours, live_server, manager.email)
    ours.goto(f"{live_server.url}/reviews/?state=all")
    flag = ours.locator("[data-testid=disagreement-flag]")
    assert flag.inner_text() == "Partner disagrees"
    flag.click()
    ours.wait_for_selector("[data-testid=disagreements]")
    side_by_side = ours.inner_text("[data-testid=disagreements]")
    assert "Chargebacks reached our desk" in side_by_side
    assert "every dispute stayed in the EU card scope" in side_by_side
    ours.wait_for_selector("rect.partner-dot-red", state="attached")
