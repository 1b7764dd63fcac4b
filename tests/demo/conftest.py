"""Fixtures for the demo tests."""

import pytest


@pytest.fixture(autouse=True)
def _fresh_rate_limits():
    """The signing pages' rate limits live in the cache; each test starts with none used."""
    from django.core.cache import cache

    cache.clear()
