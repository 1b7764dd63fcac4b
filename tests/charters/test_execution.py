"""Execution: the sealed PDF, its verification, idempotence, the scan and rule 3."""

import base64
import io
from datetime import timedelta

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.urls import reverse
from django.utils import timezone

from charters import services
from charters.models import AuditEvent, Charter, SignatureRequest, Signer
from charters.seal import trust_root, verify_sealed_pdf
from charters.selectors import verify_document
from core import keyring
from notifications.models import OutboundEmail
from partnerships.services import partnership_change_phase

from .conftest import sign, sign_links

pytestmark = pytest.mark.django_db


def _png() -> bytes:
    from PIL import Image, ImageDraw

    image = Image.new("RGBA", (300, 90), (0, 0, 0, 0))
    ImageDraw.Draw(image).line([(10, 60), (80, 20), (150, 70), (280, 15)], fill="black", width=4)
    out = io.BytesIO()
    image.save(out, format="PNG")
    return out.getvalue()


@pytest.fixture
def executed(send, contact, manager, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        request = send()
    png = services.clean_signature_png("data:image/png;base64," + base64.b64encode(_png()).decode())
    with django_capture_on_commit_callbacks(execute=True):
        sign(Signer.objects.get(email=contact.email), png=png)
    with django_capture_on_commit_callbacks(execute=True):
        sign(Signer.objects.get(email=manager.email))
    request.refresh_from_db()
    return request


def _sealed(request) -> bytes:
    with default_storage.open(request.executed_pdf, "rb") as fh:
        return fh.read()


def test_last_signature_executes_seals_and_stores_the_pdf(executed):
    assert executed.state == SignatureRequest.State.COMPLETED
    assert executed.execution_state == SignatureRequest.Execution.DONE
    data = _sealed(executed)
    from charters.documents import sha256_hex

    assert sha256_hex(data) == executed.executed_sha256
    charter = Charter.objects.get()
    assert charter.executed_at is not None and charter.executed_version_id == executed.version_id
    kinds = list(AuditEvent.objects.filter(request=executed).values_list("kind", flat=True))
    for kind in ["sent", "consented", "signed", "completed", "sealed"]:
        assert kind in kinds


def test_pdf_text_contains_the_signers_and_the_document_hash(executed, contact, manager):
    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(_sealed(executed)))
    text = " ".join(page.extract_text() for page in reader.pages).replace("\n", " ")
    compact = text.replace(" ", "")
    assert "Paula Partner" in text
    assert manager.full_name in text
    assert executed.version.document_sha256 in compact
    assert "Audit certificate" in text
    assert "203.0.113.7" in text


def test_sealed_pdf_validates_with_pyhanko_against_the_installation_certificate(executed):
    from pyhanko.pdf_utils.reader import PdfFileReader
    from pyhanko.sign.validation import validate_pdf_signature
    from pyhanko_certvalidator import ValidationContext

    reader = PdfFileReader(io.BytesIO(_sealed(executed)))
    (signature,) = reader.embedded_signatures
    status = validate_pdf_signature(signature, ValidationContext(trust_roots=[trust_root()]))
    assert status.intact and status.valid and status.trusted and status.bottom_line
    assert verify_sealed_pdf(_sealed(executed)).ok
    result = verify_document(_sealed(executed))
    assert result.valid and result.request == executed
    assert {s.email for s in result.signers} == {"paula@acme.example", "manager@northwind.test"}


@pytest.mark.parametrize("where", [0.1, 0.5, 0.9, -20])
def test_a_copy_with_one_byte_changed_fails_verification(executed, where):
    data = bytearray(_sealed(executed))
    position = int(len(data) * where) if where > 0 else len(data) + where
    data[position] ^= 0x01
    result = verify_document(bytes(data))
    assert not result.valid
    assert result.problems


