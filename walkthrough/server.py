"""A throwaway Accord for the recording: fresh SQLite, files and e-mail under var/walkthrough.

The server is ``manage.py runserver`` on a free port, with Celery tasks run in the request
(eager) so e-mails and the sealed PDF exist as soon as the page that caused them returns.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
# What a run leaves that the next one must not inherit (the video and captions are replaced
# only once a new recording succeeds).
STATE = ("walkthrough.sqlite3", "walkthrough.sqlite3-wal", "walkthrough.sqlite3-shm")
STATE_DIRS = ("mail", "media", "broker", "seal", "video-tmp")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def environment(out: Path, port: int) -> dict[str, str]:
    """The settings of the throwaway server (and of this process, for ``reverse``)."""
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "REDIS_URL")}
    env.update(
        {
            "DJANGO_SETTINGS_MODULE": "config.settings",
            "DEBUG": "True",
            "ACCORD_VAR_DIR": str(out),
            "DATABASE_URL": f"sqlite:///{out / 'walkthrough.sqlite3'}",
            "CELERY_TASK_ALWAYS_EAGER": "True",
            "EMAIL_BACKEND": "django.core.mail.backends.filebased.EmailBackend",
            "SITE_URL": f"http://127.0.0.1:{port}",
            "AXES_ENABLED": "False",
            "MEDIA_ROOT": str(out / "media"),
            "SEAL_CERT_FILE": str(out / "seal" / "seal-cert.pem"),
            "SEAL_KEY_FILE": str(out / "seal" / "seal-key.pem"),
            "SEAL_KEYRING_DIR": str(out / "seal" / "keyring"),
            "PYTHONUNBUFFERED": "1",
        }
    )
    return env


def clean(out: Path) -> None:
    """Remove the previous run's database, mail and files."""
    out.mkdir(parents=True, exist_ok=True)
    for name in STATE:
        (out / name).unlink(missing_ok=True)
    for name in STATE_DIRS:
        shutil.rmtree(out / name, ignore_errors=True)
    (out / "mail").mkdir()


def manage(env: dict[str, str], *args: str, log) -> None:
    """Run one management command; stop with its output if it fails."""
    done = subprocess.run(  # noqa: S603 (our own manage.py, fixed arguments)
        [sys.executable, str(BASE_DIR / "manage.py"), *args],
        cwd=BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    log.write(done.stdout + done.stderr)
    if done.returncode != 0:
        raise RuntimeError(f"manage.py {' '.join(args)} failed:\n{done.stdout}{done.stderr}")


class Server:
    """``runserver`` in a child process, stopped (by its own pid) when the block ends."""

    def __init__(self, env: dict[str, str], port: int, log):
        self.env, self.port, self.log = env, port, log
        self.url = f"http://127.0.0.1:{port}"
        self.process: subprocess.Popen | None = None

    def __enter__(self) -> Server:
        self.process = subprocess.Popen(  # noqa: S603
            [
                sys.executable,
                str(BASE_DIR / "manage.py"),
                "runserver",
                f"127.0.0.1:{self.port}",
                "--noreload",
            ],
            cwd=BASE_DIR,
            env=self.env,
            stdout=self.log,
            stderr=subprocess.STDOUT,
        )
        self._wait_ready()
        return self

    def _wait_ready(self, timeout: float = 90) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError("runserver exited on start; see var/walkthrough/server.log")
            try:
                with urllib.request.urlopen(f"{self.url}/accounts/login/", timeout=5):  # noqa: S310
                    return
            except (urllib.error.URLError, ConnectionError, TimeoutError):
                time.sleep(0.5)
        raise RuntimeError(f"runserver did not answer on {self.url} within {timeout:.0f} s")

    def __exit__(self, *exc) -> None:
        if self.process and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
