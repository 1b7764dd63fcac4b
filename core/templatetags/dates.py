"""Dates written the way each language writes them: ``{% load dates %}{{ day|long_date }}``.

Django's named formats (``DATE_FORMAT``…) have no weekday and no time-zone name, and our
e-mails and PDFs need both ("Monday 7 December 2026", "lunes 7 de diciembre de 2026"). These
filters keep those patterns per language in one table, so no template writes a date format by
hand and every date follows the active language (month and day names come from Django's own
catalogue).
"""

from __future__ import annotations

from django import template
from django.template.defaultfilters import date as format_date
from django.utils import translation

register = template.Library()

# English keeps the day-first British order Accord always wrote.
PATTERNS: dict[str, dict[str, str]] = {
    "en": {
        "long_date": "j F Y",
        "weekday_date": "l j F Y",
        "weekday_day": "l j F",
        "short_day": "j M",
        "date_time": "j F Y, H:i e",
        "date_time_seconds": "j F Y, H:i:s e",
        "iso_date": "Y-m-d",
    },
    "es": {
        "long_date": r"j \d\e F \d\e Y",
        "weekday_date": r"l j \d\e F \d\e Y",
        "weekday_day": r"l j \d\e F",
        "short_day": "j b",
        "date_time": r"j \d\e F \d\e Y, H:i e",
        "date_time_seconds": r"j \d\e F \d\e Y, H:i:s e",
        "iso_date": "Y-m-d",
    },
}


def pattern(name: str, language: str | None = None) -> str:
    """The format of ``name`` in ``language`` (the active one by default; English if unknown)."""
    base = (language or translation.get_language() or "en").split("-")[0]
    return PATTERNS.get(base, PATTERNS["en"])[name]


def _filter(name: str):
    def apply(value):
        return format_date(value, pattern(name)) if value not in (None, "") else ""

    apply.__name__ = name
    apply.__doc__ = f"The date as {name.replace('_', ' ')} in the active language."
    register.filter(name, apply, expects_localtime=True, is_safe=False)
    return apply


for _name in PATTERNS["en"]:
    _filter(_name)
