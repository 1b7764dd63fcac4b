"""The guide's pages: the index, one page per section, and the walkthrough's files.

Open to everyone (no organization data); the language is the active one, as LocaleMiddleware
or the user's setting left it.
"""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import translation
from django.views.decorators.http import require_safe

from . import media
from .labels import LABELS
from .sections import SECTIONS, get_section, guide_language, neighbours


def _language() -> str:
    return guide_language(translation.get_language())


@require_safe
def index(request: HttpRequest) -> HttpResponse:
    lang = _language()
    captions = media.available_captions()
    context = {
        "lang": lang,
        "labels": LABELS[lang],
        "sections": [(s, s.title[lang], s.summary[lang]) for s in SECTIONS],
        "video": media.walkthrough_file(media.VIDEO) is not None,
        # The active language's captions first, so it is the default track.
        "captions": sorted(captions, key=lambda c: c != lang),
    }
    return render(request, "guide/index.html", context)


@require_safe
def section(request: HttpRequest, slug: str) -> HttpResponse:
    found = get_section(slug)
    if found is None:
        raise Http404("No such section of the guide.")
    lang = _language()
    before, after = neighbours(slug)
    context = {
        "lang": lang,
        "labels": LABELS[lang],
        "section": found,
        "title": found.title[lang],
        "body_template": found.template(lang),
        "before": before and (before.slug, before.title[lang]),
        "after": after and (after.slug, after.title[lang]),
        "contents": [(s.slug, s.title[lang]) for s in SECTIONS],
    }
    return render(request, "guide/section.html", context)


@require_safe
def walkthrough_file(request: HttpRequest, name: str) -> HttpResponse:
    path = media.walkthrough_file(name)
    if path is None:
        raise Http404("The walkthrough has not been built (make walkthrough).")
    return media.file_response(request, path, name)
