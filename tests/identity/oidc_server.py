"""A real OpenID Connect provider on 127.0.0.1 for the single sign-on tests.

It is the ``oidc-provider`` package from the npm registry, run with Node from
``tests/identity/oidc/`` (its version pinned in ``package.json``; installed there on first
use, ``node_modules`` is not committed).
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import shutil
import socket
import subprocess
import tempfile
import time
import urllib.request
from pathlib import Path

import pytest

HERE = Path(__file__).parent / "oidc"


def _install() -> None:
    """npm install, once: two test processes may both get here, so under a file lock."""
    with open(HERE / ".install.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if (HERE / "node_modules" / "oidc-provider" / "package.json").exists():
            return
        npm = shutil.which("npm")
        if npm is None:
            pytest.fail("The single sign-on tests need Node.js and npm (apt-get install npm).")
        subprocess.run(  # noqa: S603 (fixed arguments)
            [npm, "install", "--no-package-lock", "--no-audit", "--no-fund", "--silent"],
            cwd=HERE,
            check=True,
            timeout=300,
        )


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextlib.contextmanager
def oidc_provider(*, port: int, client_id: str, client_secret: str, redirect_uri: str):
    """Run the provider until the block ends; yields its issuer URL."""
    _install()
    env = {
        **os.environ,
        "PORT": str(port),
        "CLIENT_ID": client_id,
        "CLIENT_SECRET": client_secret,
        "REDIRECT_URI": redirect_uri,
    }
    log = tempfile.TemporaryFile()  # noqa: SIM115 (closed when the provider stops)
    process = subprocess.Popen(  # noqa: S603 (fixed arguments)
        [shutil.which("node") or "node", "provider.mjs"],
        cwd=HERE,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    issuer = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                discovery = f"{issuer}/.well-known/openid-configuration"
                with urllib.request.urlopen(discovery, timeout=2):  # noqa: S310 (http only)
                    break
            except OSError:
                if process.poll() is not None or time.monotonic() > deadline:
                    log.seek(0)
                    output = log.read().decode(errors="replace")
                    pytest.fail(f"the OpenID Connect provider did not start:\n{output}")
                time.sleep(0.2)
        yield issuer
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        log.close()
