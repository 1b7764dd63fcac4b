"""Who reads Accord in which language: a member's setting, then their organization's
default, then the browser (core.i18n.resolve_language), and the language switcher."""

from types import SimpleNamespace

import pytest
from django.urls import reverse

from accounts.models import User
from core.i18n import resolve_language, supported

pytestmark = pytest.mark.django_db

SPANISH_BROWSER = {"HTTP_ACCEPT_LANGUAGE": "es-MX,es;q=0.9,en;q=0.5"}
ENGLISH_BROWSER = {"HTTP_ACCEPT_LANGUAGE": "en-GB,en;q=0.9"}


def person(language=""):
    return SimpleNamespace(language=language)


def organization(language="en"):
    return SimpleNamespace(default_language=language)


def test_regional_and_unknown_codes_reduce_to_our_languages():
    assert supported("es-MX") == "es"
    assert supported("ES_es") == "es"
    assert supported("en-us") == "en"
    assert supported("fr") is None
    assert supported("") is None


def test_a_person_setting_beats_the_organization_default():
    assert resolve_language(person("es"), organization("en")) == "es"
    assert resolve_language(person("en"), organization("es")) == "en"


def test_without_a_setting_the_organization_default_applies():
    assert resolve_language(person(""), organization("es")) == "es"


def test_the_document_language_comes_before_the_organization_default():
    assert resolve_language(person(""), organization("en"), document="es") == "es"
    assert resolve_language(person("en"), organization("en"), document="es") == "en"


def test_nobody_known_is_english():
    assert resolve_language() == "en"


def profile_html(client, **headers) -> str:
    return client.get(reverse("accounts:profile"), **headers).content.decode()


def test_a_members_own_language_wins_over_the_browser(manager_client, manager):
    User.objects.filter(pk=manager.pk).update(language="es")
    html = profile_html(manager_client, **ENGLISH_BROWSER)
    assert '<html lang="es">' in html


def test_the_organization_default_wins_over_the_browser_for_a_member_without_a_setting(
    manager_client, org
):
    org.default_language = "es"
    org.save(update_fields=["default_language"])
    assert '<html lang="es">' in profile_html(manager_client, **ENGLISH_BROWSER)
    org.default_language = "en"
    org.save(update_fields=["default_language"])
    assert '<html lang="en">' in profile_html(manager_client, **SPANISH_BROWSER)


def test_a_visitor_nobody_knows_gets_the_browsers_language(client):
    response = client.get("/no-such-page/", **SPANISH_BROWSER)
    assert response.status_code == 404
    assert "Página no encontrada" in response.content.decode()
    assert response["Content-Language"] == "es"
    english = client.get("/no-such-page/", **ENGLISH_BROWSER).content.decode()
    assert "Page not found" in english


def test_the_switcher_sets_a_visitors_language(client):
    response = client.post(reverse("set_language"), {"language": "es", "next": "/guide/"})
    assert response.status_code == 302
    assert response["Location"] == "/guide/"
    assert (
        client.get("/no-such-page/", **ENGLISH_BROWSER)
        .content.decode()
        .count("Página no encontrada")
    )


def test_the_switcher_saves_a_members_setting(manager_client, manager):
    manager_client.post(reverse("set_language"), {"language": "es", "next": "/org/profile/"})
    manager.refresh_from_db()
    assert manager.language == "es"


def test_the_switcher_ignores_a_foreign_next_and_an_unknown_language(manager_client, manager):
    response = manager_client.post(
        reverse("set_language"), {"language": "klingon", "next": "https://evil.example/"}
    )
    assert response.status_code == 302
    assert response["Location"] == "/"
    manager.refresh_from_db()
    assert manager.language == ""


def test_the_switcher_is_a_post_only(client):
    assert client.get(reverse("set_language")).status_code == 405


def test_every_page_offers_the_switcher(client):
    html = client.get(reverse("guide:index")).content.decode()
    assert f'action="{reverse("set_language")}"' in html
    assert 'lang="es"' in html and "Español" in html
    # each language is named in itself, whatever the page's language
    spanish = client.get(reverse("guide:index"), HTTP_ACCEPT_LANGUAGE="es").content.decode()
    assert '<option value="en" lang="en"' in spanish and ">English</option>" in spanish


def test_a_member_chooses_a_language_in_their_settings(manager_client, manager):
    form = manager_client.get(reverse("accounts:profile")).context["form"]
    assert "language" in form.fields
    data = {
        "full_name": manager.full_name,
        "language": "es",
        "time_zone": "Europe/Madrid",
        "digest_enabled": "on",
    }
    assert manager_client.post(reverse("accounts:profile"), data).status_code == 302
    manager.refresh_from_db()
    assert manager.language == "es"


def test_an_owner_sets_the_organizations_default_language(owner_client, org):
    form = owner_client.get(reverse("accounts:settings")).context["form"]
    assert "default_language" in form.fields
