"""Every slug is a stable, well-formed promise with a page in each language."""

import re

from django.template.loader import get_template

from guide.sections import LANGUAGES, SECTIONS, SLUGS, guide_language, neighbours


def test_slugs_are_unique_lowercase_words_joined_by_hyphens():
    assert len(SLUGS) == len(set(SLUGS))
    assert all(re.fullmatch(r"[a-z]+(-[a-z]+)*", slug) for slug in SLUGS)
    assert "walkthrough" not in SLUGS  # that path serves the video


def test_every_section_has_a_title_summary_label_and_page_in_every_language():
    for section in SECTIONS:
        for language in LANGUAGES:
            assert section.title[language] and section.summary[language]
            assert section.about[language].startswith("About" if language == "en" else "Acerca")
            get_template(section.template(language))  # exists and compiles


def test_the_slugs_the_issue_names_are_there():
    for slug in ("evidence-log", "sufficiency", "fit-card", "charter", "tiers", "crawl-walk-run"):
        assert slug in SLUGS


def test_guide_language_maps_variants_and_falls_back_to_english():
    assert guide_language("es") == "es"
    assert guide_language("es-ar") == "es"
    assert guide_language("ES_es") == "es"
    assert guide_language("en-us") == "en"
    assert guide_language("de") == "en"
    assert guide_language(None) == "en"


def test_neighbours_follow_the_reading_order():
    assert neighbours(SLUGS[0]) == (None, SECTIONS[1])
    assert neighbours(SLUGS[-1]) == (SECTIONS[-2], None)
