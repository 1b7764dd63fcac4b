"""The interactive docs at /api/docs come from our own static files, under our CSP: no CDN,
no exemption, and Swagger UI renders every operation in a real browser."""

from __future__ import annotations

import json
import os
import re
import shutil

import pytest

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")


def test_the_docs_page_loads_only_our_static_files(client):
    response = client.get("/api/docs")
    assert response.status_code == 200
    html = response.content.decode()
    sources = re.findall(r'(?:src|href)="([^"]+)"', html)
    assert sources and all(src.startswith("/static/") for src in sources), sources
    assert "cdn" not in html.lower()
    assert "//" not in "".join(sources)
    for src in sources:
        assert client.get(src).status_code == 200, src


def test_the_docs_page_runs_under_the_sites_csp_without_exemption(client):
    response = client.get("/api/docs")
    policy = response["Content-Security-Policy"]
    assert "script-src 'self'" in policy and "unsafe-inline" not in policy
    assert "unsafe-eval" not in policy


def _no_duplicate_keys(pairs):
    keys = [key for key, _value in pairs]
    assert len(keys) == len(set(keys)), f"duplicated keys: {keys}"
    return dict(pairs)


def test_the_schema_has_no_duplicated_keys(client):
    """Swagger UI's YAML parser refuses a schema with a key twice (e.g. 200 and "200")."""
    json.loads(client.get("/api/openapi.json").content, object_pairs_hook=_no_duplicate_keys)


def test_the_schema_is_served_and_describes_authentication(client):
    schema = client.get("/api/openapi.json").json()
    assert schema["info"]["version"] == "1"
    assert schema["components"]["securitySchemes"] == {
        "TokenAuth": {"type": "http", "scheme": "bearer"}
    }
    assert "Authorization: Bearer" in schema["info"]["description"]
    assert all(path.startswith("/api/v1/") for path in schema["paths"])


@pytest.mark.browser
def test_swagger_ui_renders_every_operation_with_no_csp_violation(live_server):
    if not shutil.which(CHROMIUM) and not os.path.exists(CHROMIUM):
        pytest.fail(f"Chromium not found at {CHROMIUM}: install Debian's chromium package.")
    from playwright.sync_api import sync_playwright

    problems, origins = [], set()
    with sync_playwright() as pw:
        browser = pw.chromium.launch(
            executable_path=CHROMIUM,
            args=["--headless", "--no-sandbox", "--disable-gpu"],
            headless=True,
        )
        try:
            page = browser.new_page()
            page.on(
                "console",
                lambda msg: (
                    problems.append(msg.text)
                    if msg.type == "error" or "Content Security Policy" in msg.text
                    else None
                ),
            )
            page.on("request", lambda request: origins.add(request.url.split("/")[2]))
            page.goto(f"{live_server.url}/api/docs")
            page.wait_for_selector(".opblock-summary", timeout=20_000)
            operations = page.locator(".opblock").count()
        finally:
            browser.close()
    assert operations >= 40
    assert problems == []
    assert origins == {live_server.url.split("/")[2]}
