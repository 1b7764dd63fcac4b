"""Rendering the charter document (once, at sending) and the executed PDF (once, at execution).

The document a signer reads is rendered when a version is first sent: its HTML fragment and PDF
bytes are stored with the PDF's SHA-256 and never rendered again. The executed PDF is that same
PDF, byte for byte as pages, followed by signature and audit-certificate pages, then sealed.
Both go through ``core.pdf`` (our static files and ``data:`` images only, so a drawn signature
is embedded and nothing a user wrote can fetch a file or a URL).

Both are rendered in the version's own language (``CharterVersion.language``), whoever asks
and whichever worker runs: the document is the same for every signer, and its signature and
audit-certificate pages say which language it was signed in.
"""

from __future__ import annotations

import base64
import hashlib
import io

from django.template.loader import render_to_string
from django.utils import translation
from django.utils.html import escape
from django.utils.translation import gettext as _
from pypdf import PdfWriter

from core.pdf import render_pdf

from .models import SECTIONS

PDF_CSS_TEMPLATE = "charters/pdf/print.css"


def sha256_hex(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _html_to_pdf(body: str, *, title: str) -> bytes:
    """A whole print document around ``body`` (``title`` already escaped), as PDF bytes."""
    css = render_to_string(PDF_CSS_TEMPLATE)
    language = escape(translation.get_language() or "en")
    page = (
        f'<!doctype html><html lang="{language}"><head><meta charset="utf-8">'
        f"<title>{title}</title><style>{css}</style></head><body>{body}</body></html>"
    )
    return render_pdf(page)


def render_version_document(version) -> tuple[str, bytes]:
    """The document for one version: (HTML fragment, PDF bytes), in the version's language."""
    with translation.override(version.language or "en"):
        return _render_version_document(version)


def _render_version_document(version) -> tuple[str, bytes]:
    partnership = version.charter.partnership
    sections = [(heading, getattr(version, name)) for name, heading, _help in SECTIONS]
    fragment = render_to_string(
        "charters/partials/document.html",
        {
            "version": version,
            "partnership": partnership,
            "organization": partnership.organization,
            "partner": partnership.partner,
            "sections": sections,
        },
    )
    return fragment, _html_to_pdf(fragment, title=escape(version.title))


def png_data_url(png: bytes) -> str:
    return "data:image/png;base64," + base64.b64encode(png).decode("ascii")


def render_execution_pages(*, request, signers, events) -> bytes:
    """Signature blocks and the audit certificate, as PDF pages, in the version's language."""
    with translation.override(request.version.language or "en"):
        return _render_execution_pages(request=request, signers=signers, events=events)


def _render_execution_pages(*, request, signers, events) -> bytes:
    blocks = []
    for signer in signers:
        png = bytes(signer.signature_png or b"")
        blocks.append({"signer": signer, "image": png_data_url(png) if png else ""})
    body = render_to_string(
        "charters/pdf/execution.html",
        {
            "request": request,
            "version": request.version,
            "partnership": request.version.charter.partnership,
            "blocks": blocks,
            "events": events,
        },
    )
    title = _("Signatures — %(title)s") % {"title": request.version.title}
    return _html_to_pdf(body, title=escape(title))


def combine_pdfs(*parts: bytes) -> bytes:
    """Concatenate PDFs page by page (the signed document's pages are kept as they are)."""
    writer = PdfWriter()
    for part in parts:
        writer.append(io.BytesIO(part))
    writer.add_metadata({"/Producer": "Accord"})
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()
