"""PDF documents: a partnership's fit card, and the blank printable templates.

Each is an HTML template under ``templates/pdf/`` rendered through ``core.pdf`` (the one
WeasyPrint entry point and its URL policy). The blank templates never change while the
process runs, so they are rendered once and kept.
"""

from __future__ import annotations

import functools

from django.utils import timezone

from core.clock import org_now, org_zone
from core.pdf import render_template_pdf


def fitcard_pdf(*, partnership, sections: list[dict], revision=None) -> bytes:
    """The fit card of ``partnership`` as laid out by ``presentation.card_sections``.

    Times on the card are the organization's wall-clock times, named with their zone: the
    document is read away from the app, where nothing else says which clock it means.
    """
    organization = partnership.organization
    with timezone.override(org_zone(organization)):
        return render_template_pdf(
            "pdf/fitcard.html",
            {
                "partnership": partnership,
                "partner": partnership.partner,
                "sections": sections,
                "revision": revision,
                "generated_at": org_now(organization),
            },
        )


@functools.cache
def blank_fitcard_pdf() -> bytes:
    """An empty Partner Fit Card to print and fill in by hand (seed chapter, to-do list)."""
    return render_template_pdf("pdf/fitcard_blank.html")


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
    return render_template_pdf(
        "pdf/evidence_log_blank.html", {"columns": EVIDENCE_LOG_COLUMNS, "rows": range(11)}
    )
