"""The Spanish catalogue is complete: every message translated, none fuzzy, every placeholder
kept, and the compiled catalogue is the one Django serves."""

import re

import polib
import pytest
from django.utils import translation

from tests.catalogues import LOCALE_DIR

SPANISH = LOCALE_DIR / "es" / "LC_MESSAGES" / "django.po"
PLACEHOLDER = re.compile(r"%\((\w+)\)s")


@pytest.fixture(scope="module")
def catalogue():
    return polib.pofile(str(SPANISH))


def label(entry) -> str:
    return f"{entry.msgctxt + ' | ' if entry.msgctxt else ''}{entry.msgid!r}"


def test_every_spanish_message_is_translated(catalogue):
    missing = [label(e) for e in catalogue if not e.obsolete and not e.translated()]
    assert not missing, f"{len(missing)} untranslated Spanish messages: {missing[:20]}"


def test_no_spanish_message_is_fuzzy(catalogue):
    fuzzy = [label(e) for e in catalogue.fuzzy_entries()]
    assert not fuzzy, f"fuzzy Spanish messages (check and clear the flag): {fuzzy[:20]}"


def test_no_obsolete_messages_are_kept(catalogue):
    assert not catalogue.obsolete_entries(), "run `make messages` (it drops obsolete ones)"


def test_every_translation_keeps_the_placeholders_of_its_message(catalogue):
    wrong = []
    for entry in catalogue:
        if entry.obsolete:
            continue
        wanted = set(PLACEHOLDER.findall(entry.msgid + (entry.msgid_plural or "")))
        translations = entry.msgstr_plural.values() if entry.msgid_plural else [entry.msgstr]
        for text in translations:
            if set(PLACEHOLDER.findall(text)) - wanted or (
                not entry.msgid_plural and set(PLACEHOLDER.findall(text)) != wanted
            ):
                wrong.append(label(entry))
    assert not wrong, f"placeholders differ: {wrong[:20]}"


def test_html_in_a_message_is_kept_in_its_translation(catalogue):
    tags = re.compile(r"</?(\w+)")
    wrong = [
        label(e)
        for e in catalogue
        if not e.obsolete
        and not e.msgid_plural
        and sorted(tags.findall(e.msgid)) != sorted(tags.findall(e.msgstr))
    ]
    assert not wrong, f"HTML tags differ: {wrong[:20]}"


def test_the_catalogue_says_it_is_spanish_with_spanish_plurals(catalogue):
    assert catalogue.metadata["Language"] == "es"
    assert catalogue.metadata["Plural-Forms"].startswith("nplurals=")


def test_the_compiled_catalogue_is_served(catalogue):
    entry = next(e for e in catalogue if e.msgid == "Review and sign")
    with translation.override("es"):
        assert translation.gettext("Review and sign") == entry.msgstr == "Revisar y firmar"
    with translation.override("en"):
        assert translation.gettext("Review and sign") == "Review and sign"


def test_the_spanish_addresses_the_reader_as_usted(catalogue):
    """locale/GLOSSARY.md: usted everywhere. The informal possessive and common tú verb forms
    give a slip away."""
    informal = re.compile(
        r"\b(tu|tus|ti|contigo|tienes|puedes|quieres|haz|recibes|debes|eres|estás)\b", re.IGNORECASE
    )
    slips = [label(e) for e in catalogue if informal.search(e.msgstr or "")]
    assert not slips, f"tú forms in the Spanish: {slips[:20]}"


def test_the_catalogue_holds_every_message_marked_in_the_code(tmp_path, settings, monkeypatch):
    """``make messages`` was run: extracting the marked strings afresh finds no message the
    committed catalogue lacks, and none it no longer needs. A string marked and never
    extracted would show in English to Spanish readers.

    The extraction runs in a shadow of the project (its folders linked, its locale folder
    copied), so the committed catalogue is never written by the test.
    """
    import shutil

    from django.core.management import call_command

    project = LOCALE_DIR.parent
    shadow = tmp_path / "project"
    shadow.mkdir()
    for entry in project.iterdir():
        if entry.name in SKIPPED or entry.name.startswith("."):
            continue
        (shadow / entry.name).symlink_to(entry)
    shutil.copytree(LOCALE_DIR, shadow / "locale", ignore=shutil.ignore_patterns("*.mo"))
    settings.LOCALE_PATHS = [shadow / "locale"]
    monkeypatch.chdir(shadow)
    call_command(
        "makemessages",
        locale=["es"],
        extensions=["html", "txt", "py"],
        symlinks=True,
        no_obsolete=True,
        add_location="file",
        verbosity=0,
    )
    fresh = {
        (e.msgctxt, e.msgid) for e in polib.pofile(str(shadow / "locale/es/LC_MESSAGES/django.po"))
    }
    kept = {(e.msgctxt, e.msgid) for e in polib.pofile(str(SPANISH)) if not e.obsolete}
    assert not fresh - kept, (
        f"run `make messages`: not in the catalogue: {sorted(fresh - kept)[:10]}"
    )
    assert not kept - fresh, f"run `make messages`: no longer used: {sorted(kept - fresh)[:10]}"


# What ``make messages`` does not read (Makefile MESSAGES_IGNORE), plus the locale folder.
SKIPPED = {"locale", "tests", "var", "staticfiles", "node_modules", "walkthrough", "bench"}


def test_gettext_accepts_the_catalogue_with_its_strictest_checks():
    """``msgfmt --check``: the header, every format string and the number of plural forms (three
    for Spanish) as gettext requires; Django's compilemessages alone lets a short plural pass."""
    import shutil
    import subprocess

    msgfmt = shutil.which("msgfmt")
    assert msgfmt, "GNU gettext's msgfmt is needed (make test installs it)"
    result = subprocess.run(  # noqa: S603 (msgfmt on our own catalogue)
        [msgfmt, "--check", "-o", "/dev/null", str(SPANISH)], capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr
