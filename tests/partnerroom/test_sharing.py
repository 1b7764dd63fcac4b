"""The room shows what we share, at the level we set, and nothing else: a matrix over every
evidence sharing level, every fit card part, and the charters switch."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from charters import services as charters
from charters.models import Signer
from fitcards.models import FitCard
from partnerroom.models import FIT_CARD_PARTS, EntrySharing, RoomEvent, SharingLevel
from partnerroom.services.sharing import entry_sharing_set, sharing_set
from tests.charters.conftest import CHARTER_DATA, sign
from tests.evidence.factories import log_evidence

pytestmark = pytest.mark.django_db

ENTRY_TEXT = {
    "claim": "Claim-text: the dispute desk handles EU chargebacks",
    "artifact": "Artifact-text: pilot report with twenty merchants",
    "limits": "Limits-text: EU merchants only",
}
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
FIT_CARD_TEXT = {
    "capability_provided": "Capability-text: managed dispute desk",
    "uncertainty_reduced": "Uncertainty-text: chargebacks at scale",
    "incentives": "Incentives-text: fee per transaction",
    "conflict_risks": [{"risk": "Risk-text: own invoicing", "early_signal": "Signal-text"}],
    "integration_surface": "Surface-text: payments API",
    "single_points_of_failure": "Spof-text: settlement files",
    "evidence_artifacts": [{"kind": "pilot", "artifact": "Artifact-card-text", "limit": "EU"}],
    "exit_time": "Exit-time-text: eight weeks",
    "exit_cost": "Exit-cost-text: 40k",
    "exit_data_portability": "Portability-text: CSV export",
}
PART_MARKERS = {
    "capability": ["Capability-text", "Uncertainty-text"],
    "incentives": ["Incentives-text", "Risk-text"],
    "integration": ["Surface-text", "Spof-text"],
    "evidence_artifacts": ["Artifact-card-text"],
    "exit_path": ["Exit-time-text", "Exit-cost-text", "Portability-text"],
}


@pytest.fixture
def entry(acquiring):
    return log_evidence(
        acquiring,
        quality="real",
        boundary="strained",
        days_ago=3,
        link="https://payharbor.example/report",
        file=SimpleUploadedFile("report.pdf", PDF, content_type="application/pdf"),
        **ENTRY_TEXT,
    )


def page(client, partnership) -> str:
    response = client.get(reverse("partnerroom:partnership", args=[partnership.uuid]))
    assert response.status_code == 200
    return response.content.decode()


@pytest.mark.parametrize("level", [None, *SharingLevel.values])
def test_an_entry_shows_exactly_at_its_level(level, acquiring, entry, lena, owner, signed_in):
    if level is not None:
        entry_sharing_set(entry=entry, level=level, actor=owner)
    client = signed_in(lena)
    html = page(client, acquiring)
    shown = level in ("summary", "full")
    date = entry.observed_on.strftime("%-d %b %Y")
    assert (date in html) is shown
    assert ("Real operating conditions" in html) is shown
    assert ("Strained" in html) is shown
    for text in ENTRY_TEXT.values():
        assert (text in html) is (level == "full")
    assert ("payharbor.example/report" in html) is (level == "full")
    file_url = reverse("partnerroom:entry_file", args=[acquiring.uuid, entry.uuid])
    assert (file_url in html) is (level == "full")
    download = client.get(file_url)
    assert download.status_code == (200 if level == "full" else 404)
    if level == "full":
        assert b"".join(download.streaming_content) == PDF


def test_the_level_can_go_back_to_hidden(acquiring, entry, lena, owner, signed_in):
    entry_sharing_set(entry=entry, level="full", actor=owner)
    entry_sharing_set(entry=entry, level="hidden", actor=owner)
    assert EntrySharing.objects.get(entry=entry).set_by == owner
    assert ENTRY_TEXT["artifact"] not in page(signed_in(lena), acquiring)


def test_an_entry_of_another_partnership_is_never_shown_here(
    acquiring, sync, lena, owner, signed_in
):
    other = log_evidence(sync, artifact="Other-partnership-artifact")
    entry_sharing_set(entry=other, level="full", actor=owner)
    client = signed_in(lena)
    assert "Other-partnership-artifact" not in page(client, acquiring)
    url = reverse("partnerroom:entry_file", args=[acquiring.uuid, other.uuid])
    assert client.get(url).status_code == 404


@pytest.fixture
def fit_card(acquiring):
    return FitCard.objects.create(
        organization=acquiring.organization, partnership=acquiring, **FIT_CARD_TEXT
    )


@pytest.mark.parametrize("shared", [[], *[[part] for part in FIT_CARD_PARTS], list(FIT_CARD_PARTS)])
def test_only_the_fit_card_parts_we_mark_shared_are_shown(
    shared, acquiring, fit_card, lena, owner, signed_in
):
    sharing_set(partnership=acquiring, actor=owner, share_charters=True, fit_card_parts=shared)
    html = page(signed_in(lena), acquiring)
    for part, markers in PART_MARKERS.items():
        for marker in markers:
            assert (marker in html) is (part in shared), (part, marker)


@pytest.fixture
def charter_sent(acquiring, owner, lena, django_capture_on_commit_callbacks):
    version = charters.charter_save(partnership=acquiring, actor=owner, data=CHARTER_DATA)
    with django_capture_on_commit_callbacks(execute=True):
        request = charters.signature_request_send(
            version=version,
            actor=owner,
            our_users=[owner],
            partner_contacts=[lena],
            expires_at=timezone.now() + datetime.timedelta(days=14),
        )
    return request


@pytest.mark.parametrize("share", [True, False])
def test_charters_show_only_when_shared(share, acquiring, charter_sent, lena, owner, signed_in):
    sharing_set(partnership=acquiring, actor=owner, share_charters=share, fit_card_parts=[])
    client = signed_in(lena)
    html = page(client, acquiring)
    version = charter_sent.version
    url = reverse("partnerroom:version_pdf", args=[acquiring.uuid, version.uuid])
    assert (url in html) is share
    assert (CHARTER_DATA["title"] in html) is share
    assert client.get(url).status_code == (200 if share else 404)


def test_an_unsent_draft_is_never_shown(acquiring, owner, lena, signed_in):
    version = charters.charter_save(partnership=acquiring, actor=owner, data=CHARTER_DATA)
    client = signed_in(lena)
    assert CHARTER_DATA["title"] not in page(client, acquiring)
    url = reverse("partnerroom:version_pdf", args=[acquiring.uuid, version.uuid])
    assert client.get(url).status_code == 404


def test_the_executed_charter_downloads_through_the_room(
    acquiring, charter_sent, lena, owner, signed_in, django_capture_on_commit_callbacks
):
    for signer in Signer.objects.filter(request=charter_sent).order_by("pk"):
        with django_capture_on_commit_callbacks(execute=True):
            sign(signer)
    charter_sent.refresh_from_db()
    assert charter_sent.execution_state == "done"
    client = signed_in(lena)
    url = reverse("partnerroom:executed_pdf", args=[acquiring.uuid, charter_sent.uuid])
    assert url in page(client, acquiring)
    response = client.get(url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content).startswith(b"%PDF")
    assert RoomEvent.objects.filter(kind=RoomEvent.Kind.DOWNLOADED, contact=lena).exists()
    # without a session, or once charters are unshared, it is gone
    assert Client().get(url).status_code == 302
    sharing_set(partnership=acquiring, actor=owner, share_charters=False, fit_card_parts=[])
    assert client.get(url).status_code == 404


def test_every_page_a_partner_opens_is_in_the_audit_trail(acquiring, lena, signed_in):
    client = signed_in(lena)
    client.get(reverse("partnerroom:home"))
    client.get(reverse("partnerroom:partnership", args=[acquiring.uuid]))
    client.get(reverse("partnerroom:partnership", args=["00000000-0000-0000-0000-000000000000"]))
    views = RoomEvent.objects.filter(contact=lena, kind=RoomEvent.Kind.VIEWED).order_by("pk")
    paths = [e.path for e in views]
    assert paths == [
        "GET /room/",
        f"GET /room/p/{acquiring.uuid}/",
        "GET /room/p/00000000-0000-0000-0000-000000000000/",
    ]
    assert views.last().detail == "not found"
    assert views[1].partnership == acquiring
    assert all(e.ip_address == "127.0.0.1" for e in views)


def test_the_room_pages_cost_the_same_with_more_shared_entries(
    acquiring, lena, owner, signed_in, django_assert_num_queries
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = signed_in(lena)
    url = reverse("partnerroom:partnership", args=[acquiring.uuid])

    def share(n):
        for _ in range(n):
            entry_sharing_set(entry=log_evidence(acquiring), level="full", actor=owner)

    share(2)
    client.get(url)  # warm the session as a second page would be
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    share(20)
    with django_assert_num_queries(len(ctx.captured_queries)):
        client.get(url)
