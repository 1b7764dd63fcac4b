"""The card downloads as a PDF whose text is the card; the blank templates download too."""

import io

from django.urls import reverse
from pypdf import PdfReader

from fitcards import services


def _text(response) -> str:
    assert response["Content-Type"] == "application/pdf"
    content = b"".join(response.streaming_content) if response.streaming else response.content
    reader = PdfReader(io.BytesIO(content))
    return " ".join(" ".join((page.extract_text() or "").split()) for page in reader.pages)


def test_fit_card_pdf_contains_the_cards_content(viewer_client, partnership, filled_draft):
    services.fitcard_finish(partnership=partnership, actor=None)
    response = viewer_client.get(reverse("fitcards:pdf", args=[partnership.uuid]))
    assert response.status_code == 200
    assert "attachment" in response["Content-Disposition"]
    assert response["Content-Disposition"].endswith('.pdf"')
    text = _text(response)
    assert "Partner Fit Card: Stripe-like Payments" in text
    assert "A managed dispute desk for card chargebacks" in text
    assert "They push merchants to their own invoicing product" in text
    assert "Only EU merchants with low ticket sizes" in text
    assert "Full transaction export as CSV within 48 hours" in text
    assert "We believe Stripe-like Payments can reduce uncertainty about chargeback" in text
    assert "it does not establish that merchants outside the EU will adopt it" in text


def test_revision_pdf_shows_that_revision(viewer_client, partnership, filled_draft):
    services.fitcard_finish(partnership=partnership, actor=None)
    services.draft_save(
        partnership=partnership,
        actor=None,
        step="capability",
        values={"capability_provided": "Second wording", "uncertainty_reduced": "Same"},
    )
    services.fitcard_finish(partnership=partnership, actor=None)
    url = reverse("fitcards:pdf", args=[partnership.uuid]) + "?revision=1"
    text = _text(viewer_client.get(url))
    assert "Revision 1" in text
    assert "A managed dispute desk for card chargebacks" in text
    assert "Second wording" not in text


def test_blank_fit_card_template_has_every_section(viewer_client):
    text = _text(viewer_client.get(reverse("fitcards:blank_fitcard")))
    for heading in (
        "Partner Fit Card",
        "Capability provided (and what uncertainty it reduces)",
        "Incentives and conflict risks",
        "Integration surface area and single points of failure",
        "Evidence artifacts (pilot results, references, SLA history)",
        "Exit path (time, cost, data portability)",
        "This partnership reduces uncertainty about",
    ):
        assert heading in text


def test_blank_evidence_log_template_has_the_seeds_columns(outsider_client):
    text = _text(outsider_client.get(reverse("fitcards:blank_evidence_log")))
    assert "Partnership Evidence Log" in text
    for column in (
        "Partner",
        "Claim",
        "Evidence artifact",
        "Limits",
        "Boundary status",
        "Decision",
        "Date",
        "Approver",
    ):
        assert column in text
