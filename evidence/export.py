"""The filtered evidence log as a spreadsheet (CSV) or a printable document (PDF).

CSV cells that a spreadsheet would read as a formula are neutralized (CSV injection: an
artifact typed as ``=HYPERLINK(...)`` must stay text). The PDF goes through ``core.pdf``, the
one WeasyPrint entry point, so a user's text can never make the renderer fetch anything.
"""

from __future__ import annotations

import csv
from collections.abc import Iterator

from core.clock import org_now
from core.pdf import render_template_pdf

from .checkpoints import latest_checkpoint

EXPORT_LIMIT = 5000

EXPORT_COLUMNS = [
    "Sequence",
    "Partner",
    "Partnership",
    "Claim",
    "Evidence artifact",
    "Limits",
    "Boundary status",
    "Decision",
    "Date",
    "Approver",
    "Quality",
    "Link",
    "File",
    "Supersedes",
    "Correction reason",
    "Recorded by",
    "Recorded at",
    "Entry hash",
]


def export_row(e) -> list:
    """One entry as the cells of EXPORT_COLUMNS."""
    return [
        e.sequence,
        e.partnership.partner.name,
        e.partnership.name,
        e.claim,
        e.artifact,
        e.limits,
        e.get_boundary_status_display(),
        e.get_decision_display(),
        e.observed_on.isoformat(),
        e.approver.display_name if e.approver else "",
        e.get_quality_display(),
        e.link,
        e.file_name,
        e.supersedes.sequence if e.supersedes else "",
        e.correction_reason,
        e.recorded_by.display_name if e.recorded_by else "",
        e.created_at.isoformat(),
        e.entry_hash,
    ]


def csv_safe(value):
    """Neutralize spreadsheet formulas in user text (CSV injection)."""
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return value


class _Echo:
    """A file-like object that hands back what is written: csv.writer then yields lines."""

    def write(self, value):
        return value


def csv_lines(qs) -> Iterator[str]:
    """The header and one line per entry of ``qs``, read in chunks (streamed, never held)."""
    writer = csv.writer(_Echo())
    yield writer.writerow(EXPORT_COLUMNS)
    for entry in qs.iterator(chunk_size=1000):
        yield writer.writerow([csv_safe(value) for value in export_row(entry)])


def log_pdf(qs, *, organization, partnership, filters: str) -> bytes:
    """The first EXPORT_LIMIT entries of ``qs`` as a PDF (it says when there were more)."""
    entries = list(qs[: EXPORT_LIMIT + 1])
    return render_template_pdf(
        "evidence/export_pdf.html",
        {
            "entries": entries[:EXPORT_LIMIT],
            "truncated": len(entries) > EXPORT_LIMIT,
            "limit": EXPORT_LIMIT,
            "organization": organization,
            "partnership": partnership,
            # The organization's wall clock, with its zone's abbreviation.
            "generated": org_now(organization).strftime("%Y-%m-%d %H:%M %Z"),
            "filters": filters,
            # The log's last signed checkpoint, so the document carries it outside the
            # database (compare it with ``manage.py verify_evidence`` later).
            "checkpoint": latest_checkpoint(organization),
        },
    )
