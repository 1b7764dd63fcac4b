"""One PDF policy: our static files and data: images are fetched, nothing else."""

import base64

import pytest
from pypdf import PdfReader

from core import pdf

PNG = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg=="
)


def _fetched(monkeypatch):
    seen = []
    original = pdf._fetcher_class

    def spy():
        cls = original()

        class Spy(cls):
            def fetch(self, url, headers=None):
                try:
                    result = super().fetch(url, headers)
                except pdf.RefusedURL:
                    seen.append(("refused", url))
                    raise
                seen.append(("fetched", url))
                return result

        return Spy

    monkeypatch.setattr(pdf, "_fetcher_class", spy)
    return seen


def test_a_document_renders_to_a_readable_pdf():
    data = pdf.render_pdf("<html><body><p>Hello charter</p></body></html>")
    assert data.startswith(b"%PDF")
    assert "Hello charter" in PdfReader(__import__("io").BytesIO(data)).pages[0].extract_text()


def test_data_images_and_static_files_are_fetched(monkeypatch):
    seen = _fetched(monkeypatch)
    src = "data:image/png;base64," + base64.b64encode(PNG).decode()
    pdf.render_pdf(
        f'<html><head><link rel="stylesheet" href="/static/css/accord.css"></head>'
        f'<body><img src="{src}"></body></html>'
    )
    kinds = {(kind, url.split(":")[0]) for kind, url in seen}
    assert ("fetched", "data") in kinds
    assert any(kind == "fetched" and url.endswith("/static/css/accord.css") for kind, url in seen)


@pytest.mark.parametrize(
    "url",
    [
        "file:///etc/passwd",
        "http://127.0.0.1:1/x.png",
        "/static/../config/settings.py",
        "/media/evidence/secret.png",
        "ftp://example.invalid/x",
    ],
)
def test_everything_else_is_refused(monkeypatch, url):
    seen = _fetched(monkeypatch)
    pdf.render_pdf(f'<html><body><img src="{url}"></body></html>')
    assert seen and all(kind == "refused" for kind, _ in seen)
