"""Helpers for tests that run Accord as several processes: web servers, workers, beat.

Children are started in their own process groups and stopped by those groups only. Each gets
the environment a machine of a multi-machine installation would get (``child_env``): the same
PostgreSQL database, Redis, object store and seal directory, and its own nothing else.

``python -m tests.multiproc beat --every SECONDS --schedule FILE`` runs Celery beat with the
project's app but only the hourly review dispatcher, every few seconds, so a test can watch
beat, two workers and the dispatcher's idempotency together in well under a minute.
"""

from __future__ import annotations

import argparse
import os
import re
import signal
import socket
import subprocess
import sys
import time
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import quote

import requests

BASE_DIR = Path(__file__).resolve().parent.parent
BIN = BASE_DIR / ".venv" / "bin"
CSRF_INPUT = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def database_url(db: dict) -> str:
    """A DATABASE_URL for Django's database settings ``db`` (the test database once set up)."""
    user = quote(db.get("USER") or "", safe="")
    password = quote(db.get("PASSWORD") or "", safe="")
    auth = f"{user}:{password}@" if password else (f"{user}@" if user else "")
    host = db.get("HOST") or "127.0.0.1"
    port = db.get("PORT") or "5432"
    return f"postgres://{auth}{host}:{port}/{db['NAME']}"


def child_env(**variables: str) -> dict[str, str]:
    """This process's environment without test-only overrides, plus ``variables``."""
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("PYTEST_", "DJANGO_", "CELERY_", "ACCORD_", "AWS_"))
    }
    env.update(variables)
    return env


class Children:
    """The processes a test started; each one's output goes to its own log file."""

    def __init__(self, log_dir: Path):
        self.log_dir = log_dir
        self.processes: dict[str, subprocess.Popen] = {}

    def start(self, name: str, args: list[str], env: dict[str, str]) -> subprocess.Popen:
        log = (self.log_dir / f"{name}.log").open("w")
        process = subprocess.Popen(  # noqa: S603 (fixed arguments)
            args, cwd=BASE_DIR, env=env, stdout=log, stderr=subprocess.STDOUT,
            start_new_session=True,
        )  # fmt: skip
        self.processes[name] = process
        return process

    def log(self, name: str) -> str:
        path = self.log_dir / f"{name}.log"
        return path.read_text(errors="replace") if path.exists() else ""

    def check_alive(self) -> None:
        for name, process in self.processes.items():
            if process.poll() is not None:
                raise AssertionError(f"{name} exited ({process.returncode}):\n{self.log(name)}")

    def stop(self) -> None:
        for process in self.processes.values():
            if process.poll() is None:
                os.killpg(process.pid, signal.SIGTERM)  # only the groups we started
        for process in self.processes.values():
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait()


@contextmanager
def children(log_dir: Path):
    group = Children(log_dir)
    try:
        yield group
    finally:
        group.stop()


def gunicorn(port: int) -> list[str]:
    return [
        str(BIN / "gunicorn"), "config.wsgi:application", "--bind", f"127.0.0.1:{port}",
        "--workers", "1", "--timeout", "60", "--log-level", "warning",
    ]  # fmt: skip


def celery_worker(name: str) -> list[str]:
    return [
        str(BIN / "celery"), "-A", "config", "worker", "-P", "solo", "-n", f"{name}@%h",
        "--without-gossip", "--without-mingle", "-l", "INFO",
    ]  # fmt: skip


def beat(every: float, schedule: Path) -> list[str]:
    return [
        sys.executable, "-m", "tests.multiproc", "beat", "--every", str(every),
        "--schedule", str(schedule),
    ]  # fmt: skip


def wait_http(url: str, group: Children, *, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        group.check_alive()
        try:
            requests.get(url, timeout=10)
            return
        except (requests.ConnectionError, requests.Timeout):  # not up yet, or still booting
            time.sleep(0.25)
    raise AssertionError(f"{url} did not answer within {timeout:.0f} s")


def wait_workers(app, count: int, group: Children, *, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        group.check_alive()
        if len(app.control.ping(timeout=0.5) or []) >= count:
            return
    raise AssertionError(f"{count} Celery workers did not answer within {timeout:.0f} s")


def workers_idle(app) -> bool:
    """No task running on any worker and none waiting in the default queue."""
    active = app.control.inspect(timeout=0.5).active() or {}
    with app.connection_for_write() as conn:
        waiting = conn.default_channel.client.llen("celery")
    return not waiting and not any(active.values())


def wait_for(predicate, *, timeout: float, group: Children, what: str, every: float = 0.25):
    """Poll ``predicate`` until it returns something truthy; that value is returned."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        group.check_alive()
        time.sleep(every)
    raise AssertionError(f"timed out after {timeout:.0f} s waiting for {what}")


def csrf_token(html: str) -> str:
    match = CSRF_INPUT.search(html)
    assert match, "no CSRF token on the page"
    return match.group(1)


def web_login(base_url: str, email: str, password: str) -> requests.Session:
    """A browser-like session logged in through the real login form of ``base_url``."""
    session = requests.Session()
    page = session.get(f"{base_url}/accounts/login/", timeout=20)
    response = session.post(
        f"{base_url}/accounts/login/",
        data={"csrfmiddlewaretoken": csrf_token(page.text), "login": email, "password": password},
        headers={"Referer": f"{base_url}/accounts/login/"},
        allow_redirects=False,
        timeout=20,
    )
    assert response.status_code in (302, 303), response.text[:2000]
    assert "sessionid" in session.cookies
    return session


def post_form(
    session: requests.Session, url: str, data: dict, files=None, page_url: str = "", **kw
):
    """GET the form page (``page_url``, or ``url`` itself) for its CSRF token, then POST ``data``
    to ``url`` (no redirect followed)."""
    page_url = page_url or url
    page = session.get(page_url, timeout=20)
    assert page.status_code == 200, f"GET {page_url}: {page.status_code}"
    return session.post(
        url,
        data={"csrfmiddlewaretoken": csrf_token(page.text), **data},
        files=files,
        headers={"Referer": page_url},
        allow_redirects=False,
        timeout=60,
        **kw,
    )


def _run_beat(every: float, schedule: str) -> None:
    from config.celery import app

    app.conf.beat_schedule = {
        "dispatch-review-cycles": {
            "task": "reviews.tasks.dispatch_review_cycles",
            "schedule": every,
        }
    }
    app.Beat(schedule=schedule, loglevel="INFO", max_interval=1).run()


if __name__ == "__main__":
    parser = argparse.ArgumentParser(prog="python -m tests.multiproc")
    parser.add_argument("command", choices=["beat"])
    parser.add_argument("--every", type=float, default=2.0)
    parser.add_argument("--schedule", required=True)
    options = parser.parse_args()
    _run_beat(options.every, options.schedule)
