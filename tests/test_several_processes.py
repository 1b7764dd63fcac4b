"""Several machines' shape, on one: two web processes, two Celery workers and one beat share the
PostgreSQL database, Redis (broker and cache), an S3-compatible object store (moto's server)
and the seal directory, and nothing else.

What one process writes another must serve: an evidence file uploaded through web A is
downloaded through web B; a charter sent from A is executed by whichever worker takes it and
its sealed PDF is served by B; the weekly cycle started by beat's dispatcher (running every
second here, so two workers race on it) sends each person's digest exactly once, counted in
the outbox and by a real SMTP server.
"""

from __future__ import annotations

import datetime
import email
import email.policy
import logging
import re
import subprocess
import sys
from collections import Counter

import boto3
import pytest
import redis
import requests
from aiosmtpd.controller import Controller
from django.db import connection
from django.utils import timezone

from accounts.models import Organization, Role
from charters.models import SECTION_FIELDS, CharterVersion, SignatureRequest, Signer
from evidence.models import EvidenceEntry
from notifications.models import OutboundEmail
from tests.conftest import postgres_only
from tests.factories import (
    ContactFactory,
    MembershipFactory,
    OrganizationFactory,
    PartnershipFactory,
    UserFactory,
)
from tests.multiproc import (
    BASE_DIR,
    beat,
    celery_worker,
    child_env,
    children,
    database_url,
    free_port,
    gunicorn,
    post_form,
    wait_for,
    wait_http,
    wait_workers,
    web_login,
    workers_idle,
)

pytestmark = [pytest.mark.worker, postgres_only, pytest.mark.timeout(150)]

PASSWORD = "accord-test-pass"  # tests.factories.UserFactory's
BUCKET = "accord-several-processes"
EVIDENCE_BYTES = b"Pilot metrics, week 12: 412 disputes, median resolution 2.1 days.\n" * 40


class Inbox:
    """A real SMTP server's mailbox: every message received, parsed."""

    def __init__(self):
        self.messages: list[email.message.EmailMessage] = []

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 - aiosmtpd's hook name
        self.messages.append(
            email.message_from_bytes(envelope.content, policy=email.policy.default)
        )
        return "250 Message accepted for delivery"

    def keys(self, prefix: str) -> Counter:
        return Counter(
            m["X-Accord-Key"] for m in self.messages if m["X-Accord-Key"].startswith(prefix)
        )

    def link_for(self, to: str, pattern: str) -> str | None:
        for message in self.messages:
            if message["To"] == to:
                match = re.search(pattern, message.get_body(("plain",)).get_content())
                if match:
                    return match.group(0)
        return None


@pytest.fixture(autouse=True)
def _quiet_servers():
    """The SMTP and S3 servers log every command at INFO; keep failures readable."""
    loggers = [logging.getLogger(name) for name in ("mail.log", "werkzeug")]
    levels = [logger.level for logger in loggers]
    for logger in loggers:
        logger.setLevel(logging.WARNING)
    yield
    for logger, level in zip(loggers, levels, strict=True):
        logger.setLevel(level)


@pytest.fixture
def smtp():
    inbox, port = Inbox(), free_port()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        yield inbox, port
    finally:
        controller.stop()


@pytest.fixture
def object_store():
    """moto's standalone S3 server on 127.0.0.1 with one empty bucket."""
    from moto.server import ThreadedMotoServer

    port = free_port()
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    endpoint = f"http://127.0.0.1:{port}"
    client = boto3.client(
        "s3",
        endpoint_url=endpoint,
        aws_access_key_id="testing",
        aws_secret_access_key="testing",
        region_name="us-east-1",
    )
    client.create_bucket(Bucket=BUCKET)
    try:
        yield client, endpoint
    finally:
        server.stop()


