"""Deliveries: signed as Standard Webhooks says, verified by a real receiver, once per endpoint
even when the task runs twice, retried with backoff (driven by the clock, not by sleeping),
logged, and an endpoint that keeps failing is disabled and its owners told."""

from __future__ import annotations

import datetime
import json

import pytest
import time_machine
from django.db import IntegrityError
from django.utils import timezone

from notifications.models import OutboundEmail
from webhooks.delivery import BACKOFF, RETRY_SPAN, delivery_send
from webhooks.endpoints import endpoint_create, endpoint_rotate_secret, endpoint_update
from webhooks.events import EVENT_TYPES, emit
from webhooks.models import Attempt, Delivery, Endpoint, Event
from webhooks.tasks import deliver_webhook, send_due_webhooks

pytestmark = pytest.mark.django_db

DATA = {"partnership": {"id": "4b0c…", "name": "Dispute desk"}, "from": "crawl", "to": "walk"}


def _emit(org, capture, type="partnership.phase_changed", data=DATA):
    with capture(execute=True):
        return emit(organization=org, type=type, data=data)


def test_a_delivery_is_signed_and_verifies_with_standardwebhooks(
    org, endpoint, receiver, django_capture_on_commit_callbacks
):
    event = _emit(org, django_capture_on_commit_callbacks)
    [got] = receiver.received
    assert got.verified
    assert got.headers["webhook-id"] == event.message_id
    assert abs(int(got.headers["webhook-timestamp"]) - timezone.now().timestamp()) < 30
    assert got.headers["webhook-signature"].startswith("v1,")
    assert got.headers["content-type"] == "application/json"
    body = json.loads(got.body)
    assert body == {
        "type": "partnership.phase_changed",
        "timestamp": event.created_at.isoformat(),
        "data": DATA,
    }
    delivery = Delivery.objects.get()
    assert delivery.state == Delivery.State.SUCCEEDED and delivery.last_status == 200


def test_a_tampered_body_does_not_verify(
    org, endpoint, receiver, django_capture_on_commit_callbacks
):
    _emit(org, django_capture_on_commit_callbacks)
    [got] = receiver.received
    assert not receiver.verify(got.body.replace(b"walk", b"run!"), got.headers)


def test_each_endpoint_gets_only_the_events_it_wants(
    org, owner, endpoint, receiver, allow_private, django_capture_on_commit_callbacks
):
    other, _ = endpoint_create(
        organization=org, created_by=owner, url=receiver.url, event_types=["charter.signed"]
    )
    _emit(org, django_capture_on_commit_callbacks)
    assert Delivery.objects.filter(endpoint=endpoint).count() == 1
    assert not Delivery.objects.filter(endpoint=other).exists()
    assert _emit(org, django_capture_on_commit_callbacks, type="review.submitted") is None
    assert Event.objects.count() == 1


def test_another_organizations_endpoint_gets_nothing(
    org, other_org, outsider, receiver, allow_private, django_capture_on_commit_callbacks
):
    endpoint_create(
        organization=other_org,
        created_by=outsider,
        url=receiver.url,
        event_types=list(EVENT_TYPES),
    )
    assert _emit(org, django_capture_on_commit_callbacks) is None
    assert receiver.received == []


def test_a_disabled_endpoint_gets_nothing(
    org, endpoint, receiver, django_capture_on_commit_callbacks
):
    endpoint_update(
        endpoint=endpoint,
        url=endpoint.url,
        event_types=endpoint.event_types,
        description="",
        is_enabled=False,
    )
    assert _emit(org, django_capture_on_commit_callbacks) is None
    assert receiver.received == []


def test_running_the_delivery_task_twice_sends_nothing_twice(org, endpoint, receiver):
    emit(organization=org, type="evidence.recorded", data={"entry": {"id": "e1"}})
    delivery = Delivery.objects.get()
    assert deliver_webhook(delivery.pk) is True
    assert deliver_webhook(delivery.pk) is False
    assert send_due_webhooks() == 0
    assert len(receiver.received) == 1
    assert Attempt.objects.filter(delivery=delivery).count() == 1


def test_an_event_is_queued_once_per_endpoint(org, endpoint):
    event = emit(organization=org, type="evidence.recorded", data={})
    with pytest.raises(IntegrityError):
        Delivery.objects.create(organization=org, event=event, endpoint=endpoint)


