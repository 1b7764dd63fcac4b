"""A charter version's language (16.4): recorded, rendered in, stated, and another language
is another version to sign. Signing e-mails go out in each signer's language."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import translation

from charters import services
from charters.models import SignatureRequest
from charters.services.versions import version_in_language
from notifications.models import OutboundEmail

from .conftest import CHARTER_DATA, sign_links

pytestmark = pytest.mark.django_db


def subject_and_text(row: OutboundEmail) -> tuple[str, str]:
    """As queued (nothing is delivered before the test's transaction would commit)."""
    assert row.redacted_at is None
    return row.subject, row.body_text


def test_a_new_version_is_in_the_language_of_whoever_writes_it(partnership, manager):
    with translation.override("es"):
        version = services.charter_save(partnership=partnership, actor=manager, data=CHARTER_DATA)
    assert version.language == "es"


def test_a_draft_keeps_its_language_when_edited_in_another(partnership, manager):
    with translation.override("es"):
        draft = services.charter_save(partnership=partnership, actor=manager, data=CHARTER_DATA)
    edited = services.charter_save(
        partnership=partnership, actor=manager, data={**CHARTER_DATA, "title": "Nuevo título"}
    )
    assert edited.pk == draft.pk and edited.language == "es"


def test_the_document_is_rendered_in_the_versions_language_whoever_sends_it(send, version):
    version.language = "es"
    version.save(update_fields=["language"])
    with translation.override("en"):
        request = send()
    html = request.version.document_html
    assert "Objetivos comunes" in html and "Intercambio de valor" in html
    assert "Acta de la alianza · versión 1" in html and 'lang="es"' in html
    assert "Mutual goals" not in html


def test_the_other_language_is_a_new_version_and_voids_the_open_request(send, version, manager):
    request = send()
    spanish = version_in_language(version=request.version, language="es", actor=manager)
    assert spanish.number == 2 and spanish.language == "es" and not spanish.is_frozen
    assert spanish.mutual_goals == version.mutual_goals  # the people's text, to translate
    request.refresh_from_db()
    assert request.state == SignatureRequest.State.VOIDED
    version.refresh_from_db()
    assert version.language == "en"  # the signed-in-English version is untouched


def test_an_unsent_draft_simply_changes_language(version, manager):
    spanish = version_in_language(version=version, language="es", actor=manager)
    assert spanish.pk == version.pk and spanish.language == "es"


@pytest.mark.parametrize("language", ["en", "fr", ""])
def test_the_same_or_an_unknown_language_is_refused(version, manager, language):
    with pytest.raises(ValidationError):
        version_in_language(version=version, language=language, actor=manager)


def test_a_manager_makes_a_version_in_spanish_from_the_charter_page(
    manager_client, send, version, partnership
):
    send()
    page = manager_client.get(reverse("charters:detail", args=[partnership.uuid]))
    assert "Make a version in Spanish" in page.content.decode()
    url = reverse("charters:version_language", args=[version.uuid])
    response = manager_client.post(url, {"language": "es"})
    assert response.status_code == 302
    assert response["Location"] == reverse("charters:edit", args=[partnership.uuid])
    assert partnership.charter.versions.order_by("-number").first().language == "es"


def test_a_bad_language_post_is_a_message_not_an_error(manager_client, version, partnership):
    url = reverse("charters:version_language", args=[version.uuid])
    response = manager_client.post(url, {"language": "xx"}, follow=True)
    assert response.status_code == 200
    assert "Choose one of the languages Accord offers." in response.content.decode()


def test_a_viewer_cannot_make_a_version(viewer_client, version):
    url = reverse("charters:version_language", args=[version.uuid])
    assert viewer_client.post(url, {"language": "es"}).status_code == 403


def test_the_signing_page_says_which_language_the_charter_is_in(client, send, version, contact):
    version.language = "es"
    version.save(update_fields=["language"])
    send()
    token = sign_links()[contact.email]
    # The contact chose English: the page is English and says the charter is Spanish.
    contact.language = "en"
    contact.save(update_fields=["language"])
    html = client.get(reverse("charters:sign", args=[token])).content.decode()
    assert "This charter is written in Spanish: you sign the text in that language." in html
    assert "Objetivos comunes" in html  # the document itself stays as it was signed


def test_each_signer_gets_the_signing_e_mail_in_their_language(send, contact, manager):
    contact.language = "es"
    contact.save(update_fields=["language"])
    with translation.override("es"):  # the sender's own language does not leak
        send()
    row = OutboundEmail.objects.get(key__startswith="charter-sign:", to=contact.email)
    subject, text = subject_and_text(row)
    assert subject.startswith("Northwind le pide que firme el Acta de la alianza")
    assert "Léala y fírmela aquí (este enlace es personal; no lo reenvíe):" in text
    ours = OutboundEmail.objects.get(key__startswith="charter-sign:", to=manager.email)
    assert ours.subject.startswith("Sign the Partnership Charter with")


def test_signing_messages_are_in_the_signers_language(client, send, contact):
    contact.language = "es"
    contact.save(update_fields=["language"])
    send()
    token = sign_links()[contact.email]
    client.post(reverse("charters:sign_consent", args=[token]), {"consent": "on"})
    response = client.post(reverse("charters:sign_sign", args=[token]), {"typed_name": ""})
    assert response.status_code == 422
    html = response.content.decode()
    assert "Este campo es obligatorio." in html
    assert 'lang="es"' in html and response["Content-Language"] == "es"


def test_the_verification_page_answers_in_the_visitors_language(client):
    from django.core.files.uploadedfile import SimpleUploadedFile

    upload = SimpleUploadedFile("x.pdf", b"%PDF-1.7 not really", content_type="application/pdf")
    response = client.post(
        reverse("charters:verify"), {"document": upload}, HTTP_ACCEPT_LANGUAGE="es"
    )
    html = response.content.decode()
    assert "No válida" in html and "El archivo no es un PDF legible" in html
    assert "Verificar un acta formalizada" in html
