"""The owners' webhook pages: subscribe (secret shown once), the delivery log with each
attempt, resend, rotate, test, remove; nobody else reaches them."""

from __future__ import annotations

import pytest
from django.urls import reverse

from webhooks.events import emit
from webhooks.models import Delivery, Endpoint
from webhooks.secrets import decrypt

pytestmark = pytest.mark.django_db


def test_an_owner_subscribes_an_endpoint_and_sees_its_secret_once(
    owner_client, receiver, allow_private
):
    response = owner_client.post(
        reverse("webhooks:endpoint_new"),
        {"url": receiver.url, "event_types": ["charter.signed", "review.submitted"]},
    )
    assert response.status_code == 201, response.content[:500]
    assert response["Cache-Control"] == "no-store"
    endpoint = Endpoint.objects.get()
    secret = decrypt(endpoint.secret_encrypted)
    assert secret.encode() in response.content
    assert endpoint.event_types == ["charter.signed", "review.submitted"]
    page = owner_client.get(reverse("webhooks:endpoint", args=[endpoint.uuid]))
    assert page.status_code == 200 and secret.encode() not in page.content


def test_a_private_url_is_refused_on_the_page(owner_client, settings):
    settings.WEBHOOKS_ALLOW_PRIVATE_URLS = False
    response = owner_client.post(
        reverse("webhooks:endpoint_new"),
        {"url": "http://169.254.169.254/latest/", "event_types": ["charter.signed"]},
    )
    assert response.status_code == 422
    assert b"public addresses only" in response.content
    assert not Endpoint.objects.exists()


def test_the_log_lists_attempts_and_resend_delivers_again(
    owner_client, org, endpoint, receiver, django_capture_on_commit_callbacks
):
    receiver.statuses = [500]
    with django_capture_on_commit_callbacks(execute=True):
        emit(organization=org, type="evidence.recorded", data={"entry": {"id": "e1"}})
    delivery = Delivery.objects.get()
    page = owner_client.get(reverse("webhooks:endpoint", args=[endpoint.uuid]))
    assert b"evidence.recorded" in page.content and b"HTTP 500" in page.content
    with django_capture_on_commit_callbacks(execute=True):
        response = owner_client.post(reverse("webhooks:resend", args=[delivery.uuid]))
    assert response.status_code == 302
    delivery.refresh_from_db()
    assert delivery.state == Delivery.State.SUCCEEDED and delivery.attempts == 2
    assert len(receiver.received) == 2 and len(receiver.accepted) == 1


def test_a_test_event_goes_to_that_endpoint_only(
    owner_client, endpoint, receiver, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = owner_client.post(reverse("webhooks:endpoint_test", args=[endpoint.uuid]))
    assert response.status_code == 302
    [got] = receiver.received
    assert got.verified and b'"type":"webhook.test"' in got.body


def test_rotating_shows_the_new_secret_once(owner_client, endpoint):
    response = owner_client.post(reverse("webhooks:endpoint_rotate", args=[endpoint.uuid]))
    assert response.status_code == 200
    endpoint.refresh_from_db()
    assert decrypt(endpoint.secret_encrypted).encode() in response.content
    assert b"both signatures are sent" in response.content


def test_an_owner_disables_and_enables_an_endpoint(owner_client, endpoint):
    url = reverse("webhooks:endpoint", args=[endpoint.uuid])
    data = {"url": endpoint.url, "event_types": endpoint.event_types}
    assert owner_client.post(url, data).status_code == 302
    assert not Endpoint.objects.get().is_enabled
    assert owner_client.post(url, {**data, "is_enabled": "on"}).status_code == 302
    assert Endpoint.objects.get().is_enabled


def test_removing_an_endpoint(owner_client, endpoint):
    response = owner_client.post(reverse("webhooks:endpoint_delete", args=[endpoint.uuid]))
    assert response.status_code == 302
    assert not Endpoint.objects.exists()


@pytest.mark.parametrize("role", ["manager", "viewer"])
def test_only_owners_reach_the_webhook_pages(role, role_clients, endpoint):
    client = role_clients[role]
    assert client.get(reverse("webhooks:endpoints")).status_code == 403
    assert client.get(reverse("webhooks:endpoint", args=[endpoint.uuid])).status_code == 403
    assert client.post(reverse("webhooks:endpoint_rotate", args=[endpoint.uuid])).status_code == 403


def test_another_organizations_owner_never_reaches_our_endpoint(outsider_client, org, endpoint):
    emit(organization=org, type="evidence.recorded", data={})
    delivery = Delivery.objects.get()
    for name in ("webhooks:endpoint", "webhooks:endpoint_rotate", "webhooks:endpoint_test"):
        response = outsider_client.post(reverse(name, args=[endpoint.uuid]))
        assert response.status_code == 404, name
    assert outsider_client.post(reverse("webhooks:resend", args=[delivery.uuid])).status_code == 404
    assert b"127.0.0.1" not in outsider_client.get(reverse("webhooks:endpoints")).content
