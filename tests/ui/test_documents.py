"""The executed charter reads as one document (issue 18.8): page numbers run across all of
it, and the audit certificate's user-agent column stays one short line."""

from __future__ import annotations

import io
import shutil
import subprocess

import pytest
from django.core.files.storage import default_storage
from pypdf import PdfReader

from charters.page_numbers import number_pages
from core.templatetags.agents import browser_name
from tests.charters.conftest import contact, partnership, send, version  # noqa: F401
from tests.charters.test_execution import executed  # noqa: F401 (a fixture)

from .checkers import artifacts

pytestmark = pytest.mark.django_db
CHROME_ON_LINUX = (
    "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/131.0.0.0 Safari/537.36"
)


def _pages(request) -> list[str]:
    with default_storage.open(request.executed_pdf, "rb") as fh:
        reader = PdfReader(io.BytesIO(fh.read()))
    return [page.extract_text() for page in reader.pages]


def test_executed_charter_pages_are_numbered_across_the_whole_document(executed):  # noqa: F811
    pages = _pages(executed)
    total = len(pages)
    assert total >= 3  # the signed document, then the signatures and the audit certificate
    for number, text in enumerate(pages, start=1):
        assert f"Page {number} of {total}" in text
    if shutil.which("pdftoppm"):
        with default_storage.open(executed.executed_pdf, "rb") as fh:
            out = artifacts("screenshots") / "executed-charter-last-page"
            subprocess.run(  # noqa: S603 (fixed arguments)
                ["pdftoppm", "-png", "-r", "60", "-f", str(total), "-singlefile", "-", str(out)],  # noqa: S607
                input=fh.read(),
                check=True,
                timeout=60,
            )


def test_number_pages_counts_every_page_once():
    from core.pdf import render_pdf

    two = render_pdf("<p>a</p><p style='break-before: page'>b</p>")
    stamped = PdfReader(io.BytesIO(number_pages(two)))
    texts = [page.extract_text() for page in stamped.pages]
    assert "Page 1 of 2" in texts[0] and "Page 2 of 2" not in texts[0]
    assert "Page 2 of 2" in texts[1] and "Page 1 of 2" not in texts[1]


def test_user_agents_are_shown_as_browser_and_system():
    assert browser_name(CHROME_ON_LINUX) == "Chrome 131 on Linux"
    firefox = "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:128.0) Gecko/20100101 Firefox/128.0"
    assert browser_name(firefox) == "Firefox 128 on Windows"
    edge = CHROME_ON_LINUX.replace("(X11; Linux x86_64)", "(Windows NT 10.0)") + " Edg/131.0"
    assert browser_name(edge) == "Edge 131 on Windows"
    safari = (
        "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 "
        "(KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1"
    )
    assert browser_name(safari) == "Safari 17 on iOS"
    assert browser_name("pytest-browser/1.0") == "pytest-browser/1.0"
    assert browser_name("x" * 90) == "x" * 39 + "…"
    assert browser_name("") == ""


def test_the_audit_certificate_keeps_a_short_agent_on_one_line(executed):  # noqa: F811
    text = " ".join(_pages(executed))
    assert "pytest-browser/1.0" in text
    assert "User agent:" not in text  # nothing was shortened, so no detail line repeats it


def test_a_long_agent_is_shortened_with_the_full_string_on_a_detail_line(
    executed,  # noqa: F811
):
    from django.template.loader import render_to_string

    from charters.models import AuditEvent

    event = AuditEvent.objects.filter(request=executed, kind="signed").first()
    event.user_agent = CHROME_ON_LINUX  # not saved: the trail is append-only
    html = render_to_string(
        "charters/pdf/execution.html",
        {"request": executed, "version": executed.version, "events": [event], "blocks": []},
    )
    assert '<td class="agent">Chrome 131 on Linux</td>' in html
    assert f"User agent: {CHROME_ON_LINUX}" in html