def test_execution_runs_once_and_emails_the_pdf_to_every_signer_once(executed, contact, manager):
    executed_mails = OutboundEmail.objects.filter(key__startswith="charter-executed:")
    assert sorted(executed_mails.values_list("to", flat=True)) == sorted(
        [contact.email, manager.email]
    )
    assert all(m.attachments[0]["storage_name"] == executed.executed_pdf for m in executed_mails)
    sent = [m for m in mail.outbox if m.subject.startswith("Executed")]
    assert len(sent) == 2
    assert sent[0].attachments[0][2] == "application/pdf"
    # Retries and the periodic scan change nothing.
    assert services.execution_run(request_id=executed.pk) is False
    services.signatures_scan()
    assert OutboundEmail.objects.filter(key__startswith="charter-executed:").count() == 2
    assert AuditEvent.objects.filter(kind="sealed").count() == 1


def test_a_failed_execution_is_retried_by_the_scan(send, contact, manager, monkeypatch):
    request = send()
    sign(Signer.objects.get(email=contact.email))

    def broken(*args, **kwargs):
        raise RuntimeError("seal unavailable")

    monkeypatch.setattr("charters.seal.seal_pdf", broken)
    sign(Signer.objects.get(email=manager.email))  # on_commit not run inside the test transaction
    with pytest.raises(RuntimeError):
        services.execution_run(request_id=request.pk)
    request.refresh_from_db()
    assert request.execution_state == SignatureRequest.Execution.FAILED
    assert not OutboundEmail.objects.filter(key__startswith="charter-executed:").exists()
    monkeypatch.undo()
    services.signatures_scan()  # eager Celery: the re-enqueued task runs now
    request.refresh_from_db()
    assert request.execution_state == SignatureRequest.Execution.DONE
    assert OutboundEmail.objects.filter(key__startswith="charter-executed:").count() == 2


def test_a_stale_running_execution_is_taken_over(send, contact, manager):
    request = send()
    sign(Signer.objects.get(email=contact.email))
    sign(Signer.objects.get(email=manager.email))
    SignatureRequest.objects.filter(pk=request.pk).update(
        execution_state="running", execution_claimed_at=timezone.now() - timedelta(minutes=1)
    )
    assert services.execution_run(request_id=request.pk) is False, "a live claim is respected"
    SignatureRequest.objects.filter(pk=request.pk).update(
        execution_claimed_at=timezone.now() - timedelta(hours=1)
    )
    assert services.execution_run(request_id=request.pk) is True


def test_reminders_every_n_days_once_each(send, contact, org):
    org.signature_reminder_days = 2
    org.save(update_fields=["signature_reminder_days"])
    request = send()
    first = sign_links()[contact.email]
    assert services.signatures_scan()["reminded"] == 0
    later = timezone.now() + timedelta(days=2, minutes=1)
    assert services.signatures_scan(now=later)["reminded"] == 2
    assert services.signatures_scan(now=later)["reminded"] == 0, "running twice sends nothing"
    reminder = OutboundEmail.objects.get(key__startswith="charter-remind:", to=contact.email)
    assert "/charters/sign/" in reminder.body_text
    assert sign_links()[contact.email] != first, "a reminder carries a fresh link"
    assert AuditEvent.objects.filter(request=request, kind="reminded").count() == 2


def test_expiry_by_the_scan_tells_everyone(send, contact, manager):
    request = send(days=1)
    services.signatures_scan(now=timezone.now() + timedelta(days=2))
    request.refresh_from_db()
    assert request.state == SignatureRequest.State.EXPIRED
    assert AuditEvent.objects.filter(kind="expired").count() == 1
    assert set(
        OutboundEmail.objects.filter(key__startswith="charter-expired:").values_list(
            "to", flat=True
        )
    ) == {contact.email, manager.email}
    services.signatures_scan(now=timezone.now() + timedelta(days=3))
    assert AuditEvent.objects.filter(kind="expired").count() == 1


def test_a_partnership_cannot_enter_walk_without_an_executed_charter(
    partnership, send, contact, manager
):
    from partnerships.gates import phase_change_blockers

    def charter_reasons():
        return [r for r in phase_change_blockers(partnership, "walk") if "Charter" in r]

    assert charter_reasons(), "rule 3 blocks walk"
    with pytest.raises(ValidationError) as exc:
        partnership_change_phase(
            partnership=partnership, to_phase="walk", reason="Go", actor=manager
        )
    assert "Partnership Charter must be executed" in str(exc.value)
    assert not [r for r in phase_change_blockers(partnership, "run") if "Charter" in r]
    send()
    sign(Signer.objects.get(email=contact.email))
    assert charter_reasons(), "one side signing is not enough"
    assert "still waiting for Manny Manager" in charter_reasons()[0]
    sign(Signer.objects.get(email=manager.email))
    assert charter_reasons() == []