@pytest.fixture
def northwind():
    """An organization created a month ago (so its weekly cycle is due), two people who each
    own a reviewed partnership, and a partner contact who will sign."""
    org = OrganizationFactory(name="Northwind", slug="northwind")
    Organization.objects.filter(pk=org.pk).update(
        created_at=timezone.now() - datetime.timedelta(days=30)
    )
    owner = UserFactory(email="owner@northwind.test", full_name="Olivia Owner")
    MembershipFactory(organization=org, user=owner, role=Role.OWNER, can_approve=True)
    manager = UserFactory(email="manager@northwind.test", full_name="Manny Manager")
    MembershipFactory(organization=org, user=manager, role=Role.MANAGER)
    launched = timezone.localdate() - datetime.timedelta(days=30)
    reviewed = {"phase": "walk", "launched_on": launched, "phase_started_on": launched}
    partnership = PartnershipFactory(
        organization=org, owner=owner, partner__name="Acme Payments", **reviewed
    )
    PartnershipFactory(organization=org, owner=manager, partner__name="Globex Data", **reviewed)
    contact = ContactFactory(
        partner=partnership.partner, name="Paula Partner", email="paula@acme.example"
    )
    return {"org": org, "owner": owner, "manager": manager, "partnership": partnership,
            "contact": contact}  # fmt: skip


