"""Page latency under concurrent load: gunicorn plus client threads with their own sessions.

Each client thread logs in through the real login form (its own session cookie and CSRF token),
then the threads share a shuffled list of requests so every page is hit by several clients at
once. Latency is measured on the client: from sending the request to reading the last byte.
Only the standard library is used (``http.client``), so the benchmark adds no dependency.
"""

from __future__ import annotations

import http.client
import os
import queue
import random
import re
import signal
import socket
import subprocess
import threading
import time
from dataclasses import dataclass, field
from http.cookies import SimpleCookie
from urllib.parse import urlencode

from .environment import BASE_DIR

CSRF_INPUT = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


@dataclass
class Page:
    """One page to measure: a label, the URL, and what was requested (for the report)."""

    label: str
    url: str
    as_admin: bool = False  # requested with the superuser's session (the admin changelist)


@dataclass
class PageStats:
    label: str
    url: str
    times_ms: list[float] = field(default_factory=list)
    errors: int = 0
    error_samples: list[str] = field(default_factory=list)
    bytes: int = 0

    def percentile(self, p: float) -> float | None:
        if not self.times_ms:
            return None
        ordered = sorted(self.times_ms)
        k = max(0, min(len(ordered) - 1, round(p / 100 * len(ordered) + 0.5) - 1))
        return ordered[k]

    def summary(self) -> dict:
        return {
            "label": self.label,
            "url": self.url,
            "count": len(self.times_ms) + self.errors,
            "p50_ms": self.percentile(50),
            "p95_ms": self.percentile(95),
            "p99_ms": self.percentile(99),
            "max_ms": max(self.times_ms) if self.times_ms else None,
            "errors": self.errors,
            "error_samples": self.error_samples[:3],
            "response_bytes": self.bytes,
        }


def port_free(port: int) -> bool:
    with socket.socket() as sock:
        try:
            sock.bind(("127.0.0.1", port))
        except OSError:
            return False
    return True


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Server:
    """gunicorn serving config.wsgi on 127.0.0.1:port with the benchmark environment."""

    def __init__(self, *, env: dict[str, str], port: int, workers: int, threads: int):
        self.env, self.port, self.workers, self.threads = env, port, workers, threads
        self.process: subprocess.Popen | None = None
        self.log_path = BASE_DIR / "var" / "bench" / "gunicorn.log"

    def __enter__(self) -> Server:
        if not self.port:
            self.port = free_port()
        elif not port_free(self.port):
            raise RuntimeError(f"Port {self.port} is already in use; choose another with --port.")
        args = [
            str(BASE_DIR / ".venv" / "bin" / "gunicorn"),
            "config.wsgi:application",
            "--bind",
            f"127.0.0.1:{self.port}",
            "--workers",
            str(self.workers),
            "--timeout",
            "120",
            "--log-level",
            "warning",
        ]
        if self.threads > 1:
            args += ["--worker-class", "gthread", "--threads", str(self.threads)]
        self.log_path.parent.mkdir(parents=True, exist_ok=True)
        log = self.log_path.open("w")
        self.process = subprocess.Popen(  # noqa: S603 (fixed arguments)
            args,
            cwd=BASE_DIR,
            env={**os.environ, **self.env},
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"gunicorn exited; see {self.log_path}")
            try:
                conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=2)
                conn.request("GET", "/accounts/login/")
                conn.getresponse().read()
                conn.close()
                return self
            except OSError:
                time.sleep(0.2)
        raise RuntimeError("gunicorn did not start within 30 s")

    def __exit__(self, *exc) -> None:
        if self.process and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)  # only the group we started
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)


