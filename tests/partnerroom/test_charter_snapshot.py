"""Charters bind what both knew: a version sent for signature states the evidence log as it
stood (entry #N and its digest, the partnership's entries in it), the worker records the signed
checkpoint covering it, and the executed PDF, the verification page and the partner room show
it (the room at the sharing level we allow)."""

import datetime
import io

import pytest
from django.core.files.storage import default_storage
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from charters import services as charters
from charters.models import CharterVersion, Signer
from charters.snapshot import snapshot_holds
from evidence.chain import chain_verify
from evidence.checkpoints import file_checkpoints
from evidence.models import EvidenceEntry
from partnerroom.services.sharing import entry_sharing_set
from tests.charters.conftest import CHARTER_DATA, sign
from tests.evidence.factories import log_evidence

pytestmark = pytest.mark.django_db


def _send(partnership, owner, contact, capture):
    version = charters.charter_save(partnership=partnership, actor=owner, data=CHARTER_DATA)
    with capture(execute=True):
        return charters.signature_request_send(
            version=version,
            actor=owner,
            our_users=[owner],
            partner_contacts=[contact],
            expires_at=timezone.now() + datetime.timedelta(days=14),
        )


def _execute(request, capture):
    for signer in Signer.objects.filter(request=request).order_by("pk"):
        with capture(execute=True):
            sign(signer)
    request.refresh_from_db()
    assert request.execution_state == "done"
    return request


def _pdf_text(name: str) -> str:
    with default_storage.open(name, "rb") as handle:
        reader = PdfReader(io.BytesIO(handle.read()))
    return "".join(page.extract_text() for page in reader.pages).replace("\n", "")


@pytest.fixture
def logged(acquiring, sync):
    ours = [log_evidence(acquiring, days_ago=d) for d in (9, 6, 3)]
    log_evidence(sync)  # another partnership's entry is in the same organization chain
    return ours


def test_sending_records_the_chain_head_and_the_partnerships_entries(
    org, acquiring, owner, lena, logged, django_capture_on_commit_callbacks
):
    request = _send(acquiring, owner, lena, django_capture_on_commit_callbacks)
    version = CharterVersion.objects.get(pk=request.version_id)
    head = EvidenceEntry.objects.filter(organization=org).order_by("-sequence").first()
    assert (version.evidence_sequence, version.evidence_head) == (head.sequence, head.entry_hash)
    assert version.evidence_entries == 3
    assert chain_verify(org.pk).last_hash == version.evidence_head
    assert f"as it stood at entry #{head.sequence}" in version.document_html
    assert head.entry_hash in version.document_html
    # the worker recorded the signed checkpoint that covers it, and the file holds it
    checkpoint = version.evidence_checkpoint
    assert checkpoint["sequence"] >= head.sequence and checkpoint["key_id"]
    signed = [c for c in file_checkpoints(org) if c.sequence == checkpoint["sequence"]]
    assert signed and signed[0].valid and signed[0].head_hash == checkpoint["head"]


def test_the_snapshot_is_frozen_with_the_version(
    acquiring, owner, lena, logged, django_capture_on_commit_callbacks
):
    request = _send(acquiring, owner, lena, django_capture_on_commit_callbacks)
    before = CharterVersion.objects.get(pk=request.version_id)
    log_evidence(acquiring)
    after = CharterVersion.objects.get(pk=request.version_id)
    assert (after.evidence_sequence, after.evidence_head, after.evidence_entries) == (
        before.evidence_sequence,
        before.evidence_head,
        before.evidence_entries,
    )
    assert snapshot_holds(after) is True
    after.evidence_entries = 99
    with pytest.raises(ValueError):
        after.save(update_fields=["evidence_entries"])


def test_the_executed_charters_snapshot_digest_matches_the_chain(
    org, acquiring, owner, lena, logged, django_capture_on_commit_callbacks
):
    request = _send(acquiring, owner, lena, django_capture_on_commit_callbacks)
    log_evidence(acquiring)  # logged while the charter waits for signatures
    request = _execute(request, django_capture_on_commit_callbacks)
    version = request.version
    at_snapshot = EvidenceEntry.objects.get(organization=org, sequence=version.evidence_sequence)
    assert at_snapshot.entry_hash == version.evidence_head
    assert chain_verify(org.pk).intact
    text = _pdf_text(request.executed_pdf)
    assert f"entry #{version.evidence_sequence}" in text
    assert version.evidence_head[:32] in text
    assert f"checkpoint of the log at entry #{version.evidence_checkpoint['sequence']}" in text


def test_the_verification_page_states_the_evidence_it_was_signed_on(
    acquiring, owner, lena, logged, client, django_capture_on_commit_callbacks
):
    request = _execute(
        _send(acquiring, owner, lena, django_capture_on_commit_callbacks),
        django_capture_on_commit_callbacks,
    )
    with default_storage.open(request.executed_pdf, "rb") as handle:
        data = handle.read()
    upload = io.BytesIO(data)
    upload.name = "executed.pdf"
    response = client.post(reverse("charters:verify"), {"document": upload})
    html = response.content.decode()
    assert 'data-outcome="valid"' in html
    assert f"as it stood at entry #{request.version.evidence_sequence}" in html
    assert request.version.evidence_head in html


def test_a_charter_sent_on_an_empty_log_says_so(
    acquiring, owner, lena, django_capture_on_commit_callbacks
):
    request = _send(acquiring, owner, lena, django_capture_on_commit_callbacks)
    version = CharterVersion.objects.get(pk=request.version_id)
    assert (version.evidence_sequence, version.evidence_entries) == (0, 0)
    assert version.evidence_checkpoint == {}
    assert "before any evidence was logged" in version.document_html


@pytest.mark.parametrize("level", ["hidden", "summary", "full"])
def test_the_room_shows_the_entries_the_snapshot_covered_at_their_level(
    level, acquiring, owner, lena, logged, signed_in, django_capture_on_commit_callbacks
):
    covered = logged[0]
    entry_sharing_set(entry=covered, level=level, actor=owner)
    request = _send(acquiring, owner, lena, django_capture_on_commit_callbacks)
    later = log_evidence(acquiring, artifact="Logged after the charter was sent")
    entry_sharing_set(entry=later, level="full", actor=owner)
    room = signed_in(lena)
    home = room.get(reverse("partnerroom:partnership", args=[acquiring.uuid])).content.decode()
    url = reverse("partnerroom:snapshot", args=[acquiring.uuid, request.version.uuid])
    assert url in home
    html = room.get(url).content.decode()
    assert f"as it stood at entry #{request.version.evidence_sequence}" in html
    assert "Logged after the charter was sent" not in html
    assert (covered.artifact in html) is (level == "full")
    assert ('data-level="summary"' in html) is (level == "summary")
    hidden = 3 if level == "hidden" else 2
    assert f"{hidden} other entries it covered are not shared" in html


def test_the_snapshot_page_is_not_reachable_by_another_partner_or_when_unshared(
    acquiring, owner, lena, priya, logged, signed_in, django_capture_on_commit_callbacks
):
    from partnerroom.services.sharing import sharing_set

    request = _send(acquiring, owner, lena, django_capture_on_commit_callbacks)
    url = reverse("partnerroom:snapshot", args=[acquiring.uuid, request.version.uuid])
    assert signed_in(priya).get(url).status_code == 404
    room = signed_in(lena)
    assert room.get(url).status_code == 200
    sharing_set(partnership=acquiring, actor=owner, share_charters=False, fit_card_parts=[])
    assert room.get(url).status_code == 404
