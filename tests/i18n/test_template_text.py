"""No user-facing text outside translation tags in the templates this checker covers.

A template's literal text (outside ``{% translate %}`` / ``{% blocktranslate %}``) is read
with Django's own template lexer; HTML tags, comments, ``<style>`` and ``<script>`` bodies,
entities, punctuation and the few words that stay English in every language (product names,
standards) are set aside; any word left is text a Spanish reader would see in English. The
attributes people read (``alt``, ``title``, ``placeholder``, ``aria-label``) are checked too.

``COVERED`` lists the template folders and files checked so far; the page templates of
partnerships, fit cards, evidence, reviews and charters join the list as they are wrapped,
until it is every template.
"""

import re
from pathlib import Path

import pytest
from django.template.base import Lexer, TokenType

ROOT = Path(__file__).resolve().parents[2]
COVERED = [
    "templates/emails",
    "templates/pdf",
    "templates/charters/pdf",
    "templates/charters/sign.html",
    "templates/charters/sign_closed.html",
    "templates/charters/sign_invalid.html",
    "templates/charters/sign_limited.html",
    "templates/charters/verify.html",
    "templates/charters/partials/consent.html",
    "templates/charters/partials/document.html",
    "templates/charters/partials/seal_key.html",
    "templates/charters/partials/version_language.html",
    "templates/evidence/export_pdf.html",
    "templates/partials/language_switcher.html",
    "templates/partnerroom/room_base.html",
    "templates/partnerroom/room",
    "templates/partnerroom/public",
    "templates/403.html",
    "templates/404.html",
    "templates/500.html",
    "charters/templates/emails",
    "reviews/templates/emails",
    "partnerroom/templates/emails",
    "webhooks/templates/emails",
    "programs/templates/emails",
]
# Words that are the same in every language Accord speaks.
UNTRANSLATED_WORDS = {"Accord", "PDF", "SHA-256", "SHA", "IP", "UTC", "PAdES", "CSV", "v"}
READ_ATTRIBUTES = re.compile(
    r'\b(?:alt|title|placeholder|aria-label)="([^"{]*[A-Za-z][^"{]*)"', re.IGNORECASE
)
BLOCK_OPEN = ("blocktranslate", "blocktrans")
BLOCK_CLOSE = ("endblocktranslate", "endblocktrans")
MARK = "\x00"
WORD = re.compile(r"[A-Za-z][A-Za-z'’-]*[A-Za-z]|[A-Za-z]")


def covered_templates() -> list[Path]:
    files = []
    for entry in COVERED:
        path = ROOT / entry
        files.extend(sorted(p for p in path.rglob("*") if p.is_file()) if path.is_dir() else [path])
    return files


def visible_text(markup: str) -> str:
    """What a reader sees of literal template text: no tags, comments, styles or scripts."""
    markup = re.sub(r"<!--.*?-->", " ", markup, flags=re.DOTALL)
    styles = re.findall(r"<style\b.*?</style>", markup, flags=re.DOTALL | re.IGNORECASE)
    footers = " ".join(untranslated_css(style) for style in styles)
    markup = re.sub(r"<(style|script)\b.*?</\1>", " ", markup, flags=re.DOTALL | re.IGNORECASE)
    attributes = " ".join(READ_ATTRIBUTES.findall(markup))
    markup = re.sub(r"<[^>]*>", " ", markup)
    markup = re.sub(r"&[#\w]+;", " ", markup)
    return f"{markup} {attributes} {footers}"


def untranslated_css(style: str) -> str:
    """The text of a style sheet's ``content:`` strings (page footers), as literal text."""
    strings = re.findall(r"content:\s*([^;]*);", style)
    return " ".join(re.findall(r'"([^"]*)"', " ".join(strings)))


def literal_markup(source: str) -> str:
    """The template with everything a translation tag or a variable prints replaced by a
    mark: what is left is the markup and text written in the template itself."""
    pieces, depth = [], 0
    for token in Lexer(source).tokenize():
        content = token.contents.strip()
        if token.token_type == TokenType.BLOCK:
            name = content.split()[0] if content else ""
            depth += name in BLOCK_OPEN
            depth -= name in BLOCK_CLOSE
            pieces.append(MARK)
        elif token.token_type == TokenType.TEXT and not depth:
            pieces.append(token.contents)
        else:
            pieces.append(MARK)
    return "".join(pieces)


def untranslated_words(source: str, *, is_css: bool = False) -> list[str]:
    """The words of ``source`` a reader would see outside a translation tag (in a style
    sheet, only its ``content:`` strings are read: page footers)."""
    if is_css:
        text = untranslated_css(literal_markup(source))
    else:
        text = visible_text(literal_markup(source))
    return [w for w in WORD.findall(text) if w not in UNTRANSLATED_WORDS]


def test_the_covered_templates_exist():
    missing = [entry for entry in COVERED if not (ROOT / entry).exists()]
    assert not missing


@pytest.mark.parametrize("path", covered_templates(), ids=lambda p: str(p.relative_to(ROOT)))
def test_template_has_no_text_outside_translation_tags(path):
    found = untranslated_words(path.read_text(), is_css=path.suffix == ".css")
    assert not found, f"{path.relative_to(ROOT)} shows English outside a translation tag: {found}"


def test_the_checker_finds_text_outside_tags():
    assert untranslated_words("<p>Hello {{ name }}</p>") == ["Hello"]
    assert untranslated_words('<img alt="Drawn signature">') == ["Drawn", "signature"]
    assert untranslated_words("{% translate 'Hello' %} <b>{{ x }}</b>") == []
    assert untranslated_words("{% blocktranslate %}Hi {{ x }}{% endblocktranslate %}") == []
    assert untranslated_words("<style>p { color: red }</style><p>PDF · SHA-256</p>") == []
    assert untranslated_words('<a href="{{ url }}" style="color:red">Open</a>') == ["Open"]
    footer = '<style>@page { @bottom-center { content: "Page " counter(page); } }</style>'
    assert untranslated_words(footer) == ["Page"]
    assert untranslated_words('p { content: "Page " counter(page); }', is_css=True) == ["Page"]
    assert untranslated_words('<img alt="{% translate "Drawn" %}" src="{{ s }}">') == []
