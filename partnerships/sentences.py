"""The seeds' sentences, composed from what people wrote without altering it.

The partnership page (and the charter, the dashboard and the reviews that quote it) writes a
partnership's claim, boundary line and triggers out as sentences: "Unwind if uptime falls below
99.5% for a month." The person's words go in exactly as written — no lower-casing, no periods
removed from inside them ("99.5%" stays "99.5%") — with only the punctuation at the seam
adjusted: a text placed inside a sentence loses its own final full stop, and a text that ends
a sentence gets one only when it has no final punctuation of its own.
"""

from __future__ import annotations

GAP = "…"  # what the sentence shows where nothing has been written yet
_FINAL = (".", "!", "?", "…")


def clause(text: str) -> str:
    """``text`` placed inside a sentence: trimmed, one final full stop dropped (not an
    ellipsis), nothing else changed; ``GAP`` when empty."""
    text = (text or "").strip()
    if not text:
        return GAP
    if text.endswith(".") and not text.endswith(".."):
        text = text[:-1].rstrip()
    return text or GAP


def ending(text: str) -> str:
    """``text`` ending a sentence: trimmed, a full stop added only when it has no final
    punctuation; ``GAP`` and a full stop when empty."""
    text = (text or "").strip()
    if not text:
        return GAP + "."
    return text if text.endswith(_FINAL) else text + "."