class Client:
    """One browser-like user: a keep-alive connection, its own cookies, logged in by form."""

    def __init__(self, port: int):
        self.port = port
        self.conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        self.cookies: dict[str, str] = {}

    def request(self, method: str, url: str, body: str | None = None) -> tuple[int, bytes]:
        headers = {"Host": "127.0.0.1", "User-Agent": "accord-bench"}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        if body is not None:
            headers["Content-Type"] = "application/x-www-form-urlencoded"
            headers["Referer"] = f"http://127.0.0.1:{self.port}{url}"
        for attempt in range(2):
            try:
                self.conn.request(method, url, body=body, headers=headers)
                response = self.conn.getresponse()
                data = response.read()
                break
            except (http.client.RemoteDisconnected, ConnectionResetError, BrokenPipeError):
                self.conn.close()  # the server closed a kept-alive connection: reconnect once
                if attempt:
                    raise
        for header in response.headers.get_all("Set-Cookie") or []:
            jar = SimpleCookie()
            jar.load(header)
            for key, morsel in jar.items():
                self.cookies[key] = morsel.value
        return response.status, data

    def login(self, email: str, password: str, login_url: str) -> None:
        status, body = self.request("GET", login_url)
        match = CSRF_INPUT.search(body.decode("utf-8", "replace"))
        if status != 200 or not match:
            raise RuntimeError(f"login page: HTTP {status}, CSRF token found: {bool(match)}")
        form = urlencode(
            {"csrfmiddlewaretoken": match.group(1), "login": email, "password": password}
        )
        status, body = self.request("POST", login_url, body=form)
        if status not in (302, 303) or "sessionid" not in self.cookies:
            text = re.sub(r"<[^>]+>", " ", body.decode("utf-8", "replace"))
            errors = re.findall(
                r"[^.\n]*(?:incorrect|locked|not valid|too many)[^.\n]*", text, re.I
            )
            raise RuntimeError(f"login failed: HTTP {status}: {' / '.join(errors)[:300]}")


def run_load(
    *,
    port: int,
    pages: list[Page],
    clients: int,
    requests_per_page: int,
    email: str,
    password: str,
    login_url: str,
    admin: tuple[str, str] | None = None,
    progress=print,
) -> tuple[list[PageStats], float]:
    """Log ``clients`` users in, warm each page once, then run the shuffled request list.

    Each client thread is one person with its own session; when a page is marked ``as_admin``
    the thread also holds a second session, logged in as the superuser ``admin`` (email,
    password), and uses it for that page. Returns per-page statistics and the wall time of the
    measured phase.
    """
    sessions: list[dict[bool, Client]] = []
    needs_admin = admin is not None and any(page.as_admin for page in pages)
    for _ in range(clients):
        person = Client(port)
        person.login(email, password, login_url)
        pair = {False: person}
        if needs_admin:
            pair[True] = Client(port)
            pair[True].login(admin[0], admin[1], login_url)
        sessions.append(pair)
    progress(f"  {clients} clients logged in")
    for page in pages:  # warm-up, not measured: first-request imports and template loading
        for pair in sessions[: min(len(sessions), 3)]:
            pair[page.as_admin].request("GET", page.url)
    stats = {page.label: PageStats(page.label, page.url) for page in pages}
    work: queue.Queue[Page] = queue.Queue()
    plan = [page for page in pages for _ in range(requests_per_page)]
    random.Random(7).shuffle(plan)
    for page in plan:
        work.put(page)
    lock = threading.Lock()

    def worker(pair: dict[bool, Client]) -> None:
        while True:
            try:
                page = work.get_nowait()
            except queue.Empty:
                return
            client = pair[page.as_admin]
            started = time.perf_counter()
            try:
                status, body = client.request("GET", page.url)
                elapsed = (time.perf_counter() - started) * 1000
                problem = None if status == 200 else f"HTTP {status}"
            except Exception as exc:  # noqa: BLE001 (counted and reported as an error)
                elapsed, body, problem = 0.0, b"", f"{type(exc).__name__}: {exc}"
                client.conn.close()
            with lock:
                entry = stats[page.label]
                if problem:
                    entry.errors += 1
                    entry.error_samples.append(problem)
                else:
                    entry.times_ms.append(elapsed)
                    entry.bytes = len(body)

    threads = [threading.Thread(target=worker, args=(c,), daemon=True) for c in sessions]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    wall = time.perf_counter() - started
    for pair in sessions:
        for client in pair.values():
            client.conn.close()
    return [stats[page.label] for page in pages], wall
