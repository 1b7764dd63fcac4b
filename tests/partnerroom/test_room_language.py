"""The partner room speaks its contact's language (issue 16.1): a Spanish contact reads their
room in Spanish, an English one in English, and the public pages follow the browser."""

from django.conf import settings
from django.urls import reverse


def test_a_spanish_contact_reads_the_room_home_in_spanish(lena, acquiring, signed_in):
    lena.language = "es"
    lena.save(update_fields=["language"])
    client = signed_in(lena)

    response = client.get(reverse("partnerroom:home"))

    html = response.content.decode()
    assert response.status_code == 200
    assert '<html lang="es">' in html
    assert response["Content-Language"] == "es"
    assert "Sus alianzas con" in html
    assert "Cerrar sesión" in html
    assert "Your partnerships with" not in html
    assert "Sign out" not in html


def test_a_spanish_contact_reads_a_partnership_page_in_spanish(lena, acquiring, signed_in):
    lena.language = "es"
    lena.save(update_fields=["language"])
    client = signed_in(lena)

    response = client.get(reverse("partnerroom:partnership", args=[acquiring.uuid]))

    html = response.content.decode()
    assert response.status_code == 200
    assert '<html lang="es">' in html
    assert "Ficha de adecuación" in html
    assert "Añadir evidencia" in html
    assert "Fit card" not in html
    assert "Add evidence" not in html


def test_an_english_contact_reads_the_room_in_english(lena, acquiring, signed_in):
    lena.language = "en"
    lena.save(update_fields=["language"])
    client = signed_in(lena)

    home = client.get(reverse("partnerroom:home")).content.decode()
    page = client.get(reverse("partnerroom:partnership", args=[acquiring.uuid])).content.decode()

    assert '<html lang="en">' in home
    assert "Your partnerships with" in home
    assert "Sus alianzas con" not in home
    assert "Fit card" in page
    assert "Ficha de adecuación" not in page


def test_the_contacts_setting_wins_over_the_browser(lena, acquiring, signed_in):
    lena.language = "es"
    lena.save(update_fields=["language"])
    client = signed_in(lena)

    html = client.get(reverse("partnerroom:home"), HTTP_ACCEPT_LANGUAGE="en").content.decode()

    assert "Sus alianzas con" in html


def test_a_contact_without_a_setting_gets_the_switchers_choice(lena, acquiring, signed_in):
    lena.language = ""
    lena.save(update_fields=["language"])
    client = signed_in(lena)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "es"

    html = client.get(reverse("partnerroom:home")).content.decode()

    assert '<html lang="es">' in html
    assert "Sus alianzas con" in html


def test_a_spanish_contacts_flash_message_is_spanish(lena, acquiring, signed_in):
    lena.language = "es"
    lena.save(update_fields=["language"])
    client = signed_in(lena)

    response = client.post(
        reverse("partnerroom:evidence_new", args=[acquiring.uuid]),
        {
            "claim": "La integración reduce el tiempo de alta",
            "artifact": "Medimos 40 altas en octubre",
            "quality": "pilot",
            "observed_on": "2026-11-02",
            "boundary_status": "intact",
        },
        follow=True,
    )

    html = response.content.decode()
    assert "Su evidencia está en el registro" in html
    assert "Your evidence is in the log" not in html


def test_the_public_access_page_follows_the_browser(client):
    spanish = client.get(reverse("partnerroom:access"), HTTP_ACCEPT_LANGUAGE="es")
    english = client.get(reverse("partnerroom:access"), HTTP_ACCEPT_LANGUAGE="en")

    assert "Enviarme un enlace de inicio de sesión" in spanish.content.decode()
    assert "E-mail me a sign-in link" in english.content.decode()


def test_a_spanish_contacts_evidence_form_is_spanish(lena, acquiring, signed_in):
    lena.language = "es"
    lena.save(update_fields=["language"])
    client = signed_in(lena)

    html = client.get(reverse("partnerroom:evidence_new", args=[acquiring.uuid])).content.decode()

    assert "Añadir al registro de evidencias" in html
    assert "o texto sin formato (.txt, .csv, .md)" in html
    assert "or plain text" not in html
    assert "Add to the evidence log" not in html
