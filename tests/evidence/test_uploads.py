"""An evidence upload's name and content agree, and nothing a browser would run is accepted."""

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from evidence.models import EvidenceEntry
from evidence.uploads import ALLOWED_TYPES, upload_check
from tests.factories import PartnershipFactory

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG = bytes.fromhex("89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c489")
JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00" + bytes(64)


def _check(name, content):
    return upload_check(SimpleUploadedFile(name, content))


@pytest.mark.parametrize(
    ("name", "content", "mime"),
    [
        ("report.pdf", PDF, "application/pdf"),
        ("REPORT.PDF", PDF, "application/pdf"),
        ("chart.png", PNG, "image/png"),
        ("photo.jpg", JPEG, "image/jpeg"),
        ("photo.jpeg", JPEG, "image/jpeg"),
        ("minutes.txt", "Réunion: 20 marchands".encode(), "text/plain"),
        ("volumes.csv", b"month,disputes\n2026-01,120\n", "text/plain"),
    ],
)
def test_a_file_whose_name_matches_its_content_is_accepted(name, content, mime):
    assert _check(name, content) == mime


@pytest.mark.parametrize(
    ("name", "content", "says"),
    [
        ("report.png", PDF, "ends in .png but its content is PDF"),
        ("chart.pdf", PNG, "ends in .pdf but its content is PNG"),
        ("notes.pdf", b"Plain words, not a PDF.", "ends in .pdf but its content is plain text"),
        ("report", PDF, "no extension"),
        ("minutes.bin", None, "ends in .bin but its content is Word"),
    ],
)
def test_a_file_whose_name_does_not_match_its_content_is_refused(name, content, says, docx):
    with pytest.raises(ValidationError) as exc:
        _check(name, docx if content is None else content)
    assert says in exc.value.messages[0]
    assert exc.value.error_list[0].code == "file_extension"


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("page.txt", b"<!DOCTYPE html><html><body>Hi</body></html>"),
        ("page.html", b"<html><body>Hi</body></html>"),
        ("fragment.txt", b"Results below\n<script>alert(document.cookie)</script>"),
        ("chart.svg", b'<svg xmlns="http://www.w3.org/2000/svg"><circle r="4"/></svg>'),
        ("chart.txt", b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg"/>'),
        ("link.txt", b"Click javascript:alert(1)"),
        ("run.txt", b"#!/bin/sh\nrm -rf /\n"),
        ("run.sh", b"echo hello\n"),
        ("app.js", b"console.log('hi')\n"),
    ],
)
def test_html_svg_and_scripts_are_refused_whatever_their_name(name, content):
    with pytest.raises(ValidationError) as exc:
        _check(name, content)
    assert exc.value.error_list[0].code in ("file_type", "file_extension")


@pytest.fixture
def docx():
    import io
    import zipfile

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<w:document/>")
    return buffer.getvalue()


def test_no_allowed_type_is_markup_or_script():
    forbidden = {
        "text/html",
        "application/xhtml+xml",
        "image/svg+xml",
        "application/xml",
        "text/xml",
        "application/javascript",
        "text/javascript",
        "application/x-sh",
        "text/x-python",
    }
    assert not forbidden & set(ALLOWED_TYPES)
    extensions = {ext for _label, exts in ALLOWED_TYPES.values() for ext in exts}
    assert not extensions & {"html", "htm", "svg", "xml", "js", "sh", "py", "php", "exe"}


def test_the_form_lists_the_allowed_types_and_the_size_limit(manager_client, settings):
    settings.UPLOAD_MAX_BYTES = 5 * 1024 * 1024
    content = manager_client.get(reverse("evidence:entry_new")).content.decode()
    for label, extensions in ALLOWED_TYPES.values():
        assert f"{label} ({', '.join('.' + ext for ext in extensions)})" in content
    assert "HTML, SVG and scripts are refused" in content
    assert "At most 5.0\xa0MB" in content


def test_a_mislabelled_upload_is_refused_on_the_form(manager_client, org, owner):
    partnership = PartnershipFactory(organization=org, owner=owner)
    response = manager_client.post(
        reverse("evidence:entry_new"),
        {
            "partnership": partnership.pk,
            "claim": "Disputes",
            "artifact": "Screenshot of the dashboard",
            "quality": "demo",
            "observed_on": "2026-01-15",
            "boundary_status": "intact",
            "decision": "none",
            "file": SimpleUploadedFile("dashboard.pdf", PNG),
        },
    )
    assert response.status_code == 422
    assert b"its content is PNG: name it .png" in response.content
    assert not EvidenceEntry.objects.exists()
