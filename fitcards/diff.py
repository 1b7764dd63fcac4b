"""Side-by-side comparison of two revisions, with the changed words marked (server-side)."""

from __future__ import annotations

import difflib
import re

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

_TOKEN = re.compile(r"\s+|[^\s]+")


def _tokens(text: str) -> list[str]:
    return _TOKEN.findall(text or "")


def mark_words(old: str, new: str) -> tuple[SafeString, SafeString]:
    """Return (old, new) as HTML with deleted words in <del> and inserted words in <ins>."""
    a, b = _tokens(old), _tokens(new)
    left: list[str] = []
    right: list[str] = []
    matcher = difflib.SequenceMatcher(a=a, b=b, autojunk=False)
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        old_part = escape("".join(a[i1:i2]))
        new_part = escape("".join(b[j1:j2]))
        if op == "equal":
            left.append(old_part)
            right.append(new_part)
            continue
        if old_part:
            left.append(f'<del class="diff-del">{old_part}</del>')
        if new_part:
            right.append(f'<ins class="diff-ins">{new_part}</ins>')
    return mark_safe("".join(left)), mark_safe("".join(right))  # noqa: S308 (escaped above)


def compare_sections(old_sections: list[dict], new_sections: list[dict]) -> list[dict]:
    """Pair the rows of two section lists by title and label; mark what changed."""
    new_by_title = {section["title"]: section for section in new_sections}
    old_titles = [section["title"] for section in old_sections]
    titles = old_titles + [s["title"] for s in new_sections if s["title"] not in old_titles]
    old_by_title = {section["title"]: section for section in old_sections}
    result = []
    for title in titles:
        old_rows = dict(old_by_title.get(title, {}).get("rows", []))
        new_rows = dict(new_by_title.get(title, {}).get("rows", []))
        labels = list(old_rows) + [label for label in new_rows if label not in old_rows]
        rows = []
        for label in labels:
            old_text, new_text = old_rows.get(label, ""), new_rows.get(label, "")
            left, right = mark_words(old_text, new_text)
            rows.append(
                {"label": label, "left": left, "right": right, "changed": old_text != new_text}
            )
        result.append(
            {"title": title, "rows": rows, "changed": any(row["changed"] for row in rows)}
        )
    return result
