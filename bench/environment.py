"""The production-like environment shared by the benchmark process and its gunicorn.

Settings are read from the environment (config/settings.py), so the benchmark configures Django
only through variables: DEBUG off, a secret key, plain http on 127.0.0.1, its own PostgreSQL
database, its own Redis db for the cache, and its own var/ directory (media, seal, mail).
"""

from __future__ import annotations

import os
import socket
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

BASE_DIR = Path(__file__).resolve().parent.parent
DEFAULT_DATABASE_URL = "postgres://root@127.0.0.1:5432/accord_bench"
DEFAULT_REDIS_URL = "redis://127.0.0.1:6379/13"


def redis_reachable(url: str) -> bool:
    parts = urlsplit(url)
    try:
        with socket.create_connection((parts.hostname, parts.port or 6379), timeout=0.5):
            return True
    except OSError:
        return False


def bench_environment(*, database_url: str, redis_url: str) -> dict[str, str]:
    """Variables for both the benchmark process and gunicorn."""
    env = {
        "DATABASE_URL": database_url,
        "DEBUG": "False",
        "SECRET_KEY": "bench-" + "k" * 50,
        "SECURE_SSL_REDIRECT": "False",
        "ALLOWED_HOSTS": "127.0.0.1",
        "SITE_URL": "http://127.0.0.1",
        "ACCORD_VAR_DIR": str(BASE_DIR / "var" / "bench"),
        "LOG_LEVEL": "WARNING",
        "ACCORD_TESTING": "False",
        # config.settings plus the benchmark's urlconf (the bare-layout reference page).
        "DJANGO_SETTINGS_MODULE": "bench.settings",
    }
    if redis_url and redis_reachable(redis_url):
        env["REDIS_URL"] = redis_url
    return env


def apply(env: dict[str, str]) -> None:
    """Put ``env`` into this process before Django reads its settings."""
    os.environ.update(env)
    # In this process only: tasks run inline and e-mail is kept in memory, so the weekly cycle
    # can be checked message by message. Gunicorn gets neither.
    os.environ["CELERY_TASK_ALWAYS_EAGER"] = "True"
    os.environ["EMAIL_BACKEND"] = "django.core.mail.backends.locmem.EmailBackend"


def ensure_database(database_url: str, *, drop: bool = False) -> bool:
    """Create the benchmark database if it is missing (or drop it first). True if created."""
    import psycopg

    parts = urlsplit(database_url)
    name = parts.path.lstrip("/")
    if not name.replace("_", "").isalnum():
        raise SystemExit(f"Refusing odd database name {name!r}.")
    admin_url = urlunsplit(parts._replace(path="/postgres"))
    with psycopg.connect(admin_url, autocommit=True) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
        if exists and drop:
            conn.execute(f'DROP DATABASE "{name}" WITH (FORCE)')
            exists = None
        if not exists:
            conn.execute(f'CREATE DATABASE "{name}"')
            return True
    return False
