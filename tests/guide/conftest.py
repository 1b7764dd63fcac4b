"""Helpers for the guide's tests: the article's text, and Spanish as the active language."""

from html.parser import HTMLParser

import pytest


class _ArticleText(HTMLParser):
    """The visible text inside the page's ``<article class="guide">``, one line per element."""

    def __init__(self):
        super().__init__()
        self.depth = 0
        self.parts: list[str] = []

    def handle_starttag(self, tag, attrs):
        if self.depth:
            self.depth += tag == "article"
            self.parts.append("\n")
        elif tag == "article" and "guide" in (dict(attrs).get("class") or ""):
            self.depth = 1

    def handle_endtag(self, tag):
        if self.depth and tag == "article":
            self.depth -= 1
        if self.depth:
            self.parts.append("\n")

    def handle_data(self, data):
        if self.depth:
            self.parts.append(data)


def article_text(html: str) -> str:
    """The article's text, one line per block of text, spaces collapsed within each line."""
    parser = _ArticleText()
    parser.feed(html)
    lines = (" ".join(line.split()) for line in "".join(parser.parts).splitlines())
    return "\n".join(line for line in lines if line)


@pytest.fixture
def locale_middleware(settings):
    """LocaleMiddleware in place (the i18n work adds it for good), so requests pick a language."""
    middleware = list(settings.MIDDLEWARE)
    if "django.middleware.locale.LocaleMiddleware" not in middleware:
        at = middleware.index("django.contrib.sessions.middleware.SessionMiddleware") + 1
        middleware.insert(at, "django.middleware.locale.LocaleMiddleware")
    settings.MIDDLEWARE = middleware
    return settings


@pytest.fixture
def walkthrough_dir(settings, tmp_path):
    """An empty WALKTHROUGH_DIR; tests put the files they need in it."""
    settings.WALKTHROUGH_DIR = str(tmp_path)
    return tmp_path
