"""The evidence log cannot be quietly rewritten, cut short or have its files swapped: each is
named by ``manage.py verify_evidence`` and by the log page, against signed checkpoints kept
outside the database."""

import hashlib
import json

import pytest
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse

from core import keyring
from evidence.chain import entry_digest
from evidence.checkpoints import (
    CheckpointRefused,
    checkpoint_path,
    latest_checkpoint,
    write_checkpoint,
)
from evidence.integrity import evidence_verify
from evidence.models import EvidenceCheckpoint, EvidenceEntry
from evidence.tasks import write_evidence_checkpoints
from tests.conftest import postgres_only
from tests.factories import PartnershipFactory

from . import tampering
from .factories import log_evidence

pytestmark = pytest.mark.django_db

PDF_BYTES = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
OTHER_PDF = b"%PDF-1.4\n% a different report\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture
def partnership(org, owner):
    return PartnershipFactory(organization=org, owner=owner, dependency="low", status="active")


def _with_file(partnership, content=PDF_BYTES, name="report.pdf"):
    return log_evidence(partnership, file=SimpleUploadedFile(name, content))


def _verify_output(capsys) -> str:
    with pytest.raises(SystemExit) as exit_code:
        call_command("verify_evidence")
    assert exit_code.value.code == 1
    return capsys.readouterr().out


# ----------------------------------------------------------------------------- file digests


def test_an_entry_records_the_sha256_of_its_file_and_its_hash_covers_it(partnership):
    entry = _with_file(partnership)
    assert entry.file_sha256 == hashlib.sha256(PDF_BYTES).hexdigest()
    assert entry.entry_hash == entry_digest(entry, entry.prev_hash)
    entry.file_sha256 = hashlib.sha256(OTHER_PDF).hexdigest()
    assert entry_digest(entry, entry.prev_hash) != entry.entry_hash


def test_an_entry_without_a_file_keeps_the_digest_it_always_had(partnership):
    entry = log_evidence(partnership)
    assert entry.file_sha256 == ""
    entry.file_sha256 = "f" * 64  # ignored: there is no file
    assert entry_digest(entry, entry.prev_hash) == entry.entry_hash


# ------------------------------------------------------------------------------ checkpoints


def test_a_checkpoint_is_signed_and_written_to_the_database_and_the_file(partnership, seal_keyring):
    entries = [log_evidence(partnership, days_ago=i) for i in range(3)]
    org = partnership.organization
    checkpoint = write_checkpoint(org)
    assert checkpoint.valid and checkpoint.key_id == keyring.current_key_id()
    assert (checkpoint.sequence, checkpoint.head_hash) == (3, entries[-1].entry_hash)
    row = EvidenceCheckpoint.objects.get(organization=org)
    assert (row.sequence, row.head_hash, row.key_id) == (
        3,
        entries[-1].entry_hash,
        checkpoint.key_id,
    )
    assert keyring.verify_bytes(row.payload.encode(), row.signature).valid
    lines = checkpoint_path(org).read_text().splitlines()
    assert len(lines) == 1
    payload = json.loads(lines[0])["payload"]
    assert payload["organization"] == str(org.uuid) and payload["sequence"] == 3
    assert payload["hashes"] == [e.entry_hash[:16] for e in entries]
    assert latest_checkpoint(org) == checkpoint


def test_writing_a_checkpoint_twice_without_new_entries_writes_one(partnership, seal_keyring):
    log_evidence(partnership)
    org = partnership.organization
    first = write_checkpoint(org)
    assert write_checkpoint(org) == first
    assert EvidenceCheckpoint.objects.count() == 1
    assert len(checkpoint_path(org).read_text().splitlines()) == 1
    log_evidence(partnership, days_ago=1)
    assert write_checkpoint(org).sequence == 2
    assert len(checkpoint_path(org).read_text().splitlines()) == 2


def test_an_empty_log_gets_no_checkpoint(org, seal_keyring):
    assert write_checkpoint(org) is None
    assert latest_checkpoint(org) is None


def test_a_checkpoint_signed_by_a_rotated_out_key_still_verifies(partnership, seal_keyring):
    log_evidence(partnership)
    org = partnership.organization
    old = write_checkpoint(org)
    keyring.rotate()
    assert latest_checkpoint(org).valid and latest_checkpoint(org).key_id == old.key_id
    assert evidence_verify(org).intact


def test_a_forged_checkpoint_line_is_reported(partnership, seal_keyring, viewer_client):
    log_evidence(partnership)
    org = partnership.organization
    write_checkpoint(org)
    path = checkpoint_path(org)
    record = json.loads(path.read_text())
    record["payload"]["sequence"] = 1000  # claims a longer log than was signed
    path.write_text(json.dumps(record) + "\n")
    assert not latest_checkpoint(org).valid
    verdict = evidence_verify(org)
    assert not verdict.intact and "checkpoint is not valid" in verdict.problem
    assert b"Chain broken" in viewer_client.get(reverse("evidence:log")).content


