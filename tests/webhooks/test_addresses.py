"""Webhook URLs that resolve to private, loopback or link-local addresses are refused, when
saved and again when delivered, unless the installation allows them."""

from __future__ import annotations

import socket

import pytest
from django.core.exceptions import ValidationError

from webhooks.delivery import delivery_send
from webhooks.endpoints import endpoint_create
from webhooks.events import emit
from webhooks.models import Attempt, Delivery

pytestmark = pytest.mark.django_db

REFUSED = [
    "http://127.0.0.1/hook",
    "http://127.1.2.3:8080/hook",
    "http://localhost:8000/hook",
    "http://10.0.0.5/hook",
    "http://172.16.3.4/hook",
    "http://192.168.1.1/hook",
    "http://169.254.169.254/latest/meta-data/",
    "http://100.64.0.1/hook",
    "http://0.0.0.0/hook",
    "http://[::1]/hook",
    "http://[fe80::1]/hook",
    "http://[fd00::1]/hook",
    "http://[::ffff:127.0.0.1]/hook",
    "http://224.0.0.1/hook",
]


def _create(org, owner, url):
    return endpoint_create(
        organization=org, created_by=owner, url=url, event_types=["evidence.recorded"]
    )


@pytest.mark.parametrize("url", REFUSED)
def test_a_private_loopback_or_link_local_url_is_refused(url, org, owner, settings):
    settings.WEBHOOKS_ALLOW_PRIVATE_URLS = False
    with pytest.raises(ValidationError) as caught:
        _create(org, owner, url)
    assert "url" in caught.value.message_dict


def test_a_name_that_resolves_to_a_private_address_is_refused(org, owner, settings, monkeypatch):
    settings.WEBHOOKS_ALLOW_PRIVATE_URLS = False

    def resolve(host, port, *args, **kwargs):
        return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", ("10.1.2.3", port))]

    monkeypatch.setattr(socket, "getaddrinfo", resolve)
    with pytest.raises(ValidationError) as caught:
        _create(org, owner, "https://hooks.example.com/accord")
    assert "10.1.2.3" in caught.value.message_dict["url"][0]


def test_a_public_address_is_accepted(org, owner, settings):
    settings.WEBHOOKS_ALLOW_PRIVATE_URLS = False
    endpoint, secret = _create(org, owner, "https://93.184.216.34/hooks/accord")
    assert endpoint.pk and secret.startswith("whsec_")


@pytest.mark.parametrize(
    ("url", "why"),
    [
        ("ftp://93.184.216.34/hook", "http"),
        ("https://user:pass@93.184.216.34/hook", "credentials"),
        ("https:///hook", "valid"),
    ],
)
def test_other_schemes_and_credentials_are_refused(url, why, org, owner, settings):
    settings.WEBHOOKS_ALLOW_PRIVATE_URLS = False
    with pytest.raises(ValidationError):
        _create(org, owner, url)


def test_the_setting_allows_private_addresses(org, owner, settings):
    settings.WEBHOOKS_ALLOW_PRIVATE_URLS = True
    endpoint, _ = _create(org, owner, "http://127.0.0.1:8000/hook")
    assert endpoint.pk


def test_delivery_checks_the_address_again(org, owner, settings, receiver):
    """Saved while allowed (or before a DNS change), refused at delivery: nothing is sent."""
    settings.WEBHOOKS_ALLOW_PRIVATE_URLS = True
    _create(org, owner, receiver.url)
    settings.WEBHOOKS_ALLOW_PRIVATE_URLS = False
    emit(organization=org, type="evidence.recorded", data={})
    delivery_send(Delivery.objects.get().pk)
    assert receiver.received == []
    attempt = Attempt.objects.get()
    assert attempt.status_code is None and "private" in attempt.error
