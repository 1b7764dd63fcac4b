"""A manager opens the link in the weekly digest and submits the health review in a browser."""

import datetime
import re

import pytest
from django.core import mail

from reviews import services
from reviews.models import HealthReview
from tests.e2e.conftest import login
from tests.factories import PartnershipFactory


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_digest_link_opens_the_review_and_submits_it(page, live_server, settings, org, owner):
    settings.SITE_URL = live_server.url
    partnership = PartnershipFactory(
        organization=org,
        owner=owner,
        name="Dispute desk pilot",
        phase="walk",
        launched_on=datetime.date(2026, 1, 5),
    )
    services.cycle_start(organization=org, starts_on=datetime.date(2026, 3, 2))
    assert len(mail.outbox) == 1
    html = mail.outbox[0].alternatives[0][0]
    link = re.search(r'href="([^"]+/reviews/[0-9a-f-]{36}/)"', html).group(1)
    assert link.startswith(live_server.url)

    login(page, live_server, owner.email)
    page.goto(link)
    assert page.locator("h1").inner_text() == "Health review: Dispute desk pilot"
    page.fill("textarea[name=boundary_violated]", "None this cycle.")
    page.fill("textarea[name=evidence_less_trustworthy]", "The partner's self-reported uptime.")
    page.fill("textarea[name=renegotiation_trigger]", "Dispute resolution over 10 days twice.")
    page.check("input[name=health][value=green]")
    page.fill("textarea[name=evidence_artifact]", "SLA history for February: 99.93% uptime")
    page.select_option("select[name=evidence_quality]", "real")
    page.click("form.review-form button[type=submit]")
    page.wait_for_url(f"**/reviews/partnership/{partnership.uuid}/")
    assert "submitted" in page.locator("#messages").inner_text()
    assert page.locator("svg.health-trend circle.dot-green").count() == 1

    review = HealthReview.objects.get(partnership=partnership)
    assert review.state == "submitted" and review.health == "green"
    assert review.submitted_by == owner
    assert partnership.evidence_entries.count() == 1
