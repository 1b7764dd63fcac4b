"""No races, no waiting (issue 12.4): signing locks only its request and signer rows, and no
PDF is rendered while a row lock is held."""

import threading

import pytest
from django.db import DatabaseError, connection, transaction

from accounts.models import Organization
from charters import seal
from charters.models import Charter, CharterVersion, SignatureRequest, Signer
from charters.services import execution, sending, signing
from partnerships.models import Partner, Partnership
from tests.conftest import postgres_only

from .conftest import META, sign


def _nowait(model, pk) -> bool:
    """Whether another connection can lock ``model`` row ``pk`` at once."""
    try:
        with transaction.atomic():
            model.objects.select_for_update(nowait=True).get(pk=pk)
        return True
    except DatabaseError:
        return False


@postgres_only
@pytest.mark.django_db(transaction=True)
def test_signing_locks_only_the_request_and_the_signer(send, contact, monkeypatch):
    request = send()
    signer = Signer.objects.get(request=request, email=contact.email)
    signing.signer_consent(signer=signer, meta=META)
    inside, release = threading.Event(), threading.Event()
    real_event_record = signing.event_record

    def pause(**kwargs):  # called by signer_sign while its row locks are held
        inside.set()
        release.wait(20)
        return real_event_record(**kwargs)

    monkeypatch.setattr(signing, "event_record", pause)
    errors = []

    def worker():
        try:
            signing.signer_sign(
                signer=signer, typed_name="Paula", signature_png=b"", authorized=True, meta=META
            )
        except Exception as exc:  # noqa: BLE001
            errors.append(exc)
        finally:
            connection.close()

    thread = threading.Thread(target=worker)
    thread.start()
    try:
        assert inside.wait(20), "the signature did not reach its locked section"
        partnership = request.version.charter.partnership
        free = {
            "organization": _nowait(Organization, partnership.organization_id),
            "partner": _nowait(Partner, partnership.partner_id),
            "partnership": _nowait(Partnership, partnership.pk),
            "charter": _nowait(Charter, request.version.charter_id),
            "version": _nowait(CharterVersion, request.version_id),
        }
        held = {
            "request": _nowait(SignatureRequest, request.pk),
            "signer": _nowait(Signer, signer.pk),
        }
    finally:
        release.set()
        thread.join(30)
    assert errors == []
    assert free == dict.fromkeys(free, True), "signing must not lock these rows"
    assert held == {"request": False, "signer": False}, "signing serializes on these rows"
    assert Signer.objects.get(pk=signer.pk).state == Signer.State.SIGNED


@pytest.mark.django_db(transaction=True)
def test_no_pdf_is_rendered_inside_a_transaction(send, contact, manager, monkeypatch):
    seen = []

    def watch(module, name):
        real = getattr(module, name)

        def wrapper(*args, **kwargs):
            seen.append((name, connection.in_atomic_block))
            return real(*args, **kwargs)

        monkeypatch.setattr(module, name, wrapper)

    watch(sending, "render_version_document")
    watch(execution, "render_execution_pages")
    watch(seal, "seal_pdf")
    request = send()
    sign(Signer.objects.get(request=request, email=contact.email))
    sign(Signer.objects.get(request=request, email=manager.email))
    request.refresh_from_db()
    assert request.execution_state == SignatureRequest.Execution.DONE
    assert sorted(name for name, _ in seen) == [
        "render_execution_pages",
        "render_version_document",
        "seal_pdf",
    ]
    assert [name for name, atomic in seen if atomic] == [], "rendered inside a transaction"
