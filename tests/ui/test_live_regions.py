"""Live regions stay in the page and have their text updated (issue 18.1): a screen reader
only announces a change to a region it already knows. Also the evidence log's rows name a
claim once for a run of entries about it (18.6)."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse

from evidence.services import evidence_record
from tests.e2e.conftest import login
from tests.factories import PartnerFactory, PartnershipFactory

pytestmark = pytest.mark.browser

MARK = "el => { el.dataset.sameNode = 'yes'; }"


def _still_there(page, selector: str) -> bool:
    return page.eval_on_selector(selector, "el => el.dataset.sameNode === 'yes'")


def test_search_results_update_their_status_region_in_place(
    live_server, transactional_db, page, org, manager
):
    for name in ("PayHarbor", "Ledgerline", "Lumen"):
        PartnerFactory(organization=org, name=name)
    login(page, live_server, manager.email)
    page.goto(live_server.url + reverse("partnerships:partner_list"))
    status = "#results-status[role=status]"
    assert page.locator(status).inner_text().startswith("3 partners")
    page.eval_on_selector(status, MARK)
    page.fill("input[name=q]", "Ledger")
    page.wait_for_function(
        "() => document.querySelector('#results-status').textContent.startsWith('1 partner ')"
    )
    assert _still_there(page, status)
    assert page.locator("#results tbody tr").count() == 1


def test_evidence_filters_update_the_count_in_place_and_a_claim_shows_once(
    live_server, transactional_db, page, org, manager
):
    partnership = PartnershipFactory(organization=org, owner=manager)
    today = datetime.date.today()
    for n, claim in enumerate(("Refunds settle in a day", "Refunds settle in a day", "Other")):
        evidence_record(
            partnership=partnership,
            claim=claim,
            artifact=f"Report {n}",
            quality="pilot",
            observed_on=today - datetime.timedelta(days=n),
            recorded_by=manager,
        )
    login(page, live_server, manager.email)
    page.goto(live_server.url + reverse("evidence:log"))
    claims = page.locator(".evidence-table .col-claim").all_inner_texts()
    assert sorted(claims).count("same claim") == 1 and "Refunds settle in a day" in claims
    status = "#evidence-status[role=status]"
    page.eval_on_selector(status, MARK)
    page.select_option("select[name=quality]", "real")
    page.wait_for_function(
        "() => !document.querySelector('#evidence-status').textContent.startsWith('3 ')"
    )
    assert _still_there(page, status)


def test_fit_card_autosave_updates_the_preview_and_the_draft_status_in_place(
    live_server, transactional_db, page, org, manager
):
    partnership = PartnershipFactory(organization=org, owner=manager)
    login(page, live_server, manager.email)
    page.goto(live_server.url + reverse("fitcards:step", args=[partnership.uuid, "claim"]))
    for selector in ("#live-sentences[aria-live=polite]", "#draft-status[role=status]"):
        page.eval_on_selector(selector, MARK)
    field = page.locator(".fc-fields textarea, .fc-fields input[type=text]").first
    field.fill("refund latency for marketplace sellers")
    page.wait_for_function(
        "() => document.querySelector('#draft-status').textContent.includes('Draft saved')"
    )
    assert _still_there(page, "#live-sentences") and _still_there(page, "#draft-status")