def test_the_nightly_task_checkpoints_every_log_that_grew(
    partnership, seal_keyring, other_org, outsider
):
    log_evidence(partnership)
    log_evidence(PartnershipFactory(organization=other_org, owner=outsider))
    assert write_evidence_checkpoints() == 2
    assert write_evidence_checkpoints() == 0
    assert EvidenceCheckpoint.objects.count() == 2


def test_the_log_page_names_the_signed_checkpoint(partnership, seal_keyring, viewer_client):
    log_evidence(partnership)
    write_checkpoint(partnership.organization)
    content = viewer_client.get(reverse("evidence:log")).content.decode()
    assert "Chain intact" in content and "matches the checkpoint #1 signed" in content


def test_the_model_refuses_to_change_a_checkpoint(partnership, seal_keyring):
    from evidence.models import AppendOnlyError

    log_evidence(partnership)
    write_checkpoint(partnership.organization)
    row = EvidenceCheckpoint.objects.get()
    row.head_hash = "0" * 64
    with pytest.raises(AppendOnlyError):
        row.save()
    with pytest.raises(AppendOnlyError):
        EvidenceCheckpoint.objects.all().delete()


# -------------------------------------------------------------------------------- tampering


@postgres_only
def test_an_edited_row_with_the_chain_recomputed_is_named(
    partnership, seal_keyring, viewer_client, capsys
):
    entries = [log_evidence(partnership, days_ago=i) for i in range(5)]
    org = partnership.organization
    write_checkpoint(org)
    tampering.rewrite(entries[2], "quality", "real")
    from evidence.chain import chain_verify

    assert chain_verify(org.pk).intact  # the chain alone cannot tell
    verdict = evidence_verify(org)
    assert not verdict.intact and verdict.broken_sequence == 3
    assert "Entry #3 is not as the checkpoint signed" in verdict.problem
    assert "Entry #3 is not as the checkpoint signed" in _verify_output(capsys)
    content = viewer_client.get(reverse("evidence:log")).content.decode()
    assert "Chain broken" in content and "First broken entry: <strong>#3</strong>" in content


@postgres_only
def test_deleted_newest_entries_are_counted(partnership, seal_keyring, viewer_client, capsys):
    for i in range(5):
        log_evidence(partnership, days_ago=i)
    org = partnership.organization
    write_checkpoint(org)
    tampering.delete_newest(org, 2)
    verdict = evidence_verify(org)
    assert not verdict.intact and verdict.missing_at_end == 2
    assert "2 entries are missing at the end" in verdict.problem
    assert "2 entries are missing at the end" in _verify_output(capsys)
    content = viewer_client.get(reverse("evidence:log")).content.decode()
    assert "Chain broken" in content and "2 missing at the end" in content


@postgres_only
def test_entries_deleted_and_replaced_after_a_checkpoint_are_named(partnership, seal_keyring):
    for i in range(4):
        log_evidence(partnership, days_ago=i)
    org = partnership.organization
    write_checkpoint(org)
    tampering.delete_newest(org, 2)
    log_evidence(partnership, artifact="Written over #3")
    log_evidence(partnership, artifact="Written over #4")
    verdict = evidence_verify(org)
    assert not verdict.intact and verdict.broken_sequence == 3


def test_a_swapped_file_is_named(partnership, seal_keyring, viewer_client, capsys):
    log_evidence(partnership)
    entry = _with_file(partnership)
    log_evidence(partnership, days_ago=1)
    write_checkpoint(partnership.organization)
    default_storage.delete(entry.file.name)
    default_storage.save(entry.file.name, SimpleUploadedFile("x.pdf", OTHER_PDF))
    verdict = evidence_verify(partnership.organization)
    assert not verdict.intact and verdict.swapped_file_sequence == 2
    assert "The file of entry #2 was replaced" in verdict.problem
    assert "The file of entry #2 was replaced" in _verify_output(capsys)
    content = viewer_client.get(reverse("evidence:log")).content.decode()
    assert "Chain broken" in content and "File of #2 swapped" in content


def test_a_missing_checkpoint_file_is_reported_by_the_full_check(partnership, seal_keyring):
    log_evidence(partnership)
    org = partnership.organization
    write_checkpoint(org)
    checkpoint_path(org).unlink()
    verdict = evidence_verify(org)
    assert not verdict.intact and "checkpoint file has no checkpoint" in verdict.problem
    with pytest.raises(CheckpointRefused):
        write_checkpoint(org)


@postgres_only
def test_a_tampered_chain_is_never_signed(partnership, seal_keyring):
    entries = [log_evidence(partnership, days_ago=i) for i in range(3)]
    org = partnership.organization
    write_checkpoint(org)
    tampering.rewrite(entries[1], "artifact", "A better story")
    log_evidence(partnership, artifact="New entry after the rewrite")
    with pytest.raises(CheckpointRefused):
        write_checkpoint(org)
    assert EvidenceCheckpoint.objects.count() == 1


def test_a_correction_is_still_the_only_way_to_change_evidence(partnership):
    entry = log_evidence(partnership)
    with pytest.raises(ValidationError):
        log_evidence(partnership, supersedes=entry)  # a correction needs its reason
    assert EvidenceEntry.objects.count() == 1
