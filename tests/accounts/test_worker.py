"""The invitation-expiry task runs through a real Celery worker on Redis."""

import datetime
import time

import pytest
from django.utils import timezone

from accounts.models import Invitation
from accounts.services import invitation_create

pytestmark = pytest.mark.worker


def test_stale_invitations_expire_on_a_real_worker(transactional_db, org, owner, real_worker):
    invitation, _ = invitation_create(
        organization=org, email="late@northwind.test", role="viewer", invited_by=owner
    )
    Invitation.objects.filter(pk=invitation.pk).update(
        expires_at=timezone.now() - datetime.timedelta(hours=1)
    )
    from accounts.tasks import expire_stale_invitations

    expire_stale_invitations.delay()
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        invitation.refresh_from_db()
        if invitation.state == Invitation.State.EXPIRED:
            break
        time.sleep(0.2)
    assert invitation.state == Invitation.State.EXPIRED
