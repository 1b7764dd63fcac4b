"""A small fixed-window rate limit on Django's cache (shared by every process with Redis)."""

from django.core.cache import cache


def rate_limited(*, scope: str, key: str, limit: int, window: int) -> bool:
    """Count one hit for ``scope``/``key``; True when the limit for this window is exceeded."""
    cache_key = f"charters-rl:{scope}:{key}"
    if cache.add(cache_key, 1, timeout=window):
        return False
    try:
        count = cache.incr(cache_key)
    except ValueError:  # expired between add and incr
        cache.add(cache_key, 1, timeout=window)
        return False
    return count > limit
