"""Back and Forward after htmx pushed a filtered or paged URL restore the whole evidence log.

The site keeps no htmx history cache (``historyCacheSize: 0``), so every Back asks the server
again with ``HX-History-Restore-Request``; the answer must be the whole page, not the lone
results table an htmx swap gets.
"""

import contextlib

import pytest

from tests.e2e.conftest import login
from tests.evidence.factories import log_evidence
from tests.factories import MembershipFactory, OrganizationFactory, PartnershipFactory, UserFactory

pytestmark = pytest.mark.browser


@contextlib.contextmanager
def _history_restore(page):
    """Wait for htmx's history-restore request (not a cached snapshot, not a full load)."""
    with page.expect_response(
        lambda r: r.request.headers.get("hx-history-restore-request") == "true"
    ) as answer:
        yield
    assert answer.value.status == 200
    page.wait_for_load_state("networkidle")


def _assert_whole_log_page(page):
    page.locator("nav.mainnav").wait_for()
    assert page.locator("h1", has_text="Partnership Evidence Log").count() == 1
    assert page.locator("#chain-badge").count() == 1
    assert page.locator("form.filters").count() == 1
    assert page.locator("#evidence-results").count() == 1


def test_back_and_forward_after_filtering_and_paging_show_the_whole_log(
    live_server, transactional_db, page
):
    org = OrganizationFactory(name="Northwind", slug="northwind")
    manager = UserFactory(email="manager@northwind.test", full_name="Manny Manager")
    MembershipFactory(organization=org, user=manager, role="manager")
    partnership = PartnershipFactory(organization=org, owner=manager, name="PayHarbor disputes")
    for day in range(30):
        log_evidence(partnership, quality="pilot", days_ago=day, artifact=f"Pilot run {day:02d}")
    log_evidence(partnership, quality="anecdote", artifact="Heard on a call")

    login(page, live_server, manager.email)
    page.goto(f"{live_server.url}/evidence/")
    _assert_whole_log_page(page)

    # A filter swaps the results and pushes its URL.
    page.select_option("select[name=quality]", "pilot")
    page.wait_for_url("**/evidence/?*quality=pilot*")
    page.locator("text=Entries 1–25 matching the filters").wait_for()
    assert page.locator("text=Heard on a call").count() == 0

    # Paging does the same.
    page.click("nav.pagination >> text=Older →")
    page.wait_for_url("**page=2*")
    page.locator("text=Pilot run 29").wait_for()

    with _history_restore(page):
        page.go_back()
    page.locator("text=Pilot run 00").wait_for()
    assert "quality=pilot" in page.url and "page=2" not in page.url
    _assert_whole_log_page(page)

    with _history_restore(page):
        page.go_back()
    page.locator("text=Heard on a call").wait_for()
    assert page.url.rstrip("/").endswith("/evidence")
    _assert_whole_log_page(page)

    with _history_restore(page):
        page.go_forward()
    page.locator("text=Heard on a call").wait_for(state="detached")
    assert "quality=pilot" in page.url
    _assert_whole_log_page(page)