def test_a_receiver_failing_three_times_gets_the_event_once_with_four_attempts(
    org, endpoint, receiver
):
    receiver.statuses = [500, 503, 500]
    start = datetime.datetime(2026, 6, 1, 9, 0, tzinfo=datetime.UTC)
    with time_machine.travel(start, tick=False) as clock:
        emit(organization=org, type="partnership.phase_changed", data=DATA)
        delivery = Delivery.objects.get()
        assert delivery_send(delivery.pk)
        for wait in BACKOFF[:3]:
            delivery.refresh_from_db()
            assert delivery.state == Delivery.State.RETRYING
            assert delivery.next_attempt_at == timezone.now() + wait
            assert not delivery_send(delivery.pk)  # not due yet: nothing is sent early
            clock.shift(wait)
            assert send_due_webhooks() == 1  # the beat task finds the due retry
    delivery.refresh_from_db()
    assert delivery.state == Delivery.State.SUCCEEDED and delivery.attempts == 4
    log = list(Attempt.objects.filter(delivery=delivery))
    assert [a.status_code for a in log] == [500, 503, 500, 200]
    assert [a.succeeded for a in log] == [False, False, False, True]
    assert log[0].response_excerpt == "receiver is down" and log[-1].response_excerpt == "ok"
    assert log[1].started_at - log[0].started_at == BACKOFF[0]
    assert len(receiver.received) == 4 and all(r.verified for r in receiver.received)
    assert len(receiver.accepted) == 1
    assert len({r.headers["webhook-id"] for r in receiver.received}) == 1
    assert len({r.headers["webhook-timestamp"] for r in receiver.received}) == 4
    assert Endpoint.objects.get(pk=endpoint.pk).failing_since is None


def test_an_endpoint_failing_for_a_day_is_disabled_and_the_owners_told(
    org, owner, manager, endpoint, receiver
):
    receiver.statuses = [500] * 20
    start = datetime.datetime(2026, 6, 1, 9, 0, tzinfo=datetime.UTC)
    with time_machine.travel(start, tick=False) as clock:
        emit(organization=org, type="partnership.phase_changed", data=DATA)
        delivery = Delivery.objects.get()
        delivery_send(delivery.pk)
        for wait in BACKOFF:
            clock.shift(wait)
            send_due_webhooks()
        clock.shift(datetime.timedelta(days=2))
        assert send_due_webhooks() == 0
    delivery.refresh_from_db()
    assert delivery.state == Delivery.State.FAILED
    assert delivery.attempts == len(BACKOFF) + 1
    assert Attempt.objects.filter(delivery=delivery).count() == len(BACKOFF) + 1
    endpoint.refresh_from_db()
    assert not endpoint.is_enabled and "failed for a day" in endpoint.disabled_reason
    assert datetime.timedelta(hours=23) < RETRY_SPAN < datetime.timedelta(hours=25)
    emails = OutboundEmail.objects.filter(key__startswith="webhook-disabled:")
    assert [e.to for e in emails] == [owner.email]
    assert endpoint.url in emails[0].body_text


def test_a_receiver_that_cannot_be_reached_is_a_logged_failure(org, owner, allow_private):
    endpoint, _ = endpoint_create(
        organization=org,
        created_by=owner,
        url="http://127.0.0.1:9/nothing-listens-here",
        event_types=["evidence.recorded"],
    )
    emit(organization=org, type="evidence.recorded", data={})
    delivery = Delivery.objects.get()
    delivery_send(delivery.pk)
    delivery.refresh_from_db()
    assert delivery.state == Delivery.State.RETRYING
    attempt = Attempt.objects.get()
    assert attempt.status_code is None and "Connection" in attempt.error


def test_after_a_rotation_both_secrets_sign_for_a_day(
    org, endpoint, receiver, django_capture_on_commit_callbacks
):
    old = endpoint.secret
    new = endpoint_rotate_secret(endpoint=endpoint)
    assert new != old and new.startswith("whsec_")
    _emit(org, django_capture_on_commit_callbacks)
    got = receiver.received[-1]
    assert len(got.headers["webhook-signature"].split(" ")) == 2
    receiver.secrets = [new]
    assert receiver.verify(got.body, got.headers)
    receiver.secrets = [old]
    assert receiver.verify(got.body, got.headers)  # a receiver not yet switched still verifies

    later = timezone.now() + datetime.timedelta(hours=24, seconds=1)
    with time_machine.travel(later, tick=False):
        emit(organization=org, type="evidence.recorded", data={})
        delivery_send(Delivery.objects.latest("created_at").pk)
        got = receiver.received[-1]
        assert len(got.headers["webhook-signature"].split(" ")) == 1
        receiver.secrets = [old]
        assert not receiver.verify(got.body, got.headers)
        receiver.secrets = [new]
        assert receiver.verify(got.body, got.headers)
