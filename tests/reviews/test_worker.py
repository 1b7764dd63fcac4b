"""Real Celery workers on Redis: a whole cycle, and a worker killed in the middle of one."""

import datetime
import os
import signal
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

import pytest
from django.conf import settings
from django.core import mail
from django.db import connection
from django.utils import timezone

from accounts.models import Organization
from notifications.models import OutboundEmail
from reviews.models import HealthReview, ReviewCycle
from tests.factories import OrganizationFactory, PartnershipFactory, UserFactory

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def redis_app(monkeypatch):
    """The project's Celery app publishing to a clean Redis database, not eagerly."""
    if not settings.REDIS_URL:
        pytest.skip("REDIS_URL is not set: the real-worker tests need a Redis server.")
    import redis

    from config.celery import app

    # Leftovers of an earlier run (queued or unacknowledged messages) must not leak in.
    redis.Redis.from_url(settings.REDIS_URL).delete("celery", "unacked", "unacked_index")
    monkeypatch.setitem(settings.DATABASES["default"], "CONN_MAX_AGE", 0)
    saved = {
        key: app.conf[key]
        for key in ("task_always_eager", "broker_url", "broker_transport_options")
    }
    app.conf.task_always_eager = False
    app.conf.broker_url = settings.REDIS_URL
    app.conf.broker_transport_options = {"visibility_timeout": 3}
    yield app
    app.conf.update(saved)


def organization_due_now(owners: int) -> Organization:
    """An organization whose weekly cycle is due this very hour, with one partnership per owner."""
    now = timezone.now()
    organization = OrganizationFactory(
        time_zone="UTC", review_weekday=now.weekday(), review_hour=now.hour
    )
    Organization.objects.filter(pk=organization.pk).update(
        created_at=now - datetime.timedelta(days=3)
    )
    for i in range(owners):
        owner = UserFactory(email=f"owner{i}-{organization.pk}@northwind.test")
        organization.memberships.create(user=owner, role="manager")
        PartnershipFactory(
            organization=organization,
            owner=owner,
            phase="run",
            launched_on=timezone.localdate() - datetime.timedelta(days=90),
        )
    return organization


def wait_for(condition, timeout: float, message: str):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.2)
    pytest.fail(message)


def test_real_worker_runs_a_whole_cycle(redis_app):
    from celery.contrib.testing.worker import start_worker

    from reviews.tasks import dispatch_review_cycles

    organization = organization_due_now(owners=3)
    with start_worker(
        redis_app, pool="solo", concurrency=1, perform_ping_check=False, shutdown_timeout=10
    ):
        dispatch_review_cycles.delay()
        wait_for(
            lambda: OutboundEmail.objects.filter(state="sent").count() == 3,
            30,
            "the worker did not send the three digests",
        )
        dispatch_review_cycles.delay()  # the next hourly run finds the cycle started
        time.sleep(1.5)
    assert ReviewCycle.objects.filter(organization=organization).count() == 1
    assert HealthReview.objects.filter(organization=organization).count() == 3
    assert sorted(m.to[0] for m in mail.outbox) == sorted(
        f"owner{i}-{organization.pk}@northwind.test" for i in range(3)
    )


def start_subprocess_worker(env) -> subprocess.Popen:
    return subprocess.Popen(  # noqa: S603 - our own interpreter and module
        [sys.executable, "-m", "tests.reviews.worker_main"],
        cwd=ROOT,
        env=env,
        start_new_session=True,
        stdout=subprocess.DEVNULL,
        stderr=open(os.environ.get("ACCORD_TEST_WORKER_LOG", os.devnull), "ab"),  # noqa: SIM115
    )


def stop(process: subprocess.Popen, sig=signal.SIGKILL):
    if process.poll() is None:
        os.killpg(process.pid, sig)
        process.wait(timeout=20)


def test_worker_killed_mid_cycle_sends_every_digest_exactly_once(redis_app, tmp_path):
    from notifications.tasks import retry_pending_emails
    from reviews.tasks import dispatch_review_cycles

    owners = 6
    organization = organization_due_now(owners=owners)
    log = tmp_path / "sent.log"
    log.touch()
    db = connection.settings_dict
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings_test",
        "DATABASE_URL": (
            f"postgres://{db['USER']}:{db['PASSWORD'] or ''}@{db['HOST'] or '127.0.0.1'}:"
            f"{db['PORT'] or 5432}/{db['NAME']}"
        ),
        "REDIS_URL": settings.REDIS_URL,
        "ACCORD_TEST_MAIL_LOG": str(log),
        "ACCORD_TEST_MAIL_DELAY": "0.5",
    }

    def delivered() -> list[str]:
        return [line.split("\t")[0] for line in log.read_text().splitlines()]

    first = start_subprocess_worker(env)
    second = None
    try:
        dispatch_review_cycles.delay()
        wait_for(lambda: len(delivered()) >= 2, 60, "the first worker sent nothing")
        time.sleep(0.25)  # the next digest is now half-way through its (slow) delivery
        stop(first)  # SIGKILL in the middle of sending the cycle's digests
        sent_before_kill = len(delivered())
        assert sent_before_kill < owners, "the worker finished before it could be killed"

        second = start_subprocess_worker(env)
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            sent = OutboundEmail.objects.filter(organization=organization, state="sent")
            if sent.count() == owners:
                break
            retry_pending_emails.delay()  # what beat does every five minutes
            time.sleep(1.5)
        time.sleep(2)  # give any duplicate a chance to show up
    finally:
        stop(first)
        if second is not None:
            stop(second)

    keys = Counter(delivered())
    cycle = ReviewCycle.objects.get(organization=organization)
    expected = {
        f"digest:{user_id}:{cycle.pk}"
        for user_id in organization.memberships.values_list("user_id", flat=True)
    }
    assert set(keys) == expected
    assert all(count == 1 for count in keys.values()), keys
    assert OutboundEmail.objects.filter(organization=organization).count() == owners
    assert HealthReview.objects.filter(cycle=cycle).count() == owners
