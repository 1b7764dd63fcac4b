import pytest

from partnerships.models import Phase
from tests.e2e.conftest import login
from tests.factories import PartnershipFactory

pytestmark = pytest.mark.browser

CHARTER_MISSING = "The Partnership Charter must be executed before walk (fake gate)."


@pytest.fixture
def gate_state():
    """A stand-in for the charters app's gate: blocks walk until ``state['open']``."""
    from partnerships.extensions import (
        DASHBOARD_PANELS,
        PARTNERSHIP_PANELS,
        PHASE_GATES,
        Extension,
    )

    state = {"open": False}

    def charter_gate(partnership, to_phase):
        return [] if state["open"] or to_phase != Phase.WALK else [CHARTER_MISSING]

    fake = Extension("charter", charter_gate, phases=(Phase.WALK,))
    with PHASE_GATES.only(fake), DASHBOARD_PANELS.only(), PARTNERSHIP_PANELS.only():
        yield state


def test_manager_plans_the_launch_and_takes_the_crawl_go_once_the_gate_allows(
    live_server, transactional_db, page, org, manager, approver, gate_state
):
    partnership = PartnershipFactory(
        organization=org, owner=manager, approver=approver, name="Ledgerline accounting sync"
    )
    login(page, live_server, manager.email)
    page.goto(f"{live_server.url}/partnerships/{partnership.uuid}/")

    # Launch plan: created from the seed's checklist, an item toggled in place.
    page.click("text=Plan the launch")
    page.fill("input[name=launch_on]", "2026-12-01")
    page.click("text=Create launch plan")
    page.wait_for_selector("text=Pre-launch (4–6 weeks before)")
    first = page.locator(".checklist-item").first
    first.locator("button.check").click()
    page.wait_for_selector(".checklist-item.done")
    page.wait_for_selector("#plan-progress:has-text('1 of 15 done')")

    # The go / no-go: the gate's reason is shown before and after trying.
    page.goto(f"{live_server.url}/partnerships/{partnership.uuid}/")
    page.click(".actions a:has-text('Crawl go / no-go')")
    page.wait_for_selector("text=Did the Crawl phase meet its success criteria?")
    page.click("#flow a[data-answer=yes]")
    # The gate refuses a go, so the flow recommends closing the gaps; we choose go anyway.
    page.wait_for_selector("text=Recommendation: Not yet: stay in Crawl and close the gaps")
    page.check("#flow input[name=final_choice][value=go]")
    page.fill("textarea[name=override_reason]", "The charter is being signed this week")
    assert CHARTER_MISSING in page.locator("[data-testid=go-blockers]").inner_text()
    page.fill("textarea[name=success_criteria]", "1,500 active syncs; error rate under 0.5%")
    page.click("text=Record decision")
    page.wait_for_selector("[data-testid=blockers]")
    assert CHARTER_MISSING in page.locator("[data-testid=blockers]").inner_text()
    partnership.refresh_from_db()
    assert partnership.phase == Phase.CRAWL

    gate_state["open"] = True  # the charter got executed
    page.click("text=Record decision")
    page.wait_for_selector("#timeline")
    timeline = page.locator("#timeline").inner_text()
    assert "Phase Crawl → Walk" in timeline
    assert "Crawl → walk go / no-go: Go: move to Walk" in timeline
    partnership.refresh_from_db()
    assert partnership.phase == Phase.WALK and partnership.launched_on is not None
