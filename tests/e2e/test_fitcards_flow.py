"""A manager walks the whole fit card flow in Chromium: a validation error, a reload, a new
browser session that resumes the draft, finishing, comparing revisions and the PDF download."""

import datetime
import io

import pytest
from django.utils import timezone
from pypdf import PdfReader

from tests.factories import PartnerFactory, PartnershipFactory

from .conftest import login

pytestmark = [pytest.mark.browser]


@pytest.fixture
def partnership(transactional_db, org, owner, manager, viewer):
    partner = PartnerFactory(organization=org, name="PayHarbor")
    return PartnershipFactory(
        organization=org,
        partner=partner,
        name="PayHarbor EU card acquiring",
        owner=manager,
        claim_uncertainty="",
        claim_capability="",
        claim_boundary="",
        claim_evidence="",
        boundary_not_established="",
        deferral_date=None,
        unwind_condition="",
        unwind_authorizer=None,
        exit_path="",
    )


def _next(page, expected_step):
    page.click("button[value=next]")
    page.wait_for_url(f"**/edit/{expected_step}/")
    page.wait_for_selector(f"#flow[data-step={expected_step}]")


def _wait_saved(page, text):
    """Wait until the debounced autosave has stored ``text`` (the live box says so)."""
    page.wait_for_function(
        "() => document.querySelector('#draft-status').textContent.includes('Draft saved')"
    )
    page.wait_for_timeout(400)  # the last keystroke's request


