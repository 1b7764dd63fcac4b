"""Two signers signing at the same moment on PostgreSQL are both recorded."""

import threading

import pytest
from django.db import connection

from charters import services
from charters.models import AuditEvent, SignatureRequest, Signer
from tests.conftest import postgres_only

from .conftest import META


@postgres_only
@pytest.mark.django_db(transaction=True)
def test_two_signers_signing_at_the_same_moment_are_both_recorded(send, contact, manager):
    request = send()
    signers = list(Signer.objects.filter(request=request))
    for s in signers:
        services.signer_consent(signer=s, meta=META)
    barrier = threading.Barrier(len(signers))
    errors = []

    def worker(signer_id):
        try:
            signer = Signer.objects.get(pk=signer_id)
            barrier.wait(timeout=10)
            services.signer_sign(
                signer=signer, typed_name=signer.name, signature_png=b"", authorized=True, meta=META
            )
        except Exception as exc:  # noqa: BLE001
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=worker, args=(s.pk,)) for s in signers]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    assert errors == []
    assert Signer.objects.filter(request=request, state="signed").count() == 2
    assert AuditEvent.objects.filter(request=request, kind="signed").count() == 2
    assert AuditEvent.objects.filter(request=request, kind="completed").count() == 1
    request.refresh_from_db()
    assert request.state == SignatureRequest.State.COMPLETED
    assert request.execution_state == SignatureRequest.Execution.DONE
