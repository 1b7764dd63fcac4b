"""In a real browser: an applicant applies, confirms from the e-mailed link in a fresh browser
context, and a manager accepts and lands on the proposed partnership."""

import pytest
from django.core import mail

from partnerships.models import Partnership
from programs.models import Application
from tests.e2e.conftest import login

from .conftest import ANSWERS, CONFIRM_RE

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