def test_verification_page_accepts_the_sealed_pdf_and_rejects_a_changed_one(client, executed):
    from django.core.files.uploadedfile import SimpleUploadedFile

    data = _sealed(executed)
    response = client.post(
        reverse("charters:verify"),
        {"document": SimpleUploadedFile("c.pdf", data, content_type="application/pdf")},
    )
    assert response.status_code == 200
    assert b"An unaltered executed charter" in response.content
    assert executed.version.charter.partnership.name.encode() in response.content
    assert b"Paula Partner" in response.content
    tampered = bytearray(data)
    tampered[len(data) // 3] ^= 0x20
    response = client.post(
        reverse("charters:verify"),
        {"document": SimpleUploadedFile("c.pdf", bytes(tampered), content_type="application/pdf")},
    )
    assert b"Not valid" in response.content
    response = client.post(
        reverse("charters:verify"),
        {"document": SimpleUploadedFile("c.txt", b"hello", content_type="text/plain")},
    )
    assert response.status_code == 422


def test_drawn_signature_is_reencoded_and_an_empty_one_refused():
    png = services.clean_signature_png("data:image/png;base64," + base64.b64encode(_png()).decode())
    assert png.startswith(b"\x89PNG")
    from PIL import Image

    blank = io.BytesIO()
    Image.new("RGBA", (100, 40), (0, 0, 0, 0)).save(blank, format="PNG")
    with pytest.raises(ValidationError):
        services.clean_signature_png(
            "data:image/png;base64," + base64.b64encode(blank.getvalue()).decode()
        )
    with pytest.raises(ValidationError):
        services.clean_signature_png("data:image/svg+xml;base64,PHN2Zz4=")


def test_ensure_seal_certificate_creates_once_and_keeps_a_configured_file(tmp_path, settings):
    from django.core.management import call_command

    settings.SEAL_KEYRING_DIR = str(tmp_path / "keyring")
    out = io.StringIO()
    call_command("ensure_seal_certificate", stdout=out)
    assert "Created" in out.getvalue()
    before = (tmp_path / "keyring" / "root-cert.pem").read_bytes()
    key_id = keyring.current_key_id()
    call_command("ensure_seal_certificate", stdout=io.StringIO())
    assert (tmp_path / "keyring" / "root-cert.pem").read_bytes() == before
    assert keyring.current_key_id() == key_id
    for private in [
        tmp_path / "keyring" / "root-key.pem",
        *tmp_path.glob("keyring/keys/*/key.pem"),
    ]:
        assert oct(private.stat().st_mode & 0o777) == "0o600"


def test_an_unreachable_broker_never_loses_a_signature(
    send, contact, manager, monkeypatch, django_capture_on_commit_callbacks
):
    from charters import tasks

    request = send()
    sign(Signer.objects.get(email=contact.email))

    def down(*args, **kwargs):
        raise ConnectionError("broker down")

    monkeypatch.setattr(tasks.execute_signature_request, "delay", down)
    with django_capture_on_commit_callbacks(execute=True):
        sign(Signer.objects.get(email=manager.email))
    request.refresh_from_db()
    assert request.state == SignatureRequest.State.COMPLETED
    assert request.execution_state == SignatureRequest.Execution.PENDING
    monkeypatch.undo()
    services.signatures_scan(now=timezone.now() + timedelta(minutes=5))
    request.refresh_from_db()
    assert request.execution_state == SignatureRequest.Execution.DONE


def test_a_signer_downloads_the_executed_pdf_from_their_link(client, executed, contact):
    links = sign_links()
    url = reverse("charters:sign", args=[links[contact.email]])
    page = client.get(url)
    download = reverse("charters:sign_executed", args=[links[contact.email]])
    assert download.encode() in page.content
    response = client.get(download)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == _sealed(executed)
    assert client.get(reverse("charters:sign_executed", args=["nope" * 10])).status_code == 404
