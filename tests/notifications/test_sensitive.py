"""Messages that carry a live secret are redacted once delivered (or given up) and never shown."""

import datetime

import pytest
import time_machine
from django.core import mail
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone

from notifications import tasks
from notifications.models import REDACTED_BODY, REDACTED_SUBJECT, OutboundEmail
from notifications.services import MAX_ATTEMPTS, email_deliver, email_queue, email_retry

SECRET = "tok_9f2XkQ7dVbL3mN8pR1sT6wY0zA4cE5gH"
BROKEN = "tests.notifications.test_outbox.BrokenBackend"


def queue_secret(org, key="secret-1", sensitive=True):
    return email_queue(
        key=key,
        to="paula@acme.example",
        template="review-reminder",
        context={
            "user": {"display_name": f"Sam {SECRET}"},
            "rows": [{"partnership": SECRET, "url": f"/charters/sign/{SECRET}/"}],
            "list_url": f"/charters/sign/{SECRET}/",
        },
        organization=org,
        sensitive=sensitive,
    )


def stored_text(email: OutboundEmail) -> str:
    email.refresh_from_db()
    return " ".join([email.subject, email.body_text, email.body_html])


@pytest.mark.django_db
def test_a_sensitive_message_is_redacted_the_moment_it_is_sent(
    org, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        email = queue_secret(org)
    assert len(mail.outbox) == 1
    assert SECRET in mail.outbox[0].body  # the recipient got the link
    assert SECRET not in stored_text(email)  # the outbox kept none of it
    assert email.state == "sent" and email.redacted_at is not None
    assert email.subject == REDACTED_SUBJECT and email.body_text == REDACTED_BODY
    assert email.body_html == ""


@pytest.mark.django_db
def test_an_ordinary_message_keeps_its_text(org, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        email = queue_secret(org, sensitive=False)
    assert SECRET in stored_text(email) and email.redacted_at is None


@pytest.mark.django_db
def test_a_redacted_message_is_never_sent_again(org, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        email = queue_secret(org)
    # Whatever puts the row back in a sendable state, its redacted text is never sent.
    OutboundEmail.objects.filter(pk=email.pk).update(state="failed")
    assert email_deliver(email.pk) is False
    assert email_retry(email) is False
    later = timezone.now() + datetime.timedelta(hours=1)
    with time_machine.travel(later, tick=False):
        assert tasks.retry_pending_emails.delay().get() == 0
    assert len(mail.outbox) == 1
    assert REDACTED_BODY not in mail.outbox[0].body


@pytest.mark.django_db
def test_a_failing_sensitive_message_keeps_its_text_until_given_up(org, owner_client):
    email = queue_secret(org)
    for attempt in range(1, MAX_ATTEMPTS + 1):
        with override_settings(EMAIL_BACKEND=BROKEN), pytest.raises(ConnectionRefusedError):
            email_deliver(email.pk)
        email.refresh_from_db()
        assert email.attempts == attempt and email.state == "failed"
        if attempt < MAX_ATTEMPTS:
            assert SECRET in stored_text(email)  # still needed to retry
    assert SECRET not in stored_text(email) and email.redacted_at is not None
    assert email_retry(email) is False
    page = owner_client.get(reverse("notifications:outbox") + "?state=failed")
    assert b"given up" in page.content and b"Retry</button>" not in page.content
    assert SECRET.encode() not in page.content


@pytest.mark.django_db
def test_the_operations_page_never_shows_a_sensitive_subject(org, owner_client):
    email_queue(
        key="charter-code:test",
        to="paula@acme.example",
        template="review-timebox",
        context={"partnership": {"name": SECRET}, "phase": "Walk", "user": {}, "url": "/"},
        organization=org,
        sensitive=True,
    )
    email = OutboundEmail.objects.get(key="charter-code:test")
    assert SECRET in email.subject  # waiting: the text is still needed to send it
    for state in ("stuck", "pending"):
        page = owner_client.get(reverse("notifications:outbox") + f"?state={state}")
        assert page.status_code == 200
        assert SECRET.encode() not in page.content
        assert b"hidden: this e-mail carries a personal link or code" in page.content


@pytest.mark.django_db
def test_allauth_messages_are_sensitive_whatever_the_caller_passes(org):
    row = OutboundEmail.objects.create(
        key="account:password_reset_key:1", to="a@b.test", subject="Reset", body_text=SECRET
    )
    assert row.sensitive is True
    assert email_queue(
        key="account:email_confirmation:2",
        to="a@b.test",
        template="review-reminder",
        context={"user": {}, "rows": [], "list_url": "/"},
    ).sensitive


@pytest.mark.django_db
def test_allauth_password_reset_is_delivered_and_then_redacted(
    client, manager, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("account_reset_password"), {"email": manager.email})
    assert response.status_code == 302
    assert "/accounts/password/reset/key/" in mail.outbox[0].body
    row = OutboundEmail.objects.get(to=manager.email)
    assert row.sensitive and row.state == "sent" and row.redacted_at is not None
    assert "/accounts/password/reset/key/" not in stored_text(row)
