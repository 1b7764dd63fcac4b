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
SEAL_CERT_FILE = str(VAR_DIR / "seal" / "seal-cert.pem")  # noqa: F405
SEAL_KEY_FILE = str(VAR_DIR / "seal" / "seal-key.pem")  # noqa: F405