def test_manager_fills_resumes_finishes_compares_and_downloads(
    live_server, new_context, partnership, owner
):
    base = live_server.url
    detail_url = f"{base}/fit-cards/{partnership.uuid}/"
    page = new_context().new_page()
    login(page, live_server, "manager@northwind.test")

    page.goto(detail_url)
    page.click("text=Start the fit card")
    page.wait_for_url("**/edit/capability/")
    assert "Capability provided (and what uncertainty it reduces)" in page.content()
    page.fill("#id_capability_provided", "Licensed EU card acquiring with a dispute desk")
    page.fill("#id_uncertainty_reduced", "Whether merchants pay invoices by card")
    _next(page, "incentives")

    # Back keeps the input, forward again.
    page.click("button[value=back]")
    page.wait_for_selector("#flow[data-step=capability]")
    assert page.input_value("#id_capability_provided").startswith("Licensed EU card acquiring")
    _next(page, "incentives")

    # A conflict risk without its early signal is refused with a field error.
    page.fill("#id_incentives", "Interchange-plus margin on a committed volume")
    page.fill("#id_risk_1", "They raise fees once we depend on them")
    page.click("button[value=next]")
    page.wait_for_selector("#field-signal_1 .errorlist")
    assert "Say how you would observe this risk early." in page.inner_text("#field-signal_1")
    assert page.url.endswith("/edit/incentives/")
    page.fill("#id_signal_1", "Pricing reviews requested before the volume is met")
    _next(page, "integration")

    page.fill("#id_integration_surface", "Payments API, webhooks, settlement files")
    page.fill("#id_single_points_of_failure", "Settlement files: no second acquirer")
    _next(page, "evidence")
    page.select_option("#id_kind_1", "pilot")
    page.fill("#id_artifact_1", "Six-week pilot with 40 merchants")
    page.fill("#id_limit_1", "Hand-picked merchants under 1M volume")
    _next(page, "exit")

    # Half-way through a step: type, let the draft save, reload.
    page.type("#id_exit_time", "Twelve weeks to migrate")
    _wait_saved(page, "Twelve weeks")
    page.reload()
    assert page.url.endswith("/edit/exit/")
    assert page.input_value("#id_exit_time") == "Twelve weeks to migrate"

    # The browser is closed; the next day, another session resumes at the same step.
    page.context.close()
    page = new_context().new_page()
    login(page, live_server, "manager@northwind.test")
    page.goto(detail_url)
    page.click(".page-head >> text=Resume draft")
    page.wait_for_url("**/edit/exit/")
    assert page.input_value("#id_exit_time") == "Twelve weeks to migrate"
    page.fill("#id_exit_cost", "25k exit fee")
    page.fill("#id_exit_data_portability", "Tokens portable via the network vault")
    _next(page, "claim")

    # The claim sentence is previewed live as it is typed.
    page.type("#id_claim_uncertainty", "card payments on invoices")
    page.wait_for_function(
        "() => document.querySelector('#preview-claim').textContent"
        ".includes('reduce uncertainty about card payments on invoices')"
    )
    page.fill("#id_claim_capability", "licensed acquiring")
    page.fill("#id_claim_boundary", "EU cards only")
    page.fill("#id_claim_evidence", "a six-week pilot")
    page.fill("#id_boundary_not_established", "adoption outside the EU")
    page.fill("#id_deferral_condition", "evidence remains ambiguous")
    deferral = timezone.localdate() + datetime.timedelta(days=60)
    page.fill("#id_deferral_date", deferral.isoformat())
    page.fill("#id_unwind_condition", "Disputes take more than 10 days two weeks running")
    page.select_option("#id_unwind_authorizer", str(owner.uuid))
    page.wait_for_function(
        "() => document.querySelector('#preview-boundary').textContent"
        ".includes('it does not establish adoption outside the EU')"
    )
    _next(page, "review")
    assert "Still missing" not in page.inner_text("#flow .fc-step")
    page.click("text=Finish and save revision")
    page.wait_for_url(f"{detail_url}")
    assert "Revision 1" in page.inner_text("main")
    assert "Twelve weeks to migrate" in page.inner_text("main")

    # Revise once, then compare the two revisions.
    page.click("text=Revise the card")
    page.wait_for_url("**/edit/capability/")
    page.fill("#id_capability_provided", "Licensed EU card acquiring with a managed dispute desk")
    page.click("button[value=save]")
    page.wait_for_selector("#flow .flash-success")
    page.click(".steps >> text=Review & finish")
    page.wait_for_url("**/edit/review/")
    page.click("text=Finish and save revision")
    page.wait_for_url(f"{detail_url}")
    page.click(".actions >> text=History")
    page.click("text=Compare side by side")
    page.wait_for_url("**/history/compare/**")
    assert page.inner_text("table ins.diff-ins").strip().startswith("managed")

    # The PDF is rendered by a worker, offered when ready, downloads and contains the card.
    page.goto(detail_url)
    page.click("text=Download PDF")
    page.wait_for_selector("#pdf-status >> text=Download the PDF")
    with page.expect_download() as download_info:
        page.click("#pdf-status >> text=Download the PDF")
    path = download_info.value.path()
    with open(path, "rb") as fh:
        reader = PdfReader(io.BytesIO(fh.read()))
    text = " ".join(" ".join((p.extract_text() or "").split()) for p in reader.pages)
    assert "Partner Fit Card: PayHarbor" in text
    assert "Licensed EU card acquiring with a managed dispute desk" in text
    assert "We believe PayHarbor can reduce uncertainty about card payments on invoices" in text
    assert "Pricing reviews requested before the volume is met" in text


def test_viewer_reads_the_card_and_downloads_blank_templates(live_server, new_context, partnership):
    page = new_context().new_page()
    login(page, live_server, "viewer@northwind.test")
    page.goto(f"{live_server.url}/fit-cards/{partnership.uuid}/")
    assert page.locator("text=Start the fit card").count() == 0
    with page.expect_download() as download_info:
        page.click("text=Blank Partnership Evidence Log (PDF)")
    with open(download_info.value.path(), "rb") as fh:
        text = PdfReader(io.BytesIO(fh.read())).pages[0].extract_text()
    assert "Boundary status" in text


@pytest.mark.worker
def test_the_pdf_renders_on_a_real_worker_while_the_page_polls(
    live_server, new_context, partnership, real_worker
):
    page = new_context().new_page()
    login(page, live_server, "viewer@northwind.test")
    page.goto(f"{live_server.url}/fit-cards/{partnership.uuid}/")
    page.click("text=Download PDF")
    page.wait_for_selector("#pdf-status >> text=Rendering the PDF")
    page.wait_for_selector("#pdf-status >> text=Download the PDF", timeout=60_000)
    with page.expect_download() as download_info:
        page.click("#pdf-status >> text=Download the PDF")
    with open(download_info.value.path(), "rb") as fh:
        text = PdfReader(io.BytesIO(fh.read())).pages[0].extract_text()
    assert "Partner Fit Card: PayHarbor" in text
