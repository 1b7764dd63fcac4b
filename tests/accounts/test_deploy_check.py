import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_deploy_check_passes_with_production_settings(tmp_path):
    # the test process's own switches (testing mode, browser tests' async flag) stay out
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in ("ACCORD_TESTING", "DJANGO_ALLOW_ASYNC_UNSAFE")
    }
    env.update(
        DJANGO_SETTINGS_MODULE="config.settings",
        DEBUG="False",
        SECRET_KEY="x7!Pq2#zL9@vR4$mN8^kT1&bW6*cY3(dF5)gH0_jS9+aE2=uI7",
        ALLOWED_HOSTS="accord.example.com",
        ACCORD_VAR_DIR=str(tmp_path),
        ADMIN_URL="backstage-51c7/",
    )
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_production_refuses_to_start_without_a_secret_key(tmp_path):
    env = {k: v for k, v in os.environ.items() if k not in ("ACCORD_TESTING", "SECRET_KEY")}
    env.update(
        DJANGO_SETTINGS_MODULE="config.settings", DEBUG="False", ACCORD_VAR_DIR=str(tmp_path)
    )
    result = subprocess.run(
        [sys.executable, "manage.py", "check"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr
