"""PDF documents: a partnership's fit card, and the blank printable templates.

Each is an HTML template under ``templates/pdf/`` rendered through ``core.pdf`` (the one
WeasyPrint entry point and its URL policy). A card's PDF is rendered by a worker from a
*document*: a plain snapshot of what the PDF shows, taken when it was asked for, so the file
says what the person saw even if the card changes while it waits. The blank templates never
change while the process runs, so they are rendered once and kept.
"""

from __future__ import annotations

import functools

from django.utils import timezone, translation
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _

from core.clock import org_now, org_zone
from core.pdf import render_template_pdf

from .presentation import card_sections


def fitcard_document(partnership, card: dict, revision=None) -> dict:
    """What the card's PDF shows: the header of the partnership and the card's sections.

    Its language is part of it (the reader's, as active now): the worker renders the PDF in
    that language, and a card asked for in Spanish is another document than in English.
    """
    return {
        "language": translation.get_language() or "en",
        "partner_name": partnership.partner.name,
        "partnership_name": partnership.name,
        "tier": partnership.get_tier_display(),
        "phase": partnership.get_phase_display(),
        "status": partnership.get_status_display(),
        "revision": revision.number if revision else None,
        "sections": [
            {"title": section["title"], "rows": [list(row) for row in section["rows"]]}
            for section in card_sections(card, partnership.partner.name)
        ],
    }


def fitcard_filename(document: dict) -> str:
    """The download name: partner, partnership and revision, safe in any file system."""
    name = slugify(f"{document['partner_name']} {document['partnership_name']}")
    suffix = f"-r{document['revision']}" if document.get("revision") else ""
    return f"fit-card-{name or 'partnership'}{suffix}.pdf"


def fitcard_pdf(*, organization, document: dict, revision=None) -> bytes:
    """The PDF of a card ``document`` (``fitcard_document``).

    Times on the card are the organization's wall-clock times, named with their zone: the
    document is read away from the app, where nothing else says which clock it means.
    """
    language = document.get("language") or "en"
    with timezone.override(org_zone(organization)), translation.override(language):
        return render_template_pdf(
            "pdf/fitcard.html",
            {"doc": document, "revision": revision, "generated_at": org_now(organization)},
        )


def blank_fitcard_pdf(language: str | None = None) -> bytes:
    """An empty Partner Fit Card to print and fill in by hand (seed chapter, to-do list), in
    ``language`` (the active one by default)."""
    return _blank_fitcard_pdf(language or translation.get_language() or "en")


@functools.cache
def _blank_fitcard_pdf(language: str) -> bytes:
    with translation.override(language):
        return render_template_pdf("pdf/fitcard_blank.html")


EVIDENCE_LOG_COLUMNS = [
    _("Partner"),
    _("Claim"),
    _("Evidence artifact"),
    _("Limits"),
    _("Boundary status"),
    _("Decision"),
    _("Date"),
    _("Approver"),
]


def blank_evidence_log_pdf(language: str | None = None) -> bytes:
    """An empty Partnership Evidence Log with the seed's eight columns (landscape), in
    ``language`` (the active one by default)."""
    return _blank_evidence_log_pdf(language or translation.get_language() or "en")


@functools.cache
def _blank_evidence_log_pdf(language: str) -> bytes:
    with translation.override(language):
        return render_template_pdf(
            "pdf/evidence_log_blank.html", {"columns": EVIDENCE_LOG_COLUMNS, "rows": range(11)}
        )
