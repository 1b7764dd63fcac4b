"""Dates in e-mails, PDFs and signing pages follow the active language (core dates filters)."""

import datetime

from django.template import Context, Template
from django.utils import translation

DAY = datetime.date(2026, 12, 7)


def render(source: str, language: str, **context) -> str:
    with translation.override(language):
        return Template("{% load dates %}" + source).render(Context(context))


def test_a_long_date_per_language():
    assert render("{{ d|long_date }}", "en", d=DAY) == "7 December 2026"
    assert render("{{ d|long_date }}", "es", d=DAY) == "7 de diciembre de 2026"


def test_a_date_with_its_weekday_per_language():
    assert render("{{ d|weekday_date }}", "en", d=DAY) == "Monday 7 December 2026"
    assert render("{{ d|weekday_date }}", "es", d=DAY) == "lunes 7 de diciembre de 2026"
    assert render("{{ d|weekday_day }}", "es", d=DAY) == "lunes 7 de diciembre"


def test_a_short_day_per_language():
    assert render("{{ d|short_day }}", "en", d=DAY) == "7 Dec"
    assert render("{{ d|short_day }}", "es", d=DAY) == "7 dic"


def test_a_time_names_its_zone_in_both_languages():
    moment = datetime.datetime(2026, 12, 7, 16, 30, tzinfo=datetime.UTC)
    assert render("{{ t|date_time }}", "en", t=moment) == "7 December 2026, 16:30 UTC"
    assert render("{{ t|date_time }}", "es", t=moment) == "7 de diciembre de 2026, 16:30 UTC"


def test_numbers_follow_the_language():
    source = "{% load l10n %}{{ n|localize }}"
    assert render(source, "en", n=1234.5) == "1234.5"
    assert render(source, "es", n=1234.5) == "1234,5"


def test_a_missing_date_is_empty_not_an_error():
    assert render("{{ d|long_date }}", "es", d=None) == ""
