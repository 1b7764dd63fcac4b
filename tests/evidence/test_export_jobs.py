"""Exports of the evidence log are written by a worker: asked for once, written once, fixed
at the entry they were asked at, with progress, and readable only inside the organization."""

import datetime
import re
from unittest import mock
from urllib.parse import urlencode

import pytest
from django.http import QueryDict
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from evidence import export_jobs
from evidence.checkpoints import write_checkpoint
from evidence.models import EvidenceExport
from tests.factories import PartnershipFactory

from .factories import log_evidence

pytestmark = pytest.mark.django_db

Status = EvidenceExport.Status


@pytest.fixture
def partnership(org, owner):
    return PartnershipFactory(organization=org, owner=owner, dependency="low", status="active")


def _ask(org, actor, fmt="csv", query="", partnership=None):
    return export_jobs.export_request(
        organization=org, partnership=partnership, fmt=fmt, query=QueryDict(query), actor=actor
    )


def _file_text(export) -> str:
    export.refresh_from_db()
    with export.file.open("rb") as handle:
        return handle.read().decode()


def test_a_repeated_request_finds_the_same_export_and_queues_it_once(org, viewer, partnership):
    log_evidence(partnership)
    with mock.patch("evidence.export_jobs.enqueue") as queued:
        first = _ask(org, viewer, query="quality=pilot&page=3")
        second = _ask(org, viewer, query="page=1&quality=pilot")
    assert first.pk == second.pk
    assert EvidenceExport.objects.count() == 1
    assert queued.call_count == 1


def test_the_worker_writes_an_export_once_even_when_the_task_runs_twice(org, viewer, partnership):
    log_evidence(partnership)
    export = _ask(org, viewer)
    assert export_jobs.export_render(export_id=export.pk) is True
    export.refresh_from_db()
    assert export.status == Status.READY
    name = export.file.name
    assert export_jobs.export_render(export_id=export.pk) is False
    export.refresh_from_db()
    assert export.file.name == name


def test_an_export_holds_the_log_as_it_stood_when_asked(org, viewer, partnership):
    log_evidence(partnership, artifact="Before the request")
    with mock.patch("evidence.export_jobs.enqueue"):
        export = _ask(org, viewer)
    log_evidence(partnership, artifact="After the request")
    assert export_jobs.export_render(export_id=export.pk)
    text = _file_text(export)
    assert "Before the request" in text and "After the request" not in text
    export.refresh_from_db()
    assert export.rows_total == 1 and export.rows_done == 1 and export.percent == 100


def test_a_new_entry_makes_a_new_export_of_the_same_filters(org, viewer, partnership):
    log_evidence(partnership)
    with mock.patch("evidence.export_jobs.enqueue"):
        first = _ask(org, viewer)
        log_evidence(partnership)
        second = _ask(org, viewer)
    assert first.pk != second.pk
    assert second.through_sequence == first.through_sequence + 1


def test_the_filters_and_the_partnership_select_the_exported_rows(org, owner, viewer):
    one = PartnershipFactory(organization=org, owner=owner, status="active")
    two = PartnershipFactory(organization=org, owner=owner, status="active")
    log_evidence(one, quality="real", artifact="Real row of one")
    log_evidence(one, quality="anecdote", artifact="Anecdote row of one")
    log_evidence(two, quality="real", artifact="Real row of two")
    with mock.patch("evidence.export_jobs.enqueue"):
        export = _ask(org, viewer, query="quality=real", partnership=one)
    export_jobs.export_render(export_id=export.pk)
    text = _file_text(export)
    assert "Real row of one" in text
    assert "Anecdote row of one" not in text and "Real row of two" not in text


def test_progress_is_written_while_a_large_csv_is_streamed(org, viewer, partnership, monkeypatch):
    for _ in range(5):
        log_evidence(partnership)
    monkeypatch.setattr(export_jobs, "PROGRESS_EVERY", 2)
    seen = []
    real = export_jobs._progress

    def spy(export_id, done):
        real(export_id, done)
        seen.append(EvidenceExport.objects.get(pk=export_id).percent)

    monkeypatch.setattr(export_jobs, "_progress", spy)
    with mock.patch("evidence.export_jobs.enqueue"):
        export = _ask(org, viewer)
    assert export_jobs.export_render(export_id=export.pk)
    assert seen == [40, 80]


def test_a_failed_export_is_shown_and_asked_for_again(org, viewer, partnership, monkeypatch):
    log_evidence(partnership)
    monkeypatch.setattr(export_jobs, "log_pdf", mock.Mock(side_effect=RuntimeError("fonts")))
    with mock.patch("evidence.export_jobs.enqueue") as queued:
        export = _ask(org, viewer, fmt="pdf")
        assert export_jobs.export_render(export_id=export.pk) is False
        export.refresh_from_db()
        assert export.status == Status.FAILED and "could not be written" in export.error
        again = _ask(org, viewer, fmt="pdf")
    assert again.pk == export.pk and again.status == Status.PENDING
    assert queued.call_count == 2


def test_an_export_lost_with_its_worker_is_claimed_again(org, viewer, partnership):
    log_evidence(partnership)
    with mock.patch("evidence.export_jobs.enqueue"):
        export = _ask(org, viewer)
    long_ago = timezone.now() - export_jobs.STALE_AFTER - datetime.timedelta(minutes=1)
    EvidenceExport.objects.filter(pk=export.pk).update(status=Status.RENDERING, started_at=long_ago)
    assert export_jobs.export_render(export_id=export.pk) is True
    EvidenceExport.objects.filter(pk=export.pk).update(
        status=Status.RENDERING, started_at=timezone.now()
    )
    assert export_jobs.export_render(export_id=export.pk) is False


def test_week_old_exports_are_removed_with_their_files(org, viewer, partnership):
    log_evidence(partnership)
    export = _ask(org, viewer)
    export_jobs.export_render(export_id=export.pk)
    export.refresh_from_db()
    storage, name = export.file.storage, export.file.name
    assert storage.exists(name)
    assert export_jobs.purge_exports(timezone.now()) == 0
    later = timezone.now() + export_jobs.KEEP_FOR + datetime.timedelta(hours=1)
    assert export_jobs.purge_exports(later) == 1
    assert not EvidenceExport.objects.exists() and not storage.exists(name)


def test_the_page_asks_once_on_load_then_offers_the_ready_file(
    viewer_client, partnership, django_capture_on_commit_callbacks
):
    log_evidence(partnership)
    url = reverse("evidence:export_csv") + "?quality=pilot"
    page = viewer_client.get(url).content.decode()
    assert 'hx-trigger="load, submit"' in page
    assert not EvidenceExport.objects.exists()
    with django_capture_on_commit_callbacks(execute=True):
        asked = viewer_client.post(url, HTTP_HX_REQUEST="true")
    assert asked.status_code == 200 and "hx-get=" in asked.content.decode()  # then it polls
    again = viewer_client.get(url).content.decode()
    assert "hx-trigger" not in again and "Download" in again
    assert EvidenceExport.objects.count() == 1


def test_a_busy_export_polls_its_status_and_shows_progress(viewer_client, org, viewer, partnership):
    log_evidence(partnership)
    with mock.patch("evidence.export_jobs.enqueue"):
        export = _ask(org, viewer)
    EvidenceExport.objects.filter(pk=export.pk).update(
        status=Status.RENDERING, rows_total=10, rows_done=4, started_at=timezone.now()
    )
    status_url = reverse("evidence:export_status", args=[export.uuid])
    body = viewer_client.get(status_url, HTTP_HX_REQUEST="true").content.decode()
    assert f'hx-get="{status_url}"' in body and 'value="40"' in body
    file_url = reverse("evidence:export_file", args=[export.uuid])
    assert viewer_client.get(file_url).status_code == 404


def test_another_organizations_export_is_not_found(outsider_client, org, viewer, partnership):
    log_evidence(partnership)
    export = _ask(org, viewer)
    export_jobs.export_render(export_id=export.pk)
    for name in ("evidence:export_status", "evidence:export_file"):
        assert outsider_client.get(reverse(name, args=[export.uuid])).status_code == 404


@pytest.mark.parametrize(
    "query",
    ["date_from=not-a-date", "quality=nonsense", "q=%00%00", "approver=99999999999999999999"],
)
def test_bad_filters_in_an_export_request_are_ignored_not_a_500(
    viewer_client, partnership, query, django_capture_on_commit_callbacks
):
    log_evidence(partnership)
    with django_capture_on_commit_callbacks(execute=True):
        response = viewer_client.post(reverse("evidence:export_csv") + "?" + query)
    assert response.status_code == 302
    page = viewer_client.get(response["Location"]).content.decode()
    assert re.search(r"/evidence/exports/[\w-]+/file/", page)


@pytest.fixture
def exported(django_capture_on_commit_callbacks):
    """Ask for an export as the page's button does, let the worker write it, download it."""

    def run(client, name: str, query: dict):
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(reverse(name) + "?" + urlencode(query))
        return _download(client, response)

    return run


def _download(client, response):
    assert response.status_code == 302
    status = client.get(response["Location"])
    assert status.status_code == 200
    match = re.search(r'href="(/evidence/exports/[\w-]+/file/)"', status.content.decode())
    assert match, status.content.decode()[:2000]
    return client.get(match.group(1))


def test_csv_export_contains_the_filtered_rows(viewer_client, partnership, exported):
    log_evidence(partnership, quality="real", artifact="=HYPERLINK(evil)")
    log_evidence(partnership, quality="anecdote", artifact="Anecdote row")
    response = exported(viewer_client, "evidence:export_csv", {"quality": "real"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    body = b"".join(response.streaming_content).decode()
    assert "Evidence artifact" in body.splitlines()[0]
    assert "'=HYPERLINK(evil)" in body and "Anecdote row" not in body


def test_pdf_export_is_a_pdf(viewer_client, partnership, exported):
    log_evidence(partnership)
    response = exported(viewer_client, "evidence:export_pdf", {"partnership": partnership.uuid})
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert b"".join(response.streaming_content).startswith(b"%PDF")


def test_outsider_cannot_export_another_organizations_partnership(outsider_client, partnership):
    response = outsider_client.get(
        reverse("evidence:export_csv"), {"partnership": partnership.uuid}
    )
    assert response.status_code == 404


def test_the_pdf_export_carries_the_logs_last_signed_checkpoint(
    org, viewer, partnership, settings, tmp_path
):
    settings.EVIDENCE_CHECKPOINT_DIR = str(tmp_path)
    log_evidence(partnership)
    checkpoint = write_checkpoint(org)
    export = _ask(org, viewer, fmt="pdf")
    assert export_jobs.export_render(export_id=export.pk)
    export.refresh_from_db()
    with export.file.open("rb") as handle:
        text = "".join(page.extract_text() for page in PdfReader(handle).pages)
    flat = re.sub(r"\s+", "", text)
    assert f"entry#{checkpoint.sequence},digest{checkpoint.head_hash}" in flat
