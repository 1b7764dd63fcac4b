"""Verification names what it found (issue 11.5), each case with its own answer.

Every refusal here is asserted through the seal check's own finding, not only through the
exact-bytes lookup, so a ``verify_sealed_pdf`` that always said "valid" fails these tests.
"""

import io
import shutil
import subprocess
from pathlib import Path

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.test import override_settings
from django.urls import reverse
from pyhanko.pdf_utils.generic import pdf_string
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.sign import signers

from charters import services
from charters.models import SignatureRequest, Signer
from charters.seal import seal_pdf
from charters.selectors import Outcome, verify_document
from core import keyring

from .conftest import sign

pytestmark = pytest.mark.django_db

PDFSIG = "/usr/bin/pdfsig"


@pytest.fixture
def executed(own_keyring, send, contact, manager):
    """An executed charter sealed with the current key of this test's own keyring."""
    request = send()
    sign(Signer.objects.get(email=contact.email))
    sign(Signer.objects.get(email=manager.email))
    assert services.execution_run(request_id=request.pk)
    request.refresh_from_db()
    return request


def _bytes(request: SignatureRequest) -> bytes:
    with default_storage.open(request.executed_pdf, "rb") as fh:
        return fh.read()


def _document(request: SignatureRequest) -> bytes:
    with default_storage.open(request.version.document_pdf, "rb") as fh:
        return fh.read()


def _page(client, data: bytes) -> str:
    response = client.post(
        reverse("charters:verify"),
        {"document": SimpleUploadedFile("c.pdf", data, content_type="application/pdf")},
    )
    assert response.status_code == 200
    return response.content.decode()


def _foreign_signer(tmp_path):
    """The current signer of another installation's keyring."""
    with override_settings(SEAL_KEYRING_DIR=str(tmp_path / "elsewhere")):
        keyring.ensure_keyring()
        return keyring.current_signer()


def _sign_again(data: bytes, signer, field: str) -> bytes:
    writer = IncrementalPdfFileWriter(io.BytesIO(data))
    meta = signers.PdfSignatureMetadata(field_name=field, md_algorithm="sha256")
    return signers.sign_pdf(writer, meta, signer=signer).getvalue()


def test_an_unaltered_executed_charter_is_valid_and_names_its_key(client, executed):
    result = verify_document(_bytes(executed))
    assert result.outcome == Outcome.VALID and result.valid
    assert result.seal.ok and result.seal.key_id == keyring.current_key_id()
    assert result.seal.key_current and not result.seal.revoked
    assert result.request == executed
    html = _page(client, _bytes(executed))
    assert "An unaltered executed charter" in html
    assert keyring.current_key_id() in html and "the current seal key" in html


def test_one_changed_byte_is_found_by_the_seal(client, executed):
    data = bytearray(_bytes(executed))
    data[len(data) // 3] ^= 0x01
    result = verify_document(bytes(data))
    assert result.outcome == Outcome.INVALID
    assert not result.seal.ok
    assert result.seal.problem == "The document was changed after it was sealed."
    assert "The document was changed after it was sealed." in _page(client, bytes(data))


def test_bytes_appended_as_an_incremental_update_are_found_by_the_seal(client, executed):
    writer = IncrementalPdfFileWriter(io.BytesIO(_bytes(executed)))
    writer.root["/Lang"] = pdf_string("fr")
    writer.update_root()
    out = io.BytesIO()
    writer.write(out)
    appended = out.getvalue()
    assert appended.startswith(_bytes(executed)), "the original revision is kept as it was"
    result = verify_document(appended)
    assert result.outcome == Outcome.INVALID
    assert not result.seal.ok
    assert "added to the document after it was sealed" in result.seal.problem
    assert "added to the document after it was sealed" in _page(client, appended)


def test_a_second_signature_added_is_found_by_the_seal(client, executed, tmp_path):
    twice = _sign_again(_bytes(executed), _foreign_signer(tmp_path), "Countersignature")
    result = verify_document(twice)
    assert result.outcome == Outcome.INVALID
    assert not result.seal.ok
    assert "carries 2 signatures" in result.seal.problem
    assert "carries 2 signatures" in _page(client, twice)


def test_a_seal_by_a_certificate_not_ours_is_refused(client, executed, tmp_path):
    foreign = _sign_again(_document(executed), _foreign_signer(tmp_path), "AccordSeal")
    result = verify_document(foreign)
    assert result.outcome == Outcome.INVALID
    assert not result.seal.ok and result.seal.key_id == ""
    assert "not one of this installation's" in result.seal.problem
    assert "not one of this installation" in _page(client, foreign)


def test_a_charter_sealed_by_a_rotated_out_key_stays_valid_and_names_that_key(client, executed):
    old_key = keyring.current_key_id()
    out = io.StringIO()
    call_command("seal_rotate", stdout=out)
    new_key = keyring.current_key_id()
    assert new_key != old_key and new_key in out.getvalue()
    result = verify_document(_bytes(executed))
    assert result.outcome == Outcome.VALID
    assert result.seal.key_id == old_key and not result.seal.key_current
    html = _page(client, _bytes(executed))
    assert "An unaltered executed charter" in html
    assert old_key in html and "rotated out and still trusted" in html
    # New executions use the new key.
    assert verify_document(seal_pdf(_document(executed), reason="t")).seal.key_id == new_key


def test_a_charter_sealed_by_a_revoked_key_is_reported_as_revoked(client, executed):
    old_key = keyring.current_key_id()
    keyring.rotate()
    keyring.revoke(old_key, reason="Key file leaked")
    result = verify_document(_bytes(executed))
    assert result.outcome == Outcome.INVALID
    assert result.seal.revoked and result.seal.key_id == old_key
    assert "revoked" in result.seal.problem
    html = _page(client, _bytes(executed))
    assert "Not valid" in html and old_key in html and "revoked" in html


def test_a_valid_seal_of_ours_without_a_record_here_says_so(client, executed):
    unrecorded = seal_pdf(_document(executed), reason="Executed Partnership Charter v1")
    result = verify_document(unrecorded)
    assert result.outcome == Outcome.UNKNOWN_RECORD and not result.valid
    assert result.seal.ok and result.seal.key_id == keyring.current_key_id()
    assert result.request is None
    assert "No executed charter with these exact bytes" in result.problems[0]
    html = _page(client, unrecorded)
    assert "Seal valid, record unknown" in html and "Not valid" not in html


def test_without_a_keyring_the_page_says_so_and_creates_none(client, executed, settings, tmp_path):
    data = _bytes(executed)
    settings.SEAL_KEYRING_DIR = str(tmp_path / "nothing-here")
    result = verify_document(data)
    assert result.outcome == Outcome.INVALID
    assert "no seal keyring" in result.seal.problem
    assert "no seal keyring" in _page(client, data)
    assert not (tmp_path / "nothing-here" / "root-cert.pem").exists()


def test_the_verification_page_never_creates_keys(client, executed, monkeypatch):
    def refuse(*args, **kwargs):
        raise AssertionError("a request created or rotated seal keys")

    monkeypatch.setattr(keyring, "ensure_keyring", refuse)
    monkeypatch.setattr(keyring, "rotate", refuse)
    assert "An unaltered executed charter" in _page(client, _bytes(executed))


@pytest.mark.skipif(
    not Path(PDFSIG).exists(),
    reason=f"{PDFSIG} is missing: install poppler-utils to read the seal as an outside reader",
)
def test_pdfsig_sees_one_valid_signature(executed, tmp_path):
    path = tmp_path / "executed.pdf"
    path.write_bytes(_bytes(executed))
    found = subprocess.run(  # noqa: S603 - a fixed program on a file we wrote
        [shutil.which(PDFSIG) or PDFSIG, str(path)],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    report = found.stdout + found.stderr
    assert report.count("Signature #") == 1, report
    assert "Signature is Valid" in report, report
