"""In a real browser: an applicant applies, confirms from the e-mailed link in a fresh browser
context, and a manager accepts and lands on the proposed partnership."""

import pytest
from django.core import mail

from partnerships.models import Partnership
from programs.models import Application
from tests.e2e.conftest import login
from tests.factories import PartnerFactory

from .conftest import ANSWERS, CONFIRM_RE
from .test_revisit import waiting

pytestmark = pytest.mark.browser


def test_an_applicant_applies_confirms_and_a_manager_accepts(
    live_server, transactional_db, new_context, curated, manager
):
    applicant = new_context().new_page()
    applicant.goto(f"{live_server.url}/apply/{curated.slug}/")
    for name in ("company", "website", "contact_name", "contact_email", "contact_title"):
        applicant.fill(f"input[name={name}]", ANSWERS[name])
    for name in ("offer", "value_to_them", "value_to_customers", "they_lose"):
        applicant.fill(f"textarea[name={name}]", ANSWERS[name])
    applicant.click("text=Send application")
    applicant.wait_for_selector("text=Check your inbox")
    assert not Application.objects.exists()

    assert len(mail.outbox) == 1 and mail.outbox[0].to == [ANSWERS["contact_email"]]
    token = CONFIRM_RE.search(mail.outbox[0].body).group(1)

    # the link opened elsewhere: a fresh context with no cookies from the application
    inbox = new_context().new_page()
    inbox.goto(f"{live_server.url}/confirm-application/{token}/")
    inbox.click("text=Confirm my application")
    inbox.wait_for_selector("[data-testid=confirmed]")
    assert Application.objects.get().state == Application.State.WAITING

    reviewer = new_context().new_page()
    login(reviewer, live_server, manager.email)
    reviewer.goto(f"{live_server.url}/programs/")
    assert reviewer.inner_text("[data-testid=queue-length]") == "1"
    reviewer.click(f"text={ANSWERS['company']}")
    reviewer.wait_for_selector("[data-testid=not-handshake]")
    reviewer.click("text=Accept: propose a Tier 1 partnership")
    reviewer.wait_for_url("**/partnerships/**")
    partnership = Partnership.objects.get(organization=curated)
    assert str(partnership.uuid) in reviewer.url
    reviewer.wait_for_selector("text=Tier 1")
    reviewer.wait_for_selector(".status-proposed")
    assert reviewer.locator("h1").first.inner_text().startswith(partnership.name)


def test_the_program_data_loads_where_decisions_are_made(
    live_server, transactional_db, new_context, curated, owner
):
    PartnerFactory(organization=curated, name="Acme Ledger")
    waiting(curated, 3, days_ago=2)
    page = new_context().new_page()
    login(page, live_server, owner.email)

    page.click("nav >> text=Applications")
    page.wait_for_selector("[data-testid=queue-length]")
    assert page.inner_text("[data-testid=queue-length]") == "3"

    page.goto(f"{live_server.url}/decisions/partner-program/")
    page.click("[data-answer=no]")  # brand risk is not high: the next question has data
    page.wait_for_selector("text=Can you scale human review of partners?")
    capacity = page.wait_for_selector("[data-testid=capacity]")
    assert "3 applications waiting, the oldest for 2 days" in capacity.inner_text()

    page.goto(f"{live_server.url}/partners/")
    page.click("[data-testid=trust-sort]")
    page.wait_for_url("**sort=-trust**")
    assert page.locator("[data-testid=trust-cell]").count() == 1
