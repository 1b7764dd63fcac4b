"""The guide reads in English and in Spanish, for anyone, signed in or not."""

import re

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import translation

from guide.labels import LABELS
from guide.sections import SECTIONS, SLUGS

from .conftest import article_text

PAGES = [reverse("guide:index")] + [reverse("guide:section", args=[s]) for s in SLUGS]


def _get(client, url, language):
    # As a browser asks for it: LocaleMiddleware picks the language of each request.
    with translation.override(language):
        response = client.get(url, HTTP_ACCEPT_LANGUAGE=language)
    assert response.status_code == 200, url
    return response.content.decode()


def _sentences(text: str) -> list[str]:
    """English sentences and clauses of four words or more (shorter ones are names)."""
    pieces = re.split(r"(?<=[.!?:;])\s+|\n|\s[—–]\s|[()“”\"]", text)
    return [p.strip(" .,;:") for p in pieces if len(p.split()) >= 4]


@pytest.mark.django_db
@pytest.mark.parametrize("slug", SLUGS)
def test_each_section_has_its_heading_in_both_languages(client, slug):
    section = next(s for s in SECTIONS if s.slug == slug)
    url = reverse("guide:section", args=[slug])
    for language in ("en", "es"):
        html = _get(client, url, language)
        assert f'<h1 id="{slug}">{section.title[language]}</h1>' in html
        assert f'lang="{language}"' in html
        assert len(article_text(html).split()) > 150  # prose, not a stub


@pytest.mark.django_db
def test_the_index_lists_every_section_in_the_active_language(client):
    for language in ("en", "es"):
        html = _get(client, reverse("guide:index"), language)
        assert LABELS[language]["index_title"] in html
        for section in SECTIONS:
            assert section.title[language] in html
            assert reverse("guide:section", args=[section.slug]) in html


@pytest.mark.django_db
@pytest.mark.parametrize("url", PAGES)
def test_no_english_sentence_of_the_page_appears_in_its_spanish_version(client, url):
    english = article_text(_get(client, url, "en"))
    spanish = " ".join(article_text(_get(client, url, "es")).split())
    leftovers = [s for s in _sentences(english) if s in spanish]
    assert leftovers == []
    assert english != spanish


@pytest.mark.django_db
def test_a_regional_spanish_reads_the_spanish_guide_and_other_languages_the_english(client):
    url = reverse("guide:section", args=["evidence-log"])
    assert "El Registro de evidencias" in _get(client, url, "es-mx")
    assert "The Evidence Log" in _get(client, url, "fr")


@pytest.mark.django_db
def test_accept_language_es_gets_the_spanish_guide(client, locale_middleware):
    response = client.get(reverse("guide:index"), headers={"accept-language": "es-ES,es;q=0.9"})
    assert LABELS["es"]["index_title"] in response.content.decode()
    response = client.get(reverse("guide:index"), headers={"accept-language": "en-GB,en;q=0.9"})
    assert LABELS["en"]["index_title"] in response.content.decode()


@pytest.mark.django_db
def test_the_language_cookie_gets_the_spanish_guide(locale_middleware):
    client = Client()
    client.cookies["django_language"] = "es"
    html = client.get(reverse("guide:section", args=["sufficiency"])).content.decode()
    assert "Suficiencia de la evidencia" in html


@pytest.mark.django_db
@pytest.mark.parametrize("url", PAGES[:3])
def test_anonymous_visitors_and_members_read_the_guide(client, role_clients, url):
    assert client.get(url).status_code == 200  # no redirect to the login page
    for who, member_client in role_clients.items():
        assert member_client.get(url).status_code == 200, who


@pytest.mark.django_db
def test_a_signed_in_member_sees_the_guide_inside_the_app_layout(owner_client):
    html = owner_client.get(reverse("guide:index")).content.decode()
    assert 'class="mainnav"' in html  # the normal navigation of a signed-in page


@pytest.mark.django_db
def test_an_unknown_section_is_a_404_not_an_error(client):
    assert client.get("/guide/no-such-section/").status_code == 404
    assert client.get("/guide/%C3%A9t%C3%A9/").status_code == 404


@pytest.mark.django_db
def test_the_guide_only_answers_reads(client):
    assert client.post(reverse("guide:index")).status_code == 405
    assert client.head(reverse("guide:section", args=["tiers"])).status_code == 200


@pytest.mark.django_db
def test_sections_link_to_their_neighbours_in_reading_order(client):
    html = _get(client, reverse("guide:section", args=[SLUGS[1]]), "en")
    assert f'rel="prev" href="{reverse("guide:section", args=[SLUGS[0]])}"' in html
    assert f'rel="next" href="{reverse("guide:section", args=[SLUGS[2]])}"' in html
    first = _get(client, reverse("guide:section", args=[SLUGS[0]]), "en")
    assert 'rel="prev"' not in first
