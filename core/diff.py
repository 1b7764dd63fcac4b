"""Word-level differences between two texts, marked up with ``<del>`` and ``<ins>``.

Fit card revisions are compared side by side; charter versions inline. Both split text the
same way (words and the whitespace between them, so line breaks survive) and escape every
piece before marking it, so user text can never inject markup into a diff.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterator

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

_TOKEN = re.compile(r"\s+|[^\s]+")


def _pieces(old: str, new: str) -> Iterator[tuple[str, str, str]]:
    """(operation, escaped old part, escaped new part) for each run of words."""
    a, b = _TOKEN.findall(old or ""), _TOKEN.findall(new or "")
    matcher = difflib.SequenceMatcher(a=a, b=b, autojunk=False)
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        yield op, escape("".join(a[i1:i2])), escape("".join(b[j1:j2]))


def _deleted(part: str) -> str:
    return f'<del class="diff-del">{part}</del>' if part else ""


def _inserted(part: str) -> str:
    return f'<ins class="diff-ins">{part}</ins>' if part else ""


def mark_words(old: str, new: str) -> tuple[SafeString, SafeString]:
    """(old, new) as HTML, deleted words marked on the left and inserted ones on the right."""
    left: list[str] = []
    right: list[str] = []
    for op, old_part, new_part in _pieces(old, new):
        if op == "equal":
            left.append(old_part)
            right.append(new_part)
        else:
            left.append(_deleted(old_part))
            right.append(_inserted(new_part))
    return mark_safe("".join(left)), mark_safe("".join(right))  # noqa: S308 (escaped above)


def inline_diff(old: str, new: str) -> SafeString:
    """``new`` as HTML with the words removed from ``old`` and added to it marked in place;
    line breaks become ``<br>``."""
    out: list[str] = []
    for op, old_part, new_part in _pieces(old, new):
        out.append(new_part if op == "equal" else _deleted(old_part) + _inserted(new_part))
    return mark_safe("".join(out).replace("\n", "<br>"))  # noqa: S308 (escaped above)
