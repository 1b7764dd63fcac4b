import datetime

import pytest
from django.core import mail

from core.clock import org_today
from evidence.models import Decision, EvidenceEntry
from tests.e2e.conftest import login
from tests.factories import MembershipFactory, OrganizationFactory, PartnershipFactory, UserFactory

pytestmark = pytest.mark.browser


def _log(page, server, partnership, *, artifact, quality, days_ago):
    page.goto(f"{server.url}/evidence/new/?partnership={partnership.uuid}")
    page.fill("textarea[name=claim]", "The dispute desk resolves EU chargebacks within 5 days")
    page.fill("textarea[name=artifact]", artifact)
    page.select_option("select[name=quality]", quality)
    day = org_today(partnership.organization) - datetime.timedelta(days=days_ago)
    page.fill("input[name=observed_on]", day.isoformat())
    page.fill("textarea[name=limits]", "EU card payments only")
    page.click("main form button[type=submit]")
    page.wait_for_selector("text=logged.")


def test_manager_logs_evidence_falls_short_adds_more_commits_and_approver_approves(
    live_server, transactional_db, new_context
):
    org = OrganizationFactory(name="Northwind", slug="northwind", review_weekday=0)
    manager = UserFactory(email="manager@northwind.test", full_name="Manny Manager")
    approver = UserFactory(email="approver@northwind.test", full_name="Avery Approver")
    MembershipFactory(organization=org, user=manager, role="manager")
    MembershipFactory(organization=org, user=approver, role="manager", can_approve=True)
    partnership = PartnershipFactory(
        organization=org,
        owner=manager,
        approver=approver,
        dependency="critical",
        status="proposed",
        name="PayHarbor disputes",
    )
    base = live_server.url

    page = new_context().new_page()
    login(page, live_server, manager.email)
    _log(
        page,
        live_server,
        partnership,
        artifact="Production week: 120 disputes, median 3 days",
        quality="real",
        days_ago=1,
    )

    # A commit on one entry falls short, and the page says exactly what is missing.
    page.goto(f"{base}/evidence/partnerships/{partnership.uuid}/decide/")
    page.select_option("select[name=kind]", "commit")
    page.fill("textarea[name=rationale]", "The desk works in production.")
    page.check("input[name=evidence] >> nth=0")
    page.click("text=Record decision")
    missing = page.locator("#missing-evidence")
    missing.wait_for()
    assert "2 more entries" in missing.inner_text()
    assert "2 review cycles" in missing.inner_text()
    assert not Decision.objects.exists()

    # More real-conditions evidence, in an earlier review cycle.
    _log(
        page,
        live_server,
        partnership,
        artifact="Production week: 98 disputes, median 4 days",
        quality="real",
        days_ago=9,
    )
    _log(
        page,
        live_server,
        partnership,
        artifact="Production week: 143 disputes, median 3 days",
        quality="real",
        days_ago=10,
    )
    assert EvidenceEntry.objects.filter(partnership=partnership).count() == 3

    page.goto(f"{base}/evidence/partnerships/{partnership.uuid}/decide/")
    page.select_option("select[name=kind]", "commit")
    page.fill("textarea[name=rationale]", "Three production weeks across two cycles.")
    for checkbox in page.locator("input[name=evidence]").all():
        checkbox.check()
    page.click("text=Record decision")
    page.wait_for_selector("text=Awaiting approval")
    decision = Decision.objects.get()
    assert decision.state == "pending" and decision.approver == approver
    assert any(m.to == [approver.email] for m in mail.outbox)
    partnership.refresh_from_db()
    assert partnership.status == "proposed"

    # The approver opens the e-mailed link and approves with a reason.
    approver_page = new_context().new_page()
    login(approver_page, live_server, approver.email)
    approver_page.goto(f"{base}/evidence/decisions/{decision.uuid}/")
    approver_page.fill("textarea[name=note]", "Two cycles of production data; approved.")
    approver_page.click("button[value=approve]")
    approver_page.wait_for_selector("#decision-state:has-text('In effect')")
    partnership.refresh_from_db()
    assert partnership.status == "active"
    assert any(m.to == [manager.email] and "approved" in m.subject for m in mail.outbox)
