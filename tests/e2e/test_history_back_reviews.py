"""The Back button after an htmx swap that pushed a URL shows the whole page, not a lone table.

htmx keeps no history cache here (``historyCacheSize: 0``), so Back asks the server for the
pushed URL with ``HX-History-Restore-Request``; the answer must be the whole page.
"""

import datetime

import pytest

from notifications.models import OutboundEmail
from reviews import services
from tests.e2e.conftest import login
from tests.factories import PartnershipFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _assert_whole_page(page, heading: str, rows: str):
    assert page.locator("h1").count() == 1
    assert page.locator("h1").inner_text() == heading
    assert page.locator("header, nav").count() >= 2  # the site navigation and our filters
    assert page.locator(rows).count() == 1
    assert page.locator(f"{rows} table tbody tr").count() > 0


def test_back_after_filter_and_page_shows_the_whole_reviews_list(page, live_server, org, owner):
    for i in range(30):
        PartnershipFactory(
            organization=org,
            owner=owner,
            name=f"Pilot {i:02d}",
            phase="walk",
            launched_on=datetime.date(2026, 1, 5),
        )
    services.cycle_start(organization=org, starts_on=datetime.date(2026, 3, 2))
    login(page, live_server, owner.email)
    page.goto(f"{live_server.url}/reviews/")

    page.click("#review-rows nav.review-filters a:text-is('All')")
    page.wait_for_url("**/reviews/?state=all")
    page.click("#review-rows nav.pagination a:text-is('Next')")
    page.wait_for_url("**/reviews/?state=all&page=2")
    assert page.locator("#review-rows nav.pagination").inner_text().startswith("Previous")

    page.go_back()
    page.wait_for_url("**/reviews/?state=all")
    page.wait_for_selector("#review-rows nav.pagination a:text-is('Next')")
    _assert_whole_page(page, "Health reviews", "#review-rows")
    assert "Page 1 of 2" in page.locator("#review-rows nav.pagination").inner_text()
    current = page.locator("#review-rows nav.review-filters a[aria-current=page]")
    assert current.inner_text() == "All"


def test_back_after_filter_and_page_shows_the_whole_operations_page(page, live_server, org, owner):
    for i in range(60):
        OutboundEmail.objects.create(
            organization=org,
            key=f"ops-test:{i}",
            to=f"person{i}@northwind.test",
            subject=f"Weekly digest {i}",
            body_text="Hello",
            state=OutboundEmail.State.SENT,
        )
    login(page, live_server, owner.email)
    page.goto(f"{live_server.url}/ops/")

    page.click("#outbox-rows nav.review-filters a:text-is('Sent')")
    page.wait_for_url("**/ops/?state=sent")
    page.click("#outbox-rows nav.pagination a:text-is('Next')")
    page.wait_for_url("**/ops/?state=sent&page=2")

    page.go_back()
    page.wait_for_url("**/ops/?state=sent")
    page.wait_for_selector("#outbox-rows nav.pagination a:text-is('Next')")
    _assert_whole_page(page, "E-mail operations", "#outbox-rows")
    assert "Page 1 of 2" in page.locator("#outbox-rows nav.pagination").inner_text()
