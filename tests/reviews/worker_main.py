"""A real Celery worker process for the crash test: ``python -m tests.reviews.worker_main``.

Runs the project's Celery app against Redis with the test database (DATABASE_URL from the
parent test), a countable e-mail backend, and short Redis visibility and stale-claim timeouts
so a killed worker's messages and claims come back within seconds instead of hours.
"""

import os

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings_test")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402

from config.celery import app  # noqa: E402

settings.EMAIL_BACKEND = "tests.reviews.countingmail.SlowCountingBackend"
settings.ACCORD_EMAIL_STALE_CLAIM_SECONDS = 3
settings.ACCORD_EMAIL_PENDING_RETRY_SECONDS = 5
settings.DATABASES["default"]["CONN_MAX_AGE"] = 0

app.conf.task_always_eager = False
app.conf.broker_url = os.environ["REDIS_URL"]
app.conf.broker_transport_options = {
    "visibility_timeout": 3,
    "unacked_restore_interval": 1,
    "unacked_restore_throttle": 1,
}

if __name__ == "__main__":
    app.worker_main(
        [
            "worker",
            "--pool=solo",
            "--loglevel=WARNING",
            "--without-heartbeat",
            "--without-mingle",
            "--without-gossip",
            f"--hostname=crash-test-{os.getpid()}@%h",
        ]
    )
