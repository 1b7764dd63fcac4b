"""Settings for the child processes of tests/test_several_processes.py.

The project's settings as read from the environment (the S3 storage is wired there when
AWS_STORAGE_BUCKET_NAME is set), with ACCORD_TESTING on so the test's users (fast test password
hashes) can log in, and one change: the cache is the shared Redis even while testing, as it
must be on several machines (rate limits, the chain badge), instead of a per-process memory.
"""

import os

os.environ.setdefault("ACCORD_TESTING", "1")

from config.settings import *  # noqa: E402,F403
from config.settings import REDIS_URL  # noqa: E402

if REDIS_URL:
    CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}
    }
