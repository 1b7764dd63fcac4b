"""One way to show dates and times on every page, in the reader's language (issues 16 and 18.3).

Pages use two formats: short (``1 Dec 2026`` / ``1 dic 2026``) for lists, tables and badges,
and long (``Tuesday 1 December 2026`` / ``martes 1 de diciembre de 2026``) where a date is the
subject of a sentence. An instant is shown in the viewer's zone (``core.zone``) with the zone
named after the time, because "15:38" means nothing to a partner in another country. A
deadline that has passed says so in words, not only in colour.

    (a builtin of every template: config/settings.py TEMPLATES)
    {{ entry.observed_on|when }}            <time datetime="2026-12-01">1 Dec 2026</time>
    {{ version.sent_at|when:"time" }}       … 1 Dec 2026, 15:38 GMT
    {{ charter.expires_on|when:"long" }}    … Tuesday 1 December 2026
    {{ partnership.defer_on|due }}          … 30 Nov 2026 (passed)
    {{ entry.created_at|short_date }}       plain text, for attributes and titles

E-mails and PDFs, written in sentences, use the named patterns of ``PATTERNS`` as filters
(``|long_date``, ``|weekday_date``, ``|date_time``…). Django's own named formats have no
weekday and no zone name, so each language's patterns are kept in that one table; month and
day names come from Django's catalogue.
"""

from __future__ import annotations

import datetime

from django import template
from django.template.defaultfilters import date as format_date
from django.utils import timezone, translation
from django.utils.dateformat import format as date_format
from django.utils.html import format_html

register = template.Library()

# English keeps the day-first British order Accord always wrote.
PATTERNS: dict[str, dict[str, str]] = {
    "en": {
        "short": "j M Y",
        "long": "l j F Y",
        "time": "H:i T",
        "long_date": "j F Y",
        "weekday_date": "l j F Y",
        "weekday_day": "l j F",
        "short_day": "j M",
        "date_time": "j F Y, H:i e",
        "date_time_seconds": "j F Y, H:i:s e",
        "iso_date": "Y-m-d",
    },
    "es": {
        "short": "j b Y",
        "long": r"l j \d\e F \d\e Y",
        "time": "H:i T",
        "long_date": r"j \d\e F \d\e Y",
        "weekday_date": r"l j \d\e F \d\e Y",
        "weekday_day": r"l j \d\e F",
        "short_day": "j b",
        "date_time": r"j \d\e F \d\e Y, H:i e",
        "date_time_seconds": r"j \d\e F \d\e Y, H:i:s e",
        "iso_date": "Y-m-d",
    },
}
# The patterns e-mails and PDFs use by name, each registered as a filter of that name.
NAMED = ("long_date", "weekday_date", "weekday_day", "short_day", "date_time",
         "date_time_seconds", "iso_date")  # fmt: skip
PASSED = '<time class="passed" datetime="{}">{}</time> <span class="passed-note">{}</span>'


def pattern(name: str, language: str | None = None) -> str:
    """The format of ``name`` in ``language`` (the active one by default; English if unknown)."""
    base = (language or translation.get_language() or "en").split("-")[0]
    return PATTERNS.get(base, PATTERNS["en"])[name]


def _named(name: str):
    def apply(value):
        return format_date(value, pattern(name)) if value not in (None, "") else ""

    apply.__name__ = name
    apply.__doc__ = f"The date as {name.replace('_', ' ')} in the active language."
    register.filter(name, apply, expects_localtime=True, is_safe=False)
    return apply


for _name in NAMED:
    _named(_name)


def _local(value):
    """A datetime in the active (viewer's) zone; a date as it is; anything else as None."""
    if isinstance(value, datetime.datetime):
        return timezone.localtime(value) if timezone.is_aware(value) else value
    if isinstance(value, datetime.date):
        return value
    return None


def _text(value, style: str) -> str:
    local = _local(value)
    if local is None:
        return ""
    words = style.split()
    text = date_format(local, pattern("long" if "long" in words else "short"))
    if "time" in words and isinstance(local, datetime.datetime):
        text += ", " + date_format(local, pattern("time"))
    return text


@register.filter
def short_date(value) -> str:
    """``1 Dec 2026`` (an instant: its day where the viewer is)."""
    return _text(value, "short")


@register.filter
def long_weekday_date(value) -> str:
    """``Tuesday 1 December 2026``: the long format of the pages."""
    return _text(value, "long")


@register.filter
def short_datetime(value) -> str:
    """``1 Dec 2026, 15:38 GMT``: the time in the viewer's zone, the zone named."""
    return _text(value, "short time")


@register.filter
def iso(value) -> str:
    """A valid ``datetime`` attribute: ``2026-12-01``, or an instant in UTC to the second."""
    if isinstance(value, datetime.datetime):
        if timezone.is_aware(value):
            value = value.astimezone(datetime.UTC)
            return value.replace(microsecond=0, tzinfo=None).isoformat() + "Z"
        return value.replace(microsecond=0).isoformat()
    if isinstance(value, datetime.date):
        return value.isoformat()
    return ""


@register.filter
def when(value, style: str = "short"):
    """The date (``"long"`` for the long format, ``"time"`` to add the time and zone) as a
    ``<time>`` element a machine can read."""
    if _local(value) is None:
        return ""
    return format_html('<time datetime="{}">{}</time>', iso(value), _text(value, style))


@register.filter
def has_passed(value) -> bool:
    """Before today (a date) or before now (an instant), in the viewer's zone."""
    local = _local(value)
    if isinstance(local, datetime.datetime):
        return local < timezone.now()
    if local is not None:
        return local < timezone.localdate()
    return False


@register.filter
def due(value, style: str = "short"):
    """A deadline: like ``when``, and marked "(passed)" in words once it has gone by."""
    if _local(value) is None:
        return ""
    if has_passed(value):
        note = "(" + translation.gettext("passed") + ")"
        return format_html(PASSED, iso(value), _text(value, style), note)
    return when(value, style)
