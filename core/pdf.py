"""Every PDF Accord makes goes through here: one WeasyPrint call, one URL policy.

A document may use our own static files (``{% static %}`` stylesheets, fonts, images) and
``data:`` images (drawn signatures). Nothing else is fetched: not ``file:`` paths, which would
let text a user wrote pull files off the server into a PDF, and not the network, which would
make rendering slow, leaky and different from one run to the next.
"""

from __future__ import annotations

import mimetypes
import os
from urllib.parse import unquote, urlsplit

from django.conf import settings
from django.template.loader import render_to_string

# Relative URLs in a document resolve against this origin, which exists only for the fetcher.
BASE_URL = "https://static.accord.invalid/"


class RefusedURL(ValueError):
    """A document asked for something outside our static files and ``data:`` URLs."""


def _static_path(name: str) -> str | None:
    """The file on disk for static file ``name``, collected or found by the finders."""
    from django.contrib.staticfiles import finders
    from django.contrib.staticfiles.storage import staticfiles_storage

    if ".." in name.split("/"):
        return None
    try:
        collected = staticfiles_storage.path(name)
    except (NotImplementedError, ValueError):
        collected = None
    if collected and os.path.isfile(collected):
        return collected
    found = finders.find(name)
    return found if isinstance(found, str) and os.path.isfile(found) else None


def _fetcher_class():
    from weasyprint.urls import URLFetcher, URLFetcherResponse

    class StaticOnlyFetcher(URLFetcher):
        def __init__(self):
            super().__init__(allowed_protocols={"data", "https"}, allow_redirects=False)

        def fetch(self, url, headers=None):
            if url.startswith("data:"):
                return super().fetch(url, headers)
            if url.startswith(BASE_URL):
                path = unquote(urlsplit(url).path)
                prefix = "/" + settings.STATIC_URL.strip("/") + "/"
                if path.startswith(prefix):
                    found = _static_path(path[len(prefix) :])
                    if found:
                        with open(found, "rb") as handle:
                            body = handle.read()
                        kind = mimetypes.guess_type(found)[0] or "application/octet-stream"
                        return URLFetcherResponse(url, body, {"Content-Type": kind})
            raise RefusedURL(f"Refused to fetch {url[:80]!r} for a PDF.")

    return StaticOnlyFetcher


def render_pdf(html: str) -> bytes:
    """PDF bytes for a whole HTML document."""
    from weasyprint import HTML  # heavy: imported only where a PDF is made

    return HTML(string=html, base_url=BASE_URL, url_fetcher=_fetcher_class()()).write_pdf()


def render_template_pdf(template: str, context: dict | None = None) -> bytes:
    """PDF bytes for a template rendered with ``context``."""
    return render_pdf(render_to_string(template, context or {}))
