"""The outbox: exactly-once delivery, and the owners' operations page with its retry button."""

import pytest
from django.core import mail
from django.test import override_settings
from django.urls import reverse

from notifications.models import OutboundEmail
from notifications.services import email_deliver, email_queue, email_retry
from notifications.tasks import retry_pending_emails


def queue(org, key="k1", to="someone@northwind.test"):
    return email_queue(
        key=key,
        to=to,
        template="review-reminder",
        context={
            "user": {"display_name": "Sam"},
            "partnership": {"name": "Payouts", "partner": {"name": "Stripe"}},
            "review": {"due_on": None},
            "url": "/reviews/",
        },
        organization=org,
    )


class BrokenBackend:
    def __init__(self, *args, **kwargs):
        pass

    def send_messages(self, messages):
        raise ConnectionRefusedError("SMTP server down")


@pytest.mark.django_db
def test_same_key_is_queued_and_sent_once(org, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        first = queue(org)
        assert queue(org) is None
    assert OutboundEmail.objects.count() == 1
    assert len(mail.outbox) == 1
    assert email_deliver(first.pk) is False  # already sent: the claim refuses it
    assert len(mail.outbox) == 1
    first.refresh_from_db()
    assert first.state == "sent" and first.attempts == 1


@pytest.mark.django_db
def test_failed_send_stays_visible_and_retry_sends_it(
    org, owner_client, django_capture_on_commit_callbacks
):
    email = queue(org)
    broken = override_settings(EMAIL_BACKEND="tests.notifications.test_outbox.BrokenBackend")
    with broken, pytest.raises(ConnectionRefusedError):
        email_deliver(email.pk)
    email.refresh_from_db()
    assert email.state == "failed" and "SMTP server down" in email.last_error
    page = owner_client.get(reverse("notifications:outbox"))
    assert page.status_code == 200
    assert b"SMTP server down" in page.content and b"Retry" in page.content
    with django_capture_on_commit_callbacks(execute=True):
        response = owner_client.post(reverse("notifications:retry", args=[email.uuid]))
    assert response.status_code == 302
    email.refresh_from_db()
    assert email.state == "sent"
    assert len(mail.outbox) == 1
    assert email_retry(email) is False  # a sent e-mail is never queued again


@pytest.mark.parametrize("role", ["manager", "viewer"])
@pytest.mark.django_db
def test_only_owners_reach_the_operations_page(role, role_clients, org):
    email = queue(org)
    assert role_clients[role].get(reverse("notifications:outbox")).status_code == 403
    response = role_clients[role].post(reverse("notifications:retry", args=[email.uuid]))
    assert response.status_code == 403


@pytest.mark.django_db
def test_outsider_sees_no_email_of_another_organization(role_clients, org):
    email = queue(org, to="secret@northwind.test")
    response = role_clients["outsider"].get(reverse("notifications:outbox"))
    assert response.status_code == 200
    assert b"secret@northwind.test" not in response.content
    response = role_clients["outsider"].post(reverse("notifications:retry", args=[email.uuid]))
    assert response.status_code == 404


@pytest.mark.django_db
def test_operations_page_query_count_does_not_grow_with_rows(
    org, owner_client, django_assert_num_queries
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    for i in range(5):
        queue(org, key=f"a{i}")
    with CaptureQueriesContext(connection) as ctx:
        owner_client.get(reverse("notifications:outbox"))
    for i in range(45):
        queue(org, key=f"b{i}")
    with django_assert_num_queries(len(ctx.captured_queries)):
        response = owner_client.get(reverse("notifications:outbox"))
    assert response.content.count(b"Retry</button>") == 50


@pytest.mark.django_db
def test_periodic_retry_picks_up_lost_tasks(org, django_capture_on_commit_callbacks):
    import datetime

    import time_machine
    from django.utils import timezone

    email = queue(org)  # its on_commit task never ran (no capture): the task was "lost"
    with time_machine.travel(timezone.now() + datetime.timedelta(minutes=6), tick=False):
        assert retry_pending_emails.delay().get() == 1
    email.refresh_from_db()
    assert email.state == "sent"
    assert len(mail.outbox) == 1


@pytest.mark.django_db
def test_htmx_history_restore_gets_the_whole_operations_page(org, owner_client):
    queue(org)
    headers = {"HX-Request": "true", "HX-History-Restore-Request": "true"}
    response = owner_client.get(reverse("notifications:outbox") + "?state=pending", headers=headers)
    assert response.status_code == 200
    assert b"<html" in response.content and b"<h1>E-mail operations</h1>" in response.content
    swap = owner_client.get(reverse("notifications:outbox"), headers={"HX-Request": "true"})
    assert b"<html" not in swap.content and b'id="outbox-rows"' in swap.content
