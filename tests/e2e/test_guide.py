"""The guide in a real browser: Spanish from the browser's language, and the walkthrough video
playing with its captions when it has been built."""

from pathlib import Path

import pytest
from django.conf import settings as django_settings

pytestmark = pytest.mark.browser

VIDEO = Path(__file__).resolve().parent.parent / "guide" / "data" / "tiny.webm"


def test_a_visitor_reads_the_guide_and_follows_a_section(
    live_server, transactional_db, new_context, settings, tmp_path
):
    settings.WALKTHROUGH_DIR = str(tmp_path)  # nothing built
    page = new_context().new_page()
    page.goto(f"{live_server.url}/guide/")
    assert page.inner_text("h1") == "The method, as Accord applies it"
    assert "make walkthrough" in page.inner_text("[data-testid=walkthrough-missing] + pre")
    page.click("text=The Evidence Log")
    page.wait_for_url("**/guide/evidence-log/")
    assert page.inner_text("h1") == "The Evidence Log"
    page.click("a[rel=next]")
    page.wait_for_url("**/guide/sufficiency/")
    assert page.inner_text("h1") == "Evidence sufficiency"


@pytest.mark.skipif(
    "django.middleware.locale.LocaleMiddleware" not in django_settings.MIDDLEWARE,
    reason="the live server picks a language once LocaleMiddleware is installed (issue 16.1)",
)
def test_a_browser_set_to_spanish_gets_the_spanish_guide(
    live_server, transactional_db, new_context
):
    page = new_context(locale="es-ES").new_page()
    page.goto(f"{live_server.url}/guide/")
    assert page.inner_text("h1") == "El método, tal como lo aplica Accord"
    assert page.locator("article.guide").get_attribute("lang") == "es"
    page.click("text=El Registro de evidencias")
    page.wait_for_url("**/guide/evidence-log/")
    assert page.inner_text("h1") == "El Registro de evidencias"


def test_the_built_walkthrough_plays_with_captions_in_both_languages(
    live_server, transactional_db, new_context, settings, tmp_path
):
    settings.WALKTHROUGH_DIR = str(tmp_path)
    (tmp_path / "walkthrough.webm").write_bytes(VIDEO.read_bytes())
    for lang, text in (("en", "A manager signs in."), ("es", "Un responsable inicia sesión.")):
        (tmp_path / f"walkthrough.{lang}.vtt").write_text(
            f"WEBVTT\n\nsign-in\n00:00:00.000 --> 00:00:01.500\n{text}\n", encoding="utf-8"
        )
    csp_errors = []
    page = new_context().new_page()
    page.on("console", lambda m: "Content Security Policy" in m.text and csp_errors.append(m.text))
    page.goto(f"{live_server.url}/guide/")
    page.wait_for_function(
        "() => document.querySelector('[data-testid=walkthrough-video]').readyState >= 1"
    )
    duration = page.evaluate("document.querySelector('[data-testid=walkthrough-video]').duration")
    assert 1.5 < duration < 2.5
    page.evaluate("for (const t of document.querySelector('video').textTracks) t.mode = 'hidden'")
    page.wait_for_function(
        "() => [...document.querySelector('video').textTracks].every(t => t.cues && t.cues.length)"
    )
    cues = page.evaluate(
        "[...document.querySelector('video').textTracks].map(t => [t.language, t.kind, "
        "t.cues[0].text])"
    )
    assert cues == [
        ["en", "captions", "A manager signs in."],
        ["es", "captions", "Un responsable inicia sesión."],
    ]
    assert csp_errors == []
