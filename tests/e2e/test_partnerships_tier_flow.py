import pytest

from partnerships.models import FlowRun, Partnership
from tests.e2e.conftest import login

pytestmark = pytest.mark.browser


@pytest.fixture(autouse=True)
def only_this_app():
    """Judge this app alone: no other app's gates or panels."""
    from partnerships.extensions import DASHBOARD_PANELS, PARTNERSHIP_PANELS, PHASE_GATES

    with PHASE_GATES.only(), DASHBOARD_PANELS.only(), PARTNERSHIP_PANELS.only():
        yield


def test_manager_creates_a_partnership_and_overrides_the_tier_recommendation(
    live_server, transactional_db, page, manager
):
    login(page, live_server, manager.email)

    # A partner, with a field error shown in place first.
    page.goto(f"{live_server.url}/partners/")
    page.click("text=Add a partner")
    page.fill("input[name=website]", "not a url")
    page.press("input[name=website]", "Tab")  # checked as the field is left, before submitting
    page.wait_for_selector("#field-website .errorlist")
    page.click("text=Add partner")
    page.wait_for_selector("#field-name .errorlist")  # the name is required
    page.fill("input[name=name]", "Cloudspire")
    page.fill("input[name=website]", "https://cloudspire.example")
    page.fill("input[name=category]", "Cloud provider")
    page.click("text=Add partner")
    page.wait_for_selector("h1:has-text('Cloudspire')")

    # A contact, added in place.
    page.fill("#contacts input[name=name]", "Dana Whitfield")
    page.fill("#contacts input[name=email]", "dana@cloudspire.example")
    page.click("#contacts button:has-text('Add contact')")
    page.wait_for_selector("#contacts td:has-text('Dana Whitfield')")

    # Build vs partner first, then the partnership itself.
    page.click("text=New partnership")
    page.click("#flow a[data-answer=no]")  # not core to our differentiation
    page.wait_for_selector("text=delay our roadmap")
    page.click("#flow a[data-answer=yes]")  # building would delay the roadmap > 6 months
    page.wait_for_selector("text=Recommendation: Partner")
    page.fill("input[name=subject]", "Certified-stack marketplace listing")
    page.click("text=Record decision")
    page.wait_for_selector("h1:has-text('Propose a partnership')")
    page.fill("input[name=name]", "Cloudspire certified stack listing")
    page.select_option("select[name=leverage]", "requirement")
    page.fill("textarea[name=we_lose]", "Our fastest channel")
    page.fill("textarea[name=partner_loses]", "A gap in their certified stack")
    page.fill(
        "textarea[name=claim_uncertainty]", "whether listing shortens our mid-market sales cycle"
    )
    page.click("text=Propose partnership")
    page.wait_for_selector("h1:has-text('Cloudspire certified stack listing')")
    assert "We believe Cloudspire can reduce uncertainty about whether listing" in page.content()

    # The tier flow: the partner self-serves, so the tree says Tier 1; we choose Tier 3.
    page.click(".actions a:has-text('Tier assignment')")
    page.click("#flow a[data-answer=yes]")
    page.wait_for_selector("text=Recommendation: Tier 1")
    page.check("input[name=final_choice][value='3']")
    page.click("text=Record decision")
    page.wait_for_selector("#id_override_reason_error")  # a reason is required, shown in place
    page.fill(
        "textarea[name=override_reason]", "A marquee logo: the certified stack shifts our position"
    )
    page.click("text=Record decision")
    page.wait_for_selector("#timeline")

    timeline = page.locator("#timeline").inner_text()
    assert "Tier assignment: Tier 3" in timeline
    assert "overrode the recommendation" in timeline
    assert "A marquee logo: the certified stack shifts our position" in timeline
    assert "Build vs partner: Partner" in timeline

    partnership = Partnership.objects.get(name="Cloudspire certified stack listing")
    assert partnership.tier == 3
    run = partnership.flow_runs.get(kind=FlowRun.Kind.TIER)
    assert (run.recommendation, run.final_choice) == ("1", "3")
