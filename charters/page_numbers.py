"""Page numbers that run across the whole executed charter (issue 18.8).

The executed PDF is two documents end to end: the version as it was signed (numbered "Page 1
of 2" when it was rendered, and never rendered again) and the signature and audit-certificate
pages (numbered on their own). A reader sees "1 of 2, 2 of 2, 1 of 3" and cannot tell a page
is missing. Before sealing, every page gets one footer stamped over its own, "Page k of N"
for the whole file; the text of each page is untouched, and the seal then covers the result.
"""

from __future__ import annotations

import io

from pypdf import PdfReader, PdfWriter

from core.pdf import render_pdf

# A white band over the footer margin box of charters/pdf/print.css (22 mm bottom margin,
# text centred in it), with the new number in the same place and type.
STAMP_CSS = """
@page { size: A4; margin: 0; }
body { margin: 0; }
.sheet { position: relative; height: 296mm; break-after: page; }
.sheet:last-child { break-after: auto; }
.number { position: absolute; bottom: 4mm; left: 45mm; width: 120mm; height: 14mm;
  line-height: 14mm; background: #fff; text-align: center; color: #555;
  font: 8pt "DejaVu Sans", Arial, Helvetica, sans-serif; }
"""


def _stamps(total: int) -> PdfReader:
    sheets = "".join(
        f'<div class="sheet"><div class="number">Page {n} of {total}</div></div>'
        for n in range(1, total + 1)
    )
    html = (
        '<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Page numbers</title>'
        f"<style>{STAMP_CSS}</style></head><body>{sheets}</body></html>"
    )
    return PdfReader(io.BytesIO(render_pdf(html)))


def number_pages(pdf: bytes) -> bytes:
    """``pdf`` with "Page k of N" in every page's footer, counted over the whole file."""
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(pdf)))
    stamps = _stamps(len(writer.pages))
    for page, stamp in zip(writer.pages, stamps.pages, strict=True):
        page.merge_page(stamp)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()
