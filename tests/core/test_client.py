"""The client IP is read at the trusted proxy depth, and the same way by axes."""

import pytest
from django.test import RequestFactory

from core.client import axes_client_ip, client_ip, user_agent


@pytest.fixture
def rf():
    return RequestFactory()


def test_without_a_proxy_the_forwarded_header_is_ignored(rf, settings):
    settings.TRUSTED_PROXY_COUNT = 0
    request = rf.get("/", HTTP_X_FORWARDED_FOR="6.6.6.6", REMOTE_ADDR="10.0.0.2")
    assert client_ip(request) == "10.0.0.2"


def test_behind_one_proxy_the_rightmost_address_is_the_client(rf, settings):
    settings.TRUSTED_PROXY_COUNT = 1
    request = rf.get("/", HTTP_X_FORWARDED_FOR="6.6.6.6, 198.51.100.9", REMOTE_ADDR="10.0.0.2")
    assert client_ip(request) == "198.51.100.9"
    assert axes_client_ip(request) == "198.51.100.9"


def test_behind_two_proxies_the_second_from_the_right(rf, settings):
    settings.TRUSTED_PROXY_COUNT = 2
    request = rf.get("/", HTTP_X_FORWARDED_FOR="6.6.6.6, 198.51.100.9, 10.0.0.5")
    assert client_ip(request) == "198.51.100.9"


def test_a_short_or_garbled_header_falls_back_to_the_peer(rf, settings):
    settings.TRUSTED_PROXY_COUNT = 2
    assert client_ip(rf.get("/", HTTP_X_FORWARDED_FOR="1.2.3.4", REMOTE_ADDR="10.0.0.2")) == (
        "10.0.0.2"
    )
    garbled = rf.get("/", HTTP_X_FORWARDED_FOR="nonsense, 10.0.0.5", REMOTE_ADDR="10.0.0.2")
    assert client_ip(garbled) == "10.0.0.2"


def test_the_user_agent_is_cut_and_cleaned(rf):
    request = rf.get("/", HTTP_USER_AGENT="A\x00" + "b" * 1000)
    assert user_agent(request) == ("A" + "b" * 1000)[:400]
