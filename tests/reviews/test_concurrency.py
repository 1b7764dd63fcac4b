"""Two workers starting the same cycle at the same moment make one cycle, reviews and digests."""

import datetime
import threading

import pytest
from django.db import connection

from notifications.models import OutboundEmail
from reviews import services
from reviews.models import HealthReview, ReviewCycle
from tests.conftest import postgres_only
from tests.factories import PartnershipFactory, UserFactory


@postgres_only
@pytest.mark.django_db(transaction=True)
def test_concurrent_cycle_starts_create_everything_once(org):
    for _ in range(4):
        owner = UserFactory()
        org.memberships.create(user=owner, role="manager")
        PartnershipFactory(organization=org, owner=owner, phase="walk")
    barrier = threading.Barrier(3)
    errors = []

    def run():
        try:
            barrier.wait()
            services.cycle_start(organization=org, starts_on=datetime.date(2026, 3, 2))
        except Exception as exc:  # pragma: no cover - reported below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=run) for _ in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    assert errors == []
    assert ReviewCycle.objects.count() == 1
    assert HealthReview.objects.count() == 4
    assert OutboundEmail.objects.filter(key__startswith="digest:").count() == 4
