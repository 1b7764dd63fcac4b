"""PDF documents: a partnership's fit card, and the blank printable templates.

Each is an HTML template under ``templates/pdf/`` rendered by WeasyPrint. The blank
templates never change while the process runs, so they are rendered once and kept.
"""

from __future__ import annotations

import functools

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import timezone


def _to_pdf(html: str) -> bytes:
    from weasyprint import HTML  # imported lazily: heavy, and only needed here

    return HTML(string=html, base_url=str(settings.BASE_DIR)).write_pdf()


def fitcard_pdf(*, partnership, sections: list[dict], revision=None, draft: bool = False) -> bytes:
    """The fit card of ``partnership`` as laid out by ``flow.card_sections``."""
    html = render_to_string(
        "pdf/fitcard.html",
        {
            "partnership": partnership,
            "partner": partnership.partner,
            "sections": sections,
            "revision": revision,
            "draft": draft,
            "generated_at": timezone.now(),
        },
    )
    return _to_pdf(html)


@functools.cache
def blank_fitcard_pdf() -> bytes:
    """An empty Partner Fit Card to print and fill in by hand (seed chapter, to-do list)."""
    return _to_pdf(render_to_string("pdf/fitcard_blank.html", {}))


EVIDENCE_LOG_COLUMNS = [
    "Partner",
    "Claim",
    "Evidence artifact",
    "Limits",
    "Boundary status",
    "Decision",
    "Date",
    "Approver",
]


@functools.cache
def blank_evidence_log_pdf() -> bytes:
    """An empty Partnership Evidence Log with the seed's eight columns (landscape)."""
    return _to_pdf(
        render_to_string(
            "pdf/evidence_log_blank.html",
            {"columns": EVIDENCE_LOG_COLUMNS, "rows": range(11)},
        )
    )
