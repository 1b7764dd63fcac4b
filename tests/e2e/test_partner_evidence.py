"""In a real browser: a partner contact signed in from an e-mailed link adds evidence with a
file in the room; the manager finds it waiting on the partnership's evidence page, accepts it,
and the partner's room then shows it accepted."""

import re

import pytest
from django.core import mail

from evidence.models import EvidenceEntry
from evidence.sufficiency import sufficiency_missing
from partnerroom.services.access import access_grant
from tests.e2e.conftest import login
from tests.factories import ContactFactory, PartnerFactory, PartnershipFactory

pytestmark = pytest.mark.browser

SIGN_IN_RE = re.compile(r"/room/sign-in/([A-Za-z0-9_-]+)/")
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def test_a_partner_submits_evidence_and_the_manager_accepts_it(
    live_server, transactional_db, new_context, org, owner, manager, tmp_path
):
    from django.core.cache import cache

    cache.clear()
    partner = PartnerFactory(organization=org, name="PayHarbor")
    lena = ContactFactory(partner=partner, name="Lena Vogt", email="lena@payharbor.example")
    partnership = PartnershipFactory(
        organization=org, partner=partner, owner=manager, name="PayHarbor EU", dependency="low"
    )
    access_grant(contact=lena, granted_by=owner, send_link=False)
    mail.outbox.clear()

    room = new_context().new_page()
    room.goto(f"{live_server.url}/room/access/")
    room.fill("input[name=email]", lena.email)
    room.click("text=E-mail me a sign-in link")
    room.wait_for_selector("[data-testid=access-sent]")
    token = SIGN_IN_RE.search(mail.outbox[-1].body).group(1)
    room.goto(f"{live_server.url}/room/sign-in/{token}/")
    room.click("button:has-text('Sign in')")
    room.goto(f"{live_server.url}/room/p/{partnership.uuid}/")
    room.click("[data-testid=room-submissions] >> text=Add evidence")
    room.fill("textarea[name=artifact]", "Our settlement ledger: 19 of 20 disputes closed in time")
    room.fill("textarea[name=limits]", "EU merchants only")
    room.select_option("select[name=quality]", "pilot")
    report = tmp_path / "ledger.pdf"
    report.write_bytes(PDF)
    room.set_input_files("input[name=file]", str(report))
    room.click("text=Add to the evidence log")
    room.wait_for_selector("[data-testid=submission-state]")
    assert room.inner_text("[data-testid=submission-state]") == "Awaiting acceptance"
    entry = EvidenceEntry.objects.get()
    assert entry.submitted_by_contact == lena and entry.file_sha256
    assert sufficiency_missing(partnership=partnership) != []

    ours = new_context().new_page()
    login(ours, live_server, manager.email)
    ours.goto(f"{live_server.url}/evidence/partnerships/{partnership.uuid}/")
    pending = ours.locator("[data-testid=partner-pending]")
    assert "Our settlement ledger" in pending.inner_text()
    pending.locator(f"button:has-text('Accept #{entry.sequence}')").click()
    ours.wait_for_selector("text=now counts toward sufficiency")
    assert ours.locator("[data-testid=partner-pending]").count() == 0
    assert sufficiency_missing(partnership=partnership) == []

    room.reload()
    assert room.inner_text("[data-testid=submission-state]").startswith("Accepted")
