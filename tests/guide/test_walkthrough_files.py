"""The walkthrough's video and captions: served from WALKTHROUGH_DIR when built, 404 when not."""

from pathlib import Path

import pytest
from django.urls import reverse
from django.utils import translation

from guide import media

VIDEO_BYTES = (Path(__file__).parent / "data" / "tiny.webm").read_bytes()
VTT = "WEBVTT\n\n1\n00:00:00.000 --> 00:00:01.000\nHello\n"


def _url(name):
    return reverse("guide:walkthrough_file", args=[name])


def _build(folder: Path):
    (folder / "walkthrough.webm").write_bytes(VIDEO_BYTES)
    (folder / "walkthrough.en.vtt").write_text(VTT)
    (folder / "walkthrough.es.vtt").write_text(VTT.replace("Hello", "Hola"))


@pytest.mark.django_db
def test_nothing_built_is_a_404_and_the_index_says_how_to_build_it(client, walkthrough_dir):
    assert client.get(_url("walkthrough.webm")).status_code == 404
    assert client.get(_url("walkthrough.en.vtt")).status_code == 404
    html = client.get(reverse("guide:index")).content.decode()
    assert "<video" not in html
    assert "make walkthrough" in html
    with translation.override("es"):
        html = client.get(reverse("guide:index"), HTTP_ACCEPT_LANGUAGE="es").content.decode()
    assert "todavía no se ha generado" in html and "make walkthrough" in html


@pytest.mark.django_db
def test_a_built_video_and_its_captions_are_served(client, walkthrough_dir):
    _build(walkthrough_dir)
    response = client.get(_url("walkthrough.webm"))
    assert response.status_code == 200
    assert response["Content-Type"] == "video/webm"
    assert response["Accept-Ranges"] == "bytes"
    assert b"".join(response.streaming_content) == VIDEO_BYTES
    response = client.get(_url("walkthrough.es.vtt"))
    assert response["Content-Type"] == "text/vtt; charset=utf-8"
    assert b"".join(response.streaming_content).decode().endswith("Hola\n")


@pytest.mark.django_db
def test_the_index_embeds_the_video_with_captions_in_both_languages(client, walkthrough_dir):
    _build(walkthrough_dir)
    with translation.override("es"):
        html = client.get(reverse("guide:index"), HTTP_ACCEPT_LANGUAGE="es").content.decode()
    assert f'<source src="{_url("walkthrough.webm")}" type="video/webm">' in html
    assert html.count('<track kind="captions"') == 2
    assert 'srclang="en"' in html and 'srclang="es"' in html
    # The page's language is the default track.
    es_track = html[html.index('srclang="es"') :].split(">")[0]
    assert "default" in es_track
    assert "make walkthrough" not in html


@pytest.mark.django_db
def test_a_video_without_captions_is_embedded_without_tracks(client, walkthrough_dir):
    (walkthrough_dir / "walkthrough.webm").write_bytes(VIDEO_BYTES)
    html = client.get(reverse("guide:index")).content.decode()
    assert "<video" in html and "<track" not in html


@pytest.mark.django_db
def test_a_byte_range_is_answered_with_206_for_seeking(client, walkthrough_dir):
    _build(walkthrough_dir)
    size = len(VIDEO_BYTES)
    response = client.get(_url("walkthrough.webm"), headers={"range": "bytes=10-19"})
    assert response.status_code == 206
    assert response["Content-Range"] == f"bytes 10-19/{size}"
    assert b"".join(response.streaming_content) == VIDEO_BYTES[10:20]
    response = client.get(_url("walkthrough.webm"), headers={"range": "bytes=-5"})
    assert b"".join(response.streaming_content) == VIDEO_BYTES[-5:]
    response = client.get(_url("walkthrough.webm"), headers={"range": f"bytes={size}-"})
    assert response.status_code == 416
    assert response["Content-Range"] == f"bytes */{size}"
    # A range we do not understand gets the whole file.
    response = client.get(_url("walkthrough.webm"), headers={"range": "bytes=1-2,5-6"})
    assert response.status_code == 200


@pytest.mark.django_db
def test_only_the_walkthrough_files_can_be_named(client, walkthrough_dir, settings):
    _build(walkthrough_dir)
    (walkthrough_dir / "secret.txt").write_text("no")
    for name in ("secret.txt", "..%2Fsettings.py", "walkthrough.webm.bak", "%2Fetc%2Fpasswd"):
        assert client.get(f"/guide/walkthrough/{name}").status_code == 404, name


def test_the_default_folder_is_var_walkthrough(settings):
    del settings.WALKTHROUGH_DIR
    assert media.walkthrough_dir() == Path(settings.BASE_DIR) / "var" / "walkthrough"
