"""The Back button after htmx paging on the charters list restores the whole page."""

import pytest

from tests.e2e.conftest import login
from tests.factories import MembershipFactory, OrganizationFactory, PartnershipFactory, UserFactory

pytestmark = pytest.mark.browser


def test_back_after_paging_the_charters_list_shows_the_whole_page(
    live_server, transactional_db, page
):
    org = OrganizationFactory(name="Northwind", slug="northwind")
    manager = UserFactory(email="manager@northwind.test", full_name="Manny Manager")
    MembershipFactory(organization=org, user=manager, role="manager")
    for n in range(30):
        PartnershipFactory(organization=org, owner=manager, name=f"Pilot {n:02d}")

    login(page, live_server, manager.email)
    page.goto(f"{live_server.url}/charters/")
    page.wait_for_selector("text=Page 1 of 2")

    # Paging is an htmx swap of the rows that pushes the page's URL.
    with page.expect_response(lambda r: "page=2" in r.url):
        page.click("#charter-rows nav.pagination >> text=Next")
    page.wait_for_selector("text=Page 2 of 2")
    assert page.url.endswith("/charters/?page=2")
    assert page.locator("header.topbar").count() == 1

    # Back: htmx keeps no history cache, so it asks the server for the earlier URL again and
    # puts the answer in place of the whole document.
    with page.expect_response(lambda r: r.request.headers.get("hx-history-restore-request")):
        page.go_back()
    page.wait_for_selector("text=Page 1 of 2")
    assert page.url.endswith("/charters/")
    assert page.locator("header.topbar").count() == 1
    assert page.locator("nav.mainnav").is_visible()
    assert page.locator("h1", has_text="Partnership Charters").is_visible()
    assert page.locator("#charter-rows").count() == 1
    assert page.locator("a.btn", has_text="Verify an executed charter").is_visible()
