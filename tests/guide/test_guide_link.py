"""``{% guide_link %}``: the "?" that other pages put beside a field or panel."""

import pytest
from django.template import Context, Template, TemplateSyntaxError
from django.utils import translation


def _render(source: str, **context) -> str:
    return Template("{% load guide %}" + source).render(Context(context))


def test_renders_an_accessible_link_to_the_section():
    with translation.override("en"):
        html = _render('{% guide_link "evidence-log" %}')
    assert html == (
        '<a class="guide-link" href="/guide/evidence-log/" aria-label="About the evidence log" '
        'title="About the evidence log">?</a>'
    )


def test_the_label_follows_the_active_language():
    with translation.override("es"):
        html = _render("{% guide_link 'evidence-log' %}")
    assert 'aria-label="Acerca del registro de evidencias"' in html
    assert 'href="/guide/evidence-log/"' in html


def test_guide_url_gives_the_bare_address():
    assert _render('{% guide_url "sufficiency" %}') == "/guide/sufficiency/"


def test_a_misspelt_slug_fails_when_the_template_is_compiled():
    with pytest.raises(TemplateSyntaxError, match="no guide section 'evidence-logs'"):
        Template('{% load guide %}{% guide_link "evidence-logs" %}')


def test_a_slug_from_a_variable_is_resolved_and_an_unknown_one_renders_nothing():
    assert 'href="/guide/tiers/"' in _render("{% guide_link slug %}", slug="tiers")
    assert _render("{% guide_link slug %}", slug="nope") == ""


def test_the_tag_takes_exactly_one_argument():
    with pytest.raises(TemplateSyntaxError, match="takes one argument"):
        Template("{% load guide %}{% guide_link %}")
