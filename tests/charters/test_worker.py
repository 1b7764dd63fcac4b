"""The execution task runs through a real Celery worker on Redis, after the commit."""

import time

import pytest

from charters.models import SignatureRequest, Signer
from notifications.models import OutboundEmail

from .conftest import sign

pytestmark = pytest.mark.worker


def test_the_last_signature_executes_the_charter_on_a_real_worker(
    transactional_db, send, contact, manager, real_worker
):
    request = send()
    sign(Signer.objects.get(email=contact.email))
    sign(Signer.objects.get(email=manager.email))
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        request.refresh_from_db()
        if request.execution_state == SignatureRequest.Execution.DONE:
            break
        time.sleep(0.2)
    assert request.execution_state == SignatureRequest.Execution.DONE
    assert request.execution_attempts == 1
    assert OutboundEmail.objects.filter(key__startswith="charter-executed:").count() == 2
