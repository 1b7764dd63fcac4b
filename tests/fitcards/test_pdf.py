"""The card downloads as a PDF whose text is the card; the blank templates download too.

A card's PDF is rendered by a worker (issue 13.3): the page asks for it, shows that it is
rendering, and offers the file when it is ready. A repeated click or a task delivered twice
renders once.
"""

import io
import re

import pytest
from django.core.files.storage import default_storage
from django.urls import reverse
from pypdf import PdfReader

from fitcards import exports, services, tasks
from fitcards.models import FitCardPdf


def _text(response) -> str:
    assert response["Content-Type"] == "application/pdf"
    content = b"".join(response.streaming_content) if response.streaming else response.content
    reader = PdfReader(io.BytesIO(content))
    return " ".join(" ".join((page.extract_text() or "").split()) for page in reader.pages)


def _file_link(body: str) -> str:
    found = re.search(r'href="([^"]+/pdf/[0-9a-f-]{36}/)"', body)
    return found.group(1) if found else ""


@pytest.fixture
def download(django_capture_on_commit_callbacks):
    """Ask for a card's PDF, let the worker render it, and download it from the page."""

    def run(client, url):
        with django_capture_on_commit_callbacks(execute=True):
            assert client.post(url).status_code == 302
        link = _file_link(client.get(url).content.decode())
        assert link, "the page offers the file once it is rendered"
        return client.get(link)

    return run


def test_fit_card_pdf_contains_the_cards_content(
    viewer_client, partnership, filled_draft, download
):
    services.fitcard_finish(partnership=partnership, actor=None)
    response = download(viewer_client, reverse("fitcards:pdf", args=[partnership.uuid]))
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


def test_revision_pdf_shows_that_revision(viewer_client, partnership, filled_draft, download):
    services.fitcard_finish(partnership=partnership, actor=None)
    services.draft_save(
        partnership=partnership,
        actor=None,
        step="capability",
        values={"capability_provided": "Second wording", "uncertainty_reduced": "Same"},
    )
    services.fitcard_finish(partnership=partnership, actor=None)
    url = reverse("fitcards:pdf", args=[partnership.uuid]) + "?revision=1"
    text = _text(download(viewer_client, url))
    assert "Revision 1" in text
    assert "A managed dispute desk for card chargebacks" in text
    assert "Second wording" not in text


def test_the_page_shows_rendering_then_a_download_link(
    manager_client, partnership, filled_draft, django_capture_on_commit_callbacks
):
    services.fitcard_finish(partnership=partnership, actor=None)
    url = reverse("fitcards:pdf", args=[partnership.uuid])
    with django_capture_on_commit_callbacks() as queued:  # the worker has not run yet
        response = manager_client.post(url, HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    body = response.content.decode()
    assert "Rendering the PDF" in body and "<html" not in body
    assert f'hx-get="{url}"' in body and 'hx-trigger="every 1s"' in body
    assert not _file_link(body)
    page = manager_client.get(url).content.decode()
    assert "Rendering the PDF" in page and not _file_link(page)

    for callback in queued:  # the worker takes the task
        callback()
    poll = manager_client.get(url, HTTP_HX_REQUEST="true").content.decode()
    assert "Download the PDF" in poll and "every 1s" not in poll
    export = FitCardPdf.objects.get()
    assert export.status == FitCardPdf.Status.READY
    assert default_storage.exists(export.file.name)
    text = _text(manager_client.get(_file_link(poll)))
    assert "Partner Fit Card: Stripe-like Payments" in text


def test_a_repeated_click_starts_no_second_render(
    manager_client, viewer_client, partnership, django_capture_on_commit_callbacks
):
    url = reverse("fitcards:pdf", args=[partnership.uuid])
    with django_capture_on_commit_callbacks() as queued:
        manager_client.post(url)
        manager_client.post(url)
        viewer_client.post(url, HTTP_HX_REQUEST="true")
    assert FitCardPdf.objects.count() == 1
    assert len(queued) == 1


def test_the_task_renders_once_even_when_called_twice(partnership, monkeypatch):
    rendered = []
    real = exports.fitcard_pdf

    def counting(**kwargs):
        rendered.append(kwargs["document"]["partner_name"])
        return real(**kwargs)

    monkeypatch.setattr(exports, "fitcard_pdf", counting)
    card = {"capability_provided": "Dispute desk"}
    export = exports.pdf_request(partnership=partnership, card=card, actor=None)
    assert tasks.render_fitcard_pdf(export.pk) is True
    assert tasks.render_fitcard_pdf(export.pk) is False
    assert exports.pdf_request(partnership=partnership, card=card, actor=None).pk == export.pk
    assert tasks.render_fitcard_pdf(export.pk) is False
    assert rendered == ["Stripe-like Payments"]
    export.refresh_from_db()
    assert export.status == FitCardPdf.Status.READY
    with export.file.open("rb") as handle:
        text = " ".join(page.extract_text() for page in PdfReader(handle).pages)
    assert "Stripe-like Payments" in text and "Dispute desk" in text


def test_a_changed_card_gets_its_own_pdf(partnership):
    first = exports.pdf_request(partnership=partnership, card={"incentives": "Fees"}, actor=None)
    second = exports.pdf_request(partnership=partnership, card={"incentives": "More"}, actor=None)
    assert first.pk != second.pk


def test_a_failed_render_says_so_and_can_be_tried_again(
    manager_client, partnership, monkeypatch, django_capture_on_commit_callbacks
):
    def broken(**kwargs):
        raise RuntimeError("no fonts")

    monkeypatch.setattr(exports, "fitcard_pdf", broken)
    url = reverse("fitcards:pdf", args=[partnership.uuid])
    with django_capture_on_commit_callbacks(execute=True):
        manager_client.post(url)
    assert FitCardPdf.objects.get().status == FitCardPdf.Status.FAILED
    body = manager_client.get(url).content.decode()
    assert "could not be rendered" in body and "Try again" in body
    monkeypatch.undo()
    with django_capture_on_commit_callbacks(execute=True) as queued:
        manager_client.post(url)
    assert len(queued) == 1
    assert FitCardPdf.objects.get().status == FitCardPdf.Status.READY


def test_a_render_lost_with_its_worker_is_claimed_again(partnership):
    import datetime

    from django.utils import timezone

    export = exports.pdf_request(partnership=partnership, card={}, actor=None)
    FitCardPdf.objects.filter(pk=export.pk).update(
        status=FitCardPdf.Status.RENDERING,
        started_at=timezone.now() - datetime.timedelta(hours=1),
    )
    assert exports.pdf_render(pdf_id=export.pk) is True


def test_the_file_is_not_served_before_it_is_ready_nor_to_another_organization(
    manager_client, outsider_client, partnership, django_capture_on_commit_callbacks
):
    url = reverse("fitcards:pdf", args=[partnership.uuid])
    with django_capture_on_commit_callbacks() as queued:
        manager_client.post(url)
    export = FitCardPdf.objects.get()
    file_url = reverse("fitcards:pdf_file", args=[partnership.uuid, export.uuid])
    assert manager_client.get(file_url).status_code == 404
    for callback in queued:
        callback()
    assert manager_client.get(file_url).status_code == 200
    assert outsider_client.get(file_url).status_code == 404
    assert outsider_client.post(url).status_code == 404


def test_pdf_times_are_the_organizations_own(viewer_client, partnership, org, download):
    org.time_zone = "Pacific/Honolulu"
    org.save(update_fields=["time_zone"])
    text = _text(download(viewer_client, reverse("fitcards:pdf", args=[partnership.uuid])))
    assert "As it stands on" in text and "HST" in text


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
