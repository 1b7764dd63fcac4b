"""Test settings: the normal settings with ACCORD_TESTING on (fast hashing, eager tasks)."""

import os

os.environ.setdefault("ACCORD_TESTING", "1")
os.environ.setdefault(
    "ACCORD_VAR_DIR", os.path.join(os.path.dirname(__file__), "..", "var", "test")
)

from .settings import *  # noqa: E402,F403

CELERY_TASK_ALWAYS_EAGER = True
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
MEDIA_ROOT = VAR_DIR / "media"  # noqa: F405
EVIDENCE_CHECKPOINT_DIR = str(VAR_DIR / "checkpoints")  # noqa: F405

# Under pytest-xdist each test process gets a Redis database of its own, so a real worker
# started by one process never takes the tasks another process queued.
_xdist = os.environ.get("PYTEST_XDIST_WORKER", "")
if REDIS_URL and _xdist.startswith("gw"):  # noqa: F405
    import re as _re

    def _own_db(match):
        return f"/{(int(match.group(1)) + int(_xdist[2:]) + 1) % 16}"

    REDIS_URL = _re.sub(r"/(\d+)$", _own_db, REDIS_URL)  # noqa: F405
    CELERY_BROKER_URL = REDIS_URL