def test_web_processes_workers_and_beat_share_database_broker_and_object_store(
    transactional_db, settings, tmp_path, smtp, object_store, northwind
):
    if not settings.REDIS_URL:
        pytest.skip("REDIS_URL is not set: the several-processes test needs Redis (CI sets it).")
    from config.celery import app

    inbox, smtp_port = smtp
    s3, endpoint = object_store
    redis.Redis.from_url(settings.REDIS_URL).delete("celery")  # tasks left by an aborted run
    port_a, port_b = free_port(), free_port()
    web_a, web_b = f"http://127.0.0.1:{port_a}", f"http://127.0.0.1:{port_b}"
    env = child_env(
        DJANGO_SETTINGS_MODULE="tests.settings_s3",
        ACCORD_TESTING="1",
        ACCORD_VAR_DIR=str(tmp_path / "var"),  # shared by all: the seal directory
        DATABASE_URL=database_url(connection.settings_dict),
        CONN_MAX_AGE="0",
        REDIS_URL=settings.REDIS_URL,
        AWS_STORAGE_BUCKET_NAME=BUCKET,
        AWS_S3_ENDPOINT_URL=endpoint,
        AWS_ACCESS_KEY_ID="testing",
        AWS_SECRET_ACCESS_KEY="testing",  # noqa: S106 - moto's
        AWS_DEFAULT_REGION="us-east-1",
        EMAIL_BACKEND="django.core.mail.backends.smtp.EmailBackend",
        EMAIL_HOST="127.0.0.1",
        EMAIL_PORT=str(smtp_port),
        SITE_URL=web_b,  # e-mailed links lead to web B
        LOG_LEVEL="INFO",
    )
    owner, contact, partnership = northwind["owner"], northwind["contact"], northwind["partnership"]
    with children(tmp_path) as group:
        group.start("web-a", gunicorn(port_a), env)
        group.start("web-b", gunicorn(port_b), env)
        subprocess.run(  # as a worker's start does: the seal key every process shares
            [sys.executable, "manage.py", "ensure_seal_certificate"],
            cwd=BASE_DIR, env=env, check=True, capture_output=True, timeout=90,
        )  # fmt: skip
        group.start("worker-1", celery_worker("worker1"), env)
        group.start("worker-2", celery_worker("worker2"), env)
        group.start("beat", beat(1.0, tmp_path / "beat-schedule"), env)
        wait_http(f"{web_a}/accounts/login/", group)
        wait_http(f"{web_b}/accounts/login/", group)
        wait_workers(app, 2, group)

        # One login through A's form; the session lives in the database, so B knows it too.
        browser = web_login(web_a, owner.email, PASSWORD)

        # Evidence: uploaded through A, stored in the bucket, downloaded through B.
        response = post_form(
            browser,
            f"{web_a}/evidence/new/?partnership={partnership.uuid}",
            {
                "partnership": partnership.pk,
                "claim": partnership.claim_sentence,
                "artifact": "Weekly dispute metrics from the pilot.",
                "quality": "pilot",
                "observed_on": timezone.localdate().isoformat(),
                "boundary_status": "intact",
                "decision": "none",
            },
            files={"file": ("metrics.txt", EVIDENCE_BYTES, "text/plain")},
        )
        assert response.status_code == 302, response.text[:3000]
        entry = EvidenceEntry.objects.get(partnership=partnership)
        stored = s3.get_object(Bucket=BUCKET, Key=entry.file.name)["Body"].read()
        assert stored == EVIDENCE_BYTES
        download = browser.get(f"{web_b}/evidence/entries/{entry.uuid}/file/", timeout=20)
        assert download.status_code == 200
        assert download.content == EVIDENCE_BYTES

        # A charter written and sent from A; we sign on A, the partner on B by the e-mailed link.
        charter_data = {"title": "Partnership Charter — Northwind and Acme Payments"}
        charter_data |= {name: f"The {name.replace('_', ' ')} both sides agreed." for name in
                         SECTION_FIELDS}  # fmt: skip
        edit_url = f"{web_a}/charters/p/{partnership.uuid}/edit/"
        assert post_form(browser, edit_url, charter_data).status_code == 302
        version = CharterVersion.objects.get(charter__partnership=partnership)
        response = post_form(
            browser,
            f"{web_a}/charters/v/{version.uuid}/send/",
            {
                "our_signers": [owner.pk],
                "partner_signers": [contact.pk],
                "order": "parallel",
                "expires_on": (timezone.localdate() + datetime.timedelta(days=14)).isoformat(),
                "message": "",
            },
        )
        assert response.status_code == 302, response.text[:3000]
        request = SignatureRequest.objects.get(version=version)
        ours = Signer.objects.get(request=request, user=owner)
        sign_ours = f"{web_a}/charters/signer/{ours.uuid}/"
        assert post_form(browser, f"{sign_ours}consent/", {"consent": "on"}, page_url=sign_ours).ok
        signed = post_form(
            browser,
            f"{sign_ours}sign/",
            {"typed_name": owner.full_name, "authorized": "on"},
            page_url=sign_ours,
        )
        assert signed.status_code == 302
        link = wait_for(
            lambda: inbox.link_for(contact.email, rf"{re.escape(web_b)}/charters/sign/[\w-]+/"),
            timeout=30, group=group, what="the partner's signing e-mail",
        )  # fmt: skip
        partner = requests.Session()
        assert post_form(partner, f"{link}consent/", {"consent": "on"}, page_url=link).ok
        signed = post_form(
            partner,
            f"{link}sign/",
            {"typed_name": contact.name, "authorized": "on"},
            page_url=link,
        )
        assert signed.status_code == 302
        wait_for(
            lambda: SignatureRequest.objects.filter(
                pk=request.pk, execution_state=SignatureRequest.Execution.DONE
            ).exists(),
            timeout=60, group=group, what="a worker to execute the charter",
        )  # fmt: skip
        request.refresh_from_db()
        sealed = s3.get_object(Bucket=BUCKET, Key=str(request.executed_pdf))["Body"].read()
        served = browser.get(f"{web_b}/charters/r/{request.uuid}/executed.pdf", timeout=20)
        assert served.status_code == 200
        assert served.content == sealed
        assert sealed.startswith(b"%PDF-")

        # The weekly cycle: beat dispatches every second, two workers take the tasks.
        people = {owner.email, northwind["manager"].email}
        digests = OutboundEmail.objects.filter(key__startswith="digest:")
        wait_for(
            lambda: digests.filter(state=OutboundEmail.State.SENT).count() >= len(people),
            timeout=60, group=group, what="both digests sent",
        )  # fmt: skip
        dispatched_before = group.log("beat").count("dispatch_review_cycles")
        wait_for(
            lambda: group.log("beat").count("dispatch_review_cycles") >= dispatched_before + 3,
            timeout=20, group=group, what="three more dispatches by beat",
        )  # fmt: skip
        wait_for(lambda: workers_idle(app), timeout=20, group=group, what="idle workers")

    assert sorted(digests.values_list("to", flat=True)) == sorted(people)
    assert set(digests.values_list("state", flat=True)) == {OutboundEmail.State.SENT}
    received = inbox.keys("digest:")
    assert sorted(received) == sorted(digests.values_list("key", flat=True))
    assert set(received.values()) == {1}
